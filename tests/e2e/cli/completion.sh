#!/bin/sh
# Shell completion (dist/completion/): bash and zsh offer what the binary
# says, asked at completion time: the commands of --list-commands, each
# command's options as 'memsnap help CMD' lists them, the rule ids and
# folders of 'memsnap rules' (with the --rules directories on the line) for
# --only/--skip (after a comma too) and rules show, ID.PARAM= for --set;
# nothing after an option that takes a value, files after -o; the value
# choices written in the scripts are ones memsnap takes.
. "$SRC/tests/e2e/lib.sh"
command -v zsh >/dev/null || skip "zsh is missing (sh .ci/install-deps test installs it)"
BASH_C=$SRC/dist/completion/memsnap.bash
ZSH_C=$SRC/dist/completion/_memsnap
mkdir -p extra/mine
cat > extra/mine/r.sql <<'RULE'
-- id: mine/extra
-- severity: info
-- title: A rule from a --rules directory
-- explain: For the completion test.
-- action: Nothing.
-- param: limit = 5 | a parameter
SELECT 'system' AS entity_kind, 'system' AS entity, 0 AS t_start, 0 AS t_end, 0 AS value,
       'x' AS message WHERE :limit < 0
RULE
# bashc WORD...: the completions bash offers for the last WORD
bashc() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _memsnap; [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort' \
		bashc "$BASH_C" "$@"
}
# zshc WORD...: what zsh's completion adds for the last WORD (unfiltered:
# zsh matches the word itself), compadd and _files recorded
zshc() {
	zsh -fc 'compadd() { while [[ $1 == -* && $1 != -- ]]; do [[ $1 == -[SPpJ] ]] && shift; shift; done
			 [[ $1 == -- ]] && shift; print -rl -- "$@" }
		 compset() { : }
		 _files() { print -r -- "<files$*>" }
		 source "$1" >/dev/null 2>&1; shift
		 words=("$@"); CURRENT=$#; _memsnap' zshc "$ZSH_C" "$@" | sort
}
# ids [ARGS]: rule ids of memsnap rules ARGS
ids() { "$MEMSNAP" rules "$@" | awk '/^[^ ]/ { print $1 }' | sort; }
folders() { ids "$@" | sed 's|/.*||' | sort -u; }
# options CMD: every option memsnap help CMD lists
options() { "$MEMSNAP" help "$1" | sed -n 's/^ \{2,6\}\(-[A-Za-z], \)\{0,1\}\(--[a-z-]*\).*/\1\2/p' | tr -d ',' | tr ' ' '\n' | sort; }
check() { # WHAT EXPECTED-FILE GOT-FILE
	diff "$2" "$3" > d || { cat d; fail "$1"; }
}

{ "$MEMSNAP" --list-commands; printf '%s\n' help --help --version --list-commands; } | sort > want
bashc "$MEMSNAP" "" > got; check "bash: commands" want got
zshc "$MEMSNAP" "" > got; check "zsh: commands" want got
"$MEMSNAP" --list-commands | sort > want
bashc "$MEMSNAP" help "" > got; check "bash: help COMMAND" want got
zshc "$MEMSNAP" help "" > got; check "zsh: help COMMAND" want got
for cmd in $("$MEMSNAP" --list-commands); do
	options $cmd > want
	[ "$(wc -l < want)" -ge 2 ] || fail "no options parsed from 'memsnap help $cmd'"
	bashc "$MEMSNAP" $cmd - > got; check "bash: options of $cmd" want got
	zshc "$MEMSNAP" $cmd - > got; check "zsh: options of $cmd" want got
done
# rule ids and folders for --only and --skip, and after a comma
{ ids; folders; } | sort > want
bashc "$MEMSNAP" analyze --only "" > got; check "bash: --only" want got
zshc "$MEMSNAP" analyze --skip "" > got; check "zsh: --skip" want got
ids | grep '^leak/' | sed 's|^|swap/storm,|' > want
bashc "$MEMSNAP" report --skip swap/storm,leak/ > got; check "bash: --skip after a comma" want got
# with a --rules directory on the line, its rules too
{ ids -r extra; folders -r extra; } | sort > want
grep -qx mine/extra want || fail "the extra rule is not listed"
bashc "$MEMSNAP" analyze --rules extra --only "" > got; check "bash: --only with --rules" want got
zshc "$MEMSNAP" analyze -r extra --only "" > got; check "zsh: --only with -r" want got
# --set: ID.PARAM= of every parameter
"$MEMSNAP" rules -r extra | awk '/^[^ ]/ { id = $1; next } /^  [a-z_0-9]+ +=/ { print id "." $1 "=" }' | sort > want
grep -qx mine/extra.limit= want || fail "no mine/extra.limit= to offer"
bashc "$MEMSNAP" analyze -r extra --set "" > got; check "bash: --set" want got
zshc "$MEMSNAP" rules -r extra -s "" > got; check "zsh: --set" want got
# rules show ID
ids | grep / > want
bashc "$MEMSNAP" rules show "" > got; check "bash: rules show" want got
zshc "$MEMSNAP" rules sql "" > got; check "zsh: rules sql" want got
# an option with a value that is not a file: nothing; -o: files
bashc "$MEMSNAP" collect --duration "" > got; assert_empty got
zshc "$MEMSNAP" collect -n "" > got; assert_empty got
touch b.tar.zst
bashc "$MEMSNAP" analyze -o b > got; assert_eq "$(cat got)" b.tar.zst "bash: -o completes files"
zshc "$MEMSNAP" analyze --html "" > got; assert_eq "$(cat got)" "<files>" "zsh: --html completes files"
# the value choices written in the scripts are taken by memsnap
for v in $(bashc "$MEMSNAP" analyze --format ""); do "$MEMSNAP" analyze --format "$v" --help >/dev/null || fail "--format $v refused"; done
for v in $(bashc "$MEMSNAP" analyze --color ""); do "$MEMSNAP" analyze --color "$v" --help >/dev/null || fail "--color $v refused"; done
for v in $(zshc "$MEMSNAP" report --fail-on ""); do "$MEMSNAP" report --fail-on "$v" --help >/dev/null || fail "--fail-on $v refused"; done
assert_eq "$(bashc "$MEMSNAP" analyze --format "" | wc -l)" 3 "--format choices"
exit 0
