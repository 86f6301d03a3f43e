#!/bin/sh
# A /proc file that fails in the middle of its read (the process exited:
# ESRCH after 4 KiB of smaps, after 100 bytes of status) becomes an ESRCH
# record with no data, counted as a gap; the rest of the process and of
# the sample is read, and the bundle loads.  The failure is injected with
# an LD_PRELOAD shim (faultfs.c, built here) on the fixture tree.
. "$SRC/tests/e2e/lib.sh"
command -v cc >/dev/null || skip "no C compiler for the fault shim"
cc -shared -fPIC -O1 -o faultfs.so "$SRC/tests/e2e/collect/faultfs.c" -ldl 2>cc.err || { cat cc.err; skip "cannot build the fault shim"; }
root=$FIXTURES/numa-2node-6.1/t0
faulty() { env LD_PRELOAD="$SCRATCH/faultfs.so" MS_FAULT_LOG="$SCRATCH/log" "$@"; }
records() { tar --zstd -xOf "$1" "$2" | grep -a '^@ ' | sed 's/ [0-9]*$//'; }

run faulty MS_FAULT_READ=/proc/151/smaps MS_FAULT_AFTER=4096 MS_FAULT_ERRNO=ESRCH \
	"$MEMSNAP" collect --proc-root "$root/proc" --sys-root "$root/sys" -n 1 -q --no-mlock -o s.tar.zst
[ -s log ] || skip "the shim did not take effect (a static binary?)"
assert_rc 0 "collect with smaps failing mid-read"
assert_empty err
assert_eq "$(sort -u log)" "read /proc/151/smaps" "faults injected"
records s.tar.zst 000001/t2 > t2
printf '%s\n' "@ ESRCH 0 /proc/151/smaps" "@ ok 846 /proc/151/numa_maps" "@ ok 7394 /proc/1/smaps" \
	"@ ok 659 /proc/1/numa_maps" > want
diff want t2 || fail "tier 2 records"
tar --zstd -xOf s.tar.zst 000001/meta > meta
assert_line meta "gap ESRCH smaps 1"
run "$MEMSNAP" info s.tar.zst
assert_rc 0 "info"
assert_line out "  ESRCH smaps                              1 in 1 samples"
run "$MEMSNAP" load s.tar.zst
assert_rc 0 "load"
q() { "$MEMSNAP" query s.db "$1" --csv | tail -n +2; }
assert_eq "$(q "SELECT path, status FROM read_gap WHERE status = 'ESRCH'")" "/proc/151/smaps,ESRCH" "read_gap"
assert_eq "$(q 'SELECT p.pid, count(*) > 0 FROM mapping m JOIN process p ON p.id = m.process_id GROUP BY p.pid')" \
	"1,1" "mappings: pid 1 only"
assert_eq "$(q 'SELECT count(*) FROM numa_mapping n JOIN process p ON p.id = n.process_id WHERE p.pid = 151')" \
	"13" "151's numa_maps still read (one row per VMA and node)"

# status fails after 100 bytes: the other files of 151 are still read
rm -f log
run faulty MS_FAULT_READ=/proc/151/status MS_FAULT_AFTER=100 MS_FAULT_ERRNO=ESRCH \
	"$MEMSNAP" collect --proc-root "$root/proc" --sys-root "$root/sys" -n 1 -q --no-mlock -o t.tar.zst
assert_rc 0 "collect with status failing mid-read"
records t.tar.zst 000001/t0 | grep ' /proc/151/' > t0
grep -q '^@ ESRCH 0 /proc/151/status$' t0 || { cat t0; fail "no ESRCH status record"; }
for f in stat oom_score oom_score_adj cmdline comm; do
	grep -q "^@ ok [0-9]* /proc/151/$f\$" t0 || { cat t0; fail "no $f record after the failed status"; }
done
records t.tar.zst 000001/t1 | grep -q '^@ ok [0-9]* /proc/151/smaps_rollup$' || fail "no smaps_rollup of 151"
exit 0
