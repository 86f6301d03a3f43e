#!/bin/sh
# load a real bundle: the process set and numbers in the database are what
# /proc said; a second load reuses the database; query is read-only.
. "$SRC/tests/e2e/lib.sh"
sleep 302 & sleeper=$!
track $sleeper
wait_for 10 settled $sleeper sleep
run "$MEMSNAP" collect -n 3 -i 200ms -q -o b.tar.zst
assert_rc 0 "collect"
run "$MEMSNAP" load b.tar.zst
assert_rc 0 "load"
grep -q '^memsnap: load: loaded 3 samples ([0-9]* rows) into b.db$' err || { cat err; fail "load message"; }
[ -f b.db ] || fail "no b.db"
q() { "$MEMSNAP" query b.db "$1" --csv | tail -n +2; }
assert_eq "$(q "SELECT comm FROM process WHERE pid = $sleeper")" "sleep" "the sleeper's comm"
assert_eq "$(q "SELECT cmdline FROM process WHERE pid = $sleeper")" "sleep 302" "the sleeper's cmdline"
assert_eq "$(q "SELECT count(*) FROM proc_sample ps JOIN process p ON p.id = ps.process_id WHERE p.pid = $sleeper")" 3 "samples of the sleeper"
# RSS in the database equals what its status record said, in bytes; in
# sample 2 the sleeper's status was not read (its stat had not changed:
# skip:unchanged), and sample 1's stands for it, oom_score too, no gap
want=$(tar --zstd -xOf b.tar.zst --wildcards '000001/t0*' | sed -n "/^@ ok [0-9]* \/proc\/$sleeper\/status$/,/^VmRSS/p" | sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB$/\1/p')
[ -n "$want" ] || fail "no VmRSS for the sleeper in sample 1"
tar --zstd -xOf b.tar.zst --wildcards '000002/t0*' | grep -q "^@ skip:unchanged 0 /proc/$sleeper/status$" ||
	fail "the sleeper's status was read in sample 2"
oom=$(tar --zstd -xOf b.tar.zst --wildcards '000001/t0*' | sed -n "/^@ ok [0-9]* \/proc\/$sleeper\/oom_score$/{n;p;}")
for s in 1 2; do
	got=$(q "SELECT vm_rss, oom_score FROM proc_sample ps JOIN process p ON p.id = ps.process_id WHERE p.pid = $sleeper AND sample = $s")
	assert_eq "$got" "$((want * 1024)),$oom" "VmRSS and oom_score of the sleeper in sample $s"
done
assert_eq "$(q "SELECT count(*) FROM read_gap WHERE status = 'skip:unchanged'")" 0 "unchanged files as gaps"
# the database matches the bundle's own counts
n=$(tar --zstd -xOf b.tar.zst 000003/meta | sed -n 's/^processes //p')
assert_eq "$(q 'SELECT count(*) FROM proc_sample WHERE sample = 3')" "$n" "processes in sample 3"
assert_eq "$(q 'SELECT complete_samples, truncated, corrupt, clean_end, end_reason FROM load_info')" "3,0,0,1,count" "load_info"
assert_eq "$(q "SELECT count(*) > 0 FROM meminfo WHERE key = 'MemAvailable'")" 1 "meminfo loaded"
assert_eq "$(q 'SELECT count(*) FROM load_error')" 0 "load errors"
# a second load reuses; --force reloads
run "$MEMSNAP" load b.tar.zst
assert_rc 0 "second load"
assert_line err "memsnap: load: reusing b.db (already loaded from this bundle)"
run "$MEMSNAP" load --force b.tar.zst
assert_rc 0 "forced load"
grep -q '^memsnap: load: loaded 3 samples' err || fail "--force did not reload"
# query on the bundle itself (reuses b.db) in JSON
run "$MEMSNAP" query b.tar.zst "SELECT pid, comm FROM process WHERE pid = $sleeper" --json
assert_rc 0 "query --json"
assert_eq "$(tr -d ' \n\t' < out)" "[{\"pid\":$sleeper,\"comm\":\"sleep\"}]" "JSON output"
# read-only: writes are refused and change nothing
run "$MEMSNAP" query b.db "DELETE FROM sample"
assert_rc 1 "a DELETE"
assert_line err "memsnap: query: only read-only statements are allowed"
run "$MEMSNAP" query b.db "SELECT 1; DELETE FROM sample"
assert_rc 1 "two statements"
assert_eq "$(q 'SELECT count(*) FROM sample')" 3 "samples after the refused writes"
run "$MEMSNAP" query b.db "SELECT nosuchcolumn FROM sample"
assert_rc 1 "bad SQL"
assert_line err "memsnap: query: no such column: nosuchcolumn"
exit 0
