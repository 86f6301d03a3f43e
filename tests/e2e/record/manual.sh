#!/bin/sh
# Manual triggers: SIGUSR1, then `record --trigger-now -D DIR`.  Each gives
# one incident bundle holding the --pre before the trigger (exactly the
# ring's samples of those 3 s, copied, led in from the last full read of
# the segment when the window's first sample is not one: every process's
# sparse files are in the copy's first sample) and the --post after it at the
# incident interval (samples plus the ticks they say they missed), the
# trigger line naming its source and sender, and its header naming the
# trigger and its time.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/record/fakehost.inc"
fake_host tree
rec -i 500ms --pre 3s --post 2s --incident-interval 100ms
ring_samples() {
	n=0
	for s in r/ring/seg-*; do c=$(complete_samples "$s"); n=$((n + ${c:-0})); done
	[ "$n" -ge 8 ]
}
wait_for 60 ring_samples
kill -USR1 $pid
one() { [ "$(ls r/incidents | grep -c '\.tar\.zst$')" = "$1" ]; }
wait_for 60 one 1
"$MEMSNAP" record --trigger-now -D r 2> now.err || { cat now.err; fail "--trigger-now"; }
assert_eq "$(cat now.err)" "memsnap: record: trigger sent to the recorder on 'r' (pid $pid)" "--trigger-now's line"
wait_for 60 one 2
kill -TERM $pid
wait $pid || fail "record's exit status"
i=0
for b in $(ls r/incidents/*.tar.zst); do
	i=$((i + 1))
	tar --zstd -xOf "$b" memsnap.header > header
	assert_line header "incident_trigger manual"
	assert_line header "bundle_kind incident"
	t=$(sed -n 's/^incident_time //p' header)
	# its trigger line (an earlier incident's may be in the window before it)
	tar --zstd -xf "$b" --wildcards '*/trigger' -O > all
	awk -v t="$t" '$2 == t' all > trig
	awk -v t="$t" '$2 > t' all > later
	[ "$(wc -l < trig)" = 1 ] && [ ! -s later ] || { cat all; fail "$b: not one trigger line at $t"; }
	if [ $i = 1 ]; then
		grep -qx "manual $t source=SIGUSR1 pid=$$" trig || { cat trig; fail "$b: SIGUSR1's line"; }
	else
		grep -qx "manual $t source=trigger-now pid=[0-9]*" trig || { cat trig; fail "$b: trigger-now's line"; }
	fi
	grep -qx "memsnap: record: trigger: $(cat trig)" log || { cat log; fail "no log line for $b's trigger"; }
	# the samples: wall, copied or not, missed ticks.  Before the trigger:
	# the ring's samples of the --pre before it, all of them; after it, the
	# samples and the ticks they missed cover --post at 100 ms, but for the
	# last tick
	for m in $(tar --zstd -tf "$b" | grep '/meta$'); do
		tar --zstd -xOf "$b" "$m" | awk '$1 == "wall" { w = $2 } $1 == "missed_ticks" { k = $2 }
			$1 == "copied_from" { c = 1 } $1 == "full_read" { f = $2 } END { print w, c + 0, k, f }'
	done > samples
	# the ring's samples before the trigger: those of the last 3 s, and
	# before them back to their segment's last full read
	ring_walls r | awk -v t="$t" 'BEGIN { n = 0 } $1 < t { w[n] = $1; f[n] = $2; s[n++] = $3 }
		END {
			for (i = 0; i < n && w[i] < t - 3; i++);
			for (j = i; i < n && j > 0 && !f[j] && s[j - 1] == s[i]; j--);
			for (; j < n; j++) print w[j]
		}' > want
	awk '$2 == 1 { print $1 }' samples > copied
	diff want copied > copy.diff || { cat copy.diff; fail "$b: the copied window is not the ring's last 3 s and its lead-in"; }
	[ "$(awk -v t="$t" '$1 >= t - 3' copied | wc -l)" -ge 4 ] || fail "$b: only $(wc -l < copied) samples before the trigger"
	[ "$(awk '$2 == 1 { print $4; exit }' samples)" = 1 ] || { cat samples; fail "$b: the first copied sample is not a full read"; }
	# the first live sample: the bundle got no sample at the tick before (its
	# copies were written after it), so it is a full read
	[ "$(awk '$2 == 0 { print $4; exit }' samples)" = 1 ] || { cat samples; fail "$b: the first live sample is not a full read"; }
	awk -v t="$t" '$2 == 1 && $1 > t + 0.001 { print "a copied sample after the trigger"; bad = 1 }
		$2 == 0 && $1 < t { print "a live sample before the trigger"; bad = 1 }
		$2 == 0 { post += 1 + $3 }
		END { if (post < 19) { print "post window: " post " ticks of 100 ms, expected at least 19"; bad = 1 } exit bad }' \
		samples || { cat samples; fail "$b's samples"; }
	"$MEMSNAP" info "$b" > info.out || fail "info $b"
	grep -q '^end:         complete (post)$' info.out || { cat info.out; fail "$b not sealed after its post window"; }
done
[ $i = 2 ] || fail "$i incidents"
grep -c '^memsnap: record: incident sealed: r/incidents/memsnap-.*-manual.tar.zst (' log | grep -qx 2 ||
	{ cat log; fail "two sealed lines"; }
exit 0
