#!/bin/sh
# An OOM kill in a cgroup during the recording (75 s): the kill is reported
# for that cgroup, and the cgroup sitting at 95 % of its limit is flagged as
# near it; neither is a leak.
. "$SRC/tests/scenario/lib.sh"
scenario oom 75s
expect oom/kill '/ms-oomer$'
expect oom/cgroup-limit '/ms-nearlimit$'
! grep -q 'leak/.*ms-nearlimit' found || fail "ms-nearlimit is not a leak"
exit 0
