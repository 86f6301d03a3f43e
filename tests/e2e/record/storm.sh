#!/bin/sh
# A trigger storm is one incident: a cgroup nears its limit, then its
# processes are killed five times (the kernel's oom_kill counters in
# vmstat and in the cgroup's memory.events), memory pressure rises and
# falls; every trigger extends the incident, and all of them are in its
# bundle in the order they fired, the cgroup's limit first.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/record/fakehost.inc"
fake_host tree
rec -i 500ms --pre 2s --post 2s --incident-interval 100ms
wait_for 60 logged 'recording to r '
fake_job tree 65000000 0
wait_for 60 logged 'trigger: cgroup-limit '
wait_for 60 logged 'incident started: '
k=0
while [ $k -lt 5 ]; do
	k=$((k + 1))
	fake_job tree 66000000 $k
	fake_vmstat tree $k 0 0
	[ $k = 3 ] && fake_psi tree 25.00
	sleep 0.3
done
fake_psi tree 0.00
fake_job tree 1000000 5
sealed() { [ "$(ls r/incidents | grep -c '\.tar\.zst$')" -ge 1 ]; }
wait_for 60 sealed
kill -TERM $pid
wait $pid || fail "record's exit status"
assert_eq "$(ls r/incidents)" "$(ls r/incidents | grep '\.tar\.zst$' | head -n 1)" "exactly one incident, nothing else"
assert_eq "$(grep -c '^memsnap: record: incident started: ' log)" 1 "incidents started"
assert_eq "$(grep -c '^memsnap: record: incident sealed: ' log)" 1 "incidents sealed"
b=r/incidents/$(ls r/incidents)
tar --zstd -xOf "$b" memsnap.header | grep -qx 'incident_trigger cgroup-limit' || fail "the incident's first trigger"
tar --zstd -xf "$b" --wildcards '*/trigger' -O > trig
head -n 1 trig | grep -q '^cgroup-limit [0-9.]* cgroup=/sys/fs/cgroup/job working_set=65000000 limit=67108864 pct=96.9 threshold=95$' ||
	{ cat trig; fail "the first trigger line"; }
sort -s -k2,2n trig | cmp - trig || { cat trig; fail "trigger lines not in time order"; }
# the five kills: the cgroup's lines name them all; vmstat's lines count
# the kills it showed before a cgroup line named them (a watch reading, or
# a kill between reading vmstat and the cgroup)
deltas() { awk -v s="$1" '$1 == "oom-kill" && $3 == "source=" s { for (i = 4; i <= NF; i++) if ($i ~ /^delta=/) n += substr($i, 7) } END { print n + 0 }' trig; }
assert_eq "$(deltas cgroup)" 5 "kills in the cgroup's lines"
[ "$(deltas vmstat)" -le 5 ] || { cat trig; fail "vmstat's lines count more than five kills"; }
grep -q '^oom-kill [0-9.]* source=cgroup cgroup=/sys/fs/cgroup/job oom_kill=[1-5] delta=[1-5]$' trig || { cat trig; fail "no cgroup oom-kill line"; }
grep -q '^psi [0-9.]* source=avg10 full_avg10=25.00 threshold=10$' trig || { cat trig; fail "no psi line"; }
# and the log has each of them, once
assert_eq "$(grep -c '^memsnap: record: trigger: ' log)" "$(wc -l < trig)" "trigger lines logged"
"$MEMSNAP" info "$b" > info.out || fail "info"
grep -q '^end:         complete (post)$' info.out || { cat info.out; fail "not sealed after its post window"; }
exit 0
