#!/bin/sh
# An hour at 1 s (bench/plans/hour.plan on leak.tar.zst's texts): the late
# leak, the swap storm and the thrash found in their place (a leak's onset
# to two minutes: change points on 18-second buckets; episodes to one
# interval, given to 2 s), none of the look-alikes; and the first 1, 2 and 3 samples of
# the same recording: no rule fails, nothing is found, and the rules that
# need more say so.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/long/long.inc"

generate hour.tar.zst leak hour.plan 3600 1
analyze hour.tar.zst
printf '%s\t%s\t%s\t%s\t%s\n' \
	swap/storm system 0.25 0.2833 0.0006 \
	thrash/system system 0.6667 0.75 0.0006 \
	leak/process '24116 (ms-leak8k)' 0.5833 end 0.0333 > want
expect want
grep -q '	swap/storm	.*; it ended 43 min before the end of the recording\.	' out || fail "storm not ended"
grep -q '	thrash/system	.*; it ended 15 min before the end of the recording\.	' out || fail "thrash not ended"

for n in 1 2 3; do
	generate t$n.tar.zst leak hour.plan $n 1
	analyze t$n.tar.zst
	assert_empty out
	# what could not judge says so, and nothing failed: on one sample every
	# rule but swap/process (it needs nothing) is insufficient
	assert_no_match unjudged '^failed'
	[ "$n" != 1 ] || assert_eq "$(grep -c '^insufficient' unjudged)" 18 "rules that cannot judge 1 sample"
	run "$MEMSNAP" analyze t$n.tar.zst -o t$n.db -q --format json
	assert_rc 0 "analyze $n samples, JSON"
	assert_no_match out '"status":	"failed"'
done
exit 0
