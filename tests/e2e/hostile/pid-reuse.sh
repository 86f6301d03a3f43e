#!/bin/sh
# A PID reused: process identity is (PID, start time), never the PID
# alone.  PID 500 with start time 1000 in sample 1 and 2000 in sample 2 is
# two processes; within one sample, PID 600 twice (start times 10 and 20)
# is two processes too, and the records after the second stat attach to
# the second one.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
bundle_header
# rec MEMBER PID START [STATM_RESIDENT]
rec() {
	proc_stat "$2" "$3" "c$2" > st
	add_record "$1" ok "/proc/$2/stat" st
	if [ -n "${4:-}" ]; then
		echo "100 $4 0 0 0 0 0" > sm
		add_record "$1" ok "/proc/$2/statm" sm
	fi
}
rec 000001/t0 500 1000 10
rec 000001/t0 600 10 11
rec 000001/t0 600 20 12
sample_meta 1 1767225601.0 101.0
rec 000002/t0 500 2000 13
sample_meta 2 1767225602.0 102.0
mk_bundle r.tar.zst memsnap.header 000001/t0 000001/meta 000002/t0 000002/meta
run "$MEMSNAP" load r.tar.zst
assert_rc 0 "load"
q() { "$MEMSNAP" query r.db "$1" --csv | tail -n +2; }
assert_eq "$(q 'SELECT pid, starttime, first_sample, last_sample FROM process ORDER BY pid, starttime' | tr '\n' ' ')" \
	"500,1000,1,1 500,2000,2,2 600,10,1,1 600,20,1,1 " "processes"
assert_eq "$(q 'SELECT p.pid, p.starttime, s.sample, s.statm_resident / 4096 FROM proc_sample s JOIN process p ON p.id = s.process_id ORDER BY 1, 2' | tr '\n' ' ')" \
	"500,1000,1,10 500,2000,2,13 600,10,1,11 600,20,1,12 " "process samples"
run "$MEMSNAP" info r.tar.zst
assert_line out "processes:   4 seen (at most 0 in one sample), 0 process-samples; cgroups: at most 0"
exit 0
