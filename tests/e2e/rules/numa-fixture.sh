#!/bin/sh
# numa/ rules on the real two-node fixture (tests/fixtures/numa-2node-6.1,
# Debian 6.1 under qemu): PID 151 (numa_hog) is pinned to CPU 1 (node 1)
# with 300 MiB bound to node 0 (bind:0) and 250 MiB preferring node 0
# (prefer:0, partly spilled to node 1); node 0 is at 6.5 % free, under its
# high watermark, node 1 at 66 % free.  The collector reads the tree with
# --proc-root, --sys-root: every sample of a bundle is the same snapshot, so counters do not
# move (no rates) and a bundle lasts as long as the collection.
. "$SRC/tests/e2e/lib.sh"
root=$FIXTURES/numa-2node-6.1/t0
[ -d "$root/proc" ] || fail "fixture $root is missing"

# one sample: no rates, no episode, too few CPU samples: nothing
run "$MEMSNAP" collect --proc-root "$root/proc" --sys-root "$root/sys" -n 1 -i 100ms -q -o one.tar.zst
assert_rc 0 "collect one sample"
run_tsv "$MEMSNAP" analyze one.tar.zst -o one.db -q --only numa --format tsv
assert_rc 0 "analyze one sample"
assert_empty out

# twelve samples (1.1 s), numa_maps in each: numa_hog's memory is away from
# its CPUs by explicit policy (info); node 0 is full but not for 60 s
run "$MEMSNAP" collect --proc-root "$root/proc" --sys-root "$root/sys" -n 12 -i 100ms --rollup-interval 100ms \
	--smaps-interval 100ms --cpu-budget 100 -q -o f.tar.zst
assert_rc 0 "collect twelve samples"
assert_eq "$("$MEMSNAP" info f.tar.zst | sed -n 's/^samples: *\([0-9]*\) complete (tier 0: [0-9]*, tier 1: [0-9]*, tier 2: \([0-9]*\)).*/\1 \2/p')" \
	"12 12" "samples and numa_maps captures"
run_tsv "$MEMSNAP" analyze f.tar.zst -o f.db -q --only numa --format tsv
assert_rc 0 "analyze twelve samples"
cut -f1-4 out > got
assert_eq "$(cat got)" "info	numa/process-remote	process	151 (numa_hog)" "findings on twelve samples"
m=$(cut -f8 out)
# 76800 + 27949 pages on node 0 = 409 MiB; 550.8 MiB of anonymous memory
echo "$m" | grep -qxF '151 (numa_hog) runs on node 1 (Cpus_allowed_list 1) while 409 MiB of its 551 MiB of anonymous memory (74 %) is on node 0, in 12 numa_maps captures: 409 MiB by explicit policy (bind:0 prefer:0), a configuration.' ||
	fail "process-remote message: $m"

# node-skew with episodes of any length: node 0 counts as full by its high
# watermark alone (29.6 MiB free < 33.6 MiB, although 6.5 % > min_free_pct)
run_tsv "$MEMSNAP" analyze f.tar.zst -o f.db -q --only numa/node-skew --format tsv \
	--set numa/node-skew.min_duration=0
assert_rc 0 "analyze node-skew, min_duration 0"
assert_eq "$(cut -f1-4 out)" "warning	numa/node-skew	node	node 0" "node-skew finding"
cut -f8 out | grep -qF 'down to 6.5 % free (30 MiB; high watermark 34 MiB) while node 1 had 66 % free' ||
	fail "node-skew message: $(cut -f8 out)"
# the nodes' use differs by 59.2 points: not enough for min_skew 60
run_tsv "$MEMSNAP" analyze f.tar.zst -o f.db -q --only numa/node-skew --format tsv \
	--set numa/node-skew.min_duration=0 --set numa/node-skew.min_skew=60
assert_rc 0 "analyze node-skew, min_skew 60"
assert_empty out
# too few CPU samples for process-remote
run_tsv "$MEMSNAP" analyze f.tar.zst -o f.db -q --only numa/process-remote --format tsv \
	--set numa/process-remote.min_samples=13
assert_rc 0 "analyze process-remote, min_samples 13"
assert_empty out
exit 0
