#!/bin/sh
# Every file memsnap writes is 0600, whatever the umask: the bundle, its
# redaction mapping, the database, the HTML report (report, analyze
# --html), a redacted bundle and its mapping; and a report's path that is
# a symbolic link is replaced, never written through.
. "$SRC/tests/e2e/lib.sh"
umask 000
cp "$SRC/samples/bundles/swap.tar.zst" b.tar.zst
"$MEMSNAP" collect -n 1 -q --no-mlock -o c.tar.zst 2>/dev/null || fail "collect"
"$MEMSNAP" collect -n 1 -q --no-mlock --redact -o cr.tar.zst 2>/dev/null || fail "collect --redact"
"$MEMSNAP" load -q -o l.db b.tar.zst || fail "load"
"$MEMSNAP" analyze -q --html a.html b.tar.zst > /dev/null || fail "analyze --html"
"$MEMSNAP" report -q -o r.html b.tar.zst || fail "report"
"$MEMSNAP" redact -q b.tar.zst -o red.tar.zst || fail "redact"
for f in c.tar.zst cr.tar.zst cr.tar.zst.map l.db b.db a.html r.html red.tar.zst red.tar.zst.map; do
	[ -f "$f" ] || fail "no $f"
	assert_eq "$(stat -c %a "$f")" 600 "the mode of $f"
done
echo keep > target
ln -s target link.html
"$MEMSNAP" report -q -o link.html b.tar.zst || fail "report onto a link"
assert_eq "$(cat target)" keep "the link's target"
[ -f link.html ] && [ ! -L link.html ] || fail "link.html is still a link"
assert_eq "$(ls | grep -c -e '\.lock$' -e '\.tmp$' -e 'html\.')" 0 "temporary files left"
exit 0
