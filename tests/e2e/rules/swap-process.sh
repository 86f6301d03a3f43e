#!/bin/sh
# swap/process on the recorded bundles (samples/README.md):
#  - swap.tar.zst: ms-swapper, warning, class thrash (~2,600 major faults/s
#    with ~110 MiB of its 160 MiB in swap, in its 64 MiB cgroup); with
#    thrash_majflt above its rate it is only the largest holder (info);
#    its VmSwap does not grow (it moved to swap once), so it is never a
#    leak even with the growth window shortened to a minute;
#  - leak, thrash, oom, frag, frag-lowmem, frag-oom, numa-remote, numa-local:
#    nothing (no process had
#    swap).
# The growth classes (leak pushed to swap, cold pages) are tested on a
# synthetic bundle by swap-synthetic.sh.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles
CG=/process_api/1bd08824e53474833bc66cbbf89dfb98

findings() { # BUNDLE [OPTIONS...]
	b=$1; shift
	run_tsv "$MEMSNAP" analyze "$b" -o x.db -q --only swap/process --format tsv "$@"
	assert_rc 0 "analyze $b $*"
	cut -f1-4 out | sort > got
}

findings "$B/swap.tar.zst"
printf 'warning\tswap/process\tprocess\t7394 (ms-swapper)\n' > want
diff want got || fail "swap.tar.zst: findings differ"
grep -q "keeps faulting its swapped memory back in for 2.7 min: [0-9]* major faults/s while 1[01][0-9] MiB of it is in swap and [45][0-9] MiB in RAM (160 MiB of anonymous memory in all), in memory cgroup $CG/ms-swapper (limit 64 MiB)" out ||
	{ cat out; fail "thrash message"; }

findings "$B/swap.tar.zst" --set swap/process.thrash_majflt=10000
printf 'info\tswap/process\tprocess\t7394 (ms-swapper)\n' > want
diff want got || fail "swap.tar.zst, thrash_majflt=10000: findings differ"
grep -q 'has up to 12[0-9] MiB in swap' out || { cat out; fail "holder message"; }

findings "$B/swap.tar.zst" --set swap/process.thrash_majflt=10000 --set swap/process.min_minutes=1 \
	--set swap/process.bucket_samples=2
diff want got || fail "swap.tar.zst, short growth window: findings differ"

for b in leak thrash oom frag frag-lowmem frag-oom numa-remote numa-local; do
	[ -f "$B/$b.tar.zst" ] || fail "no $B/$b.tar.zst"
	findings "$B/$b.tar.zst"
	assert_empty got
done
exit 0
