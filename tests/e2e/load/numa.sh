#!/bin/sh
# The real two-node fixture, collected with --proc-root/--sys-root and loaded: per-node
# pages of the remotely placed process and per-node counters.
. "$SRC/tests/e2e/lib.sh"
"$MEMSNAP" collect --proc-root "$FIXTURES/numa-2node-6.1/t0/proc" --sys-root "$FIXTURES/numa-2node-6.1/t0/sys" -n 2 -i 100ms -q -o n.tar.zst || fail collect
run "$MEMSNAP" load n.tar.zst
assert_rc 0 "load"
q() { "$MEMSNAP" query n.db "$1" --csv | tail -n +2; }
# numa_hog (151) runs on CPU 1 (node 1) but most of its pages are on node 0
assert_eq "$(q "SELECT processor FROM proc_sample ps JOIN process p ON p.id = ps.process_id WHERE p.pid = 151 AND sample = 1")" 1 "processor of 151"
assert_eq "$(q "SELECT node, sum(pages) FROM numa_mapping nm JOIN process p ON p.id = nm.process_id WHERE p.pid = 151 AND sample = 1 GROUP BY node ORDER BY node" | tr '\n' ' ')" \
	"$(awk '{for(i=1;i<=NF;i++) if($i ~ /^N[0-9]+=/){split(substr($i,2),a,"="); s[a[1]]+=a[2]}} END{for(n in s) print n","s[n]}' "$FIXTURES/numa-2node-6.1/t0/proc/151/numa_maps" | sort | tr '\n' ' ')" \
	"pages per node of 151"
assert_eq "$(q "SELECT count(DISTINCT node) FROM numastat WHERE sample = 1")" 2 "numastat nodes"
assert_eq "$(q "SELECT value FROM numastat WHERE sample = 1 AND node = 1 AND key = 'numa_miss'")" \
	"$(awk '$1=="numa_miss"{print $2}' "$FIXTURES/numa-2node-6.1/t0/sys/devices/system/node/node1/numastat")" "node1 numa_miss"
assert_eq "$(q "SELECT value FROM node_meminfo WHERE sample = 1 AND node = 0 AND key = 'MemFree'")" \
	"$(awk '$3=="MemFree:"{print $4*1024}' "$FIXTURES/numa-2node-6.1/t0/sys/devices/system/node/node0/meminfo")" "node0 MemFree"
assert_eq "$(q 'SELECT count(*) FROM load_error')" 0 "load errors"
exit 0
