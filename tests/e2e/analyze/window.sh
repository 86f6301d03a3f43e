#!/bin/sh
# analyze and report with --from/--to: the findings of exactly the window's
# samples (leak.tar.zst cut to its last and its first 6 minutes), the
# window said in the text header, the JSON (bundle.window; null for the
# whole bundle) and the HTML header; --tz (or TZ) changes the times shown
# in text and HTML and nothing else, JSON stays UTC.
#
# leak.tar.zst: samples 1-120 every 5 s, 06:52:21 to 07:02:16 UTC.
. "$SRC/tests/e2e/lib.sh"
cp "$SRC/samples/bundles/leak.tar.zst" .
# findings as severity, rule, entity, start, end (TSV is UTC; its header
# line left out)
findings() { tail -n +2 out | cut -f1,2,4,5,6 | tr '\t\n' ' |'; }

run "$MEMSNAP" analyze leak.tar.zst --from -6m --format tsv -q
assert_rc 0 "the last 6 minutes"
assert_eq "$(findings)" "\
warning leak/mapping 24148 (ms-mapleak) 7f0ca7400000-7f0cc7400000 anon 2026-12-01T06:56:21Z 2026-12-01T07:02:16Z|\
warning leak/process 24148 (ms-mapleak) 2026-12-01T06:56:21Z 2026-12-01T07:02:11Z|\
warning leak/process 24123 (ms-leak1m) 2026-12-01T06:56:21Z 2026-12-01T07:02:11Z|\
warning leak/process 24116 (ms-leak8k) 2026-12-01T06:56:21Z 2026-12-01T07:02:11Z|\
warning leak/shmem Shmem (orphaned) 2026-12-01T06:56:31Z 2026-12-01T07:02:13Z|" "the last 6 minutes"
run "$MEMSNAP" analyze leak.tar.zst --to +6m --format tsv -q
assert_rc 0 "the first 6 minutes"
assert_eq "$(findings)" "\
warning leak/mapping 24148 (ms-mapleak) 7f0ca7400000-7f0cc7400000 anon 2026-12-01T06:52:21Z 2026-12-01T06:57:21Z|\
warning leak/process 24148 (ms-mapleak) 2026-12-01T06:52:21Z 2026-12-01T06:58:11Z|\
warning leak/process 24123 (ms-leak1m) 2026-12-01T06:52:21Z 2026-12-01T06:58:11Z|\
warning leak/process 24116 (ms-leak8k) 2026-12-01T06:52:21Z 2026-12-01T06:58:11Z|\
warning leak/shmem Shmem (orphaned) 2026-12-01T06:52:31Z 2026-12-01T06:58:13Z|" "the first 6 minutes"
# the last 4m55s: shorter than the leak rules judge (min_minutes 5): no
# finding, and the rules that could not judge say so
run "$MEMSNAP" analyze leak.tar.zst --from -5m --format tsv -q
assert_rc 0 "the last 5 minutes"
assert_eq "$(tail -n +2 out | cut -f1,2,8 | tr '\t\n' ' |')" "\
insufficient fragmentation/high-order needs 5 min, this recording has 4 min 55 s|\
insufficient leak/mapping needs 5 min, this recording has 4 min 55 s|\
insufficient leak/process needs 5 min, this recording has 4 min 55 s|\
insufficient leak/shmem needs 5 min, this recording has 4 min 55 s|\
insufficient leak/slab needs 5 min, this recording has 4 min 55 s|" "the last 5 minutes"

# the header says which window: the samples analyzed, the --from/--to
# instants and the recording
run "$MEMSNAP" analyze leak.tar.zst --from -6m -q --tz UTC
assert_rc 0 "text, UTC"
cp out utc.txt
assert_eq "$(sed -n 2,4p out)" "window: 2026-12-01 06:56:21 to 07:02:16 UTC (5m55s, 72 samples, 446 processes)
selected: 2026-12-01 06:56:16 to 07:02:16 UTC (--from/--to), of the recording
  2026-12-01 06:52:21 to 07:02:16 UTC" "text header"
grep -q "^  process 24123 (ms-leak1m)    06:56:21 to 07:02:11 (5m50s)$" out || fail "a finding's times"
run "$MEMSNAP" analyze leak.tar.zst -q
assert_eq "$(sed -n 2p out)" "window: 2026-12-01 06:52:21 to 07:02:16 UTC (9m55s, 120 samples, 624 processes)" \
	"the whole bundle"
assert_no_match out "^selected:"

# --tz: only the times shown change
run "$MEMSNAP" analyze leak.tar.zst --from -6m -q --tz +05:30
assert_rc 0 "text, +05:30"
cp out plus.txt
assert_eq "$(sed -n 2,4p out)" "window: 2026-12-01 12:26:21 to 12:32:16 +0530 (5m55s, 72 samples, 446 processes)
selected: 2026-12-01 12:26:16 to 12:32:16 +0530 (--from/--to), of the
  recording 2026-12-01 12:22:21 to 12:32:16 +0530" "text header, +05:30"
