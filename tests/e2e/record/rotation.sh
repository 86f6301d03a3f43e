#!/bin/sh
# The ring over hundreds of rotations (a 100 ms segment, one sample each,
# on a fake host tree): its disk use never exceeds --max-disk plus one
# segment's cap (--max-disk / 8), checked at every poll while it runs, and
# it keeps using what it may (the oldest segments go only when needed);
# every closed segment is a complete bundle; the log says once that the
# ring is full.  Then --max-age: segments older than it are deleted.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/record/fakehost.inc"
fake_host tree
max=$((256 * 1024)) cap=$((256 * 1024 / 8))
rec -i 100ms --segment 100ms --max-disk 256K
worst=0
within() {
	b=$(ring_bytes r)
	[ "$b" -le $((max + cap)) ] || { ls -l r/ring >&2; fail "the ring holds $b bytes, more than $max + $cap"; }
	[ "$b" -le "$worst" ] || worst=$b
	last=$(ls r/ring | sed -n 's/^seg-0*\([0-9]*\)-.*/\1/p' | sort -n | tail -n 1)
	[ "${last:-0}" -ge 300 ]
}
wait_for 110 within
kill -TERM $pid
wait $pid
rc=$?
assert_eq "$rc" 0 "exit status after SIGTERM"
b=$(ring_bytes r)
[ "$b" -le $((max + cap)) ] || fail "after the stop: $b bytes"
[ "$worst" -ge $((max - 2 * cap)) ] || fail "the ring never used its room: at most $worst bytes"
first=$(ls r/ring | sed -n 's/^seg-0*\([0-9]*\)-.*/\1/p' | sort -n | head -n 1)
[ "$first" -gt 1 ] || fail "no segment was deleted"
[ "$(grep -c 'the ring is full (--max-disk): the oldest segments are deleted from now on' log)" = 1 ] ||
	{ cat log >&2; fail "the ring-full line is not there exactly once"; }
# every segment is a complete bundle (the last one closed by SIGTERM)
for s in r/ring/seg-*.tar.zst; do
	"$MEMSNAP" info "$s" > info.out 2>&1 || { cat info.out >&2; fail "info $s"; }
	grep -q '^end:         complete (\(rotation\|signal SIGTERM\))$' info.out ||
		{ cat info.out >&2; fail "$s is not complete"; }
done
grep -q '^memsnap: record: stopped (signal SIGTERM): [0-9]* samples in this run$' log || { cat log >&2; fail "no stop line"; }
# --max-age: a restart, every old segment is older than 1 s
touch -d '1 hour ago' r/ring/seg-*.tar.zst
: > log
rec -i 100ms --segment 100ms --max-age 1s
old_gone() { [ -z "$(find r/ring -name 'seg-*' -mmin +30)" ]; }
wait_for 60 old_gone
kill -TERM $pid
wait $pid
logged 'segments older than --max-age are deleted from now on' || { cat log >&2; fail "no max-age line"; }
exit 0
