#!/bin/sh
# Collect from a /proc and /sys tree captured on a real two-node kernel
# (--proc-root, --sys-root): the every-tick member is exactly the fixture's files, in order,
# with gaps for what that tree lacks; every tier sees both nodes.
. "$SRC/tests/e2e/lib.sh"
root=$FIXTURES/numa-2node-6.1/t0
[ -d "$root/proc" ] || fail "fixture $root is missing"
run "$MEMSNAP" collect --proc-root "$root/proc" --sys-root "$root/sys" -n 2 -i 100ms -q -o f.tar.zst
assert_rc 0 "collect --proc-root"
run "$MEMSNAP" info f.tar.zst
assert_rc 0 "info"
grep -q '^host: .* 2 NUMA nodes, ' out || { cat out; fail "info does not see 2 nodes"; }
assert_line out "samples:     2 complete (tier 0: 2, tier 1: 2, tier 2: 2); interval 100 ms"
assert_line out "processes:   2 seen (at most 2 in one sample), 4 process-samples; cgroups: at most 0"
assert_line out "  ENOENT oom_score                         2 in 2 samples"
tar --zstd -xOf f.tar.zst 000001/t0 > t0
diff "$SRC/tests/e2e/golden/numa-fixture.t0" t0 || fail "000001/t0 differs from the golden file"
# sample 2: no cmdline or comm (already seen), otherwise the same files
tar --zstd -xOf f.tar.zst 000002/t0 | grep -a '^@ ' > t0.2
grep -a '^@ ' "$SRC/tests/e2e/golden/numa-fixture.t0" | grep -v -e '/cmdline$' -e '/comm$' > want.2
diff want.2 t0.2 || fail "000002/t0 records differ"
# tiers 1 and 2 without the per-read microseconds
tar --zstd -xOf f.tar.zst 000001/t1 000001/t2 | grep -a '^@ ' | sed 's/ [0-9]*$//' > t12
cat > want <<'LIST'
@ ok 670 /proc/1/smaps_rollup
@ ok 670 /proc/151/smaps_rollup
@ ok 6910 /proc/zoneinfo
@ ok 8827 /proc/151/smaps
@ ok 846 /proc/151/numa_maps
@ ok 7394 /proc/1/smaps
@ ok 659 /proc/1/numa_maps
LIST
diff want t12 || fail "tiers 1 and 2 differ"
# the hog's numa_maps came through byte for byte
tar --zstd -xOf f.tar.zst 000001/t2 | sed -n '/^@ ok 846 \/proc\/151\/numa_maps /,$p' | sed 1d | head -c 846 > nm
cmp nm "$root/proc/151/numa_maps" || fail "numa_maps of 151 is not the fixture's"
exit 0
