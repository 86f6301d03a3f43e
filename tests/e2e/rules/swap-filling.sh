#!/bin/sh
# swap/filling on the recorded bundles (samples/README.md):
#  - swap.tar.zst: nothing by default (the 512 MiB swap file is ~24 % used
#    at most); with max_used lowered to 15 % the level finding, warning
#    (MemAvailable stayed at 95 % of RAM), critical with mem_low raised
#    above that; the fill is one step at the swapper's start, so even with
#    the trend window shortened to a minute it is not a trend;
#  - leak, thrash, oom, frag, frag-lowmem, frag-oom, numa-remote, numa-local:
#    nothing (no swap, or
#    little).
# The trend and its time to exhaustion are tested on a synthetic bundle by
# swap-synthetic.sh.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles

findings() { # BUNDLE [OPTIONS...]
	b=$1; shift
	run_tsv "$MEMSNAP" analyze "$b" -o x.db -q --only swap/filling --format tsv "$@"
	assert_rc 0 "analyze $b $*"
	cut -f1-4 out | sort > got
}

findings "$B/swap.tar.zst"
assert_empty got

findings "$B/swap.tar.zst" --set swap/filling.max_used=15
printf 'warning\tswap/filling\tsystem\tswap\n' > want
diff want got || fail "swap.tar.zst, max_used=15: findings differ"
grep -q '^warning.*Swap 2[0-9] % used (3[0-9][0-9] MiB free of 512 MiB) for 2.[0-9] min; MemAvailable stayed at [0-9]* % of RAM or more; devices: /tmp/memsnap-swap.[A-Za-z0-9]*/swapfile' out ||
	{ cat out; fail "level message"; }

findings "$B/swap.tar.zst" --set swap/filling.max_used=15 --set swap/filling.mem_low=99
printf 'critical\tswap/filling\tsystem\tswap\n' > want
diff want got || fail "swap.tar.zst, max_used=15, mem_low=95: findings differ"

findings "$B/swap.tar.zst" --set swap/filling.min_minutes=1 --set swap/filling.bucket_samples=2
assert_empty got

for b in leak thrash oom frag frag-lowmem frag-oom numa-remote numa-local; do
	[ -f "$B/$b.tar.zst" ] || fail "no $B/$b.tar.zst"
	findings "$B/$b.tar.zst"
	assert_empty got
done
exit 0
