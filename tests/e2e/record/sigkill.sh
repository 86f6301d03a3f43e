#!/bin/sh
# SIGKILL loses at most the sample in flight, and a restart continues:
# (1) killed between incidents: the open segment keeps every sample it
# completed (info: TRUNCATED, exact count); the next run numbers its
# segments after it; (2) killed in an incident: the next start resumes it
# when its post window is not over (its samples carried over, then more);
# (3) killed again, restarted after the post window: the incident is
# finished with exactly the samples it held, end reason "recovered".
# SIGSTOP first freezes the recorder so the counts read before the kill
# are exact.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/record/fakehost.inc"
fake_host tree
start() {
	"$MEMSNAP" record -D r --proc-root tree/proc --sys-root tree/sys -i 200ms --segment 2s \
		--pre 1s --incident-interval 100ms --no-mlock "$@" 2>> log &
	pid=$!
	track $pid
}
newest() { ls "r/$1" | grep "$2" | sort | tail -n 1; }
samples_of() { c=$(complete_samples "$1"); echo "${c:-0}"; }
# (1)
start --post 1m
two() { [ "$(segments r)" -ge 2 ] && [ "$(samples_of "r/ring/$(newest ring seg-)")" -ge 2 ]; }
wait_for 60 two
kill -STOP $pid
seg=$(newest ring seg-)
before=$(samples_of "r/ring/$seg")
kill -KILL $pid
wait $pid 2>/dev/null
run "$MEMSNAP" info "r/ring/$seg"
assert_rc 0 "info on the killed segment"
grep -q "^end:         TRUNCATED (.*); $before complete samples recovered" out || { cat out; fail "$seg after SIGKILL"; }
last=$(echo "$seg" | sed 's/^seg-0*\([0-9]*\)-.*/\1/')
# (2) a restart, then an incident, killed while it is written
start --post 1m
next() { [ -n "$(ls r/ring | grep "^seg-$(printf '%010d' $((last + 1)))-")" ]; }
wait_for 60 next
kill -USR1 $pid
part() { p=$(newest incidents '\.part$'); [ -n "$p" ] && [ "$(samples_of "r/incidents/$p")" -ge 15 ]; }
wait_for 60 part
kill -STOP $pid
p=$(newest incidents '\.part$')
held=$(samples_of "r/incidents/$p")
kill -KILL $pid
wait $pid 2>/dev/null
start --post 1m
resumed() { grep -q "^memsnap: record: resumed the unfinished incident $p ($held samples)$" log; }
wait_for 60 resumed
more() { [ "$(samples_of "r/incidents/$p")" -ge $((held + 3)) ]; }
wait_for 60 more
# (3) killed again; restarted once its post window (1 s now) is over
kill -STOP $pid
held=$(samples_of "r/incidents/$p")
kill -KILL $pid
wait $pid 2>/dev/null
# the trigger's time, from the log (tar cannot be trusted on a truncated bundle)
t=$(sed -n 's/^memsnap: record: trigger: manual \([0-9.]*\) .*/\1/p' log | tail -n 1)
[ -n "$t" ] || fail "no trigger time in the log"
over() { awk -v t="$t" -v now="$(date +%s.%N)" 'BEGIN { exit !(now > t + 1.5) }'; }
wait_for 60 over
start --post 1s
final=${p%.part}
finished() { grep -q "^memsnap: record: incident sealed: r/incidents/$final ($held samples, .*; recovered)$" log; }
wait_for 60 finished
kill -TERM $pid
wait $pid || fail "record's exit status"
grep -q "^memsnap: record: finishing the unfinished incident $p ($held samples)$" log || { cat log; fail "no finishing line"; }
[ ! -e "r/incidents/$p" ] || fail "$p is still there"
run "$MEMSNAP" info "r/incidents/$final"
assert_rc 0 "info on the finished incident"
grep -q "^samples:     $held complete " out || { cat out; fail "the finished incident's samples"; }
grep -q '^end:         complete (recovered)$' out || { cat out; fail "the finished incident's end"; }
exit 0
