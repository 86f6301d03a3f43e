#!/bin/sh
# A process first seen before it execs (a shell that becomes `sleep`) is
# named by what it became: process.comm follows /proc/PID/stat, so findings
# do not name a process after its parent's program.
. "$SRC/tests/e2e/lib.sh"
mkfifo go
sh -c 'read l < go; exec sleep 60' &
p=$!
track $p
"$MEMSNAP" collect -i 100ms -q --no-mlock -o c.tar.zst 2>/dev/null &
c=$!
track $c
samples_at_least() { n=$(complete_samples c.tar.zst); [ "${n:-0}" -ge "$1" ]; }
wait_for 60 samples_at_least 2
echo go > go
became_sleep() { [ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ]; }
wait_for 60 became_sleep
n0=$(complete_samples c.tar.zst)
wait_for 60 samples_at_least $((n0 + 2))
kill -TERM $c
wait $c
run "$MEMSNAP" load c.tar.zst -q
assert_rc 0 "load"
start=$(awk '{ sub(/.*\) /, ""); print $20 }' /proc/$p/stat)
"$MEMSNAP" query c.db "SELECT comm FROM process WHERE pid = $p AND starttime = $start" --csv > q
assert_line q sleep
"$MEMSNAP" query c.db "SELECT count(*) FROM process WHERE pid = $p" --csv > q
assert_line q 1
exit 0
