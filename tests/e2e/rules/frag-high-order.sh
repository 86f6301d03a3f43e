#!/bin/sh
# fragmentation/high-order on samples/bundles/frag.tar.zst (samples/frag/README.md):
# a two-node VM (256 MiB per node, DMA32 zones only) where ms-frag pins
# every pageblock with pipe pages from sample 17 on and ms-thp's huge-page
# faults stall in compaction that fails.  Both DMA32 zones: critical (100 %
# of the stalls failed).  The baseline before ms-frag, when ms-thp got its
# huge pages, is outside the findings.  No finding on the host recordings
# and the NUMA VM recordings, where free memory is in large blocks or
# nothing stalls.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles
TAB=$(printf '\t')
# findings BUNDLE [ARGS...]: the rule's findings as "severity rule kind entity", sorted, in got
findings() {
	b=$1; shift
	[ -f "$B/$b.tar.zst" ] || fail "bundle $b.tar.zst is missing"
	run_tsv "$MEMSNAP" analyze "$B/$b.tar.zst" -o "$b.db" -q --only fragmentation/high-order --format tsv "$@"
	assert_rc 0 "analyze $b $*"
	cut -f1-4 out | sort > got
}
expect() { printf '%s\n' "$@" | sed '/^$/d' | sort > want; diff want got >&2 || fail "findings on $1"; }

findings frag
expect "critical${TAB}fragmentation/high-order${TAB}zone${TAB}node 0 zone DMA32" \
	"critical${TAB}fragmentation/high-order${TAB}zone${TAB}node 1 zone DMA32"
# the finding starts when the pipes are in place (sample 17: U_9 = 1 on
# node 0), not in the baseline when THP faults found huge pages
t17=$("$MEMSNAP" query frag.db --csv "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', t, 'unixepoch') FROM sample WHERE id = 17" | tail -n 1)
t18=$("$MEMSNAP" query frag.db --csv "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', t, 'unixepoch') FROM sample WHERE id = 18" | tail -n 1)
cut -f5 out | while read -r ts; do
	[ "$ts" = "$t17" ] || [ "$ts" = "$t18" ] || fail "finding starts at $ts, not at sample 17 ($t17) or 18"
done || exit 1
grep -q "^critical${TAB}fragmentation/high-order${TAB}zone${TAB}node 0 zone DMA32${TAB}.*${TAB}100 % of the zone's free memory (8[0-9]\.[0-9] MiB, 4[0-9] % of the zone) is in blocks smaller than order 9 (2048 KiB) for 6\.[0-9] min; meanwhile, system-wide, [0-9]* compaction stalls per minute (100 % failed) and 9[0-9] % of [0-9]* THP faults per minute fell back to small pages\.${TAB}" out ||
	fail "message: $(cat out)"

# the same state with a free-memory floor above the zones' 42-43 %: nothing
findings frag --set fragmentation/high-order.min_free_frac=0.5
expect ""
# a 7-minute state does not last 8 minutes
findings frag --set fragmentation/high-order.min_duration=480
expect ""
# without stalls and THP faults to corroborate it, fragmentation is harmless
findings frag --set fragmentation/high-order.min_stall_rate=1e9 --set fragmentation/high-order.min_thp_rate=1e9
expect ""

for b in leak thrash swap oom frag-cgroup2 numa-local numa-remote; do
	findings "$b"
	expect ""
done
exit 0
