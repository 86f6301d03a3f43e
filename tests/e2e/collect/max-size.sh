#!/bin/sh
# --max-size stops cleanly before the bundle would exceed the size.  The
# first sample is always written (docs/collector.md), so the limit is set
# from a first sample: of one process of ours (-p), so that the samples do
# not change size with a busy machine's process count.
. "$SRC/tests/e2e/lib.sh"
sleep 300 & sleeper=$!
track $sleeper
"$MEMSNAP" collect -p $sleeper -n 1 -q --no-mlock -o one.tar.zst || fail "collect -n 1"
max=$(($(stat -c %s one.tar.zst) * 3))
[ "$max" -ge 65536 ] || max=65536   # the smallest limit collect takes
run "$MEMSNAP" collect -p $sleeper -i 100ms -q --no-mlock --max-size "$max" -o m.tar.zst
assert_rc 0 "collect --max-size"
size=$(stat -c %s m.tar.zst)
[ "$size" -le "$max" ] || fail "bundle is $size bytes, over $max"
[ "$(complete_samples m.tar.zst)" -ge 2 ] || fail "fewer than 2 samples under a limit of 3 first samples or 64K"
run "$MEMSNAP" info m.tar.zst
assert_rc 0 "info"
assert_line out "end:         complete (max-size)"
exit 0
