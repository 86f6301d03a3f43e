#!/bin/sh
# --from/--to on load and query: exactly the samples of the window, the
# same window however it is written (relative to either end, absolute with
# an offset or in the --tz zone, a time of day, @SECONDS), the database
# reused for that window only; what comes from before the window (the
# host, the command lines of processes started before it) as a load of the
# whole bundle has it; the same result when the members' tar times cannot
# be trusted (every sample held until its meta) or lie about the window's
# first sample (a load_error, not a silent loss); and one clear line for
# every window that cannot be.
#
# leak.tar.zst: samples 1-120 every 5 s, 06:52:21.009 to 07:02:16.012 UTC.
. "$SRC/tests/e2e/lib.sh"
q() { "$MEMSNAP" query "$1" "$2" --csv | tail -n +2 | tr '\n' '|'; }
samples() { q "$1" "SELECT count(*), min(id), max(id) FROM sample"; }

cp "$SRC/samples/bundles/leak.tar.zst" .
run "$MEMSNAP" load leak.tar.zst -o full.db -q
assert_rc 0 "load the whole bundle"
assert_eq "$(samples full.db)" "120,1,120|" "the whole bundle"

# the last 6 minutes: from 06:56:16.012 (sample 48 is at 06:56:16.009)
run "$MEMSNAP" load leak.tar.zst --from -6m
assert_rc 0 "--from -6m"
# (the sample bundles are redacted: one more header row, 'redacted')
assert_line err "memsnap: load: loaded 72 samples (82883 rows) into leak.db; the window 2026-12-01 06:56:16 to 07:02:16 UTC (48 samples before it)"
assert_eq "$(samples leak.db)" "72,49,120|" "--from -6m"
assert_eq "$(q leak.db 'SELECT window_from, window_to, recording_first, recording_last, complete_samples, truncated, clean_end, end_reason FROM load_info')" \
	"1796108176.012,1796108536.012,1796107941.00887,1796108536.012,72,0,1,duration|" "load_info"
# the same instants written otherwise: the database is reused
for w in "--from -360s" "--from -5m60s --to -0s"; do
	run "$MEMSNAP" load leak.tar.zst $w
	assert_rc 0 "$w"
	assert_line err "memsnap: load: reusing leak.db (already loaded from this bundle, window 2026-12-01 06:56:16 to 07:02:16 UTC)"
done
run "$MEMSNAP" load leak.tar.zst --from 06:56:17 --to 07:01:30 -q
assert_rc 0 "06:56:17 to 07:01:30"
assert_eq "$(samples leak.db)" "62,49,110|" "06:56:17 to 07:01:30"
for w in "--from 2026-12-01T07:56:17+01:00 --to 2026-12-01T08:01:30+0100" \
	"--from @1796108177 --to @1796108490" "--from 2026-12-01T06:56:17Z --to 07:01:30Z"; do
	run "$MEMSNAP" load leak.tar.zst $w
	assert_rc 0 "$w"
	assert_line err "memsnap: load: reusing leak.db (already loaded from this bundle, window 2026-12-01 06:56:17 to 07:01:30 UTC)"
done
# in another zone: the times given and shown are that zone's
run "$MEMSNAP" load leak.tar.zst --tz -05:30 --from 01:26:17 --to 2026-12-01T01:31:30
assert_rc 0 "--tz -05:30"
assert_line err "memsnap: load: reusing leak.db (already loaded from this bundle, window 2026-12-01 01:26:17 to 01:31:30 -0530)"
run env TZ='<+0100>-1' "$MEMSNAP" load leak.tar.zst --from 07:56:17 --to 08:01:30
assert_rc 0 "TZ +0100"
assert_line err "memsnap: load: reusing leak.db (already loaded from this bundle, window 2026-12-01 07:56:17 to 08:01:30 +0100)"
# another instant between the same samples: loaded again, the same samples
for w in "--from 06:56:17" "--from 2026-12-01T06:56:20Z" "--tz -05:30 --from 01:26:17" "--from +3m56s" "--from +236s"; do
	run "$MEMSNAP" load leak.tar.zst $w -q
	assert_rc 0 "$w"
	assert_eq "$(samples leak.db)" "72,49,120|" "$w"
done
# the first 6 minutes, and a window inside
run "$MEMSNAP" load leak.tar.zst --to +6m -q
assert_rc 0 "--to +6m"
assert_eq "$(samples leak.db)" "72,1,72|" "--to +6m"
assert_eq "$(q leak.db 'SELECT truncated, clean_end, end_reason FROM load_info')" "0,1,duration|" \
	"a read the window ended: the trailer as bundle_span read it"
