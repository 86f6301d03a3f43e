#!/bin/sh
# An output directory the collector cannot write (no permission, a
# read-only file system) or an output that is a directory: exit 1 with the
# reason, before any sampling, and nothing created.
. "$SRC/tests/e2e/lib.sh"
mkdir locked
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
	as_user="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	MEMSNAP=$(nobody_memsnap) || fail "cannot copy the binary for nobody"
else
	as_user=""
	chmod 555 locked
fi
run $as_user "$MEMSNAP" collect -n 1 -q --no-mlock -o locked/b.tar.zst
assert_rc 1 "collect into a directory it cannot write"
assert_line err "memsnap: collect: 'locked/b.tar.zst': Permission denied"
assert_eq "$(ls -A locked)" "" "files in the locked directory"
run "$MEMSNAP" collect -n 1 -q --no-mlock -o locked
assert_rc 1 "collect onto a directory"
assert_line err "memsnap: collect: 'locked': File exists"
if [ "$(id -u)" = 0 ] && mkdir ro && mount -t tmpfs -o ro,size=64k tmpfs ro 2>/dev/null; then
	unmount() { umount "$SCRATCH/ro" 2>/dev/null; cleanup; }
	trap unmount EXIT
	run "$MEMSNAP" collect -n 1 -q --no-mlock -o ro/b.tar.zst
	assert_rc 1 "collect onto a read-only file system"
	assert_line err "memsnap: collect: 'ro/b.tar.zst': Read-only file system"
fi
exit 0
