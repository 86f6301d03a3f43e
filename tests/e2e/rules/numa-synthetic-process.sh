#!/bin/sh
# numa/process-remote on series made from the real two-node fixture
# (numa-splice.sh; one tree, its sample 12 times 10 s apart): first touch
# with and without NUMA balancing and room, pinned and unpinned, threads, a
# cpuset, interleaving, a memory tier, too few samples.  node-skew finds
# node 0 (under its high watermark) in every case.
. "$SRC/tests/e2e/lib.sh"
NUMA_SPLICE_LIB=1 . "$SRC/tests/e2e/rules/numa-splice.sh"

# --- process-remote ---------------------------------------------------------
# one tree, its sample 12 times, 10 s apart: numa_hog's 12 CPU samples all
# on CPU 1
status_set() { # KEY VALUE: a status line of 151 in tree1
	awk -v k="$1:" -v v="$2" '$1 == k { print k "\t" v; next } { print }' \
		tree1/proc/151/status > st.new && mv st.new tree1/proc/151/status || fail "status"
}
threads() { # N: status Threads and stat field 20 of 151 in tree1
	status_set Threads "$1"
	awk -v n="$1" '{ $20 = n; print }' tree1/proc/151/stat > st.new &&
		mv st.new tree1/proc/151/stat || fail "stat"
}
policy() { # FROM TO: the numa_maps policy column of 151 in tree1
	sed "s/ $1 / $2 /" tree1/proc/151/numa_maps > nm.new && mv nm.new tree1/proc/151/numa_maps ||
		fail "numa_maps"
}
default_policy() { # tree1 afresh, the bound and preferred regions as default policy
	tree 1; policy bind:0 default; policy prefer:0 default
}
PR="process	151 (numa_hog)"
# first touch: the bound and preferred regions as default-policy memory
default_policy
splice p1.tar.zst 10 12 same
analyze p1.tar.zst
expect "first touch, numa_balancing not recorded" "warning	numa/process-remote	$PR" "$SKEW0"
grep -F 'numa/process-remote' out | cut -f8 | grep -qF 'is on node 0, in 12 numa_maps captures: 409 MiB by first touch (default policy).' ||
	fail "process-remote message: $(grep -F 'numa/process-remote' out | cut -f8)"
# the same with automatic NUMA balancing on: it cannot move 409 MiB into the
# 331 MiB node 1 has free, so the finding stays a warning
echo 1 > tree1/proc/sys/kernel/numa_balancing
splice p2.tar.zst 10 12 same
analyze p2.tar.zst
expect "first touch, balancing on, no room" "warning	numa/process-remote	$PR" "$SKEW0"
grep -F 'numa/process-remote' out | cut -f8 | grep -qF 'which automatic NUMA balancing cannot move: node 1 has 331 MiB free' ||
	fail "process-remote message: $(grep -F 'numa/process-remote' out | cut -f8)"
# ... with room (node 1 at 450 MiB free): balancing would have moved pages in
# use, so what it left is not in use: info
sed 's/^Node 1 MemFree: .*/Node 1 MemFree:          460800 kB/' "$N/node1/meminfo" \
	> tree1/sys/devices/system/node/node1/meminfo
splice p3.tar.zst 10 12 same
analyze p3.tar.zst
expect "first touch, balancing on, room" "info	numa/process-remote	$PR" "$SKEW0"
grep -F 'numa/process-remote' out | cut -f8 | grep -qF 'which automatic NUMA balancing left there (0 pages migrated system-wide) although node 1 has room: probably not in use.' ||
	fail "process-remote message: $(grep -F 'numa/process-remote' out | cut -f8)"
# unpinned (Cpus_allowed_list 0-1) and single-threaded: the CPU samples say node 1
default_policy
status_set Cpus_allowed_list 0-1
splice p4.tar.zst 10 12 same
analyze p4.tar.zst
expect "unpinned, one thread" "warning	numa/process-remote	$PR" "$SKEW0"
grep -F 'numa/process-remote' out | cut -f8 | grep -qF '151 (numa_hog) runs on node 1 (at least 100 % of 12 CPU samples) while 409 MiB' ||
	fail "process-remote message: $(grep -F 'numa/process-remote' out | cut -f8)"
# ... with four threads: stat's processor is only the main thread's: nothing
threads 4
splice p5.tar.zst 10 12 same
analyze p5.tar.zst
expect "unpinned, four threads" "$SKEW0"
assert_eq "$("$MEMSNAP" query p5.db 'SELECT DISTINCT threads FROM proc_sample ps JOIN process p ON p.id = ps.process_id WHERE p.pid = 151' --csv | tail -n +2)" 4 "threads of 151"
# a cpuset that allows memory only on node 0 while the CPUs are on node 1: info
default_policy
status_set Mems_allowed_list 0
splice p6.tar.zst 10 12 same
analyze p6.tar.zst
expect "cpuset" "info	numa/process-remote	$PR" "$SKEW0"
grep -F 'numa/process-remote' out | cut -f8 | grep -qF ': its cpuset allows memory only on node(s) 0 (Mems_allowed_list), a configuration.' ||
	fail "process-remote message: $(grep -F 'numa/process-remote' out | cut -f8)"
# interleaved memory is left out: the rest is local
tree 1
policy bind:0 interleave:0-1
policy prefer:0 interleave:0-1
splice p7.tar.zst 10 12 same
analyze p7.tar.zst
expect "interleave" "$SKEW0"
# a third node without CPUs (a memory tier), 99 % used, holding the 300 MiB
# of the bound region: its pages are left out, and the rest (109 MiB on
# node 0, 142 MiB on node 1) is mostly local: nothing (counted, 74 % would
# be away); the tier is not compared by node-skew either (it would be full)
default_policy
mkdir tree1/sys/devices/system/node/node2 || fail "mkdir node2"
: > tree1/sys/devices/system/node/node2/cpulist
echo "20 20 10" > tree1/sys/devices/system/node/node2/distance
sed -e 's/^Node 1 /Node 2 /' -e 's/^Node 2 MemFree: .*/Node 2 MemFree:            5000 kB/' \
	"$N/node1/meminfo" > tree1/sys/devices/system/node/node2/meminfo
cp "$N/node1/numastat" tree1/sys/devices/system/node/node2/numastat
sed 's/ N0=76800 / N2=76800 /' tree1/proc/151/numa_maps > nm.new && mv nm.new tree1/proc/151/numa_maps
splice p9.tar.zst 10 12 same
analyze p9.tar.zst
expect "memory tier" "$SKEW0"
assert_eq "$("$MEMSNAP" query p9.db 'SELECT count(DISTINCT node) FROM node_meminfo' --csv | tail -n +2)" 3 "nodes in p9"
assert_eq "$("$MEMSNAP" query p9.db 'SELECT sum(pages) FROM numa_mapping WHERE node = 2 AND sample = 1' --csv | tail -n +2)" 76800 "pages on node 2"
# nine samples: fewer CPU samples than min_samples (10)
default_policy
splice p8.tar.zst 10 9 same
analyze p8.tar.zst
expect "nine samples" "$SKEW0"
exit 0
