#!/bin/sh
# Size limits stop hostile bundles before they cost memory or time: a
# member claiming more than --max-member (default 256 MiB) is refused from
# its header, before a byte of it is read; a decompression bomb stops at
# --max-total (default 64 GiB) of decompressed data; a zstd frame asking
# for a window over 128 MiB is refused before any allocation.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
bundle_header
sample_meta 1 1767225601.0 101.0
# a member whose header claims 20 GiB, followed by only 2 KiB of it
truncate -s 20G m/000002
tar --format=gnu -cf - -C m memsnap.header 000001/meta 000002 2>/dev/null | head -c 6144 > claim.tar
tar -tvf claim.tar 2>/dev/null | grep -q ' 21474836480 .* 000002$' || fail "the tar header does not claim 20 GiB"
zstd -q claim.tar -o claim.tar.zst || fail "zstd"
for cmd in load info; do
	run "$MEMSNAP" $cmd claim.tar.zst
	assert_rc 1 "$cmd: a member claiming 20 GiB"
	assert_line err "memsnap: $cmd: 'claim.tar.zst': member '000002' claims 21474836480 bytes, over the limit of 268435456"
done
[ ! -e claim.db ] || fail "a database was left"
# --max-member: a 2 MiB member (zeros)
rm -f m/000002
truncate -s 2M m/000002
mk_bundle two.tar.zst memsnap.header 000001/meta 000002
run "$MEMSNAP" load --max-member 1M two.tar.zst
assert_rc 1 "load --max-member 1M"
assert_line err "memsnap: load: 'two.tar.zst': member '000002' claims 2097152 bytes, over the limit of 1048576"
run "$MEMSNAP" load two.tar.zst
assert_rc 0 "the same bundle within the default limits"
# a bomb: 5 members of 100 MiB of zeros (500 MiB) in a few KiB
rm -f m/000002
for i in 1 2 3 4 5; do truncate -s 100M m/zero$i; done
mk_bundle bomb.tar.zst memsnap.header 000001/meta zero1 zero2 zero3 zero4 zero5
[ "$(stat -c %s bomb.tar.zst)" -lt 100000 ] || fail "the bomb is not small"
run "$MEMSNAP" load --max-total 200M bomb.tar.zst
assert_rc 1 "load --max-total 200M of a 500 MiB bomb"
assert_line err "memsnap: load: 'bomb.tar.zst': decompressed size exceeds the limit of 209715200 bytes"
[ ! -e bomb.db ] || fail "a database was left"
# a frame header asking for a 2 GiB window (Window_Descriptor 0xA8:
# exponent 21, 2^31 bytes), then an empty last raw block
printf '\050\265\057\375\000\250\001\000\000' > window.tar.zst
for cmd in load info; do
	run "$MEMSNAP" $cmd window.tar.zst
	assert_rc 1 "$cmd: a 2 GiB window"
	assert_line err "memsnap: $cmd: 'window.tar.zst': not a readable bundle: undecodable zstd data near compressed byte 0: Frame requires too much memory for decoding"
done
exit 0
