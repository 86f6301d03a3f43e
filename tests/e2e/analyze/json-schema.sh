#!/bin/sh
# analyze --format json against docs/report-json.schema.json (JSON Schema
# draft 2020-12), with Debian's python3-jsonschema: the findings of the
# sample bundles (processes, mappings, cgroups, nodes, zones, the system),
# failed rules, rules that could not judge a short recording, parameters
# set on the command line, a load cut to --from/--to; and the fleet's
# document (memsnap-fleet) over three hosts, a short recording and a bundle
# that does not load.  Each document must match the schema as published
# (unknown fields allowed, as the format promises) and a strict
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
# several hosts: each finding with its host, a host that failed
mkdir hosts
cp "$B/leak.tar.zst" "$B/numa-remote.tar.zst" short.tar.zst hosts/
printf 'not a bundle' > hosts/bad.tar.zst
"$MEMSNAP" analyze -q hosts --format json > fleet.json
[ $? = 1 ] || fail "fleet with a bad bundle: exit 1"
S=$SRC/docs/report-json.schema.json
python3 "$SRC/tests/e2e/analyze/schema_check.py" "$S" leak.json numa-remote.json frag.json oom.json swap.json thrash.json set.json \
	window.json short.json broken.json fleet.json > v.out 2>&1 || { cat v.out >&2; fail "a document does not match the schema"; }
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
f = json.load(open('fleet.json'))
assert f['format'] == 'memsnap-fleet'
assert sorted(h['status'] for h in f['hosts']) == ['failed', 'ok', 'ok', 'ok'], f['hosts']
# each host's findings are its own bundle's, with its name
by_bundle = {h['bundle']['path'].split('/')[-1]: h['host'] for h in f['hosts'] if h['status'] == 'ok'}
for n in ('leak', 'numa-remote', 'short'):
    got = [x['rule'] for x in f['findings'] if x['host'] == by_bundle[n + '.tar.zst']]
    assert got == [x['rule'] for x in docs[n]['findings']], (n, got)
assert f['groups'] and all(h['growth'] for h in f['hosts'] if h['status'] == 'ok')
# leak/process judged leak (3 findings) and not the two short recordings:
# ok, as it judged a host, with the count of those it could not
lp = [r for r in f['rules'] if r['id'] == 'leak/process'][0]
assert (lp['status'], lp['findings'], lp['hosts_failed'], lp['hosts_insufficient']) == ('ok', 3, 0, 2), \
    {k: lp[k] for k in ('status', 'findings', 'hosts_failed', 'hosts_insufficient')}
PY
# the check can fail: a finding without its subject, an unknown field
python3 - <<'PY'
import json
def edit(src, dst, key, value=None):
    # the first finding of SRC with KEY removed (VALUE None) or set, into DST
    d = json.load(open(src))
    if value is None:
        del d['findings'][0][key]
    else:
        d['findings'][0][key] = value
    json.dump(d, open(dst, 'w'))
edit('leak.json', 'no-subject.json', 'subject')
edit('leak.json', 'extra.json', 'colour', 'red')
edit('fleet.json', 'fleet-no-host.json', 'host')
edit('leak.json', 'one-host-with-host.json', 'host', 'vm')
PY
! python3 "$SRC/tests/e2e/analyze/schema_check.py" "$S" no-subject.json > v.out 2>&1 || fail "a finding without a subject passed"
grep -q "'subject' is a required property" v.out || { cat v.out >&2; fail "the missing subject"; }
! python3 "$SRC/tests/e2e/analyze/schema_check.py" "$S" extra.json > v.out 2>&1 || fail "an unknown field passed the strict schema"
grep -q "'colour' was unexpected" v.out || { cat v.out >&2; fail "the unknown field"; }
! python3 "$SRC/tests/e2e/analyze/schema_check.py" "$S" fleet-no-host.json > v.out 2>&1 || fail "a fleet finding without its host passed"
grep -q "'host' is a required property" v.out || { cat v.out >&2; fail "the fleet finding's missing host"; }
! python3 "$SRC/tests/e2e/analyze/schema_check.py" "$S" one-host-with-host.json > v.out 2>&1 || fail "a host on one host's finding passed"
exit 0
