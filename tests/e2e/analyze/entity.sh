#!/bin/sh
# A rule returns the identifiers it has (process_id, node, zone ...) and
# no entity text: the engine writes the entity as every rule does ("PID
# (comm)", "node N zone Z") and fills the typed subject from the database
# (pid, start time, comm, memory cgroup) in JSON and TSV.  An identifier
# the database does not hold, or of the wrong type, is the rule's error.
. "$SRC/tests/e2e/lib.sh"
R=$SRC/tests/fixtures/rules/entity
"$MEMSNAP" collect -q -n 2 -i 100ms -o b.tar.zst || fail "collect"
"$MEMSNAP" load -q b.tar.zst -o b.db || fail "load"
q() { "$MEMSNAP" query b.db --csv "$1" | tail -n +2; }
# the process the rule picks, as the database has it
pid=$(q "SELECT p.pid FROM proc_sample ps JOIN process p ON p.id = ps.process_id
         WHERE ps.sample = (SELECT max(id) FROM sample) AND ps.vm_rss IS NOT NULL
         ORDER BY ps.vm_rss DESC, ps.process_id LIMIT 1")
comm=$(q "SELECT comm FROM process WHERE pid = $pid ORDER BY id DESC LIMIT 1")
[ -n "$pid" ] && [ -n "$comm" ] || fail "no process in the bundle"
run "$MEMSNAP" analyze b.tar.zst -o b.db -q --rules "$R" --only entity/process,entity/node --format json
assert_rc 0 "analyze"
python3 - "$pid" "$comm" <<'PY' || { cat out >&2; fail "the subjects"; }
import json, sys
pid, comm = int(sys.argv[1]), sys.argv[2]
d = json.load(open('out'))
f = [x for x in d['findings'] if x['rule'] == 'entity/process'][0]
assert f['entity'] == f'{pid} ({comm})', f['entity']
s = f['subject']
assert (s['kind'], s['pid'], s['comm']) == ('process', pid, comm), s
assert isinstance(s['process_id'], int) and isinstance(s['start_ticks'], int)
# it started before the recording's last sample, and the UTC text is the same instant
assert s['start_time'] <= d['bundle']['t_last'] + 1, s
assert s['start_utc'].endswith('Z') and s['cgroup'] is not None and s['cgroup'].startswith('/'), s
assert f['evidence'] == {'samples': f['evidence']['samples']} and f['value_unit'] == 'B'
assert 'process_id' not in f['evidence']
zones = [x for x in d['findings'] if x['rule'] == 'entity/node']
assert zones and all(x['entity'] == f"node {x['subject']['node']} zone {x['subject']['zone']}" for x in zones)
assert all(x['subject']['pid'] is None for x in zones)
PY
run_tsv "$MEMSNAP" analyze b.tar.zst -o b.db -q --rules "$R" --only entity/process --format tsv
assert_rc 0 "tsv"
assert_eq "$(cut -f3,4,9,10,11 out)" "process	$pid ($comm)	B	$pid	$comm" "the TSV subject"
# an address above 2^63-1 (a REAL in the database) is exact in the subject
run "$MEMSNAP" analyze b.tar.zst -o b.db -q --rules "$R" --only entity/vsyscall --format json
assert_rc 0 "an upper-half mapping"
grep -q '"mapping_start":	"0xffffffffff600000"' out || { cat out >&2; fail "mapping_start"; }
grep -q '"mapping_end":	"0xffffffffff601000"' out || fail "mapping_end"
grep -q '"entity":	"[0-9]* (.*) ffffffffff600000-ffffffffff601000"' out || fail "the mapping's entity"
run_tsv "$MEMSNAP" analyze b.tar.zst -o b.db -q --rules "$R" --only entity/missing,entity/wrong-type --format tsv
assert_rc 1 "identifiers the database does not hold"
assert_line err "memsnap: analyze: rule failed: $R/missing.sql:6: a finding's process_id 999999 is not in the database"
assert_line err "memsnap: analyze: rule failed: $R/wrong-type.sql:6: row 1: 'node' must be an integer"
exit 0
