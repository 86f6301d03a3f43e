#!/bin/sh
# export: one file per table, 0600, its header the DDL's columns; each
# host's rows as many as its database holds; NDJSON the same rows; the
# export of a fleet database byte for byte the export of its bundles, and
# a single-host database's the rows of its host; every column documented
# in docs/export.md; a bad bundle costs its host only.
. "$SRC/tests/e2e/lib.sh"
# the rules' time limit is wall time: a loaded machine must not turn a
# finding into a timeout
NT="--rule-timeout 1h"
B=$SRC/samples/bundles
mkdir hosts
cp "$B/leak.tar.zst" "$B/numa-remote.tar.zst" "$B/frag.tar.zst" hosts/
echo 'not a bundle' > hosts/bad.tar.zst
ONLY="--only leak,numa,fragmentation/compaction"
run "$MEMSNAP" export $NT hosts -o exp $ONLY
assert_rc 1 "a bundle failed"
assert_line err "memsnap: export: hosts/bad.tar.zst: not a memsnap bundle (no zstd frame at the start)"
grep -q '^memsnap: export: 3 hosts into exp: system 450, node 780, cgroup 1509, process 33390, mapping 6220, finding 10, recording 3 rows (42362 in [0-9.]* s, [0-9]* rows/s)$' err ||
	fail "the summary line: $(cat err)"
[ "$(stat -c %a exp)" = 700 ] || fail "exp is not 0700"
TABLES="system node cgroup process mapping finding recording"
[ "$(ls exp | tr '\n' ' ')" = "cgroup.csv finding.csv mapping.csv node.csv process.csv recording.csv system.csv " ] ||
	fail "files: $(ls exp)"
# the header of each file: the columns of its CREATE TABLE, in order
"$MEMSNAP" export --ddl postgres > pg.sql || fail "--ddl postgres"
for t in $TABLES; do
	[ "$(stat -c %a exp/$t.csv)" = 600 ] || fail "$t.csv is not 0600"
	awk -v t="memsnap_$t" '$0 ~ "^CREATE TABLE IF NOT EXISTS " t " \\(" { s = 1; next } s && /^\)/ { exit }
		s { printf "%s%s", n++ ? "," : "", $1 } END { print "" }' pg.sql > cols
	head -n 1 exp/$t.csv > head
	cmp -s cols head || { diff cols head; fail "$t.csv's header is not its DDL's columns"; }
	# every column is in docs/export.md
	for c in $(tr ',' ' ' < cols); do
		grep -q "| \`$c\` |" "$SRC/docs/export.md" || fail "docs/export.md does not describe $t.$c"
	done
done
# each host's rows: as many as its database holds
count() { grep -c "^$1," "exp/$2.csv"; }
q() { "$MEMSNAP" query --csv "hosts/$1.db" "$2" | tail -n 1; }
for h in "vm leak" "(none)/caadaa11 frag" "(none)/d7e714eb numa-remote"; do
	label=${h% *} db=${h##* }
	[ "$(count "$label" process)" = "$(q $db 'SELECT count(*) FROM proc_sample')" ] || fail "$label: process rows"
	[ "$(count "$label" system)" = "$(q $db 'SELECT count(*) FROM sample')" ] || fail "$label: system rows"
	[ "$(count "$label" node)" = "$(q $db 'SELECT count(*) FROM (SELECT DISTINCT sample, node FROM node_meminfo)')" ] ||
		fail "$label: node rows"
	[ "$(count "$label" cgroup)" = "$(q $db 'SELECT count(*) FROM (SELECT DISTINCT sample, cgroup_id FROM cgroup_value)')" ] ||
		fail "$label: cgroup rows"
	[ "$(count "$label" mapping)" = "$(q $db 'SELECT count(*) FROM mapping')" ] || fail "$label: mapping rows"
	[ "$(count "$label" recording)" = 1 ] || fail "$label: recording rows"
done
[ "$(count vm finding)" = 6 ] || fail "vm's findings: $(count vm finding)"
grep -q '^vm,62d93b51-e860-481c-8d31-9f1a74bef86d@1796107941,leak/process,warning,process,[0-9]* (ms-leak8k),ms-leak8k,' exp/finding.csv ||
	fail "vm's ms-leak8k finding"
grep -q '^vm,62d93b51-e860-481c-8d31-9f1a74bef86d@1796107941,vm,62d93b51-e860-481c-8d31-9f1a74bef86d,6.18.44-fc-v669,x86_64,2,4096,1796107941.0088654,2026-12-01T06:52:21.009Z,' exp/recording.csv ||
	fail "vm's recording: $(grep '^vm,' exp/recording.csv)"

# NDJSON: the same rows, one object a line
run "$MEMSNAP" export $NT -q hosts/leak.tar.zst hosts/frag.tar.zst -o json --format ndjson $ONLY
assert_rc 0 "ndjson"
[ "$(grep -c '^{"host":"vm","recording_id":"62d93b51-e860-481c-8d31-9f1a74bef86d@1796107941","sample":' json/process.ndjson)" = \
  "$(count vm process)" ] || fail "ndjson: vm's process rows"
assert_no_match json/process.ndjson '^[^{]'

# a fleet database of the same bundles: the same files, byte for byte;
# a single-host database: its host's rows
rm hosts/bad.tar.zst
"$MEMSNAP" load -q --into fleet.db hosts || fail "load --into"
run "$MEMSNAP" export $NT -q fleet.db -o from-db $ONLY
assert_rc 0 "export fleet.db"
run "$MEMSNAP" export $NT -q hosts -o again $ONLY
assert_rc 0 "export hosts"
for t in $TABLES; do cmp -s again/$t.csv from-db/$t.csv || fail "$t.csv of fleet.db differs"; done
run "$MEMSNAP" export $NT -q hosts/leak.db -o one $ONLY
assert_rc 0 "export leak.db"
grep "^vm," again/process.csv > a
tail -n +2 one/process.csv > b
cmp -s a b || fail "leak.db's process rows are not vm's"
# a second export into the same directory replaces the files
run "$MEMSNAP" export $NT -q hosts/leak.db -o again $ONLY
assert_rc 0 "again"
cmp -s again/process.csv one/process.csv || fail "the files were not replaced"

# --ddl
"$MEMSNAP" export --ddl clickhouse > ch.sql || fail "--ddl clickhouse"
[ "$(grep -c ' ENGINE = MergeTree ORDER BY (host, recording_id' ch.sql)" = 7 ] || fail "7 MergeTree tables"
assert_line ch.sql "CREATE TABLE IF NOT EXISTS memsnap_system ("
assert_line ch.sql "  t_utc DateTime('UTC'),"
assert_line pg.sql "  t_utc timestamptz NOT NULL,"
# usage
run "$MEMSNAP" export $NT hosts
assert_rc 2 "no -o"
assert_line err "memsnap: export: expected BUNDLE... (or DIR, or DB) and -o DIR"
run "$MEMSNAP" export --ddl clickhouse hosts
assert_rc 2 "--ddl with an input"
run "$MEMSNAP" export --ddl oracle
assert_rc 2 "--ddl oracle"
assert_line err "memsnap: export: --ddl 'oracle': expected clickhouse or postgres"
run "$MEMSNAP" export $NT hosts -o x --format parquet
assert_rc 2 "--format parquet"
assert_line err "memsnap: export: --format 'parquet': expected csv or ndjson"
exit 0
