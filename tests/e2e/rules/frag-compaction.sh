#!/bin/sh
# fragmentation/compaction on samples/bundles/frag.tar.zst (samples/frag/README.md):
# from sample 17 on, every huge-page fault of ms-thp stalls in direct
# compaction (about 4300 a minute) and every stall fails: one warning for
# the system, starting in the interval of the first stall (none in the
# baseline).  No finding on the host recordings and the NUMA VM recordings
# (no compaction stalls there).
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles
TAB=$(printf '\t')
findings() {
	b=$1; shift
	[ -f "$B/$b.tar.zst" ] || fail "bundle $b.tar.zst is missing"
	run_tsv "$MEMSNAP" analyze "$B/$b.tar.zst" -o "$b.db" -q --only fragmentation/compaction --format tsv "$@"
	assert_rc 0 "analyze $b $*"
	cut -f1-4 out | sort > got
}
expect() { printf '%s\n' "$@" | sed '/^$/d' | sort > want; diff want got >&2 || fail "findings on $1"; }

findings frag
expect "warning${TAB}fragmentation/compaction${TAB}system${TAB}system"
first=$("$MEMSNAP" query frag.db --csv "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', p.t, 'unixepoch') FROM vmstat c JOIN vmstat o ON o.key = c.key AND o.sample = c.sample - 1 JOIN sample p ON p.id = o.sample WHERE c.key = 'compact_stall' AND c.value > o.value ORDER BY c.sample LIMIT 1" | tail -n 1)
assert_eq "$(cut -f5 out)" "$first" "start: the interval of the first stall"
grep -q "${TAB}4[0-9][0-9][0-9] direct compaction stalls per minute for 6\.[0-9] min ([0-9]* in all; at most [0-9]* a minute over a 300 s window), 100 % of them failed (compact_fail rose by [0-9]*)\.${TAB}" out ||
	fail "message: $(cat out)"
# critical once it lasts crit_duration
findings frag --set fragmentation/compaction.crit_duration=300
expect "critical${TAB}fragmentation/compaction${TAB}system${TAB}system"
# every stall of the VM failed: a fail floor of 100 % still holds it, and a
# floor above 100 % is no ratio
findings frag --set fragmentation/compaction.min_fail=1
expect "warning${TAB}fragmentation/compaction${TAB}system${TAB}system"
run "$MEMSNAP" analyze "$B/frag.tar.zst" -o frag.db -q --only fragmentation/compaction \
	--set fragmentation/compaction.min_fail=1.01
assert_rc 2 "min_fail above 1"
assert_line err "memsnap: analyze: --set 'fragmentation/compaction.min_fail=1.01': rule fragmentation/compaction, parameter min_fail: 1.01 is out of range; expected a number, at least 0 and at most 1"
# a rate floor above what the VM saw
findings frag --set fragmentation/compaction.min_rate=6000
expect ""

for b in leak thrash swap oom frag-cgroup2 numa-local numa-remote; do
	findings "$b"
	expect ""
done
exit 0
