#!/bin/sh
# swap/storm on the recorded bundles (samples/README.md):
#  - swap.tar.zst: one storm, critical (memory PSI full 15.9 % over the
#    window), ms-swapper named with its cgroup; warning when psi_full is
#    above what was measured (PSI grades, it does not gate); nothing when
#    min_pages is above the measured ~20,000 pages/s;
#  - leak, thrash, oom, frag, frag-lowmem, frag-oom, numa-remote, numa-local:
#    nothing (no swap I/O). (slab.tar.zst was recorded while swap.sh ran
#    and shows the same storm; it is not used here.)
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles
CG=/process_api/1bd08824e53474833bc66cbbf89dfb98

findings() { # BUNDLE [OPTIONS...]
	b=$1; shift
	run_tsv "$MEMSNAP" analyze "$b" -o x.db -q --only swap/storm --format tsv "$@"
	assert_rc 0 "analyze $b $*"
	cut -f1-4 out | sort > got
}

findings "$B/swap.tar.zst"
printf 'critical\tswap/storm\tsystem\tsystem\n' > want
diff want got || fail "swap.tar.zst: findings differ"
grep -q "most major faults: 7394 (ms-swapper) [0-9]* major faults/s, [0-9]* MiB in swap, cgroup $CG/ms-swapper" out ||
	{ cat out; fail "ms-swapper not named"; }
grep -q 'swap 19 % used (99 of 512 MiB)' out || { cat out; fail "swap use not reported"; }
grep -q 'memory PSI some 25.8 %, full 15.9 %' out || { cat out; fail "PSI not reported"; }
# the window: from the swapper's start to the end
cut -f5-6 out > win
printf '2026-12-01T07:27:16Z\t2026-12-01T07:30:00Z\n' > want
diff want win || fail "swap.tar.zst: window differs"

findings "$B/swap.tar.zst" --set swap/storm.psi_full=25
printf 'warning\tswap/storm\tsystem\tsystem\n' > want
diff want got || fail "swap.tar.zst, psi_full=25: findings differ"
findings "$B/swap.tar.zst" --set swap/storm.min_pages=60000
assert_empty got

for b in leak thrash oom frag frag-lowmem frag-oom numa-remote numa-local; do
	[ -f "$B/$b.tar.zst" ] || fail "no $B/$b.tar.zst"
	findings "$B/$b.tar.zst"
	assert_empty got
done
exit 0
