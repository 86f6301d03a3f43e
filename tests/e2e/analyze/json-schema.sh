#!/bin/sh
# analyze --format json against docs/report-json.schema.json (JSON Schema
# draft 2020-12), with Debian's python3-jsonschema: the findings of the
# sample bundles (processes, mappings, cgroups, nodes, zones, the system),
# failed rules, rules that could not judge a short recording, parameters
# set on the command line, a load cut to --from/--to.  Each document must
# match the schema as published (unknown fields allowed, as the format
# promises) and a strict
# copy of it that refuses any field the schema does not name, so that a
# field added to the output and not to the schema fails here.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles
R=$SRC/tests/fixtures/rules
python3 -c 'import jsonschema' 2>/dev/null ||
	skip "python3-jsonschema is missing (sh .ci/install-deps test installs it)"
for b in leak numa-remote frag oom swap thrash; do
	[ -f "$B/$b.tar.zst" ] || fail "no $B/$b.tar.zst"
	"$MEMSNAP" analyze "$B/$b.tar.zst" -o "$b.db" -q --format json > "$b.json" || fail "analyze $b"
done
"$MEMSNAP" analyze "$B/leak.tar.zst" -o leak.db -q --format json --only leak \
	--set leak/process.min_growth=512K --set leak/mapping.min_minutes=1h > set.json || fail "analyze --set"
"$MEMSNAP" analyze "$B/leak.tar.zst" -o window.db -q --format json --from -6m > window.json ||
	fail "analyze --from"
"$MEMSNAP" collect -q -n 3 -i 100ms -o short.tar.zst || fail "collect"
"$MEMSNAP" analyze short.tar.zst -o short.db -q --format json > short.json || fail "analyze short"
"$MEMSNAP" analyze short.tar.zst -o short.db -q --rules "$R/bad" --rules "$R/good" --only bad,test \
	--format json --set "test/meminfo-max.label=x" > broken.json
[ $? = 1 ] || fail "broken rules: exit 1"
S=$SRC/docs/report-json.schema.json
python3 "$SRC/tests/e2e/analyze/schema_check.py" "$S" leak.json numa-remote.json frag.json oom.json swap.json thrash.json set.json \
	window.json short.json broken.json > v.out 2>&1 || { cat v.out >&2; fail "a document does not match the schema"; }
# what the documents hold, so that the schema was exercised on it
python3 - <<'PY' || fail "the documents do not hold what the test needs"
import json
docs = {n: json.load(open(n + '.json')) for n in
        ('leak', 'numa-remote', 'frag', 'oom', 'swap', 'set', 'window', 'short', 'broken')}
kinds = {f['subject']['kind'] for d in docs.values() for f in d['findings']}
assert {'process', 'mapping', 'cgroup', 'node', 'zone', 'system'} <= kinds, kinds
assert any(f['subject']['mapping_start'] for f in docs['leak']['findings'])
# the built-in rules say the unit of every value and evidence column
assert all(f['value_unit'] for n, d in docs.items() if n != 'broken' for f in d['findings']
           if f['value'] is not None)
assert all(u for n, d in docs.items() if n != 'broken' for f in d['findings']
           for u in f['evidence_units'].values())
assert any(r['status'] == 'failed' for r in docs['broken']['rules'])
assert docs['leak']['bundle']['window'] is None and docs['window']['bundle']['window']['from'] > 0
assert any(r['status'] == 'insufficient-data' for r in docs['short']['rules'])
p = [p for r in docs['set']['rules'] if r['id'] == 'leak/process' for p in r['parameters']
     if p['name'] == 'min_growth'][0]
assert p == {'name': 'min_growth', 'value': 0.5, 'default': 2, 'set': True, 'unit': 'MiB',
             'min': 0, 'max': None, 'min_included': True, 'max_included': False}, p
PY
# the check can fail: a finding without its subject, an unknown field
python3 - <<'PY'
import json
d = json.load(open('leak.json'))
del d['findings'][0]['subject']
json.dump(d, open('no-subject.json', 'w'))
d = json.load(open('leak.json'))
d['findings'][0]['colour'] = 'red'
json.dump(d, open('extra.json', 'w'))
PY
! python3 "$SRC/tests/e2e/analyze/schema_check.py" "$S" no-subject.json > v.out 2>&1 || fail "a finding without a subject passed"
grep -q "'subject' is a required property" v.out || { cat v.out >&2; fail "the missing subject"; }
! python3 "$SRC/tests/e2e/analyze/schema_check.py" "$S" extra.json > v.out 2>&1 || fail "an unknown field passed the strict schema"
grep -q "'colour' was unexpected" v.out || { cat v.out >&2; fail "the unknown field"; }
exit 0
