#!/bin/sh
# thrash/cgroup on the recorded bundles (samples/README.md):
#  - thrash.tar.zst: cgroup ms-thrash (a 256 MiB file re-read in 64 MiB) is
#    the one finding, warning (system PSI some 5.4 %, below psi_some), with
#    process ms-thrash named; the control cgroup ms-fitread is not flagged;
#    with psi_some lowered below the measured 5 % the same finding is
#    critical (PSI grades, it does not gate); the window is the readers'
#    start (sample 11) to the end;
#  - leak.tar.zst: nothing, although its cgroups have refault bursts of
#    4-16 MiB/s (re-reads of pages evicted before the recording): they are
#    found only when both the eviction test and the duration test are off;
#  - swap, oom, slab, frag, frag-lowmem, frag-oom, numa-remote, numa-local:
#    nothing (no file refaults to speak of).
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles
CG=/process_api/1bd08824e53474833bc66cbbf89dfb98

findings() { # BUNDLE [OPTIONS...]: the findings' severity, rule, entity kind, entity
	b=$1; shift
	run_tsv "$MEMSNAP" analyze "$b" -o x.db -q --only thrash/cgroup --format tsv "$@"
	assert_rc 0 "analyze $b $*"
	cut -f1-4 out | sort > got
}

findings "$B/thrash.tar.zst"
printf 'warning\tthrash/cgroup\tcgroup\t%s/ms-thrash\n' "$CG" > want
diff want got || fail "thrash.tar.zst: findings differ"
grep -q 'Processes in it (1): 18211 (ms-thrash) 0.0 major faults/s, [0-9]* % CPU, in D state in [0-9]* % of samples' out || { cat out; fail "ms-thrash not named"; }
grep -q 'at 97 % of its 64 MiB limit, evicted by its limit' out || { cat out; fail "limit not reported"; }
grep -q 'system-wide memory PSI some 5.4 %, full 0.6 % (no per-cgroup PSI on cgroup v1)' out || { cat out; fail "PSI not reported"; }
assert_no_match out 'ms-fitread'

cut -f5-6 out > win
printf '2026-12-01T07:23:20Z\t2026-12-01T07:27:00Z\n' > want
diff want win || fail "thrash.tar.zst: window differs"

# PSI grades: some was 5.4 % over the window
findings "$B/thrash.tar.zst" --set thrash/cgroup.psi_some=4
printf 'critical\tthrash/cgroup\tcgroup\t%s/ms-thrash\n' "$CG" > want
diff want got || fail "thrash.tar.zst with psi_some=4: findings differ"

# JSON evidence: the refault rate and the limit hits
run "$MEMSNAP" analyze "$B/thrash.tar.zst" -o x.db -q --only thrash/cgroup --format json
assert_rc 0 "analyze --format json"
grep -q '"limit_hits":[[:space:]]*229360' out || { cat out; fail "limit_hits evidence"; }
grep -q '"refault_pages":[[:space:]]*115771904' out || { cat out; fail "refault_pages evidence"; }

# leak.tar.zst: the gates hold
findings "$B/leak.tar.zst"
assert_empty got
findings "$B/leak.tar.zst" --set thrash/cgroup.min_evict=0
assert_empty got
findings "$B/leak.tar.zst" --set thrash/cgroup.min_intervals=1 --set thrash/cgroup.min_seconds=0
assert_empty got
findings "$B/leak.tar.zst" --set thrash/cgroup.min_evict=0 --set thrash/cgroup.min_intervals=1 \
	--set thrash/cgroup.min_seconds=0
[ -s got ] || fail "leak.tar.zst: no refault burst even with every gate off (the negative would prove nothing)"

for b in swap oom slab frag frag-lowmem frag-oom numa-remote numa-local; do
	[ -f "$B/$b.tar.zst" ] || fail "no $B/$b.tar.zst"
	findings "$B/$b.tar.zst"
	assert_empty got
done
exit 0
