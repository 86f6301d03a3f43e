#!/bin/sh
# numa/ rules on time series made from the real two-node fixture
# (tests/fixtures/numa-2node-6.1/t0): for each sample a copy of the tree is
# changed the way the case needs (counters that rise, a sysctl, a policy
# column), collected with --root (one sample, every tier), and the samples
# are spliced into one bundle STEP seconds apart (sample numbers and clocks
# in each meta rewritten; the records are the collector's own).  This covers
# what the VM recordings cannot: zone_reclaim_mode on, interleaving, first
# touch without NUMA balancing, cpusets, threads, and the cases that must
# stay silent next to each one.
#
# The fixture itself: PID 151 (numa_hog) pinned to CPU 1 (node 1), 409 MiB
# of its 551 MiB anonymous memory on node 0 by bind:0 and prefer:0; node 0
# under its high watermark (6.5 % free), node 1 66 % free.
. "$SRC/tests/e2e/lib.sh"
FX=$FIXTURES/numa-2node-6.1/t0
[ -d "$FX/proc" ] || fail "fixture $FX is missing"
N=$FX/sys/devices/system/node

# tree K: a copy of the fixture for sample K
tree() { rm -rf "tree$1" && cp -R "$FX" "tree$1" || fail "copy the fixture"; }
# counter FILE KEY VALUE: set "KEY N" lines (vmstat, numastat)
counter() {
	awk -v k="$2" -v v="$3" '$1 == k { $2 = v } { print }' "$1" > "$1.new" && mv "$1.new" "$1" ||
		fail "set $2 in $1"
}

# splice OUT STEP K [same]: samples tree1..treeK, STEP seconds apart, into
# OUT; with "same", K copies of tree1's sample (a series that does not move)
splice() {
	out=$1 step=$2 k=$3 same=${4:-}
	rm -rf sp && mkdir sp sp/out || fail "mkdir sp"
	i=0
	while [ $i -lt "$k" ]; do
		i=$((i + 1))
		if [ -n "$same" ] && [ $i -gt 1 ]; then
			cp -R sp/1 "sp/$i" && cp sp/1.tar.zst "sp/$i.tar.zst" || fail "copy sample 1"
			continue
		fi
		"$MEMSNAP" collect --root "tree$i" -n 1 -i 100ms --cpu-budget 100 -q -o "sp/$i.tar.zst" ||
			fail "collect tree$i"
		mkdir "sp/$i" && tar --zstd -xf "sp/$i.tar.zst" -C "sp/$i" || fail "extract sample $i"
	done
	cp sp/1/memsnap.header sp/out/ || fail "header"
	list=memsnap.header
	w0=$(sed -n 's/^wall //p' sp/1/000001/meta)
	m0=$(sed -n 's/^mono //p' sp/1/000001/meta)
	i=0
	while [ $i -lt "$k" ]; do
		i=$((i + 1))
		s=$(printf '%06d' $i)
		mkdir "sp/out/$s" || fail "mkdir"
		if [ $i = 1 ]; then cp sp/1/000001/host "sp/out/$s/host" && list="$list $s/host"; fi
		for m in t0 t1 t2; do
			[ -f "sp/$i/000001/$m" ] || continue
			cp "sp/$i/000001/$m" "sp/out/$s/$m" && list="$list $s/$m"
		done
		awk -v i=$i -v step="$step" -v w0="$w0" -v m0="$m0" '
			function at(base, off) { return sprintf("%.6f", base + (i - 1) * step + off) }
			$1 == "sample" { print "sample " i; next }
			$1 == "wall" { print "wall " at(w0, 0); next }
			$1 == "mono" || $1 == "boot" { print $1 " " at(m0, 0); next }
			$1 == "wall_end" { print "wall_end " at(w0, 0.001); next }
			$1 == "mono_end" { print "mono_end " at(m0, 0.001); next }
			{ print }' "sp/$i/000001/meta" > "sp/out/$s/meta" || fail "meta $i"
		list="$list $s/meta"
	done
	sed "s/^samples .*/samples $k/" "sp/$k/memsnap.trailer" > sp/out/memsnap.trailer
	list="$list memsnap.trailer"
	# shellcheck disable=SC2086 # the member list is words by design
	(cd sp/out && tar --format=ustar -cf - $list) | zstd -q > "$out" || fail "pack $out"
	assert_eq "$("$MEMSNAP" info "$out" | sed -n 's/^samples: *\([0-9]*\) complete.*/\1/p')" "$k" "samples in $out"
}
# analyze BUNDLE [ARGS]: the numa findings (severity, rule, kind, entity) in got
analyze() {
	b=$1
	shift
	run "$MEMSNAP" analyze "$b" -o "${b%.tar.zst}.db" -q --only numa --format tsv "$@"
	assert_rc 0 "analyze $b"
	cut -f1-4 out | sort > got
}
expect() { # CASE LINE...: got holds exactly these lines
	c=$1
	shift
	: > want
	for l in "$@"; do echo "$l" >> want; done
	sort want > want.s
	diff want.s got || fail "$c: findings differ"
}
SKEW0="warning	numa/node-skew	node	node 0"

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
