#!/bin/sh
# The kinds loaded since the kinds table (uptime, loadavg, memory.numa_stat)
# hold what their records said: the two-node fixture collected with --root,
# and the recorded cgroup v2 bundle on two nodes (samples/bundles).
. "$SRC/tests/e2e/lib.sh"
"$MEMSNAP" collect --root "$FIXTURES/numa-2node-6.1/t0" -n 2 -i 100ms -q -o n.tar.zst || fail collect
run "$MEMSNAP" load n.tar.zst
assert_rc 0 "load"
q() { "$MEMSNAP" query "$1" "$2" --csv | tail -n +2; }
# every sample has its row, with the fixture's numbers
assert_eq "$(q n.db 'SELECT count(*), min(up_s), max(idle_s) FROM uptime')" \
	"2,$(awk '{print $1","$2}' "$FIXTURES/numa-2node-6.1/t0/proc/uptime")" "uptime"
assert_eq "$(q n.db 'SELECT load1, load5, load15, runnable, threads, last_pid FROM loadavg WHERE sample = 2')" \
	"$(tr ' /' ',,' < "$FIXTURES/numa-2node-6.1/t0/proc/loadavg")" "loadavg"
assert_eq "$(q n.db 'SELECT count(*) FROM load_error')" 0 "load errors"

# the recorded cgroup v2 bundle: per-node values of each group, in bytes
cp "$SRC/samples/bundles/frag-cgroup2.tar.zst" c.tar.zst
run "$MEMSNAP" load c.tar.zst
assert_rc 0 "load of the recorded bundle"
# ms-grower's memory.numa_stat record of sample 100, as the bundle holds it
tar -I zstd -xOf c.tar.zst 000100/t0 |
	awk '/^@ / { on = $4 ~ /\/ms-jobs\/ms-grower\/memory\.numa_stat$/; next } on' > grower
grep -q '^anon N0=' grower || fail "no ms-grower memory.numa_stat in sample 100"
sql="SELECT n.node, n.value FROM cgroup_numa n JOIN cgroup c ON c.id = n.cgroup_id
     WHERE c.rel = '/ms-jobs/ms-grower' AND n.sample = 100 AND n.key = 'anon' ORDER BY n.node"
assert_eq "$(q c.db "$sql" | tr '\n' ' ')" \
	"$(awk '$1=="anon"{for(i=2;i<=NF;i++){sub("^N","",$i); sub("=",",",$i); printf "%s ", $i}}' grower)" \
	"ms-grower's anon per node in sample 100"
# every group's every line on both nodes, in every sample; no totals in v2
assert_eq "$(q c.db 'SELECT count(*) = 120 * 5 * 27 * 2 FROM cgroup_numa')" 1 "cgroup_numa rows"
assert_eq "$(q c.db "SELECT count(*) FROM cgroup_value WHERE key LIKE 'memory.numa_stat:%'")" 0 "no v2 totals"
# PSI of a group is scoped by its path below the mount
assert_eq "$(q c.db "SELECT count(DISTINCT scope) FROM psi WHERE scope IN (SELECT rel FROM cgroup)")" 5 "cgroup PSI scopes"
assert_eq "$(q c.db 'SELECT count(*) FROM uptime') $(q c.db 'SELECT count(*) FROM loadavg')" "120 120" "uptime and loadavg rows"
assert_eq "$(q c.db 'SELECT count(*) FROM load_error')" 0 "load errors"
exit 0
