#!/bin/sh
# analyze's rule options: --set, --only/--skip, --fail-on, the formats,
# and memsnap rules show/sql.
. "$SRC/tests/e2e/lib.sh"
G=$SRC/tests/fixtures/rules/good
"$MEMSNAP" collect -q -n 4 -i 100ms -o b.tar.zst || fail "collect"
A() { run "$MEMSNAP" analyze b.tar.zst -o b.db -q --rules "$G" --only test "$@"; }
T() { run_tsv "$MEMSNAP" analyze b.tar.zst -o b.db -q --rules "$G" --only test "$@"; }

A --set test/graded.nope=1
assert_rc 2 "unknown parameter"
assert_line err "memsnap: analyze: --set 'test/graded.nope=1': rule 'test/graded' has no parameter 'nope' (see 'memsnap rules show test/graded')"
A --set test/nosuch.x=1
assert_rc 2 "unknown rule"
assert_line err "memsnap: analyze: --set 'test/nosuch.x=1': no rule 'test/nosuch' (see 'memsnap rules')"
A --set test/graded
assert_rc 2 "malformed --set"
assert_line err "memsnap: analyze: --set 'test/graded': expected ID.PARAM=VALUE"
A --format xml
assert_rc 2 "bad format"
assert_line err "memsnap: analyze: --format 'xml': expected text, json or tsv"
A --fail-on urgent
assert_rc 2 "bad --fail-on"

# graded severities: samples 1 info, 2 warning, 3.. critical; a header line
A --format tsv
assert_rc 0 "tsv"
assert_eq "$(head -n 1 out)" "$TSV_HEADER" "the TSV header"
# the value's unit and the subject's fields ('-': none)
assert_eq "$(sed -n 6p out | cut -f1-4,9-)" "info	test/meminfo-max	system	system	MiB	-	-	-	-	-	-	-" \
	"a finding's line"
T --format tsv
cut -f1-4 out > got
printf 'critical\ttest/graded\tsample\t4\ncritical\ttest/graded\tsample\t3\nwarning\ttest/graded\tsample\t2\ninfo\ttest/graded\tsample\t1\ninfo\ttest/meminfo-max\tsystem\tsystem\n' > want
cmp -s got want || { diff want got >&2; fail "tsv findings"; }
# --set moves the threshold; text parameters take any value
T --format tsv --set test/graded.critical_from=4 --set "test/meminfo-max.label=it's"
assert_rc 0 "tsv with --set"
cut -f1,4 out | tr '\t' ' ' > got
printf 'critical 4\nwarning 2\ninfo 3\ninfo 1\ninfo system\n' > want
cmp -s got want || { diff want got >&2; fail "--set critical_from"; }
grep -qF "(it's)" out || fail "text parameter not bound"
# text from a rule or a bundle never carries control characters to a terminal
T --format tsv --only test/meminfo-max --set "test/meminfo-max.label=$(printf 'a\033]0;x\007b')"
assert_rc 0 "escape in a message"
grep -qF '(a?]0;x?b)' out || { od -c out | head >&2; fail "control characters not replaced"; }
# --skip
T --format tsv --skip test/graded
assert_rc 0 "skip"
assert_eq "$(cut -f2 out)" "test/meminfo-max" "--skip"
# --fail-on: exit 3 at or above, 0 below
T --format tsv --fail-on critical
assert_rc 3 "fail-on critical"
T --format tsv --fail-on critical --skip test/graded
assert_rc 0 "fail-on critical without critical findings"
# json: one document with the rules, the findings and the summary
A --format json --only test/meminfo-max
assert_rc 0 "json"
grep -q '"format":	"memsnap-findings"' out || fail "json format name"
grep -q '"rules_failed":	0' out || fail "json summary"
grep -q '"bytes":	[0-9]' out || fail "json evidence keeps numbers"
grep -q '"missing":	null' out || fail "json evidence keeps NULL"
# --set reads a value in the parameter's unit, checks its range, and refuses
# what it cannot read in one line naming the rule, the parameter and the forms
T --format tsv --set test/meminfo-max.min_bytes=1K
assert_rc 0 "--set 1K in B"
T --format tsv --set leak/process.min_growth=2MiB --set "leak/process.min_minutes=1h30m"
assert_rc 0 "--set with units"
A --format tsv --set leak/process.min_growth=abc
assert_rc 2 "--set a size as text"
assert_line err "memsnap: analyze: --set 'leak/process.min_growth=abc': rule leak/process, parameter min_growth: expected a size: 2MiB, 512K, 1.5GiB (B, K or KiB, M, G, T; a plain number is MiB), at least 0 MiB"
A --format tsv --set leak/process.min_minutes=10MiB
assert_rc 2 "--set a size for a duration"
assert_line err "memsnap: analyze: --set 'leak/process.min_minutes=10MiB': rule leak/process, parameter min_minutes: expected a duration: 90s, 10m, 1h30m, 2d (a plain number is min), at least 0 min"
A --format tsv --set oom/cgroup-limit.near_frac=1.5
assert_rc 2 "--set out of range"
assert_line err "memsnap: analyze: --set 'oom/cgroup-limit.near_frac=1.5': rule oom/cgroup-limit, parameter near_frac: 1.5 is out of range; expected a number, more than 0 and at most 1"
run "$MEMSNAP" rules show leak/process
assert_rc 0 "rules show leak/process"
assert_line out "  min_growth = 2 MiB"
assert_line out "      takes a size: 2MiB, 512K, 1.5GiB (B, K or KiB, M, G, T; a plain number is MiB), at least 0 MiB"
assert_line out "      takes a percentage: 5% or 5, more than 0 and at most 100 %"
assert_line out "Needs (a shorter recording is not judged): 5 min, 60 samples"
assert_line out "  rate_mib_h                   MiB/h"
run "$MEMSNAP" rules --set leak/process.min_growth=512K --set leak/process.min_minutes=2h sql leak/process
assert_rc 0 "rules sql with --set"
assert_line out '.param set :min_growth "0.5"'
assert_line out '.param set :min_minutes "120"'
# rules show / sql
run "$MEMSNAP" rules --rules "$G" show test/graded
assert_rc 0 "rules show"
assert_line out "  critical_from = 3"
run "$MEMSNAP" rules --rules "$G" --set test/graded.critical_from=9 sql test/graded
assert_rc 0 "rules sql"
assert_line out '.param set :critical_from "9"'
run "$MEMSNAP" rules show no/such
assert_rc 2 "rules show unknown"
assert_line err "memsnap: rules: no rule 'no/such' (see 'memsnap rules')"
exit 0
