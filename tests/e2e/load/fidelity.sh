#!/bin/sh
# Every value loads exactly, in order, and a line that cannot be parsed
# costs that line (docs/schema.md, "Numbers above 2^63"), on real texts of
# tests/fixtures/kernels put in a bundle's records:
#  - a meminfo that opens with the 2.4-style summary (gopsutil's issue
#    1002): its three odd lines are load_error rows, its 39 others load;
#  - cgroup v1 limits of 2^64-1 (PCP's cgroups-root-002, a 3.12-3.18
#    kernel's "unlimited"): REALs above every real limit, the digits in
#    exact_value, no limit for the rules;
#  - [vsyscall] at ffffffffff600000 in a 5.5.7 smaps (PCP): it sorts after
#    every other mapping, its size is exact, fmt_hex() prints it;
#  - a vmstat counter of 2^64-1: no public capture has one, so this is a
#    HOSTILE INPUT, an edited copy of the real
#    4.13-ubuntu17.10/proc/vmstat whose one line nr_isolated_anon is set
#    to 18446744073709551615 (a count below zero printed unsigned) in
#    sample 2 only: the rate view gives NULL into and out of it.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
K=$FIXTURES/kernels
V1=$K/unstated-pcp-cgroups-root-002/sys/fs/cgroup/memory
P=$K/5.5.7-pcp/proc/1
q() { "$MEMSNAP" query "$1" "$2" --csv | tail -n +2; }

bundle_header
echo 'cgroup_v1_memory /sys/fs/cgroup/memory' >> m/memsnap.header
sed 's/^nr_isolated_anon 0$/nr_isolated_anon 18446744073709551615/' \
	"$K/4.13-ubuntu17.10/proc/vmstat" > vmstat.edited
assert_eq "$(diff "$K/4.13-ubuntu17.10/proc/vmstat" vmstat.edited | grep -c '^[<>]')" 2 \
	"one line edited"
for n in 1 2 3; do
	s=$(printf %06d $n)
	vm=$K/4.13-ubuntu17.10/proc/vmstat
	[ $n = 2 ] && vm=vmstat.edited
	add_record $s/t0 ok /proc/vmstat "$vm"
	add_record $s/t0 ok /proc/meminfo "$K/unstated-gopsutil-issue1002/proc/meminfo"
	for f in stat statm status; do add_record $s/t0 ok /proc/1/$f "$P/$f"; done
	for f in memory.limit_in_bytes memory.memsw.limit_in_bytes memory.usage_in_bytes memory.stat; do
		add_record $s/t0 ok /sys/fs/cgroup/memory/$f "$V1/$f"
	done
	add_record $s/t2 ok /proc/1/smaps "$P/smaps"
	sample_meta $n "$((1767225600 + 10 * n)).0" "$((100 + 10 * n)).0"
done
mk_bundle b.tar.zst memsnap.header 000001/t0 000001/t2 000001/meta 000002/t0 000002/t2 \
	000002/meta 000003/t0 000003/t2 000003/meta
run "$MEMSNAP" load b.tar.zst
assert_rc 0 "load"

# the meminfo's odd lines cost themselves, not the 39 lines after them
assert_eq "$(q b.db "SELECT message FROM load_error WHERE sample = 1 ORDER BY rowid" | tr '\n' '|')" \
	"\"meminfo:1: expected a number after 'total', got 'used:    free:  shared: buffers:  cached:'\"|meminfo:2: unexpected text after the value of 'Mem': '260579328 136073216 124506112        0  4915200 94064640'|meminfo:3: unexpected text after the value of 'Swap': '0        0        0'|" \
	"meminfo's load errors"
assert_eq "$(q b.db 'SELECT count(*) FROM load_error')" 9 "load errors: three lines a sample"
assert_eq "$(q b.db "SELECT count(*), sum(key = 'MemAvailable') FROM meminfo WHERE sample = 3")" \
	"39,1" "meminfo rows"

