#!/bin/sh
# A 3-sample collection: standard tar lists it, info summarises it, and it
# holds this test's own process with the right comm.  (A count, not a
# duration: on a busy machine a 3 s run may hold two samples; a duration's
# end is checked at the end, without counting its samples.)
. "$SRC/tests/e2e/lib.sh"
sleep 300 & sleeper=$!
track $sleeper
wait_for 10 settled $sleeper sleep
# a budget no load can exceed: under a busy machine the expensive tiers would
# otherwise be deferred and the member list would depend on the load
run "$MEMSNAP" collect -n 3 -i 1s --cpu-budget 100 -q -o b.tar.zst
assert_rc 0 "collect -n 3"
# only warnings (e.g. PID 1's smaps refused even to root on some hosts)
grep -v '^memsnap: collect: warning: ' err > other
assert_empty other
assert_eq "$(stat -c %a b.tar.zst)" "600" "bundle mode"
tar --zstd -tf b.tar.zst > list || fail "tar --zstd -tf cannot list the bundle"
# a tier beyond 1 MiB is split in parts (t2, t2.1 ...): list each tier once
sed 's/\.[0-9]*$//' list | uniq > members
# samples 1 and 3 take every tier (first and last); 2 only tier 0
cat > expected <<'LIST'
memsnap.header
000001/host
000001/t0
000001/t1
000001/t2
000001/meta
000002/t0
000002/meta
000003/t0
000003/t1
000003/t2
000003/meta
memsnap.trailer
LIST
diff expected members || fail "unexpected member list"
run "$MEMSNAP" info b.tar.zst
assert_rc 0 "info"
assert_line out "samples:     3 complete (tier 0: 3, tier 1: 2, tier 2: 2); interval 1000 ms"
assert_line out "end:         complete (count)"
# the sleeper is in every sample, with its comm and its stat (in any part
# of tier 0: on a busy machine it is more than 1 MiB, t0, t0.1 ...); its
# status and oom_score are read in the full reads (1 and 3: tier 1 runs);
# in sample 2 its stat is the same as in 1 (it never ran), so they are not
for s in 000001 000002 000003; do
	tar --zstd -xOf b.tar.zst --wildcards "$s/t0*" > t0 || fail "tar -xOf $s/t0*"
	grep -q "^@ ok [0-9]* /proc/$sleeper/stat$" t0 || fail "no stat record for $sleeper in $s"
	grep -q "^$sleeper (sleep) S " t0 || fail "stat of $sleeper does not say (sleep) in $s"
	st=ok
	[ $s = 000002 ] && st=skip:unchanged
	for f in status oom_score; do
		grep -q "^@ $st [0-9]* /proc/$sleeper/$f$" t0 || fail "no $st $f record in $s"
	done
	tar --zstd -xOf b.tar.zst $s/meta > meta
	[ $s = 000002 ] || grep -q '^full_read 1$' meta || fail "$s: not a full read"
done
tar --zstd -xOf b.tar.zst 000002/meta | grep -q '^full_read 0$' ||
	fail "sample 2 is a full read"
n=$(tar --zstd -xOf b.tar.zst 000002/meta | sed -n 's/^unchanged //p')
[ "$n" -ge 1 ] || fail "meta of sample 2: unchanged '$n'"
assert_eq "$(tar --zstd -xOf b.tar.zst --wildcards '000002/t0*' | grep -c '^@ skip:unchanged 0 /proc/[0-9]*/status$')" \
	"$n" "skip:unchanged status records against the meta's unchanged"
# comm and cmdline only when first seen
tar --zstd -xOf b.tar.zst --wildcards '000001/t0*' | grep -q "^@ ok 6 /proc/$sleeper/comm$" ||
	fail "no comm in sample 1"
tar --zstd -xOf b.tar.zst --wildcards '000002/t0*' | grep -q "/proc/$sleeper/comm" && fail "comm repeated in sample 2"
# what the bundle never holds
tar --zstd -xOf b.tar.zst | grep -aq '/environ' && fail "environ captured"
tar --zstd -xOf b.tar.zst 000001/meta > meta
for key in sample tiers wall mono boot wall_end mono_end late_us missed_ticks cpu_us wall_us \
	   processes records read_bytes offset gaps; do
	grep -q "^$key " meta || fail "meta lacks '$key'"
done
# a duration ends the bundle cleanly, however many ticks the machine allowed
run "$MEMSNAP" collect -d 1s -i 200ms -q -o d.tar.zst
assert_rc 0 "collect -d 1s"
run "$MEMSNAP" info d.tar.zst
assert_rc 0 "info of the duration bundle"
assert_line out "end:         complete (duration)"
exit 0
