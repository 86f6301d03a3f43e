#!/bin/sh
# label: slow (a week at 60 s and at 10 min)
# A week of the leak scenario's host (bench/plans/week.plan) at 60 s
# (10080 samples: past the 4096 points of the pairwise statistics in every
# series a rule could feed them whole) and at 10 min: slow leaks that
# start late or run all week, two swap storms, a thrash and a cgroup near
# its limit on different days, each found in its place; nothing for the
# look-alikes, among them a daily load wave whose last rise ends no higher
# than the days before and a cache that takes 20 hours to fill.
#
# Tolerances: a leak's onset to two buckets (at most 200 buckets a series:
# 50 minutes a bucket at 60 s and at 10 min); episodes to one interval.
# At 10 min, ms-mapleak's last 12 hours are 72 samples: leak/process needs
# 12 buckets of 5 samples from the onset and does not judge them,
# leak/mapping (smaps every sample at this interval) does.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/long/long.inc"

episodes() { # TOLERANCE_H
	printf '%s\t%s\t%s\t%s\t%s\n' \
		swap/storm system 26 26.5 "$1" \
		swap/storm system 148 149 "$1" \
		thrash/system system 82 83 "$1" \
		oom/cgroup-limit /process_api/0f8553344b1fd43b0b9f6cea564e2ef3 104 "$2" "$1"
}

generate week.tar.zst leak week.plan 10080 60
analyze week.tar.zst
{
	episodes 0.02 109.983
	printf '%s\t%s\t%s\t%s\t%s\n' \
		leak/process '24123 (ms-leak1m)' 0 end 1.7 \
		leak/process '24116 (ms-leak8k)' 120 end 1.7 \
		leak/process '24148 (ms-mapleak)' 156 end 1.7 \
		leak/mapping '24148 (ms-mapleak) 7f0ca7400000-7f0cc7400000 anon' 156 end 1.7
} > want
expect want
in_range "$(rate leak/process '24116 (ms-leak8k)')" 4.8 5.2 "ms-leak8k MiB/h"
in_range "$(rate leak/process '24123 (ms-leak1m)')" 1.9 2.1 "ms-leak1m MiB/h"
in_range "$(rate leak/process '24148 (ms-mapleak)')" 28.5 31.5 "ms-mapleak MiB/h"

generate week10.tar.zst leak week.plan 1008 600
analyze week10.tar.zst
{
	episodes 0.17 109.833
	printf '%s\t%s\t%s\t%s\t%s\n' \
		leak/process '24123 (ms-leak1m)' 0 end 1.7 \
		leak/process '24116 (ms-leak8k)' 120 end 1.7 \
		leak/mapping '24148 (ms-mapleak) 7f0ca7400000-7f0cc7400000 anon' 156 end 1.7
} > want10
expect want10
exit 0
