#!/bin/sh
# The incidents' limits and SIGHUP, on a fake host:
# - --max-incidents 2: a third incident removes the oldest, and says so;
# - --max-incident-length 1s: a condition that keeps holding (PSI) ends its
#   incident after 1 s anyway;
# - --max-incident-size 256K: an incident that would pass it is sealed
#   before (end reason max-size), and says so;
# - SIGHUP closes the segment (end reason reopen) and starts a new one.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/record/fakehost.inc"
fake_host tree
sealed() { [ "$(ls r/incidents | grep -c '\.tar\.zst$')" -ge "$1" ] && [ -z "$(ls r/incidents | grep '\.part$')" ]; }
incidents_logged() { [ "$(grep -c '^memsnap: record: incident sealed: ' log)" -ge "$1" ]; }

# --max-incidents
rec -i 200ms --pre 1s --post 300ms --incident-interval 100ms --max-incidents 2
wait_for 60 logged 'recording to r '
for n in 1 2 3; do
	"$MEMSNAP" record --trigger-now -D r 2>/dev/null || fail "--trigger-now $n"
	wait_for 60 incidents_logged $n
	sleep 1 # names are to the second: the third must not reuse the removed first's
done
kill -TERM $pid
wait $pid || fail "exit status"
assert_eq "$(ls r/incidents | grep -c '\.tar\.zst$')" 2 "incidents kept"
first=$(sed -n 's/^memsnap: record: incident sealed: r\/incidents\/\([^ ]*\) .*/\1/p' log | head -n 1)
assert_eq "$(grep -c "^memsnap: record: removed the oldest incident $first (--max-incidents 2)$" log)" 1 "the removal's line"
[ ! -e "r/incidents/$first" ] || fail "the oldest incident is still there"

# --max-incident-length, with PSI holding
rm -rf r log
rec -i 200ms --pre 1s --post 300ms --incident-interval 100ms --max-incident-length 1s
wait_for 60 logged 'recording to r '
fake_psi tree 50.00
wait_for 60 logged 'incident sealed: '
fake_psi tree 0.00
kill -TERM $pid
wait $pid || fail "exit status"
b=r/incidents/$(ls r/incidents | grep '\.tar\.zst$' | head -n 1)
t=$(tar --zstd -xOf "$b" memsnap.header | sed -n 's/^incident_time //p')
last=$(for m in $(tar --zstd -tf "$b" | grep '/meta$'); do tar --zstd -xOf "$b" "$m" | sed -n 's/^wall //p'; done | tail -n 1)
awk -v t="$t" -v l="$last" 'BEGIN { exit !(l - t < 1.5) }' || fail "the incident went on $(awk -v t="$t" -v l="$last" 'BEGIN { print l - t }') s after it began"
"$MEMSNAP" info "$b" | grep -q '^end:         complete (post)$' || fail "its end"

# --max-incident-size, with PSI holding and a process whose status
# changes wholly every 50 ms (16 KiB of noise: samples that do not
# compress); then SIGHUP
rm -rf r log
rec -i 200ms --pre 1s --post 300ms --incident-interval 100ms --max-incident-size 256K
wait_for 60 logged 'recording to r '
( while :; do head -c 12288 /dev/urandom | base64 > tree/proc/100/status.tmp && mv -f tree/proc/100/status.tmp tree/proc/100/status; sleep 0.05; done ) &
noise=$!
track $noise
fake_psi tree 50.00
wait_for 60 logged 'incident sealed: '
kill $noise
fake_psi tree 0.00
grep -q '^memsnap: record: incident memsnap-.*-psi.tar.zst reached --max-incident-size$' log || { cat log; fail "no size line"; }
b=r/incidents/$(ls r/incidents | grep '\.tar\.zst$' | head -n 1)
[ "$(stat -c %s "$b")" -le 262144 ] || fail "$b is $(stat -c %s "$b") bytes"
"$MEMSNAP" info "$b" | grep -q '^end:         complete (max-size)$' || fail "its end"
before=$(segments r)
kill -HUP $pid
wait_for 60 logged 'SIGHUP: new segment seg-'
newseg() { [ "$(segments r)" -gt "$before" ]; }
wait_for 60 newseg
kill -TERM $pid
wait $pid || fail "exit status"
hup=$(ls r/ring | sed -n "$before"p)
"$MEMSNAP" info "r/ring/$hup" | grep -q '^end:         complete (reopen)$' || fail "the segment closed by SIGHUP"
exit 0
