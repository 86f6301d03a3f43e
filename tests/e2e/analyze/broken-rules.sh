#!/bin/sh
# Broken rule files: each is named with its file and line, the other rules
# still run and are reported, and the exit status is 1.
. "$SRC/tests/e2e/lib.sh"
R=$SRC/tests/fixtures/rules
"$MEMSNAP" collect -q -n 2 -i 100ms -o b.tar.zst || fail "collect"
run "$MEMSNAP" analyze b.tar.zst -o b.db -q --rules "$R/bad" --rules "$R/good" \
	--only bad,test/meminfo-max,bad-severity --format tsv
# 'bad-severity' is not a selector of any rule: usage error before loading
assert_rc 2 "unknown --only name"
assert_line err "memsnap: analyze: --only: no rule or folder 'bad-severity' (see 'memsnap rules')"
[ ! -e b.db ] || fail "a usage error must not load the bundle"

run "$MEMSNAP" analyze b.tar.zst -o b.db -q --rules "$R/bad" --rules "$R/good" \
	--only bad,test/meminfo-max --format tsv
assert_rc 1 "broken rules"
B="memsnap: analyze: rule failed: $R/bad"
assert_line err "$B/bad-severity.sql:6: row 1: severity 'urgent': expected info, warning or critical"
assert_line err "$B/header.sql:6: expected '-- key: value' or an indented continuation ('--   more text')"
assert_line err "$B/missing-column.sql:6: the query has no column 'entity' (a rule returns entity_kind, entity, t_start, t_end, value, message)"
assert_line err "$B/no-action.sql:1: the header has no 'action:' line"
assert_line err "$B/null-entity.sql:6: row 1: 'entity' is NULL"
assert_line err "$B/param-line.sql:6: expected '| description' after the value and unit"
assert_line err "$B/severity.sql:2: severity 'urgent': expected info, warning or critical"
assert_line err "$B/sql-error.sql:8: no such table: no_such_table"
assert_line err "$B/two-statements.sql:7: a rule holds one SQL statement; more follows"
assert_line err "$B/unknown-param.sql:7: unknown parameter ':nope' (declare it: '-- param: nope = VALUE UNIT | description')"
assert_line err "$B/unused-param.sql:6: parameter 'limit_mib' is declared but the query does not use :limit_mib"
[ "$(wc -l < err)" = 11 ] || { cat err >&2; fail "expected exactly 11 errors"; }
[ "$(cut -f1-4 out)" = "$(printf 'info\ttest/meminfo-max\tsystem\tsystem')" ] ||
	{ cat out >&2; fail "the good rule's finding is missing"; }

# the text report counts them, and says so in its summary line
run "$MEMSNAP" analyze b.tar.zst -o b.db -q --rules "$R/bad" --rules "$R/good" \
	--only bad,test/meminfo-max --color never
assert_rc 1 "broken rules, text"
assert_line out "summary: 1 finding (0 critical, 0 warning, 1 info) from 12 rules, 11 FAILED (see the errors above); bundle complete"

# memsnap rules lists the broken files too, and exits 1
run "$MEMSNAP" rules --rules "$R/bad"
assert_rc 1 "rules with broken files"
grep -qF "BROKEN    $R/bad/header.sql:6: expected '-- key: value'" out || { cat out >&2; fail "rules does not list the broken file"; }
exit 0
