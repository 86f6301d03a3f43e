#!/bin/sh
# The man pages (docs/man/*.1.scd, scdoc) against the binary: one page per
# command and one for memsnap; each command page's SYNOPSIS and OPTIONS
# sections are exactly what docs/man/help2scd.awk makes of `memsnap help
# CMD` (every option, its value name and its help text, in order);
# memsnap(1)'s SYNOPSIS is memsnap --help's and its COMMANDS section lists
# every command with its summary; each page builds with scdoc, the build
# made it ($BUILD/man), and man(1) renders it.
. "$SRC/tests/e2e/lib.sh"
for tool in scdoc man; do
	command -v $tool >/dev/null || skip "$tool is missing (sh .ci/install-deps test installs it)"
done
MAN=$SRC/docs/man
# section FILE HEADING: the lines of "# HEADING" up to the next "# ", the
# heading included, trailing blank lines dropped
section() {
	awk -v h="# $2" '$0 == h { s = 1 } s && /^# / && $0 != h { exit } s { print }' "$1" |
		sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}
# expected FILE HEADING: the same section of help2scd's output
expected() { awk -f "$MAN/help2scd.awk" "$1" > gen.scd && section gen.scd "$2"; }
check_page() {
	page=$1
	# scdoc dates a page with the day it runs (SOURCE_DATE_EPOCH if set):
	# the build's day, which may be yesterday's
	day=$(sed -n 's/^\.TH "[^"]*" "1" "\([0-9-]*\)".*/\1/p' "$BUILD/man/$page")
	[ -n "$day" ] || fail "the build's man/$page has no .TH date"
	SOURCE_DATE_EPOCH=$(date -u -d "$day" +%s) scdoc < "$MAN/$page.scd" > "$page" 2> scdoc.err ||
		{ cat scdoc.err; fail "scdoc rejects $page.scd"; }
	assert_empty scdoc.err
	cmp -s "$page" "$BUILD/man/$page" || fail "the build's man/$page is not docs/man/$page.scd's"
	MANWIDTH=80 man -l "$page" > rendered 2> man.err || { cat man.err; fail "man cannot render $page"; }
	grep -q "^NAME" rendered || fail "$page has no NAME"
}
"$MEMSNAP" --list-commands > commands || fail "--list-commands"
while read -r cmd; do
	page=memsnap-$cmd.1
	[ -f "$MAN/$page.scd" ] || fail "no man page docs/man/$page.scd"
	"$MEMSNAP" help "$cmd" > help.txt || fail "help $cmd"
	for h in SYNOPSIS OPTIONS; do
		expected help.txt $h > want
		section "$MAN/$page.scd" $h > got
		diff want got > d || { cat d; fail "$page.scd: $h is not 'memsnap help $cmd' (docs/man/help2scd.awk)"; }
	done
	check_page $page
	grep -q "^memsnap-$cmd(1) " rendered || fail "$page: bad title line"
done < commands
# no page for a command that does not exist
for f in "$MAN"/memsnap-*.1.scd; do
	c=$(basename "$f" .1.scd)
	grep -qx "${c#memsnap-}" commands || fail "docs/man/$c.1.scd: no such command"
done
# memsnap(1): the synopsis of --help, and every command with its summary
"$MEMSNAP" --help > help.txt || fail "--help"
expected help.txt SYNOPSIS > want
section "$MAN/memsnap.1.scd" SYNOPSIS > got
diff want got > d || { cat d; fail "memsnap.1.scd: SYNOPSIS is not memsnap --help's"; }
{ echo "# COMMANDS"; echo
  awk '/^Commands:$/ { s = 1; next } s && /^$/ { exit }
	s { c = $1; sub(/^ *[a-z]+ +/, ""); printf "%s*memsnap-%s*(1)\n\t%s\n", n++ ? "\n" : "", c, $0 }' help.txt; } > want
section "$MAN/memsnap.1.scd" COMMANDS > got
diff want got > d || { cat d; fail "memsnap.1.scd: COMMANDS is not memsnap --help's list"; }
check_page memsnap.1
grep -q "^memsnap(1) " rendered || fail "memsnap.1: bad title line"
# each command page's NAME line carries the summary of memsnap --help
while read -r cmd; do
	summary=$(sed -n "s/^  $cmd  *//p" help.txt)
	grep -qxF "memsnap $cmd - $summary" "$MAN/memsnap-$cmd.1.scd" || fail "memsnap-$cmd.1.scd: NAME is not 'memsnap $cmd - $summary'"
done < commands
exit 0
