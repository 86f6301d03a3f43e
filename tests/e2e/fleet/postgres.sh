#!/bin/sh
# The export in PostgreSQL 15 (Debian's), started here by its own user on a
# Unix socket in the scratch directory (no TCP): the tables of --ddl
# postgres, the CSV files loaded with \copy (NULL '\N'), every table's row
# count the export's, per-host sums what `memsnap query` says, and the
# growth query the fleet summary's answer.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/fleet/growth.lib"
NT="--rule-timeout 1h"
PG=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PG/initdb" ] || skip "no PostgreSQL server (sh .ci/install-deps test installs postgresql-15)"
command -v psql >/dev/null || skip "no psql"
[ "$(id -u)" = 0 ] || skip "PostgreSQL is started by its own user: needs root"
id postgres >/dev/null 2>&1 || skip "no postgres user"
B=$SRC/samples/bundles
mkdir hosts pg
cp "$B/leak.tar.zst" "$B/numa-remote.tar.zst" "$B/frag.tar.zst" hosts/
chown postgres pg
as_pg() { su postgres -s /bin/sh -c "$*"; }
as_pg "$PG/initdb -D $SCRATCH/pg/data -A trust -U postgres" > pg.log 2>&1 || { cat pg.log; fail "initdb"; }
as_pg "$PG/pg_ctl -D $SCRATCH/pg/data -o \"-k $SCRATCH/pg -c listen_addresses=''\" -l $SCRATCH/pg/log -w start" \
	>> pg.log 2>&1 || { cat pg.log pg/log; fail "pg_ctl start"; }
stop() { as_pg "$PG/pg_ctl -D $SCRATCH/pg/data -m immediate stop" >/dev/null 2>&1; }
trap 'stop; cleanup' EXIT
P="psql -X -q -A -t -h $SCRATCH/pg -U postgres -v ON_ERROR_STOP=1"
$P -c "CREATE DATABASE ms" || fail "create database"

ONLY="--only leak,numa,fragmentation/compaction"
run "$MEMSNAP" export $NT hosts -o csv $ONLY
assert_rc 0 "export"
"$MEMSNAP" export --ddl postgres | $P -d ms || fail "the DDL in PostgreSQL"
for t in system node cgroup process mapping finding recording; do
	$P -d ms -c "\\copy memsnap_$t FROM 'csv/$t.csv' WITH (FORMAT csv, HEADER true, NULL '\\N')" ||
		fail "\\copy $t"
done
set -- $(sed -n 's/.*into csv: \(.*\) rows (.*/\1/p' err | tr -d ',')
[ $# = 14 ] || fail "the export's counts: $(cat err)"
while [ $# -ge 2 ]; do
	[ "$($P -d ms -c "SELECT count(*) FROM memsnap_$1")" = "$2" ] || fail "memsnap_$1: not $2 rows"
	shift 2
done
for h in "vm leak" "(none)/caadaa11 frag" "(none)/d7e714eb numa-remote"; do
	label=${h% *} db=${h##* }
	a=$($P -d ms -F, -c "SELECT count(*), sum(vm_rss_bytes), sum(anon_total_bytes) FROM memsnap_process WHERE host = '$label'")
	b=$("$MEMSNAP" query --csv "hosts/$db.db" "SELECT count(*), sum(vm_rss), sum(rss_anon + coalesce(vm_swap, 0)) FROM proc_sample" | tail -n 1)
	[ "$a" = "$b" ] || fail "$label: process sums '$a' in PostgreSQL, '$b' in memsnap"
	a=$($P -d ms -F, -c "SELECT count(*), sum(size_bytes) FROM memsnap_mapping WHERE host = '$label'")
	b=$("$MEMSNAP" query --csv "hosts/$db.db" "SELECT count(*), sum(size) FROM mapping" | tail -n 1)
	[ "$a" = "$b" ] || fail "$label: mapping sums '$a' in PostgreSQL, '$b' in memsnap"
done
# the growth query of docs/export.md, and the fleet summary's
$P -d ms -F "$(printf '\t')" -c "SELECT host, g, pid, comm FROM (SELECT DISTINCT ON (host) host, g, pid, comm FROM (
      SELECT host, pid, comm, last_value(anon_total_bytes) OVER w - first_value(anon_total_bytes) OVER w AS g,
             count(*) OVER w AS n
      FROM memsnap_process WHERE anon_total_bytes IS NOT NULL
      WINDOW w AS (PARTITION BY host, recording_id, pid, starttime_ticks ORDER BY sample
                   ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) p
    WHERE n > 1 ORDER BY host, g DESC, pid) q ORDER BY g DESC, host" > got
growth_check PostgreSQL got $NT -q hosts $ONLY
exit 0
