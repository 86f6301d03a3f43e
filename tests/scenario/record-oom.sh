#!/bin/sh
# A real cgroup OOM kill while `memsnap record` runs (1 s ticks, --pre 20s,
# --post 10s at 250 ms, cgroup-limit at 80 %, oom-kill; the other triggers off): exactly one incident bundle; it holds samples from
# at least --pre minus one interval before the kill, and the post window
# at the incident interval (samples plus the ticks they say they missed);
# its triggers are the cgroup nearing its limit, then the kill, in that
# order; `memsnap analyze` on it names the victim in oom/kill.
. "$SRC/tests/scenario/lib.sh"
record_scenario oom 2m
tar --zstd -xf "$INCIDENT" --wildcards '*/trigger' -O > trig
grep -q '^oom-kill [0-9.]* source=cgroup cgroup=/sys/fs/cgroup/memory/.*/ms-oomer oom_kill=1 delta=1$' trig ||
	{ cat trig; fail "no oom-kill line for ms-oomer"; }
kill_t=$(awk '$1 == "oom-kill" && /ms-oomer/ { print $2; exit }' trig)
first=$(awk '{ print $1; exit }' trig)
case $first in cgroup-limit|oom-kill) ;; *) cat trig; fail "the first trigger is $first";; esac
grep -q '^cgroup-limit .*ms-oomer' trig && ! awk -v k="$kill_t" '$1 == "cgroup-limit" && /ms-oomer/ && $2 > k { bad = 1 } END { exit !bad }' trig ||
	{ cat trig; fail "ms-oomer's cgroup-limit line is not before its kill"; }
incident_samples > samples
awk -v k="$kill_t" 'NR == 1 && k - $1 < 20 - (1 + $3) { print "the first sample is " k - $1 " s before the kill"; bad = 1 }
	$2 == 0 && $1 >= k { post += 1 + $3 }
	END { if (post < 39) { print "after the kill: " post " ticks of 250 ms, expected at least 39"; bad = 1 } exit bad }' \
	samples || { cat samples; fail "the incident's samples"; }
run "$MEMSNAP" analyze "$INCIDENT" -o inc.db -q --format json --only oom/kill
[ "$rc" = 0 ] || [ "$rc" = 1 ] || { cat err; fail "analyze exit $rc"; }
python3 - out <<'PY' || fail "analyze does not name the victim in oom/kill"
import json, sys
d = json.load(open(sys.argv[1]))
ok = [f for f in d["findings"] if f["rule"] == "oom/kill" and f["entity"].endswith("/ms-oomer")
      and f["evidence"].get("victim_comm") == "ms-oomer"]
if not ok:
    json.dump(d["findings"], sys.stderr, indent=1)
    sys.exit(1)
PY
# info shows the incident's trigger and time
"$MEMSNAP" info "$INCIDENT" > info.out || fail "info"
grep -q '^incident:    \(cgroup-limit\|oom-kill\) at 20[0-9-]* [0-9:]* UTC$' info.out || { cat info.out; fail "info: no incident line"; }
exit 0
