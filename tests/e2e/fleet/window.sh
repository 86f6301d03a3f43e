#!/bin/sh
# --from/--to over several hosts: each host's bundle is cut to the window
# resolved against its own recording (+1m is a minute after each host's
# first sample), exactly as analyze of that bundle alone with the same
# window; a host that has no sample in an absolute window fails with the
# single-host error and the others go on; load --into and export cut each
# host the same way; a database (a fleet's) with --from/--to is a usage
# error; --tz names the zone of the fleet's times.
. "$SRC/tests/e2e/lib.sh"
NT="--rule-timeout 1h"
B=$SRC/samples/bundles
mkdir hosts one
cp "$B/leak.tar.zst" "$B/frag.tar.zst" "$B/numa-remote.tar.zst" hosts/
cp hosts/*.tar.zst one/
W="--from +1m --to +3m"

# each host as its own analyze with the window
run "$MEMSNAP" analyze $NT -q -j 2 hosts $W --format json
assert_rc 0 "analyze hosts $W"
cp out fleet.json
for b in leak frag numa-remote; do
	"$MEMSNAP" analyze $NT -q "one/$b.tar.zst" $W --format json > "$b.json" || fail "analyze $b $W"
done
python3 - <<'PY' || fail "a host's window or findings differ from its own analyze"
import json
f = json.load(open('fleet.json'))
hosts = {h['bundle']['path'].split('/')[-1]: h for h in f['hosts']}
for b in ('leak', 'frag', 'numa-remote'):
    one = json.load(open(b + '.json'))
    h = hosts[b + '.tar.zst']
    w = h['bundle']['window']
    assert w == one['bundle']['window'], (b, w, one['bundle']['window'])
    # a minute to three after the host's own first sample
    assert round(w['to'] - w['from'], 3) == 120, (b, w)
    assert h['bundle']['samples'] == one['bundle']['samples'], b
    strip = lambda x: {k: v for k, v in x.items() if k != 'host'}
    mine = [strip(x) for x in f['findings'] if x['host'] == h['host']]
    assert mine == one['findings'], (b, mine, one['findings'])
# the windows are the hosts' own: three different starts
assert len({h['bundle']['window']['from'] for h in f['hosts']}) == 3
PY
run "$MEMSNAP" analyze $NT -q hosts $W
assert_rc 0 "text"
assert_line out "host             findings  critical  warning  info  samples  window (UTC)"
assert_line out "vm                      0         0        0     0       24  06:53 to 06:55"

# an absolute window: two hosts have no sample in it, the third is analyzed
run "$MEMSNAP" analyze $NT -q hosts --from 2026-12-01T07:04Z
assert_rc 1 "two hosts without a sample in the window"
assert_line out "memsnap fleet: 3 hosts (1 analyzed, 2 failed), 2026-12-01 07:04 to 07:10 UTC"
assert_line err "memsnap: analyze: vm: 'hosts/leak.tar.zst': no sample at or after 2026-12-01 07:04:00 UTC: the bundle's samples are from 2026-12-01 06:52:21 to 07:02:16 UTC"
assert_line err "memsnap: analyze: (none)/d7e714eb: 'hosts/numa-remote.tar.zst': no sample at or after 2026-12-01 07:04:00 UTC: the bundle's samples are from 2026-12-01 06:59:18 to 07:03:16 UTC"
# the single-host error is the same words
run "$MEMSNAP" analyze -q one/leak.tar.zst --from 2026-12-01T07:04Z
assert_rc 1 "one host"
assert_line err "memsnap: analyze: 'one/leak.tar.zst': no sample at or after 2026-12-01 07:04:00 UTC: the bundle's samples are from 2026-12-01 06:52:21 to 07:02:16 UTC"

# --tz: the fleet's times in that zone, named
run "$MEMSNAP" analyze $NT -q hosts --tz Europe/Berlin --only numa
assert_line out "memsnap fleet: 3 hosts (3 analyzed, 0 failed), 2026-12-01 07:52 to 08:10 CET"
assert_line out "WARNING   numa/node-skew node 1 on 1 of 3 hosts, onset 08:00 CET"

# load --into: each host cut as load alone cuts it (load_info keeps the window)
run "$MEMSNAP" load -q --into fleet.db hosts $W
assert_rc 0 "load --into $W"
for b in leak frag numa-remote; do
	"$MEMSNAP" load -q "one/$b.tar.zst" -o "one/$b.db" $W || fail "load $b $W"
done
label() { "$MEMSNAP" query --csv fleet.db "SELECT label FROM fleet_host WHERE source = 'hosts/$1.tar.zst'" | tail -n 1; }
for b in leak frag numa-remote; do
	for sql in "SELECT window_from, window_to, complete_samples FROM load_info" \
		   "SELECT count(*), min(t), max(t) FROM sample" "SELECT count(*), sum(vm_rss) FROM proc_sample"; do
		"$MEMSNAP" query --csv fleet.db --host "$(label $b)" "$sql" > a || fail "query --host: $sql"
		"$MEMSNAP" query --csv "one/$b.db" "$sql" > b || fail "query $b: $sql"
		cmp -s a b || { diff a b; fail "$b in the fleet database: $sql"; }
	done
done
assert_eq "$("$MEMSNAP" query --csv fleet.db --host vm "SELECT count(*) FROM sample" | tail -n 1)" 24 "vm's samples"

# export: the same windows
run "$MEMSNAP" export -q hosts -o ex $W
assert_rc 0 "export $W"
"$MEMSNAP" export -q fleet.db -o exdb || fail "export fleet.db"
cmp -s ex/system.csv exdb/system.csv || fail "export of the bundles with the window differs from the fleet database's"
assert_eq "$(($(wc -l < ex/system.csv) - 1))" 144 "system rows: 24 + 60 + 60 samples"
# a recording keeps its id whatever the window; the window is in its row
"$MEMSNAP" export -q hosts -o whole || fail "export whole"
cut -d, -f1,2 whole/recording.csv > a
cut -d, -f1,2 ex/recording.csv > b
cmp -s a b || { diff a b; fail "recording ids differ with a window"; }
grep -q '^vm,62d93b51-e860-481c-8d31-9f1a74bef86d@1796107941,.*,1796108001.0088654,1796108121.0088654,1$' ex/recording.csv ||
	fail "vm's recording with its window: $(grep '^vm,' ex/recording.csv)"
grep -q '^vm,.*,\\N,\\N,1$' whole/recording.csv || fail "vm's whole recording has a window: $(grep '^vm,' whole/recording.csv)"

# a database has no window to cut: a usage error, for a fleet's too
for cmd in "analyze fleet.db" "report fleet.db" "export fleet.db -o ex2"; do
	run "$MEMSNAP" $cmd --from +1m
	assert_rc 2 "$cmd --from"
	assert_line err "memsnap: ${cmd%% *}: 'fleet.db' is a database: --from and --to cut what is loaded from a bundle"
done
[ ! -e ex2 ] || fail "export wrote ex2"
exit 0
