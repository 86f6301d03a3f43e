#!/bin/sh
# --max-size stops cleanly before the bundle would exceed the size.
. "$SRC/tests/e2e/lib.sh"
run "$MEMSNAP" collect -i 100ms -q --no-mlock --max-size 64K -o m.tar.zst
assert_rc 0 "collect --max-size"
size=$(stat -c %s m.tar.zst)
[ "$size" -le 65536 ] || fail "bundle is $size bytes, over 64K"
run "$MEMSNAP" info m.tar.zst
assert_rc 0 "info"
assert_line out "end:         complete (max-size)"
exit 0
