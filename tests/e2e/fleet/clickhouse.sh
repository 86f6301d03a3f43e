#!/bin/sh
# The export in a real engine: Debian's clickhouse-server, started here on
# the loopback address with its data in the scratch directory.  The export
# of three sample bundles goes into MergeTree tables made by --ddl
# clickhouse, the CSV files into one database and the NDJSON files into
# another; then every table's row count is the export's, per-host sums are
# what `memsnap query` says on each host's database, both databases agree,
# and the fleet query (the hosts whose process anon memory grew the most)
# gives the fleet summary's answer.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/fleet/growth.lib"
# the rules' time limit is wall time: a loaded machine must not turn a
# finding into a timeout
NT="--rule-timeout 1h"
for t in clickhouse-server clickhouse-client; do
	command -v $t >/dev/null || skip "$t is missing (sh .ci/install-deps test installs it)"
done
B=$SRC/samples/bundles
mkdir hosts
cp "$B/leak.tar.zst" "$B/numa-remote.tar.zst" "$B/frag.tar.zst" hosts/

# two free ports on 127.0.0.1 (one for the native protocol, one for HTTP)
free_port() {
	while :; do
		p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000 ))
		h=$(printf '%04X' "$p")
		grep -qi ":$h " /proc/net/tcp /proc/net/tcp6 2>/dev/null || { echo "$p"; return; }
	done
}
TCP=$(free_port)
HTTP=$(free_port)
[ "$TCP" != "$HTTP" ] || HTTP=$((TCP + 1))
mkdir -p ch/data ch/tmp ch/user_files ch/format_schemas ch/log
cat > ch/config.xml <<X
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$SCRATCH/ch/log/server.log</log>
    <errorlog>$SCRATCH/ch/log/error.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>$TCP</tcp_port>
  <http_port>$HTTP</http_port>
  <path>$SCRATCH/ch/data/</path>
  <tmp_path>$SCRATCH/ch/tmp/</tmp_path>
  <user_files_path>$SCRATCH/ch/user_files/</user_files_path>
  <format_schema_path>$SCRATCH/ch/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
</yandex>
X
cat > ch/users.xml <<X
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
X
clickhouse-server --config-file="$SCRATCH/ch/config.xml" > ch/log/stdout 2>&1 &
track $!
CH="clickhouse-client --host 127.0.0.1 --port $TCP"
up() { $CH -q 'SELECT 1' >/dev/null 2>&1; }
wait_for 60 up
$CH -q "SELECT version()" > version || fail "no version"

ONLY="--only leak,numa,fragmentation/compaction"
run "$MEMSNAP" export $NT hosts -o csv $ONLY
assert_rc 0 "export csv"
sed -n 's/.*into csv: \(.*\) rows (.*/\1/p' err | tr -d ',' > counts   # "system 450 node 780 ..."
[ -s counts ] || fail "no counts: $(cat err)"
run "$MEMSNAP" export $NT -q hosts -o json --format ndjson $ONLY
assert_rc 0 "export ndjson"
TABLES="system node cgroup process mapping finding recording"
for db in c j; do
	$CH -q "CREATE DATABASE $db" || fail "create database $db"
	"$MEMSNAP" export --ddl clickhouse | $CH -d $db --multiquery || fail "the DDL in ClickHouse"
done
for t in $TABLES; do
	$CH -d c --date_time_input_format=best_effort -q "INSERT INTO memsnap_$t FORMAT CSVWithNames" \
		< csv/$t.csv || fail "CSV $t into ClickHouse"
	$CH -d j --date_time_input_format=best_effort -q "INSERT INTO memsnap_$t FORMAT JSONEachRow" \
		< json/$t.ndjson || fail "NDJSON $t into ClickHouse"
done
# row counts: the export's
set -- $(cat counts)
while [ $# -ge 2 ]; do
	for db in c j; do
		got=$($CH -d $db -q "SELECT count() FROM memsnap_$1")
		[ "$got" = "$2" ] || fail "$db.memsnap_$1: $got rows, the export wrote $2"
	done
	shift 2
done
# per-host sums: memsnap query on each host's database
check() { # LABEL DB CH_SQL MEMSNAP_SQL
	a=$($CH -d c -q "$3 WHERE host = '$1'")
	b=$($CH -d j -q "$3 WHERE host = '$1'")
	m=$("$MEMSNAP" query --csv "hosts/$2.db" "$4" | tail -n 1 | tr ',' '\t')
	[ "$a" = "$m" ] || fail "$1: '$3' is '$a' in ClickHouse, '$m' in memsnap"
	[ "$a" = "$b" ] || fail "$1: '$3': CSV '$a', NDJSON '$b'"
}
for h in "vm leak" "(none)/caadaa11 frag" "(none)/d7e714eb numa-remote"; do
	label=${h% *} db=${h##* }
	check "$label" $db "SELECT count(), sum(vm_rss_bytes), sum(anon_total_bytes), sum(majflt) FROM memsnap_process" \
		"SELECT count(*), sum(vm_rss), sum(rss_anon + coalesce(vm_swap, 0)), sum(majflt) FROM proc_sample"
	check "$label" $db "SELECT sum(mem_total_bytes), sum(mem_available_bytes), min(t_utc) FROM memsnap_system" \
		"SELECT sum(mem_total_bytes), sum(mem_available_bytes), replace(substr(min(t_utc), 1, 19), 'T', ' ') FROM mem"
	check "$label" $db "SELECT count(), sum(size_bytes), sum(private_dirty_bytes) FROM memsnap_mapping" \
		"SELECT count(*), sum(size), sum(private_dirty) FROM mapping"
	check "$label" $db "SELECT count(), sum(anon_bytes) FROM memsnap_cgroup" \
		"SELECT count(*), sum(anon) FROM (SELECT max(CASE WHEN key IN ('memory.stat:anon', 'memory.stat:rss') THEN value END) AS anon FROM cgroup_value GROUP BY cgroup_id, sample)"
	check "$label" $db "SELECT samples, processes FROM memsnap_recording" \
		"SELECT (SELECT count(*) FROM sample), (SELECT count(*) FROM process)"
done
# the findings: as many per host as analyze reports
"$MEMSNAP" analyze $NT -q hosts --format tsv $ONLY |
	awk -F'\t' 'NR > 1 && $2 ~ /^(critical|warning|info)$/ { print $1 }' | sort | uniq -c | sed 's/^ *//' > want
$CH -d c -q "SELECT count(), host FROM memsnap_finding GROUP BY host ORDER BY host" | tr '\t' ' ' > got
cmp -s want got || { diff want got; fail "findings per host"; }

# the fleet query: the hosts whose process anon memory grew the most, and
# the process on each, as the fleet summary's JSON says (hosts[].growth)
$CH -d c -q "
SELECT host, max(g) AS growth_bytes, tupleElement(argMax(tuple(pid, comm), tuple(g, -pid)), 1),
       tupleElement(argMax(tuple(pid, comm), tuple(g, -pid)), 2)
FROM (SELECT host, recording_id, pid, starttime_ticks, any(comm) AS comm,
             argMax(assumeNotNull(anon_total_bytes), sample) - argMin(assumeNotNull(anon_total_bytes), sample) AS g
      FROM memsnap_process WHERE isNotNull(anon_total_bytes)
      GROUP BY host, recording_id, pid, starttime_ticks HAVING count() > 1)
GROUP BY host ORDER BY growth_bytes DESC, host" > got
growth_check ClickHouse got $NT -q hosts $ONLY
exit 0
