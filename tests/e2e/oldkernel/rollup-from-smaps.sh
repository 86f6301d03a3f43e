#!/bin/sh
# A kernel without smaps_rollup (before 4.14): tier 1 reads each process's
# smaps instead and the loader sums it into proc_rollup.  Checked on this
# kernel's own text: two --proc-root/--sys-root trees with the same files of three idle
# processes, one with smaps_rollup and one without; the sums equal the
# kernel's rollup in every field except Pss and SwapPss, which the kernel
# sums before rounding to kB (each mapping's line is rounded down: the sum
# is under the rollup by less than 1 kB a mapping).  Without PSI and
# smaps_rollup the bundle still analyzes, and says what it derived.  And
# on another kernel's text (Prometheus procfs' fixture of one process): its
# smaps sums to exactly its smaps_rollup.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
[ -r /proc/self/smaps_rollup ] || fail "this kernel has no smaps_rollup to compare with"
sleep 600 & track $!; s1=$!
sleep 600 & track $!; s2=$!
# both have become sleep (a child still between fork and exec is the shell)
for s in $s1 $s2; do
	wait_for 10 grep -q '^Name:[[:space:]]*sleep$' /proc/$s/status
done
mkdir -p A/proc/pressure A/sys B/sys
for f in meminfo vmstat buddyinfo swaps uptime loadavg zoneinfo; do cat /proc/$f > A/proc/$f; done
cat /proc/pressure/memory > A/proc/pressure/memory
for p in $s1 $s2 $$; do
	mkdir -p A/proc/$p
	for f in stat statm status oom_score oom_score_adj cgroup cmdline comm; do
		cat /proc/$p/$f > A/proc/$p/$f || fail "reading /proc/$p/$f"
	done
	# smaps between two equal smaps_rollup reads, all three by one cat so
	# that little happens between them: Pss (shared pages divided among their
	# users) and Shared/Private move when another process maps or unmaps them
	L=$(wc -l < /proc/$p/smaps_rollup) || fail "reading /proc/$p/smaps_rollup"
	for try in $(seq 20); do
		cat /proc/$p/smaps_rollup /proc/$p/smaps /proc/$p/smaps_rollup > all ||
			fail "reading /proc/$p/smaps"
		n=$(wc -l < all)
		head -n $L all > r1
		tail -n $L all > A/proc/$p/smaps_rollup
		sed -n "$((L + 1)),$((n - L))p" all > A/proc/$p/smaps
		cmp -s r1 A/proc/$p/smaps_rollup && break
		[ $try = 20 ] && { diff r1 A/proc/$p/smaps_rollup; fail "/proc/$p/smaps_rollup changed in each of 20 reads"; }
	done
done
cp -r A/proc B/
rm -r B/proc/pressure B/proc/*/smaps_rollup
for t in A B; do
	run "$MEMSNAP" collect --proc-root $t/proc --sys-root $t/sys -n 1 -q -o $t.tar.zst
	assert_rc 0 "collect $t"
	run "$MEMSNAP" load -q $t.tar.zst
	assert_rc 0 "load $t"
done
# B's tier 1 holds smaps records, A's smaps_rollup
tar --zstd -xOf B.tar.zst 000001/t1 | grep -cE "^@ ok [0-9]+ /proc/[0-9]+/smaps( [0-9]+)?$" > n
assert_eq "$(cat n)" 3 "tier-1 smaps records without smaps_rollup"
tar --zstd -xOf A.tar.zst 000001/t1 | grep -cE "^@ ok [0-9]+ /proc/[0-9]+/smaps_rollup( [0-9]+)?$" > n
assert_eq "$(cat n)" 3 "tier-1 smaps_rollup records"
cols="rss, shared_clean, shared_dirty, private_clean, private_dirty, referenced, anonymous, lazyfree, anon_huge, swap, locked"
q="SELECT p.pid, $cols FROM proc_rollup r JOIN process p ON p.id = r.process_id ORDER BY p.pid"
"$MEMSNAP" query A.db "$q" --csv > a.csv || fail "query A"
"$MEMSNAP" query B.db "$q" --csv > b.csv || fail "query B"
assert_eq "$(wc -l < a.csv)" 4 "rollup rows"
diff a.csv b.csv > d || { cat d; fail "the summed smaps differ from smaps_rollup"; }
# Pss and SwapPss: under the rollup by less than 1 kB a mapping
for p in $s1 $s2 $$; do
	nmaps=$(grep -c '^[0-9a-f]*-[0-9a-f]* ' A/proc/$p/smaps)
	for f in pss swap_pss; do
		a=$("$MEMSNAP" query A.db "SELECT $f FROM proc_rollup r JOIN process p ON p.id = r.process_id WHERE p.pid = $p" --csv | tail -n 1)
		b=$("$MEMSNAP" query B.db "SELECT $f FROM proc_rollup r JOIN process p ON p.id = r.process_id WHERE p.pid = $p" --csv | tail -n 1)
		[ "$b" -le "$a" ] && [ $((a - b)) -lt $((nmaps * 1024)) ] ||
			fail "$p $f: summed $b, rollup $a, $nmaps mappings"
	done
done
# mappings come from tier 2 only (its smaps of the largest processes), as with smaps_rollup
ma=$("$MEMSNAP" query A.db "SELECT count(*) FROM mapping" --csv | tail -n 1)
mb=$("$MEMSNAP" query B.db "SELECT count(*) FROM mapping" --csv | tail -n 1)
assert_eq "$mb" "$ma" "mapping rows without smaps_rollup (tier-1 smaps are not mappings)"
"$MEMSNAP" query B.db "SELECT what, samples FROM derived ORDER BY what" --csv | tail -n +2 > n
assert_eq "$(cat n)" "proc_rollup,1" "derived"
run "$MEMSNAP" analyze B.tar.zst
assert_rc 0 "analyze without smaps_rollup and PSI"
assert_line out "not seen: smaps_rollup (the kernel has none before 4.14): each process's smaps summed instead, in 1 samples"
grep -q "FAILED" out && fail "a rule failed"

# Another kernel's text: a process's smaps and smaps_rollup from
# Prometheus procfs' fixtures (tests/fixtures/kernels/unstated-prometheus-
# procfs, one moment): its smaps in a tier-1 member load as its rollup,
# field by field what the kernel's rollup says (kB x 1024).
P=$FIXTURES/kernels/unstated-prometheus-procfs/proc/26231
for kind in smaps smaps_rollup; do
	rm -rf m && mkdir m
	bundle_header
	sample_meta 1 1767225601.0 101.0
	add_record 000001/t0 ok /proc/26231/stat "$P/stat"
	add_record 000001/t1 ok /proc/26231/$kind "$P/$kind"
	mk_bundle p-$kind.tar.zst memsnap.header 000001/t0 000001/t1 000001/meta
	"$MEMSNAP" query p-$kind.tar.zst "SELECT $cols, pss, swap_pss FROM proc_rollup" --csv > p-$kind.csv ||
		fail "load the $kind record"
done
assert_eq "$(tail -n 1 p-smaps.csv)" "$(echo '29948 4 0 15548 14396 24752 20756 5848 0 1940 0 29944 1940' | awk '{for (i = 1; i <= NF; i++) printf "%s%d", (i > 1 ? "," : ""), $i * 1024}')" "prometheus' smaps summed"
diff p-smaps.csv p-smaps_rollup.csv > d || { cat d; fail "prometheus' smaps sum is not its smaps_rollup"; }
exit 0
