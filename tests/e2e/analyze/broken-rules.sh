#!/bin/sh
# Broken rule files: each is named with its file and line, the other rules
# still run and are reported, and the exit status is 1.  Every format says
# which rules failed and why: text, TSV, JSON and HTML.
. "$SRC/tests/e2e/lib.sh"
R=$SRC/tests/fixtures/rules
"$MEMSNAP" collect -q -n 2 -i 100ms -o b.tar.zst || fail "collect"
run "$MEMSNAP" analyze b.tar.zst -o b.db -q --rules "$R/bad" --rules "$R/good" \
	--only bad,test/meminfo-max,bad-severity --format tsv
# 'bad-severity' is not a selector of any rule: usage error before loading
assert_rc 2 "unknown --only name"
assert_line err "memsnap: analyze: --only: no rule or folder 'bad-severity' (see 'memsnap rules')"
[ ! -e b.db ] || fail "a usage error must not load the bundle"

run_tsv "$MEMSNAP" analyze b.tar.zst -o b.db -q --rules "$R/bad" --rules "$R/good" \
	--only bad,test/meminfo-max --format tsv
assert_rc 1 "broken rules"
B="memsnap: analyze: rule failed: $R/bad"
assert_line err "$B/bad-severity.sql:6: row 1: severity 'urgent': expected info, warning or critical"
assert_line err "$B/header.sql:6: expected '-- key: value' or an indented continuation ('--   more text')"
assert_line err "$B/missing-column.sql:6: the query has no column 'entity' (a rule returns entity_kind, entity, t_start, t_end, value, message)"
assert_line err "$B/no-action.sql:1: the header has no 'action:' line"
assert_line err "$B/null-entity.sql:6: row 1: 'entity' is NULL"
assert_line err "$B/param-line.sql:6: expected '| description' after the value, unit and range"
assert_line err "$B/severity.sql:2: severity 'urgent': expected info, warning or critical"
assert_line err "$B/sql-error.sql:8: no such table: no_such_table"
assert_line err "$B/two-statements.sql:7: a rule holds one SQL statement; more follows"
assert_line err "$B/unknown-param.sql:7: unknown parameter ':nope' (declare it: '-- param: nope = VALUE UNIT | description')"
assert_line err "$B/unused-param.sql:6: parameter 'limit_mib' is declared but the query does not use :limit_mib"
V="B, KiB, MiB, GiB, TiB, pages, %, us, ms, s, min, h, days, or a rate: one of B ... % (or nothing, for events) over a duration, such as MiB/h, pages/s, /min"
assert_line err "$B/unit-name.sql:6: unknown unit 'MB' ($V)"
assert_line err "$B/range.sql:6: expected a range '[LO, HI]' after the unit ('(' or ')' leave the bound out; -inf and inf for no bound), LO at most HI"
assert_line err "$B/default-range.sql:6: the default 2 is out of its range (more than 0 and at most 1)"
assert_line err "$B/unit-column.sql:6: unit: 'growth_mb' is not value or an evidence column of the query"
assert_line err "$B/needs.sql:7: needs: say the unit (s, min, h, days, samples ...), or name one parameter whose unit is a duration"
assert_line err "$B/value-unit.sql:6: row 1: value_unit 'MB': not a unit ($V; 1, epoch, text)"
[ "$(wc -l < err)" = 17 ] || { cat err >&2; fail "expected exactly 17 errors"; }
# TSV: a "failed" line each, with the error as its message
[ "$(wc -l < unjudged)" = 17 ] || { cat unjudged >&2; fail "expected 17 failed lines"; }
grep -qxF "failed	bad/sql-error	-	-	-	-	-	$R/bad/sql-error.sql:8: no such table: no_such_table	-	-	-	-	-	-	-	-" unjudged ||
	{ cat unjudged >&2; fail "the TSV line of a failed rule"; }
grep -qF "failed	$R/bad/header.sql	-	" unjudged || fail "a broken file in the TSV, by its path"
[ "$(cut -f1-4 out)" = "$(printf 'info\ttest/meminfo-max\tsystem\tsystem')" ] ||
	{ cat out >&2; fail "the good rule's finding is missing"; }

# the text report counts them, and says so in its summary line
run "$MEMSNAP" analyze b.tar.zst -o b.db -q --rules "$R/bad" --rules "$R/good" \
	--only bad,test/meminfo-max --color never
assert_rc 1 "broken rules, text"
assert_line out "summary: 1 finding (0 critical, 0 warning, 1 info) from 18 rules, 17 FAILED (see the errors above); bundle complete"
# ... and lists them, each with its error, the good rule's finding before them
assert_line out "FAILED    bad/sql-error"
assert_line out "    $R/bad/sql-error.sql:8: no such table: no_such_table"
assert_line out "FAILED    $R/bad/header.sql"
grep -q "^  system    at \|^  system    [0-9:]* to " out || { cat out >&2; fail "the good rule's finding"; }
# JSON: status failed and the error; HTML: the list of failed rules
run "$MEMSNAP" analyze b.tar.zst -o b.db -q --rules "$R/bad" --rules "$R/good" \
	--only bad,test/meminfo-max --format json --html r.html
assert_rc 1 "broken rules, json"
assert_eq "$(grep -c '"status":	"failed"' out)" 17 "failed rules in the JSON"
grep -qF '"error":	"'"$R"'/bad/sql-error.sql:8: no such table: no_such_table"' out || fail "the JSON error"
grep -qF '<p class="bad">17 rules failed and could not report:</p>' r.html || fail "the HTML says they failed"
grep -qF "<li>$R/bad/sql-error.sql:8: no such table: no_such_table</li>" r.html || fail "the HTML error"

# memsnap rules lists the broken files too, and exits 1
run "$MEMSNAP" rules --rules "$R/bad"
assert_rc 1 "rules with broken files"
grep -qF "BROKEN    $R/bad/header.sql:6: expected '-- key: value'" out || { cat out >&2; fail "rules does not list the broken file"; }
exit 0
