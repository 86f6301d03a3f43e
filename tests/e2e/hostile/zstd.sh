#!/bin/sh
# The zstd layer: a bundle cut inside its first frame (in the magic, the
# frame header, the first block) is not readable and says where it ends;
# bytes after the end (garbage, or a second bundle appended with cat) are
# reported as corrupt after the samples before them, never read silently.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
base_bundle b.tar.zst 2
for n in 4 5 6 12 200; do
	head -c $n b.tar.zst > c.tar.zst
	for cmd in load info; do
		run "$MEMSNAP" $cmd c.tar.zst
		assert_rc 1 "$cmd of the first $n bytes"
		assert_line err "memsnap: $cmd: 'c.tar.zst': not a readable bundle: compressed stream ends inside a zstd frame at byte $n"
	done
done
size=$(stat -c %s b.tar.zst)
{ cat b.tar.zst; printf 'TRAILING'; } > t.tar.zst
run "$MEMSNAP" load t.tar.zst
assert_rc 1 "load with garbage after the end"
assert_line err "memsnap: load: 't.tar.zst': corrupt: undecodable zstd data near compressed byte $size: Unknown frame descriptor; loaded the 2 complete samples before the damage"
cat b.tar.zst b.tar.zst > two.tar.zst
run "$MEMSNAP" load two.tar.zst
assert_rc 1 "load two bundles in one file"
assert_line err "memsnap: load: 'two.tar.zst': corrupt: data after the end of the tar archive (not read); loaded the 2 complete samples before the damage"
run "$MEMSNAP" info two.tar.zst
assert_rc 1 "info of two bundles in one file"
assert_line out "end:         CORRUPT: data after the end of the tar archive (not read); 2 complete samples before the damage"
exit 0
