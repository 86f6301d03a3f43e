#!/bin/sh
# thrash/system on the recorded bundles (samples/README.md):
#  - thrash.tar.zst: nothing. The host re-read 2.0 GiB/s of evicted file
#    pages, but every eviction was cgroup ms-thrash's limit reclaim
#    (pgsteal_kswapd and pgsteal_direct stayed 0): that is thrash/cgroup's
#    finding, not a host-wide shortage. With the eviction test off the
#    same data is one system finding that names the cgroup (100 % of the
#    refaults) and says that no process had major faults (pread);
#  - leak.tar.zst: nothing, even with the eviction test off (its refault
#    bursts are short); something only with the duration test off too, so
#    the negative is not vacuous;
#  - swap, oom, slab, frag, frag-lowmem, frag-oom, numa-remote, numa-local:
#    nothing.
# No recorded bundle holds a host-wide thrash (the recording host has
# 23.5 GiB); docs/rules/thrash/system.md says how the rule was checked.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles
CG=/process_api/1bd08824e53474833bc66cbbf89dfb98

findings() { # BUNDLE [OPTIONS...]
	b=$1; shift
	run_tsv "$MEMSNAP" analyze "$b" -o x.db -q --only thrash/system --format tsv "$@"
	assert_rc 0 "analyze $b $*"
	cut -f1-4 out | sort > got
}

findings "$B/thrash.tar.zst"
assert_empty got

findings "$B/thrash.tar.zst" --set thrash/system.min_evict=0
printf 'warning\tthrash/system\tsystem\tsystem\n' > want
diff want got || fail "thrash.tar.zst, min_evict=0: findings differ"
grep -q "100 % of the refaults in memory cgroup $CG/ms-thrash" out || { cat out; fail "cgroup not named"; }
grep -q 'while global reclaim evicted 0 MiB/s' out || { cat out; fail "global reclaim not reported"; }
grep -q 'no process had a major fault per second or more' out || { cat out; fail "major faults not reported"; }
grep -q 'memory PSI some 5.4 %, full 0.6 %' out || { cat out; fail "PSI not reported"; }
# the window: from the thrash's first interval (samples 10-11) to the end,
# still going then (the 2-interval burst of samples 8-9 is not sustained,
# so it is no part of the episode)
grep -q '	2026-12-01T07:23:20Z	2026-12-01T07:27:00Z	.*; still going at the end of the recording\.	' out ||
	{ cat out; fail "window or ongoing"; }
# PSI grades it: some was 5.4 % over the window
findings "$B/thrash.tar.zst" --set thrash/system.min_evict=0 --set thrash/system.psi_some=4
printf 'critical\tthrash/system\tsystem\tsystem\n' > want
diff want got || fail "thrash.tar.zst, min_evict=0, psi_some=4: findings differ"

findings "$B/leak.tar.zst"
assert_empty got
findings "$B/leak.tar.zst" --set thrash/system.min_evict=0
assert_empty got
findings "$B/leak.tar.zst" --set thrash/system.min_evict=0 --set thrash/system.min_intervals=1 \
	--set thrash/system.min_seconds=0
[ -s got ] || fail "leak.tar.zst: no refault burst even with every gate off (the negative would prove nothing)"

for b in swap oom slab frag frag-lowmem frag-oom numa-remote numa-local; do
	[ -f "$B/$b.tar.zst" ] || fail "no $B/$b.tar.zst"
	findings "$B/$b.tar.zst"
	assert_empty got
done
exit 0
