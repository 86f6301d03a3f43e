#!/bin/sh
# numa/ rules on one-node hosts: no findings, and no rule fails: each runs
# (its first query step sees one node and stops) or, on a recording too
# short for it, says it could not judge.  The recordings in
# samples/bundles that come from the one-node project machine (leak, thrash,
# swap, oom ...), and a short bundle recorded here when this machine has
# one node.
. "$SRC/tests/e2e/lib.sh"
n=0
check() { # BUNDLE
	run_tsv "$MEMSNAP" analyze "$1" -o x.db -f -q --only numa --format tsv
	assert_rc 0 "analyze $1"
	assert_empty out
	run "$MEMSNAP" analyze "$1" -o x.db -q --only numa --format json
	assert_rc 0 "analyze $1 --format json"
	assert_eq "$(grep -c '"status":[[:space:]]*"\(ok\|insufficient-data\)"' out)" 4 "numa rules that ran on $1"
	n=$((n + 1))
}
for b in "$SRC"/samples/bundles/*.tar.zst; do
	[ -f "$b" ] || continue
	"$MEMSNAP" info "$b" | grep -q '^host: .*, 1 NUMA node, ' || continue
	check "$b"
done
[ "$n" -gt 0 ] || fail "no one-node bundle in samples/bundles"
if [ "$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l)" = 1 ]; then
	run "$MEMSNAP" collect -n 3 -i 100ms -q -o here.tar.zst
	assert_rc 0 "collect here"
	check here.tar.zst
fi
exit 0
