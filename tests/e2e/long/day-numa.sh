#!/bin/sh
# A day of the two-node VM (bench/plans/day-numa.plan: real texts of
# samples/bundles/numa-remote.tar.zst) at 60 s, node 1 full from 5:00 to
# 6:00 and from 18:00 to 18:20, allocations spilling to node 0 in the
# first: each episode is its own finding, in its place in time, and ended;
# the process whose memory sits on the other node (as recorded) is
# misplaced the whole day. Episodes are placed to one interval.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/long/long.inc"

generate numa.tar.zst numa-remote day-numa.plan 1440 60
analyze numa.tar.zst
printf '%s\t%s\t%s\t%s\t%s\n' \
	numa/node-skew 'node 1' 5 5.983 0.02 \
	numa/node-skew 'node 1' 18 18.317 0.02 \
	numa/remote-alloc system 5 6 0.02 \
	numa/process-remote '159 (ms-numa-remote)' 0 end 0.1 > want
expect want
grep -q '	node 1	.*full for 59\.0 min (1 episode).*; it ended 18\.0 h before the end of the recording\.	' out ||
	fail "first skew: $(grep 'node 1' out | head -1)"
grep -q '	node 1	.*full for 19\.0 min (1 episode).*; it ended 5\.7 h before the end of the recording\.	' out ||
	fail "second skew: $(grep 'node 1' out | tail -1)"
exit 0
