#!/bin/sh
# The output is created exclusively: an existing file is never overwritten
# and a symlink is never followed.
. "$SRC/tests/e2e/lib.sh"
echo precious > b.tar.zst
run "$MEMSNAP" collect -n 1 -q -o b.tar.zst
assert_rc 1 "collect onto an existing file"
assert_line err "memsnap: collect: 'b.tar.zst': File exists"
assert_eq "$(cat b.tar.zst)" "precious" "existing file content"
ln -s target l.tar.zst
run "$MEMSNAP" collect -n 1 -q -o l.tar.zst
assert_rc 1 "collect onto a dangling symlink"
assert_line err "memsnap: collect: 'l.tar.zst': File exists"
[ ! -e target ] || fail "the symlink was followed"
run "$MEMSNAP" collect -n 1 -q -o no/such/dir/b.tar.zst
assert_rc 1 "collect into a missing directory"
assert_line err "memsnap: collect: 'no/such/dir/b.tar.zst': No such file or directory"
exit 0
