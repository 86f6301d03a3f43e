#!/bin/sh
# A full disk (ENOSPC, a tiny tmpfs) stops the collector with exit 1 and a
# readable bundle holding exactly the samples it says it completed.
. "$SRC/tests/e2e/lib.sh"
[ "$(id -u)" = 0 ] || skip "mounting a small tmpfs needs root"
mkdir full
# room for the first samples, measured on this machine (the first sample,
# with every tier, grows with the process count)
"$MEMSNAP" collect -n 2 -i 100ms -q --no-mlock -o one.tar.zst || fail "collect -n 2"
room=$(( ($(stat -c %s one.tar.zst) * 3 / 2 + 4095) / 4096 * 4 ))
mount -t tmpfs -o size=${room}k tmpfs full 2>/dev/null || skip "cannot mount tmpfs here"
unmount() { umount "$SCRATCH/full" 2>/dev/null; cleanup; }
trap unmount EXIT
run "$MEMSNAP" collect -i 100ms -q --no-mlock -o full/d.tar.zst
assert_rc 1 "collect on a full disk"
msg=$(grep -v "^memsnap: collect: warning: " err | head -n 1)
n=$(echo "$msg" | sed -n "s/^memsnap: collect: 'full\/d.tar.zst': No space left on device: stopped after \([0-9]*\) complete samples (the bundle is readable up to there)$/\1/p")
[ -n "$n" ] || fail "unexpected message: $msg"
cp full/d.tar.zst d.tar.zst
run "$MEMSNAP" info d.tar.zst
assert_rc 0 "info after ENOSPC"
grep -q "^end:         TRUNCATED (.*); $n complete samples recovered" out || { cat out; fail "info disagrees with the collector ($n)"; }
exit 0
