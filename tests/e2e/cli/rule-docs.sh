#!/bin/sh
# Every built-in rule has its page, docs/rules/ID.md, and a row in the
# index docs/rules/README.md; every page belongs to a rule.
. "$SRC/tests/e2e/lib.sh"
run "$MEMSNAP" rules
assert_rc 0 "memsnap rules"
grep -v '^ ' out | cut -d' ' -f1 > ids
[ "$(wc -l < ids)" -ge 15 ] || fail "too few rules: $(wc -l < ids)"
while read -r id; do
	[ -f "$SRC/docs/rules/$id.md" ] || fail "no page docs/rules/$id.md"
	grep -qF "[\`$id\`]($id.md)" "$SRC/docs/rules/README.md" || fail "docs/rules/README.md lacks $id"
	[ -f "$SRC/rules/$id.sql" ] || fail "rule $id is not rules/$id.sql"
done < ids
( cd "$SRC/docs/rules" && find . -name '*.md' ! -name README.md | sed 's|^\./||; s|\.md$||' ) | sort > pages
sort ids > sorted
cmp -s pages sorted || { diff sorted pages >&2; fail "pages without a rule, or rules without a page"; }
exit 0
