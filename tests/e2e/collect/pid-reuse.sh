#!/bin/sh
# A PID reused within a tick: tier 2 opens the process again and re-reads
# its stat; when the start time is not the one tier 0 read, the PID is
# another process now, and smaps is recorded as ESRCH (nothing of the new
# process is attributed to the old one).  The reuse is injected with an
# LD_PRELOAD shim (faultfs.c, built here): the second open of 151's stat
# gets a stat with another start time.
. "$SRC/tests/e2e/lib.sh"
command -v cc >/dev/null || skip "no C compiler for the fault shim"
cc -shared -fPIC -O1 -o faultfs.so "$SRC/tests/e2e/collect/faultfs.c" -ldl 2>cc.err || { cat cc.err; skip "cannot build the fault shim"; }
root=$FIXTURES/numa-2node-6.1/t0
# 151's stat, field 22 (start time) changed: a new process with the PID
awk '{ $22 = $22 + 5000; print }' "$root/proc/151/stat" > stat2
[ "$(awk '{ print $22 }' stat2)" != "$(awk '{ print $22 }' "$root/proc/151/stat")" ] || fail "stat2"
run env LD_PRELOAD="$SCRATCH/faultfs.so" MS_FAULT_LOG="$SCRATCH/log" MS_FAULT_SWAP=/proc/151/stat \
	MS_FAULT_SWAP_AT=2 MS_FAULT_SWAP_TO="$SCRATCH/stat2" \
	"$MEMSNAP" collect --proc-root "$root/proc" --sys-root "$root/sys" -n 1 -q --no-mlock -o r.tar.zst
[ -s log ] || skip "the shim did not take effect (a static binary?)"
assert_rc 0 "collect with 151 reused before tier 2"
assert_eq "$(cat log)" "swap /proc/151/stat" "faults injected"
tar --zstd -xOf r.tar.zst 000001/t2 | grep -a '^@ ' | sed 's/ [0-9]*$//' > t2
printf '%s\n' "@ ESRCH 0 /proc/151/smaps" "@ ok 7394 /proc/1/smaps" "@ ok 659 /proc/1/numa_maps" > want
diff want t2 || fail "tier 2 records"
# tier 0 has the first process's stat, unchanged
tar --zstd -xOf r.tar.zst 000001/t0 | grep -a -A1 '^@ ok [0-9]* /proc/151/stat$' | tail -n 1 > got
cmp got "$root/proc/151/stat" || fail "tier 0 stat of 151"
run "$MEMSNAP" load r.tar.zst
assert_rc 0 "load"
assert_eq "$("$MEMSNAP" query r.db 'SELECT count(*) FROM mapping m JOIN process p ON p.id = m.process_id WHERE p.pid = 151' --csv | tail -n 1)" \
	"0" "no mapping for 151"
exit 0
