#!/bin/sh
# Colour on a terminal (a pseudo-terminal from script(1)): analyze colours
# severities when stdout is a terminal; NO_COLOR with a value turns it off,
# an empty NO_COLOR does not (no-color.org); TERM=dumb or no TERM: no escape
# sequence at all; --color always/never win; a file never gets colour.
. "$SRC/tests/e2e/lib.sh"
command -v script >/dev/null || skip "script(1) (util-linux) is missing"
cp "$SRC/samples/bundles/leak.tar.zst" b.tar.zst
"$MEMSNAP" load -q b.tar.zst || fail "load"
ESC=$(printf '\033')
# tty ENV...: analyze on a terminal with ENV (after env -u NO_COLOR -u TERM)
tty() { env -u NO_COLOR -u TERM "$@" script -qec "'$MEMSNAP' analyze -q b.tar.zst" /dev/null > tty.log 2>&1 < /dev/null; rc=$?; }
sgr() { grep -c "$ESC\[[0-9;]*m" tty.log; }
tty TERM=xterm
assert_rc 0 "analyze on a terminal"
grep -q "^summary: " tty.log || fail "no summary"
grep -q "${ESC}\[33mWARNING " tty.log || { cat -v tty.log | head; fail "no colour on a terminal"; }
tty TERM=xterm NO_COLOR=
[ "$(sgr)" -gt 0 ] || fail "an empty NO_COLOR turned colour off"
tty TERM=xterm NO_COLOR=1
assert_eq "$(sgr)" 0 "colour escapes with NO_COLOR=1"
tty TERM=dumb
assert_eq "$(grep -c "$ESC" tty.log)" 0 "escapes with TERM=dumb"
grep -q "^summary: " tty.log || fail "no summary with TERM=dumb"
tty
assert_eq "$(grep -c "$ESC" tty.log)" 0 "escapes without TERM"
script -qec "env NO_COLOR=1 TERM=dumb '$MEMSNAP' analyze -q --color always b.tar.zst" /dev/null > tty.log 2>&1 < /dev/null
[ "$(sgr)" -gt 0 ] || fail "--color always gave no colour"
script -qec "env TERM=xterm '$MEMSNAP' analyze -q --color never b.tar.zst" /dev/null > tty.log 2>&1 < /dev/null
assert_eq "$(sgr)" 0 "colour with --color never"
# not a terminal: no colour, whatever TERM says
TERM=xterm "$MEMSNAP" analyze -q b.tar.zst > out.txt 2>&1 || fail "analyze to a file"
assert_eq "$(grep -c "$ESC" out.txt)" 0 "escapes in a file"
exit 0
