#!/bin/sh
# A recording shorter than a rule's minimum (its needs: lines) is not
# judged by that rule, and every format says so, and why; "insufficient
# data" is never printed as "no findings", and --fail-on does not exit 0 on
# it.  The recordings: the first 1 and 3 complete samples of leak.tar.zst
# (0 and 10 s), cut at the byte where info counts them.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles/leak.tar.zst
[ -f "$B" ] || fail "no $B"
cut_to() { # N OUT: the shortest prefix of $B with N complete samples
	lo=0 hi=$(wc -c < "$B")
	while [ $((hi - lo)) -gt 1 ]; do
		mid=$(((lo + hi) / 2))
		head -c $mid "$B" > "$2"
		if [ "$(complete_samples "$2")" -ge "$1" ]; then hi=$mid; else lo=$mid; fi
	done
	head -c $hi "$B" > "$2"
	assert_eq "$(complete_samples "$2")" "$1" "complete samples of $2"
}
cut_to 1 one.tar.zst
cut_to 3 three.tar.zst

# text: which rules could not judge and why, grouped by reason, a folder
# whose rules all could not said once
run "$MEMSNAP" analyze three.tar.zst -o three.db -q --color never
assert_rc 0 "analyze 3 samples"
assert_no_match out '^no findings$'
assert_line out "no findings from the 2 rules that judged this recording (not the others: below)"
assert_line out "could not judge (insufficient data, not a clean bill of health):"
assert_line out "  fragmentation/compaction: needs 4 min 30 s, this recording has 10 s"
assert_line out "  fragmentation/high-order, leak/*: needs 5 min, this recording has 10 s"
assert_line out "    needs 1 min, this recording has 10 s"
assert_line out "  numa/process-remote: needs 3 samples with smaps (collect --smaps-interval),"
assert_line out "summary: 0 findings (0 critical, 0 warning, 0 info) from 19 rules, 17 could not judge (insufficient data); bundle truncated"
run "$MEMSNAP" analyze one.tar.zst -o one.db -q --color never
assert_rc 0 "analyze 1 sample"
assert_line out "no findings from the 1 rule that judged this recording (not the others: below)"
assert_line out "  oom/kill: needs 2 samples, this recording has 1"
assert_line out "summary: 0 findings (0 critical, 0 warning, 0 info) from 19 rules, 18 could not judge (insufficient data); bundle truncated"
run "$MEMSNAP" analyze one.tar.zst -o one.db -q --color never --only leak
assert_rc 0 "analyze 1 sample, leak rules"
assert_line out "no findings, and no rule could judge this recording (below): this is not a clean bill of health"
assert_line out "  leak/*: needs 5 min, this recording has 0 s"

# JSON: status insufficient-data and the reason, the count in the summary
run "$MEMSNAP" analyze three.tar.zst -o three.db -q --format json
assert_rc 0 "json"
python3 - <<'PY' || fail "the JSON of the 3-sample recording"
import json
d = json.load(open('out'))
st = {r['id']: (r['status'], r['reason']) for r in d['rules']}
assert st['leak/process'] == ('insufficient-data', 'needs 5 min, this recording has 10 s'), st['leak/process']
assert st['oom/kill'] == ('ok', None) and st['swap/process'] == ('ok', None)
assert d['summary']['rules_insufficient'] == 17 and d['summary']['findings'] == 0
assert [r['needs'] for r in d['rules'] if r['id'] == 'leak/process'] == [{'span_s': 300, 'samples': 60}]
PY
# TSV: an "insufficient" line per rule, with why as its message
run_tsv "$MEMSNAP" analyze three.tar.zst -o three.db -q --format tsv
assert_rc 0 "tsv"
assert_empty out
assert_eq "$(wc -l < unjudged)" 17 "insufficient lines"
assert_line unjudged "insufficient	leak/process	-	-	-	-	-	needs 5 min, this recording has 10 s	-	-	-	-	-	-	-	-"
# HTML: the list, and no "no problem"
run "$MEMSNAP" report three.tar.zst --db three.db -q -o r.html
assert_rc 0 "report"
grep -qF '<p class="bad" id="not-judged">17 rules could not judge this bundle (insufficient data):</p>' r.html ||
	fail "the HTML does not say which rules could not judge"
grep -qF '<li>fragmentation/high-order, leak/*: needs 5 min, this recording has 10 s</li>' r.html ||
	fail "the HTML reason"
assert_no_match r.html 'No rule found a problem'
grep -qF 'No finding from the 2 rules that judged this bundle' r.html || fail "the HTML's no-finding line"

# --fail-on: 4 when nothing reached it but a rule could not judge; a finding
# at or above it still says 3
run "$MEMSNAP" analyze three.tar.zst -o three.db -q --format tsv --fail-on critical
assert_rc 4 "fail-on with insufficient data"
run "$MEMSNAP" analyze three.tar.zst -o three.db -q --format tsv --fail-on info \
	--rules "$SRC/tests/fixtures/rules/good"
assert_rc 3 "fail-on with a finding and insufficient data"
# a parameter moves the need: a floor of 5 s lets leak/process judge
run "$MEMSNAP" analyze three.tar.zst -o three.db -q --format json --only leak/process \
	--set leak/process.min_minutes=5s --set leak/process.min_buckets=3 --set leak/process.bucket_samples=1
assert_rc 0 "lower needs"
grep -q '"status":	"ok"' out || fail "leak/process did not judge with its needs met"
exit 0
