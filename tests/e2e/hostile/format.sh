#!/bin/sh
# The header's format line, from a "future" or a broken collector: a newer
# format is refused with the version it names (however many digits); a
# format that is not a whole number from 1, a missing one or a header that
# is not the first member is not a bundle.  A second header is skipped.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
sample_meta 1 1767225601.0 101.0
# expect FORMAT MESSAGE: load and info both refuse, with MESSAGE
expect() {
	bundle_header "$1"
	[ -n "$1" ] || sed -i '/^format/d' m/memsnap.header
	mk_bundle f.tar.zst memsnap.header 000001/meta
	for cmd in load info; do
		run "$MEMSNAP" $cmd f.tar.zst
		assert_rc 1 "$cmd, format '$1'"
		assert_line err "memsnap: $cmd: 'f.tar.zst': $2"
	done
	[ ! -e f.db ] || fail "a database was left for format '$1'"
}
newer() { echo "bundle format $1 is newer than this memsnap reads (up to 1); use a newer memsnap"; }
expect 2 "$(newer 2)"
expect 99999999999999999999 "$(newer 99999999999999999999)"
for f in 0 -1 1x ' 1' 1.0 ''; do
	expect "$f" "memsnap.header: no valid 'format' line"
done
bundle_header 1
mk_bundle late.tar.zst 000001/meta memsnap.header
run "$MEMSNAP" load late.tar.zst
assert_rc 1 "load, header second"
assert_line err "memsnap: load: 'late.tar.zst': first member is '000001/meta', not 'memsnap.header': not a memsnap bundle"
# a second header (naming format 2) after the first is skipped
bundle_header 2
mv m/memsnap.header m/h2
bundle_header 1
tar --format=ustar -cf two.tar -C m --transform 's,^h2$,memsnap.header,' memsnap.header h2 000001/meta || fail "tar"
assert_eq "$(tar -tf two.tar | tr '\n' ' ')" "memsnap.header memsnap.header 000001/meta " "members"
zstd -q two.tar -o two.tar.zst || fail "zstd"
run "$MEMSNAP" load two.tar.zst
assert_rc 0 "load, two headers"
assert_eq "$("$MEMSNAP" query two.db 'SELECT member, message FROM load_error' --csv | tail -n +2)" \
	"memsnap.header,a second header; ignored" "load_error"
assert_eq "$("$MEMSNAP" query two.db "SELECT value FROM header WHERE key = 'format'" --csv | tail -n 1)" "1" "format kept"
run "$MEMSNAP" info two.tar.zst
assert_rc 0 "info, two headers"
assert_line out "format:      1 (memsnap hostile-test)"
assert_line out "out of order: 1 members skipped (a sample again after its meta, an older sample, a second header)"
exit 0
