#!/bin/sh
# info on bundles that are not bundles, truncated or corrupt.
. "$SRC/tests/e2e/lib.sh"
echo "hello" > notzstd.tar.zst
run "$MEMSNAP" info notzstd.tar.zst
assert_rc 1 "info on a text file"
assert_line err "memsnap: info: 'notzstd.tar.zst': not a memsnap bundle (no zstd frame at the start)"
: > empty.tar.zst
run "$MEMSNAP" info empty.tar.zst
assert_rc 1 "info on an empty file"
assert_line err "memsnap: info: 'empty.tar.zst': empty or too short to be a bundle"
run "$MEMSNAP" info missing.tar.zst
assert_rc 1 "info on a missing file"
assert_line err "memsnap: info: 'missing.tar.zst': No such file or directory"
echo hello | zstd -q > plain.zst
run "$MEMSNAP" info plain.zst
assert_rc 1 "info on zstd that holds no tar"
grep -q "^memsnap: info: 'plain.zst': " err || fail "no error for zstd without tar"

"$MEMSNAP" collect -n 4 -i 100ms -q --no-mlock -o good.tar.zst || fail "collect"
size=$(stat -c %s good.tar.zst)
# truncated: every prefix loads without a crash, and loses at most the tail
for cut in 100 $((size / 3)) $((size / 2)) $((size - 10)); do
	head -c $cut good.tar.zst > cut.tar.zst
	run "$MEMSNAP" info cut.tar.zst
	[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "info on a prefix of $cut bytes exited $rc"
	[ "$rc" = 1 ] || grep -q '^end:         TRUNCATED' out || fail "prefix $cut not reported truncated"
done
head -c $((size - 10)) good.tar.zst > cut.tar.zst
run "$MEMSNAP" info cut.tar.zst
assert_rc 0 "info on a bundle missing its last 10 bytes"
grep -q '^end:         TRUNCATED (.*); [34] complete samples recovered' out || { cat out; fail "expected 3 or 4 samples"; }
# garbage in the middle: a clear CORRUPT verdict, exit 1
cp good.tar.zst bad.tar.zst
printf 'GARBAGEGARBAGEGARBAGE' | dd of=bad.tar.zst bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
run "$MEMSNAP" info bad.tar.zst
assert_rc 1 "info on a corrupt bundle"
grep -q "^memsnap: info: 'bad.tar.zst': corrupt: " err || { cat out err; fail "no corrupt message"; }
grep -q '^end:         CORRUPT: ' out || fail "info does not say CORRUPT"
exit 0
