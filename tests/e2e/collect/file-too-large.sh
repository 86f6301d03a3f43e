#!/bin/sh
# A file size limit (EFBIG) stops the collector with exit 1 and a readable
# bundle holding exactly the samples it says it completed.
. "$SRC/tests/e2e/lib.sh"
command -v prlimit >/dev/null || skip "prlimit (util-linux) is not installed"
# the limit: room for the first sample (all tiers, the largest) and a few
# more, measured on this machine (its size grows with the process count)
"$MEMSNAP" collect -n 2 -i 100ms -q --no-mlock -o one.tar.zst || fail "collect -n 2"
limit=$(($(stat -c %s one.tar.zst) * 3 / 2))
run prlimit --fsize=$limit "$MEMSNAP" collect -i 100ms -q --no-mlock -o f.tar.zst
assert_rc 1 "collect under RLIMIT_FSIZE"
msg=$(grep -v "^memsnap: collect: warning: " err | head -n 1)
n=$(echo "$msg" | sed -n "s/^memsnap: collect: 'f.tar.zst': File too large: stopped after \([0-9]*\) complete samples (the bundle is readable up to there)$/\1/p")
[ -n "$n" ] || fail "unexpected message: $msg"
[ "$n" -ge 1 ] || fail "no complete sample before EFBIG"
[ "$(stat -c %s f.tar.zst)" -le "$limit" ] || fail "bundle exceeds the limit"
run "$MEMSNAP" info f.tar.zst
assert_rc 0 "info after EFBIG"
grep -q "^end:         TRUNCATED (.*); $n complete samples recovered" out || { cat out; fail "info disagrees with the collector ($n)"; }
exit 0
