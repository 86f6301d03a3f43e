#!/bin/sh
# Text from a bundle never drives the terminal or the report page: escape
# sequences in the header, a member name or a process name are shown as
# '?' (info) or \xNN (messages), and the HTML report escapes markup.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
ESC=$(printf '\033')
bundle_header
sed -i "s/^hostname hostile\$/hostname evil${ESC}]0;pwned$(printf '\007')${ESC}[2J<b>x<\/b>/" m/memsnap.header
for i in 1 2 3; do
	d=$(printf %06d $i)
	printf '42 (<img src=x onerror=alert(1)>) S 1 1 1 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 77 10485760 256 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n' > st
	add_record $d/t0 ok /proc/42/stat st
	printf '<script>alert(2)</script>\000' > cl
	add_record $d/t0 ok /proc/42/cmdline cl
	printf 'MemTotal: 1000 kB\nMemFree: %d kB\n' $((500 - i * 100)) > mi
	add_record $d/t0 ok /proc/meminfo mi
	sample_meta $i $((1767225600 + i * 60)) $((100 + i * 60))
done
mk_bundle x.tar.zst memsnap.header 000001/t0 000001/meta 000002/t0 000002/meta 000003/t0 000003/meta
run "$MEMSNAP" info x.tar.zst
assert_rc 0 "info"
assert_line out "host:        evil?]0;pwned??[2J<b>x</b>, Linux 6.1.0 ?, 0 CPUs, 1 NUMA node, page size 0"
assert_no_match out "$ESC"
run "$MEMSNAP" report x.tar.zst -o x.html
assert_rc 0 "report"
assert_no_match x.html '<img src=x'
assert_no_match x.html '<script>alert'
# a member name with an escape sequence, in an error message
ln -s /etc/passwd "m/l${ESC}[2J"
tar --format=ustar -cf l.tar -C m memsnap.header "l${ESC}[2J" || fail "tar"
zstd -q l.tar -o l.tar.zst || fail "zstd"
run "$MEMSNAP" load l.tar.zst
assert_rc 1 "load"
assert_line err "memsnap: load: 'l.tar.zst': member 'l\\x1b[2J' is not a regular file (links, devices and directories never occur in a bundle)"
exit 0
