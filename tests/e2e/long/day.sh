#!/bin/sh
# A day of the leak scenario's host (bench/plans/day.plan: real texts of
# samples/bundles/leak.tar.zst, problems planted at known times), recorded
# at 60 s and at 10 min: every problem is found once, in its place in time
# (onset and last evidence), and none of the look-alikes (warm-up, GC
# sawtooth, a cache filling to its bound, a single step, a leak that
# stopped, load that comes and goes, a noisy steady process) is.
#
# Tolerances: a leak's onset comes from change points on 7.2-minute
# buckets of trough values (leak/process) or on 5-minute smaps captures
# (leak/mapping), so it is given to half an hour; an episode (swap storm,
# thrash, a cgroup near its limit) starts and ends with the interval its
# counters first and last cross the thresholds: one interval.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/long/long.inc"

generate day.tar.zst leak day.plan 1440 60

# the plan is in the data (else the test below proves nothing):
# ms-leak8k flat (+-0.5 MiB of jitter) for 14 hours, then +20 MiB/h for 10 hours
q() { "$MEMSNAP" query day.db --csv "$1" | tail -1; }
run "$MEMSNAP" load day.tar.zst -q
assert_rc 0 "load day.tar.zst"
anon_mib() { q "SELECT CAST(round(rss_anon / 1048576.0) AS INTEGER) FROM proc_sample s JOIN process p ON p.id = s.process_id WHERE p.comm = 'ms-leak8k' AND s.sample = $1"; }
a1=$(anon_mib 1); a840=$(anon_mib 840); a1440=$(anon_mib 1440)
[ "$((a840 - a1))" -ge -1 ] && [ "$((a840 - a1))" -le 1 ] && [ "$((a1440 - a840))" -ge 195 ] && [ "$((a1440 - a840))" -le 205 ] ||
	fail "ms-leak8k not as planned: $a1, $a840, $a1440 MiB at samples 1, 840, 1440"

analyze day.tar.zst
printf '%s\t%s\t%s\t%s\t%s\n' \
	swap/storm system 3 3.667 0.02 \
	thrash/system system 8 8.5 0.02 \
	oom/cgroup-limit /process_api/0f8553344b1fd43b0b9f6cea564e2ef3 10 11.983 0.02 \
	leak/process '24123 (ms-leak1m)' 6 end 0.5 \
	leak/process '24116 (ms-leak8k)' 14 end 0.5 \
	leak/process '24148 (ms-mapleak)' 20 end 0.5 \
	leak/mapping '24148 (ms-mapleak) 7f0ca7400000-7f0cc7400000 anon' 20 end 0.5 > want
expect want

# the rates are those planted, measured from the onset (not diluted over
# the flat hours before it)
in_range "$(rate leak/process '24116 (ms-leak8k)')" 19 21 "ms-leak8k MiB/h"
in_range "$(rate leak/process '24123 (ms-leak1m)')" 7.5 8.5 "ms-leak1m MiB/h"
in_range "$(rate leak/process '24148 (ms-mapleak)')" 28.5 31.5 "ms-mapleak MiB/h"
in_range "$(rate leak/mapping '24148 (ms-mapleak) 7f0ca7400000-7f0cc7400000 anon')" 28.5 31.5 "mapping MiB/h"
grep -q '	24116 (ms-leak8k)	.*grew 19[0-9] MiB in 9\.[0-9] h, starting 14\.[0-9] h after its first sample' out ||
	fail "ms-leak8k message: $(grep ms-leak8k out)"
# the episodes say that they ended, and when
grep -q '	swap/storm	.*; it ended 20\.[0-9] h before the end of the recording\.	' out || fail "storm not ended"
grep -q '	thrash/system	.*; it ended 15\.[0-9] h before the end of the recording\.	' out || fail "thrash not ended"
grep -Eq '	oom/cgroup-limit	.*; it ended 12\.0 h before the end of the recording\.( |	)' out || fail "cgroup level not ended"

# the same windows in JSON (epoch seconds and UTC text) as in TSV
run "$MEMSNAP" analyze day.tar.zst -o day.db -q --format json
assert_rc 0 "analyze --format json"
python3 -c 'import json, sys
for f in json.load(sys.stdin)["findings"]: print(f["start_utc"], f["end_utc"])' < out > json.win ||
	fail "the JSON output does not parse"
cut -d' ' -f1 json.win | sort > json.start
cut -d' ' -f2 json.win | sort > json.end
run_tsv "$MEMSNAP" analyze day.tar.zst -o day.db -q --format tsv
cut -f5 out | sort | diff - json.start >&2 || fail "JSON start times differ from TSV"
cut -f6 out | sort | diff - json.end >&2 || fail "JSON end times differ from TSV"

# at 10 minutes a sample (144 samples) the episodes are still placed to the
# interval, and a leak's onset to two 50-minute buckets; leak/process needs
# 12 buckets of 5 samples (10 hours of growth), so ms-mapleak's 4 hours are
# judged only by leak/mapping (smaps every sample at this interval: 24
# points), and nothing else takes their place
generate day10.tar.zst leak day.plan 144 600
analyze day10.tar.zst
printf '%s\t%s\t%s\t%s\t%s\n' \
	swap/storm system 3 3.667 0.17 \
	thrash/system system 8 8.5 0.17 \
	oom/cgroup-limit /process_api/0f8553344b1fd43b0b9f6cea564e2ef3 10 11.833 0.17 \
	leak/process '24123 (ms-leak1m)' 6 end 1.5 \
	leak/process '24116 (ms-leak8k)' 14 end 1.5 \
	leak/mapping '24148 (ms-mapleak) 7f0ca7400000-7f0cc7400000 anon' 20 end 1.5 > want10
expect want10
exit 0
