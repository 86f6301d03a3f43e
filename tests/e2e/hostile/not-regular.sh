#!/bin/sh
# A symlink, a hard link, a device, a FIFO or a directory in a bundle:
# memsnap never writes one, so load and info refuse the bundle with a
# message naming the member, exit 1, and load leaves no database.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
base_bundle b.tar.zst 2
first=$(echo "$base_members" | grep -e '^memsnap.header$' -e '^000001/')
rest=$(echo "$base_members" | grep -v -e '^memsnap.header$' -e '^000001/')
ln -s /etc/passwd base/link
ln base/000001/meta base/hard
mkfifo base/fifo
mkdir base/dir
# hostile KIND TAR-ARGS...: the base bundle with the member in the middle
hostile() {
	kind=$1
	shift
	tar --format=ustar -cf "$kind.tar" -C base $first "$@" -C "$SCRATCH/base" $rest || fail "tar for $kind"
	zstd -q "$kind.tar" -o "$kind.tar.zst" || fail "zstd"
}
hostile symlink link
hostile hardlink hard
hostile device -C / dev/null
hostile fifo fifo
hostile directory --no-recursion dir
for kind in symlink:link hardlink:hard device:dev/null fifo:fifo directory:dir/; do
	k=${kind%%:*}
	name=${kind#*:}
	tar -tvf "$k.tar" > list
	grep -q " $name" list || fail "no member $name in $k.tar"
	for cmd in load info; do
		run "$MEMSNAP" $cmd "$k.tar.zst"
		assert_rc 1 "$cmd with a $k member"
		assert_line err "memsnap: $cmd: '$k.tar.zst': member '$name' is not a regular file (links, devices and directories never occur in a bundle)"
	done
	[ ! -e "$k.db" ] && [ ! -e "$k.db.tmp" ] || fail "a database was left for the $k bundle"
done
exit 0
