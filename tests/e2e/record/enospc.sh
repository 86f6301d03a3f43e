#!/bin/sh
# A full disk (a 1 MiB tmpfs mounted here, filled by another file): the
# recorder says so once, stops writing (the segment keeps every sample it
# completed) and goes on; when the other file is removed it says so and
# writes a new segment.  Needs root for the mount (a failure, not a skip,
# with MEMSNAP_REQUIRE=1).
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/record/fakehost.inc"
[ "$(id -u)" = 0 ] || skip "mounting a small tmpfs needs root"
fake_host tree
mkdir full
mount -t tmpfs -o size=1m tmpfs full 2>mount.err || skip "cannot mount a tmpfs here: $(cat mount.err)"
unmount() { cleanup_pids; umount "$SCRATCH/full" 2>/dev/null; cd / && rm -rf "$SCRATCH"; }
cleanup_pids() { for p in $_pids; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
trap unmount EXIT
# leave about 64 KiB
dd if=/dev/zero of=full/filler bs=1k count=$((1024 - 64)) status=none 2>/dev/null
"$MEMSNAP" record -D full/r --proc-root tree/proc --sys-root tree/sys -i 100ms --segment 1s \
	--max-disk 8M --no-mlock 2> log &
pid=$!
track $pid
stopped() { grep -q '^memsnap: record: full/r/ring/seg-[0-9]*-[0-9TZ]*.tar.zst: No space left on device: stopped writing (what was written stays readable); resuming when there is room again$' log; }
wait_for 100 stopped
kill -STOP $pid
# every segment is readable: complete, or (the one it was writing when
# its sample did not fit) a prefix of complete samples
for s in full/r/ring/seg-*; do
	"$MEMSNAP" info "$s" > info.out 2>&1 || { cat info.out; fail "info $s after ENOSPC"; }
	grep -q '^end:         \(complete (rotation)\|TRUNCATED (.*); [1-9][0-9]* complete samples recovered\)' info.out ||
		{ cat info.out; fail "$s after ENOSPC"; }
done
kill -CONT $pid
before=$(ls full/r/ring | tail -n 1)
rm full/filler
resumed() { grep -q "^memsnap: record: there is room again: writing to full/r/ring/seg-[0-9]*-[0-9TZ]*.tar.zst (stopped for [0-9]* s)$" log; }
wait_for 100 resumed
assert_eq "$(grep -c 'No space left on device' log)" 1 "ENOSPC said once"
after=$(sed -n 's/^memsnap: record: there is room again: writing to full\/r\/ring\/\(seg-[^ ]*\) .*/\1/p' log)
[ "$after" != "$before" ] || fail "no new segment"
two() { n=$(complete_samples "full/r/ring/$after"); [ "${n:-0}" -ge 2 ]; }
wait_for 100 two
kill -TERM $pid
wait $pid || { cat log; fail "record's exit status"; }
exit 0
