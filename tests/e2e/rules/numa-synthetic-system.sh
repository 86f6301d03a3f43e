#!/bin/sh
# numa/zone-reclaim and numa/remote-alloc on series made from the real
# two-node fixture (numa-splice.sh): what the VM recordings cannot show —
# zone_reclaim_mode on, interleaving, slow and reset counters — and the cases
# that must stay silent next to each one.  node-skew finds node 0 (under its
# high watermark for the whole series) in every case.
. "$SRC/tests/e2e/lib.sh"
NUMA_SPLICE_LIB=1 . "$SRC/tests/e2e/rules/numa-splice.sh"

# --- zone-reclaim -----------------------------------------------------------
# zone_reclaim_mode 1 and node reclaim failing in every interval: 8 samples
# 10 s apart (70 s); node 0 full, node 1 66 % free
for i in 1 2 3 4 5 6 7 8; do
	tree $i
	echo 1 > "tree$i/proc/sys/vm/zone_reclaim_mode"
	counter "tree$i/proc/vmstat" zone_reclaim_failed $((i * 50))
done
splice zr.tar.zst 10 8
analyze zr.tar.zst
expect "zone reclaim" "warning	numa/zone-reclaim	node	node 0" "$SKEW0"
grep -F 'numa/zone-reclaim' out | cut -f8 | grep -qF "zone_reclaim_mode is 1 and node 0 was full (down to 6.5 % free) for 70 s while node 1 had 66 % free: the kernel tried to reclaim node 0's own memory 350 times (350 failed) instead of using the free memory." ||
	fail "zone-reclaim message: $(grep -F 'numa/zone-reclaim' out | cut -f8)"
# reclaim in only 2 of the 7 intervals: not sustained
for i in 1 2 3 4 5 6 7 8; do
	counter "tree$i/proc/vmstat" zone_reclaim_failed $((i > 6 ? 100 : 0))
done
splice zr2.tar.zst 10 8
analyze zr2.tar.zst
expect "zone reclaim in 2 intervals" "$SKEW0"
# the mode on, no reclaim: nothing (the mode alone is not a finding)
for i in 1 2 3 4 5 6 7 8; do counter "tree$i/proc/vmstat" zone_reclaim_failed 0; done
splice zr3.tar.zst 10 8
analyze zr3.tar.zst
expect "zone_reclaim_mode 1, no reclaim" "$SKEW0"
# reclaim counted but the mode 0: nothing
for i in 1 2 3 4 5 6 7 8; do
	echo 0 > "tree$i/proc/sys/vm/zone_reclaim_mode"
	counter "tree$i/proc/vmstat" zone_reclaim_failed $((i * 50))
done
splice zr4.tar.zst 10 8
analyze zr4.tar.zst
expect "zone_reclaim_mode 0" "$SKEW0"

# --- remote-alloc -----------------------------------------------------------
# per 10 s interval: node 0 serves 20000 pages locally, node 1 serves 10000
# to CPUs of node 0 (other_node) of which 6000 preferred node 0 (numa_miss
# on node 1, numa_foreign on node 0): 3000 pages/s, a third remote
alloc() { # I INTERLEAVE_PER_INTERVAL LOCAL_PER_INTERVAL
	f0=tree$1/sys/devices/system/node/node0/numastat
	f1=tree$1/sys/devices/system/node/node1/numastat
	counter "$f0" numa_hit $((111508 + $1 * $3))
	counter "$f0" local_node $((6344 + $1 * $3))
	counter "$f0" numa_foreign $((38628 + $1 * 6000))
	counter "$f0" interleave_hit $((392 + $1 * $2))
	counter "$f1" numa_hit $((7767 + $1 * 4000))
	counter "$f1" numa_miss $((38800 + $1 * 6000))
	counter "$f1" other_node $((3715 + $1 * 10000))
	counter "$f1" interleave_hit $((222 + $1 * $2))
}
for i in 1 2 3 4 5 6 7 8; do tree $i; alloc $i 0 20000; done
splice ra.tar.zst 10 8
analyze ra.tar.zst
expect "remote allocations" "warning	numa/remote-alloc	system	system" "$SKEW0"
grep -F 'numa/remote-alloc' out | cut -f8 | grep -qxF '33 % of page allocations were served by a node other than the allocating CPU'"'"'s, at 3000 pages/s in all, for 70 s (1 episode); node 0 collected 100 % of numa_foreign (600 pages/s that preferred it went elsewhere): it is full.' ||
	fail "remote-alloc message: $(grep -F 'numa/remote-alloc' out | cut -f8)"
# the same with interleave_hit at 60 % of numa_hit on each node: intended
for i in 1 2 3 4 5 6 7 8; do tree $i; alloc $i 14400 20000; done
splice ra2.tar.zst 10 8
analyze ra2.tar.zst
expect "interleaved allocations" "$SKEW0"
# 20000 + 10000 pages in 100 s intervals: 300 pages/s, too slow to matter
for i in 1 2 3 4 5 6 7 8; do tree $i; alloc $i 0 20000; done
splice ra3.tar.zst 100 8
analyze ra3.tar.zst
expect "slow remote allocations" "$SKEW0"
# a counter reset (a wrapped or restarted node) breaks the episode: 30 s left
for i in 1 2 3 4 5 6 7 8; do tree $i; alloc $i 0 20000; done
counter tree5/sys/devices/system/node/node1/numastat other_node 0
splice ra4.tar.zst 10 8
analyze ra4.tar.zst
expect "remote allocations with a reset" "$SKEW0"

exit 0
