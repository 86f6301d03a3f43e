#!/bin/sh
# load --into DB: hosts added to one database (host_id on every table),
# a host loaded again replaced, not added; analyze on DB says what analyze
# on the bundles says; query --host shows a host's tables and views as its
# own database does; the database is 0600.
. "$SRC/tests/e2e/lib.sh"
# the rules' time limit is wall time: a loaded machine must not turn a
# finding into a timeout
NT="--rule-timeout 1h"
B=$SRC/samples/bundles
mkdir hosts
cp "$B/leak.tar.zst" "$B/numa-remote.tar.zst" "$B/frag.tar.zst" hosts/
run "$MEMSNAP" load --into fleet.db hosts/leak.tar.zst hosts/numa-remote.tar.zst
assert_rc 0 "load --into"
assert_line err "memsnap: load: 2 hosts into fleet.db (2 added, 0 replaced)"
[ "$(stat -c %a fleet.db)" = 600 ] || fail "fleet.db is not 0600"
run "$MEMSNAP" load -q --into fleet.db hosts
assert_rc 0 "the directory"
run "$MEMSNAP" load --into fleet.db -j 1 hosts/leak.tar.zst
assert_line err "memsnap: load: 1 host into fleet.db (0 added, 1 replaced)"
run "$MEMSNAP" query --csv fleet.db "SELECT label, hostname, source, samples FROM fleet_host ORDER BY label"
assert_rc 0 "fleet_host"
cat > want <<'W'
label,hostname,source,samples
(none),(none),hosts/numa-remote.tar.zst,120
(none)/caadaa11,(none),hosts/frag.tar.zst,210
vm,vm,hosts/leak.tar.zst,120
W
cmp -s want out || { diff want out; fail "fleet_host"; }
# (a host keeps the label it was given when added: numa-remote's "(none)"
# was the only one then)
# every table has a host_id; a host's rows are its own database's
for sql in "SELECT count(*), sum(vm_rss) FROM proc_sample" "SELECT count(*), sum(value) FROM meminfo" \
	   "SELECT count(*), sum(size) FROM mapping" "SELECT count(*) FROM sample" \
	   "SELECT count(*), sum(anon_total_bytes) FROM proc_series" "SELECT sum(stall_share) FROM psi_rate"; do
	"$MEMSNAP" query --csv fleet.db --host vm "$sql" > a || fail "query --host: $sql"
	"$MEMSNAP" query --csv hosts/leak.db "$sql" > b || fail "query: $sql"
	cmp -s a b || { diff a b; fail "host vm differs from its database: $sql"; }
done
run "$MEMSNAP" query --csv fleet.db "SELECT host_id, count(*) FROM sample GROUP BY host_id ORDER BY host_id"
assert_rc 0 "host_id"
[ "$(tr '\n' ' ' < out)" = "host_id,count(*) 1,120 2,120 3,210 " ] || fail "samples by host: $(cat out)"
# no view without --host: the tables of every host are there
run "$MEMSNAP" query fleet.db "SELECT count(*) FROM proc_series"
assert_rc 1 "a view without --host"
run "$MEMSNAP" query fleet.db --host nope "SELECT 1"
assert_rc 1 "--host nope"
assert_line err "memsnap: query: 'fleet.db': --host: no host 'nope' (the hosts: (none), (none)/caadaa11, vm)"
run "$MEMSNAP" query hosts/leak.db --host vm "SELECT 1"
assert_rc 1 "--host on a single-host database"
assert_line err "memsnap: query: 'hosts/leak.db': --host: not a fleet database (no fleet_host table)"
# the rules on a database of the three hosts: what they say on the bundles
ONLY="--only leak,numa,fragmentation/compaction"
"$MEMSNAP" load -q --into all.db hosts || fail "all.db"
run "$MEMSNAP" analyze $NT -q all.db $ONLY
assert_rc 0 "analyze fleet.db"
cp out from-db
run "$MEMSNAP" analyze $NT -q hosts $ONLY
assert_rc 0 "analyze hosts"
cmp -s from-db out || { diff from-db out; fail "analyze of all.db is not analyze of the bundles"; }
# usage and refusals
run "$MEMSNAP" load --into fleet.db -o x.db hosts/leak.tar.zst
assert_rc 2 "-o and --into"
assert_line err "memsnap: load: -o and --into: choose one"
run "$MEMSNAP" load --into hosts/leak.db hosts/frag.tar.zst
assert_rc 1 "--into a single-host database"
assert_line err "memsnap: load: 'hosts/leak.db': not a fleet database (no fleet_host table)"
echo 'not a bundle' > bad.tar.zst
run "$MEMSNAP" load --into fleet.db bad.tar.zst hosts/frag.tar.zst
assert_rc 1 "a bad bundle"
assert_line err "memsnap: load: 1 host into fleet.db (0 added, 1 replaced)"
assert_line err "memsnap: load: bad.tar.zst: not a memsnap bundle (no zstd frame at the start)"
exit 0