run "$MEMSNAP" load leak.tar.zst --from 2026-12-01T06:55Z --to 07:01:30 -q
assert_rc 0 "06:55 to 07:01:30"
assert_eq "$(samples leak.db)" "78,33,110|" "06:55 to 07:01:30"
run "$MEMSNAP" query leak.tar.zst "SELECT count(*) FROM sample" --from 2026-12-01T06:55Z --to 07:01:30 --csv
assert_rc 0 "query with a window"
assert_eq "$(tail -n 1 out)" "78" "query with a window"

# a window and the whole bundle are not each other's database
run "$MEMSNAP" load leak.tar.zst
assert_rc 0 "the whole bundle after a window"
assert_line err "memsnap: load: loaded 120 samples (127710 rows) into leak.db"
run "$MEMSNAP" load leak.tar.zst --from -6m -q
assert_eq "$(samples leak.db)" "72,49,120|" "a window after the whole bundle"

# the window's rows are the whole bundle's rows of those samples
for t in meminfo vmstat proc_sample proc_rollup psi cgroup_value mapping numa_mapping read_gap buddyinfo zoneinfo; do
	assert_eq "$(q leak.db "SELECT count(*), total(sample) FROM $t")" \
		"$(q full.db "SELECT count(*), total(sample) FROM $t WHERE sample >= 49")" "$t rows"
done
assert_eq "$(q leak.db 'SELECT sum(vm_rss), sum(utime) FROM proc_sample')" \
	"$(q full.db 'SELECT sum(vm_rss), sum(utime) FROM proc_sample WHERE sample >= 49')" "proc_sample values"
# the processes of the window, with the command line of those that started
# before it (written in their first sample only)
procs="SELECT pid, starttime, cmdline, uid, last_sample FROM process"
assert_eq "$(q leak.db "$procs ORDER BY pid, starttime")" \
	"$(q full.db "$procs WHERE id IN (SELECT process_id FROM proc_sample WHERE sample >= 49) ORDER BY pid, starttime")" \
	"processes and command lines"
assert_eq "$(q leak.db 'SELECT count(*), count(cmdline), min(first_sample) FROM process')" "446,446,49|" "every process named"
# the host as the window starts: sample 1's, the only host member
assert_eq "$(q leak.db 'SELECT * FROM host')" "$(q full.db 'SELECT * FROM host')" "host"
assert_eq "$(q leak.db 'SELECT count(*) FROM host_file WHERE sample = 1')" "37|" "host_file"
assert_eq "$(q leak.db 'SELECT count(*) FROM load_error')" "0|" "no load error"