# the v1 "unlimited" of 2^64-1: a REAL, above 2^62, its digits kept
lim="SELECT typeof(value), value >= 4611686018427387904, unlimited FROM cgroup_value"
assert_eq "$(q b.db "$lim WHERE key = 'memory.limit_in_bytes' AND sample = 1")" "real,1,0" "limit"
assert_eq "$(q b.db "$lim WHERE key = 'memory.stat:hierarchical_memory_limit' AND sample = 1")" \
	"real,1,0" "hierarchical_memory_limit"
assert_eq "$(q b.db "SELECT path, line, tbl, col, key, value FROM exact_value WHERE sample = 1 AND tbl = 'cgroup_value' ORDER BY path, line" | tr '\n' '|')" \
	"/sys/fs/cgroup/memory/memory.limit_in_bytes,1,cgroup_value,value,memory.limit_in_bytes,18446744073709551615|/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes,1,cgroup_value,value,memory.memsw.limit_in_bytes,18446744073709551615|/sys/fs/cgroup/memory/memory.stat,16,cgroup_value,value,memory.stat:hierarchical_memory_limit,18446744073709551615|/sys/fs/cgroup/memory/memory.stat,17,cgroup_value,value,memory.stat:hierarchical_memsw_limit,18446744073709551615|" \
	"exact_value of the limits"
assert_eq "$(q b.db "SELECT count(*) FROM cgroup_value WHERE key LIKE '%limit%' AND value < 4611686018427387904")" \
	0 "no limit below 2^62"
assert_eq "$(q b.db "SELECT value FROM cgroup_value WHERE key = 'memory.usage_in_bytes' AND sample = 1")" \
	"$(cat "$V1/memory.usage_in_bytes")" "usage"

# [vsyscall] in the upper half: last in address order, exact, in hex
maps=$(grep -c '^[0-9a-f]*-' "$P/smaps")
assert_eq "$(q b.db "SELECT count(*), count(DISTINCT start) FROM mapping WHERE sample = 2")" \
	"$maps,$maps" "mappings"
assert_eq "$(q b.db "SELECT path, fmt_hex(start), fmt_hex(\"end\"), \"end\" - start, typeof(start) FROM mapping WHERE sample = 2 ORDER BY start DESC LIMIT 1")" \
	"[vsyscall],ffffffffff600000,ffffffffff601000,4096.0,real" "the highest mapping"
assert_eq "$(q b.db "SELECT count(*) FROM mapping WHERE sample = 2 AND start > 0x7fffffffffff")" 1 \
	"mappings above the lower half"
assert_eq "$(q b.db "SELECT count(*) FROM exact_value WHERE tbl = 'mapping'")" 0 \
	"addresses are exact as REALs"

# the hostile vmstat counter: a REAL, its digits kept, no rate through it
assert_eq "$(q b.db "SELECT sample, typeof(value) FROM vmstat WHERE key = 'nr_isolated_anon' ORDER BY sample" | tr '\n' ' ')" \
	"1,integer 2,real 3,integer " "nr_isolated_anon"
assert_eq "$(q b.db "SELECT sample, path, line, key, value FROM exact_value WHERE tbl = 'vmstat'")" \
	"2,/proc/vmstat,27,nr_isolated_anon,18446744073709551615" "exact_value of the counter"
assert_eq "$(q b.db "SELECT sample, per_s IS NULL, delta IS NULL FROM vmstat_rate WHERE key = 'nr_isolated_anon' ORDER BY sample" | tr '\n' ' ')" \
	"2,1,1 3,1,1 " "no rate through it"
assert_eq "$(q b.db "SELECT count(*) FROM vmstat_rate WHERE sample = 3 AND per_s IS NOT NULL")" \
	"$(($(grep -c '' "$K/4.13-ubuntu17.10/proc/vmstat") - 1))" "the other counters' rates"
run "$MEMSNAP" analyze b.tar.zst
assert_rc 0 "analyze"
exit 0
