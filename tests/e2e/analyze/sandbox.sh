#!/bin/sh
# The rule sandbox: every hostile rule is stopped with its own one-line
# error naming the file and line, the other rules still run, the database
# does not change and no file appears.
. "$SRC/tests/e2e/lib.sh"
R=$SRC/tests/fixtures/rules
"$MEMSNAP" collect -q -n 2 -i 100ms -o b.tar.zst || fail "collect"
"$MEMSNAP" load -q b.tar.zst -o b.db || fail "load"
before=$(sha256sum b.db | cut -c1-64)
run_tsv "$MEMSNAP" analyze b.tar.zst -o b.db -q --rules "$R/hostile" --rules "$R/good" \
	--only hostile,test/meminfo-max --rule-timeout 1s --format tsv
assert_rc 1 "hostile rules fail"
H="memsnap: analyze: rule failed: $R/hostile"
assert_line err "$H/attach.sql:6: ATTACH is not allowed in rules"
assert_line err "$H/create-temp.sql:6: changing the schema (CREATE, DROP, ALTER, temporary objects, virtual tables such as the pragma_* functions) is not allowed in rules"
assert_line err "$H/delete.sql:6: writing to a table is not allowed in rules"
assert_line err "$H/insert.sql:6: writing to a table is not allowed in rules"
assert_line err "$H/forever.sql:6: stopped after 1 s (the rule time limit, --rule-timeout)"
assert_line err "$H/load-extension.sql:6: the function load_extension() is not allowed in rules"
assert_line err "$H/memory.sql:6: string or blob too big"
assert_line err "$H/pragma.sql:6: PRAGMA journal_mode is not allowed in rules"
assert_line err "$H/pragma-fn.sql:6: changing the schema (CREATE, DROP, ALTER, temporary objects, virtual tables such as the pragma_* functions) is not allowed in rules"
[ "$(wc -l < err)" = 9 ] || { cat err >&2; fail "expected exactly 9 errors"; }
# the good rule still ran
[ "$(cut -f1-4 out)" = "$(printf 'info\ttest/meminfo-max\tsystem\tsystem')" ] ||
	{ cat out >&2; fail "the good rule's finding is missing"; }
after=$(sha256sum b.db | cut -c1-64)
assert_eq "$after" "$before" "the database changed"
[ ! -e pwned.db ] || fail "ATTACH created a file"
"$MEMSNAP" query b.db "SELECT count(*) FROM header WHERE key = 'pwned'" --csv > q || fail "query"
assert_line q 0
exit 0