# members whose tar time is 0: no sample can be placed before its meta, so
# each is held until it comes; the same window, the same rows
mkdir x
tar --zstd -xf leak.tar.zst -C x || fail "tar -x"
tar --zstd -tf leak.tar.zst > order
(cd x && tar --format=ustar --owner=0 --group=0 --mtime=@0 -cf - -T ../order) | zstd -q > zero.tar.zst
run "$MEMSNAP" load zero.tar.zst --from -6m -q
assert_rc 0 "tar times 0"
assert_eq "$(samples zero.db)" "72,49,120|" "tar times 0"
assert_eq "$(q zero.db "$procs ORDER BY pid, starttime")" "$(q leak.db "$procs ORDER BY pid, starttime")" "tar times 0: processes"
assert_eq "$(q zero.db 'SELECT count(*), sum(value) FROM meminfo')" "$(q leak.db 'SELECT count(*), sum(value) FROM meminfo')" "tar times 0: meminfo"
# true tar times, but the window's first sample's say it comes long before:
# it is not loaded, and load_error says so
touch -d @1796000000 x/000049/*
(cd x && tar --format=ustar --owner=0 --group=0 -cf - -T ../order) | zstd -q > lie.tar.zst
run "$MEMSNAP" load lie.tar.zst --from -6m -q
assert_rc 0 "a lying tar time"
assert_eq "$(samples lie.db)" "71,50,120|" "a lying tar time"
assert_eq "$(q lie.db 'SELECT member, message FROM load_error')" \
	'000049/meta,"sample 49 is in the window, but the time of its members (tar mtime) put it before: it was not loaded"|' \
	"a lying tar time: load_error"

# the records of a sample before the window are not parsed: a bad meminfo
# record in sample 10 is a load_error of the whole bundle only
mkdir y
tar --zstd -xf leak.tar.zst -C y || fail "tar -x"
printf '@ ok 5 /proc/meminfo\nxx yy\n' >> y/000010/t0
touch -d @1796107986 y/000010/t0
(cd y && tar --format=ustar --owner=0 --group=0 -cf - -T ../order) | zstd -q > bad.tar.zst
run "$MEMSNAP" load bad.tar.zst -o bad-full.db -q
assert_eq "$(q bad-full.db 'SELECT sample, path FROM load_error')" "10,/proc/meminfo|" "the bad record, loaded"
run "$MEMSNAP" load bad.tar.zst --from -6m -o bad-window.db -q
assert_rc 0 "the bad record, before the window"
assert_eq "$(q bad-window.db 'SELECT count(*) FROM load_error')" "0|" "the bad record, not parsed"
assert_eq "$(samples bad-window.db)" "72,49,120|" "the bad record, before the window"

# a process's stat at the end of one part of t0 and its cmdline at the
# start of the next (the collector splits a tier at 1 MiB, between any two
# records): samples 1-5; 100 runs throughout, 200 starts in sample 2 (its
# cmdline in 000002/t0.1) and ends after 3, 300 starts in sample 4
. "$SRC/tests/e2e/hostile/mkbundle"
bundle_header
printf 'a.out\000-x\000' > cmd100
printf 'server\000--port\0008080\000' > cmd200
printf 'late\000' > cmd300
stat() { proc_stat "$1" "$2" "p$1" > st; add_record "$3" ok "/proc/$1/stat" st; }
stat 100 5000 000001/t0
add_record 000001/t0 ok /proc/100/cmdline cmd100
stat 100 5000 000002/t0
stat 200 6000 000002/t0
add_record 000002/t0.1 ok /proc/200/cmdline cmd200
stat 100 5000 000003/t0
stat 200 6000 000003/t0
stat 100 5000 000004/t0
stat 300 7000 000004/t0
add_record 000004/t0 ok /proc/300/cmdline cmd300
stat 100 5000 000005/t0
stat 300 7000 000005/t0
members=memsnap.header
for n in 1 2 3 4 5; do
	sample_meta $n 176722560$n.0 10$n.0
	members="$members $(cd m && ls -d 00000$n/t0* | tr '\n' ' ') 00000$n/meta"
done
mk_bundle parts.tar.zst $members
run "$MEMSNAP" load parts.tar.zst --from @1767225603
assert_rc 0 "parts"
assert_eq "$(samples parts.db)" "3,3,5|" "parts: samples"
assert_eq "$(q parts.db 'SELECT pid, cmdline, first_sample, last_sample FROM process ORDER BY pid')" \
	"100,a.out -x,3,5|200,server --port 8080,3,3|300,late,4,5|" "parts: command lines"

# windows that cannot be
run "$MEMSNAP" load leak.tar.zst --from 2026-12-01T08:00Z -o none.db
assert_rc 1 "after the recording"
assert_line err "memsnap: load: 'leak.tar.zst': no sample at or after 2026-12-01 08:00:00 UTC: the bundle's samples are from 2026-12-01 06:52:21 to 07:02:16 UTC"
run "$MEMSNAP" load leak.tar.zst --to 2026-12-01T06:00Z -o none.db
assert_rc 1 "before the recording"
assert_line err "memsnap: load: 'leak.tar.zst': no sample at or before 2026-12-01 06:00:00 UTC: the bundle's samples are from 2026-12-01 06:52:21 to 07:02:16 UTC"
run "$MEMSNAP" load leak.tar.zst --from 06:56:17 --to 06:56:19 -o none.db
assert_rc 1 "between two samples"
assert_line err "memsnap: load: 'leak.tar.zst': no sample in the window 2026-12-01 06:56:17 to 06:56:19 UTC: the bundle's samples are from 2026-12-01 06:52:21 to 07:02:16 UTC"
[ ! -e none.db ] && [ ! -e none.db.tmp ] || fail "a database was written for an empty window"
run "$MEMSNAP" load leak.tar.zst --from 07:00 --to 06:00
assert_rc 2 "--from after --to"
assert_line err "memsnap: load: --from (2026-12-01 07:00:00 UTC) is after --to (2026-12-01 06:00:00 UTC)"
run "$MEMSNAP" load leak.tar.zst --from 2026-12-01T25:00
assert_rc 2 "a bad time"
assert_line err "memsnap: load: invalid --from '2026-12-01T25:00': hour, minute or second out of range"
run "$MEMSNAP" load leak.tar.zst --to -5x
assert_rc 2 "a bad duration"
assert_line err "memsnap: load: invalid --to '-5x': expected a duration after '-' (before the last sample), like 30s, 30m or 1h30m"
run "$MEMSNAP" load leak.tar.zst --tz Mars/Olympus_Mons
assert_rc 2 "a bad zone"
assert_line err "memsnap: load: invalid --tz 'Mars/Olympus_Mons': expected a zone of the time zone database (Europe/Berlin), UTC, local, or an offset like +05:30"
run "$MEMSNAP" query full.db "SELECT 1" --from -5m
assert_rc 2 "a database has no window to cut"
assert_line err "memsnap: query: 'full.db' is a database: --from and --to cut what is loaded from a bundle"
exit 0
