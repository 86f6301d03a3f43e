#!/bin/sh
# A second recorder on the same directory is refused with one line naming
# the first one's PID (the lock, DIR/lock), exit 1, and changes nothing;
# --trigger-now without a recorder says so.  Once the first has stopped,
# the directory is free again.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/record/fakehost.inc"
fake_host tree
run "$MEMSNAP" record -D r --trigger-now
assert_rc 1 "--trigger-now without a recorder"
assert_eq "$(cat err)" "memsnap: record: no recorder is running on 'r'" "--trigger-now's message"
rec -i 200ms
started() { [ "$(segments r)" -ge 1 ] && logged 'recording to r '; }
wait_for 60 started
before=$(ls r/ring)
run "$MEMSNAP" record -D r --proc-root tree/proc --sys-root tree/sys -i 200ms --no-mlock
assert_rc 1 "a second recorder"
assert_eq "$(cat err)" "memsnap: record: 'r' is in use by another recorder (pid $pid); stop it first, or give this one another -D" "the second recorder's message"
assert_empty out
assert_eq "$(ls r/ring | head -n "$(echo "$before" | wc -l)")" "$before" "the ring after the refusal"
kill -TERM $pid
wait $pid
run "$MEMSNAP" record -D r -d 1s
assert_rc 2 "collect's -d is not record's"
: > log
rec -i 200ms
wait_for 60 logged 'recording to r '
kill -TERM $pid
wait $pid || fail "the second run after the first stopped"
exit 0
