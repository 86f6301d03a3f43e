#!/bin/sh
# A shared rule directory is untrusted too: links between its folders
# (ten per level, eight levels: 10^7 paths to the same eight folders) are
# walked once per folder, a link to itself is harmless, and the rule at
# the bottom is found once.  (Hostile rule queries: analyze/sandbox.sh.)
. "$SRC/tests/e2e/lib.sh"
mkdir rl
for lv in 1 2 3 4 5 6 7 8; do mkdir rl/d$lv; done
for lv in 1 2 3 4 5 6 7; do
	for i in 0 1 2 3 4 5 6 7 8 9; do ln -s ../d$((lv + 1)) rl/d$lv/l$i; done
done
ln -s . rl/d8/self
cp "$FIXTURES/rules/good/meminfo-max.sql" rl/d8/
run "$MEMSNAP" rules --rules rl/d1
assert_rc 0 "rules with a tree of links"
assert_eq "$(grep -c '^test/meminfo-max ' out)" "1" "the rule, once"
assert_empty err
exit 0
