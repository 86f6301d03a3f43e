#!/bin/sh
# --help for memsnap and every command: exit 0, usage on stdout, nothing on
# stderr; `memsnap help CMD` prints the same; docs/cli.md holds exactly that
# text in the first code block of its "## memsnap CMD" section.
. "$SRC/tests/e2e/lib.sh"
run "$MEMSNAP" --help
assert_rc 0 "memsnap --help"
assert_empty err
grep -q '^usage: memsnap ' out || fail "memsnap --help has no usage line"
run "$MEMSNAP" --version
assert_rc 0 "--version"
grep -qE '^memsnap [0-9]+\.[0-9]+\.[0-9]+$' out || fail "bad --version: $(cat out)"
"$MEMSNAP" --list-commands > commands || fail "--list-commands"
[ -s commands ] || fail "no commands listed"
while read -r cmd; do
	run "$MEMSNAP" "$cmd" --help
	assert_rc 0 "memsnap $cmd --help"
	assert_empty err
	cp out help.out
	run "$MEMSNAP" help "$cmd"
	assert_rc 0 "memsnap help $cmd"
	cmp -s out help.out || fail "memsnap help $cmd differs from memsnap $cmd --help"
	awk -v h="## memsnap $cmd" '$0 == h { s = 1; next } s == 1 && $0 == "```" { s = 2; next }
		s == 2 && $0 == "```" { exit } s == 2 { print }' "$SRC/docs/cli.md" > doc.out
	diff doc.out help.out > doc.diff || { cat doc.diff; fail "docs/cli.md's block for $cmd is not its --help"; }
	cp help.out out
	synopsis=$(head -n 1 out)
	case $synopsis in "usage: memsnap $cmd"*) ;; *) fail "$cmd --help starts with '$synopsis'";; esac
	grep -qF -- "$synopsis" "$SRC/docs/cli.md" || fail "docs/cli.md lacks the synopsis '$synopsis'"
	# every long option of the help text is documented
	for opt in $(grep -oE -- '--[a-z][a-z-]+' out | sort -u); do
		grep -qF -- "$opt" "$SRC/docs/cli.md" || fail "docs/cli.md does not mention $cmd $opt"
	done
	grep -qF "memsnap $cmd" "$SRC/README.md" || fail "README.md does not show 'memsnap $cmd'"
done < commands
run "$MEMSNAP" help
assert_rc 0 "memsnap help"
grep -q '^usage: memsnap ' out || fail "memsnap help has no usage line"
run "$MEMSNAP" help colect
assert_rc 2 "help for a misspelt command"
assert_line err "memsnap: 'colect' is not a memsnap command. See 'memsnap --help'."
run "$MEMSNAP"
assert_rc 2 "no command"
run "$MEMSNAP" colect
assert_rc 2 "misspelt command"
assert_line err "memsnap: 'colect' is not a memsnap command. See 'memsnap --help'."
exit 0