grep -q "^  process 24123 (ms-leak1m)    12:26:21 to 12:32:11 (5m50s)$" out || fail "a finding's times, +05:30"
# the rest, times aside, is the same
for f in utc plus; do
	sed -e 1,4d -e 's/[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/T/g' $f.txt > $f.norm
done
cmp -s utc.norm plus.norm || { diff utc.norm plus.norm >&2; fail "--tz changed more than the times"; }
# TZ does what --tz does; --tz wins over it
run env TZ='<+0530>-5:30' "$MEMSNAP" analyze leak.tar.zst --from -6m -q
cmp -s out plus.txt || fail "TZ is not --tz"
run env TZ='<+0530>-5:30' "$MEMSNAP" analyze leak.tar.zst --from -6m -q --tz UTC
cmp -s out utc.txt || fail "--tz UTC does not win over TZ"
run env TZ=Mars/Olympus_Mons "$MEMSNAP" analyze leak.tar.zst --from -6m -q
assert_line err "memsnap: analyze: TZ 'Mars/Olympus_Mons' is not a time zone memsnap knows: times are shown in UTC"
cmp -s out utc.txt || fail "an unknown TZ: not UTC"

# a zone of the time zone database: a TZDIR holding one zone, 3 h east of
# UTC, written here as TZif (no tzdata needed); a time without an offset
# is read in it too
mkdir -p zi/Test
z16='\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'
printf "TZif$z16$z16\0\0\0\1\0\0\0\4\0\0\52\60\0\0+03\0" > zi/Test/Plus3
run env TZDIR="$PWD/zi" "$MEMSNAP" analyze leak.tar.zst --tz Test/Plus3 --from 2026-12-01T09:56:16.5 -q
assert_rc 0 "--tz Test/Plus3"
assert_eq "$(sed -n 2p out)" "window: 2026-12-01 09:56:21 to 10:02:16 +03 (5m55s, 72 samples, 446 processes)" \
	"a zone from TZDIR"
run env TZDIR="$PWD/zi" "$MEMSNAP" analyze leak.tar.zst --tz Test/Minus3 -q
assert_rc 2 "a zone TZDIR does not have"
run "$MEMSNAP" analyze leak.tar.zst --tz local -q
assert_rc 0 "--tz local"

# JSON: UTC whatever the zone, and the window
# (each rule's "seconds" is how long it ran: left out)
run "$MEMSNAP" analyze leak.tar.zst --from -6m --format json -q
grep -v '"seconds":' out > utc.json
for z in "--tz +05:30" "--tz -08:00"; do
	run "$MEMSNAP" analyze leak.tar.zst --from -6m --format json -q $z
	grep -v '"seconds":' out | cmp -s - utc.json || fail "JSON changed with $z"
done
tr -d '\t\n' < utc.json > flat.json
grep -qF '"window":{"from":1796108176.0120032,"to":1796108536.0120032,"recording_first":1796107941.0088654,"recording_last":1796108536.0120032,"from_utc":"2026-12-01T06:56:16Z","to_utc":"2026-12-01T07:02:16Z","recording_first_utc":"2026-12-01T06:52:21Z","recording_last_utc":"2026-12-01T07:02:16Z"}' flat.json ||
	fail "JSON bundle.window"
grep -qF '"t_first":1796108181.0089655,"t_last":1796108536.0120032,"first_utc":"2026-12-01T06:56:21Z"' flat.json ||
	fail "JSON t_first: the window's first sample"
run "$MEMSNAP" analyze leak.tar.zst --format json -q
tr -d '\t\n' < out | grep -qF '"load_errors":0,"window":null,' || fail "JSON: the whole bundle's window is null"

# HTML: the header's window and selected rows, the times and the chart axes
# in the zone
run "$MEMSNAP" report leak.tar.zst --from -6m -q --tz +05:30 -o r.html
assert_rc 0 "report"
grep -qF '<dt>window</dt><dd>2026-12-01 12:26:21 to 12:32:16 +0530 (6 minutes; host time zone UTC)</dd><dt>selected</dt><dd>2026-12-01 12:26:16 to 12:32:16 +0530 (--from/--to), of the recording 2026-12-01 12:22:21 to 12:32:16 +0530</dd><dt>samples</dt><dd>72, 446 processes seen</dd>' r.html ||
	fail "HTML header"
grep -qF 'process 24123 (ms-leak1m) &middot; 2026-12-01 12:26:21 to 12:32:11 +0530</div>' r.html || fail "HTML finding times"
grep -qF '>12:27</text>' r.html || fail "HTML chart axis in the zone"
grep -qF 'Times are +0530.' r.html || fail "HTML footer"
run "$MEMSNAP" report leak.tar.zst -q -o whole.html
assert_no_match whole.html '<dt>selected</dt>'
grep -qF '<dt>window</dt><dd>2026-12-01 06:52:21 to 07:02:16 UTC (10 minutes; host time zone UTC)</dd>' whole.html ||
	fail "HTML header, the whole bundle"
exit 0
