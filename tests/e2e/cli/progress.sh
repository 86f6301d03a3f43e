#!/bin/sh
# Progress on a terminal (a pseudo-terminal from script(1)): the load and
# the rule phase each draw a progress line on stderr with the time left, at
# most ten redraws a second (counted against the time the run took, as
# measured here: an upper bound, whatever the machine's speed), erased at
# the end; stdout, a file here, holds only the results; -q and TERM=dumb
# draw nothing.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
command -v script >/dev/null || skip "script(1) (util-linux) is missing"
# A bundle that takes seconds to load: 2 samples of 300,000 processes.
bundle_header
for n in 1 2; do
	sample_meta $n 176722560$n.0 10$n.0
	awk -v n=300000 'BEGIN { for (i = 1; i <= n; i++) {
		s = sprintf("%d (p%d) S 1 1 1 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 %d 10485760 256 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n", i, i, 1000 + i)
		printf "@ ok %d /proc/%d/stat\n%s\n", length(s), i, s } }' </dev/null > m/00000$n/t0 || fail awk
done
mk_bundle big.tar.zst memsnap.header 000001/t0 000001/meta 000002/t0 000002/meta
# Rules that take a while each (a recursive count), so the rule phase lasts.
mkdir -p slow/test
for i in 1 2 3 4 5 6 7 8; do
	cat > slow/test/slow$i.sql <<RULE
-- id: test/slow$i
-- severity: info
-- title: A slow rule
-- explain: Counts for a while, finds nothing.
-- action: Nothing.
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000)
SELECT 'system' AS entity_kind, 'system' AS entity, 0 AS t_start, 0 AS t_end, 0 AS value,
       'never' AS message FROM (SELECT count(*) AS n FROM c) WHERE n < 0
RULE
done
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# tty CMD: run CMD with stderr (and stdin) on a pseudo-terminal; what the
# terminal showed is in tty.log
tty() { script -qec "$1" /dev/null > tty.log 2>&1 < /dev/null; rc=$?; }

t0=$(now_ms)
TERM=xterm tty "'$MEMSNAP' analyze big.tar.zst --rules slow --only test --format json > out.json"
t1=$(now_ms)
assert_rc 0 "analyze on a terminal"
# stdout: the JSON document and nothing else
head -c 1 out.json | grep -q '{' || fail "stdout does not start with the JSON document"
tail -n 1 out.json | grep -qx '}' || fail "stdout does not end with the JSON document"
! grep -q "$(printf '\033')" out.json || fail "an escape sequence on stdout"
! grep -q "$(printf '\r')" out.json || fail "a carriage return on stdout"
# the redraws: every draw starts with CR and erase-line
tr '\r' '\n' < tty.log > lines
loads=$(grep -c "^$(printf '\033')\[Kmemsnap: loading \[[#.]*\] *[0-9]*% " lines)
rules=$(grep -c "^$(printf '\033')\[Kmemsnap: rules \[[#.]*\] [0-9]*/8 " lines)
draws=$(grep -c "^$(printf '\033')\[Kmemsnap: " lines)
elapsed=$((t1 - t0))
echo "load redraws $loads, rule redraws $rules, all $draws in $elapsed ms"
[ "$loads" -ge 1 ] || { cat -v tty.log | head; fail "no loading progress in a ${elapsed} ms run"; }
[ "$rules" -ge 1 ] || { cat -v tty.log | head; fail "no rule progress in a ${elapsed} ms run"; }
# at most 10 a second in each phase (the phases take turns), plus one each
[ "$draws" -le $((elapsed / 100 + 2)) ] || fail "$draws redraws in $elapsed ms: more than 10 a second"
grep -q "^$(printf '\033')\[Kmemsnap: loading .* [0-9]*:[0-9][0-9] left$" lines ||
	{ cat -v tty.log | head; fail "the loading line has no time left"; }
grep -q "^$(printf '\033')\[Kmemsnap: rules .* [0-9]*:[0-9][0-9] left$" lines ||
	fail "the rules line has no time left"
# erased: the last progress draw is followed by an erase and then the
# messages, and no line of the log ends inside a bar
grep -q "^$(printf '\033')\[K$" lines || fail "the progress line is never erased"
assert_line lines "$(printf '\033')[Kmemsnap: analyze: loaded 2 samples (1200011 rows) into big.db; the bundle is truncated (no trailer): every complete sample was loaded"

# -q: no progress (the database is reused: --force loads again)
TERM=xterm tty "'$MEMSNAP' analyze big.tar.zst -q --force --rules slow --only test --format json > out.json"
assert_rc 0 "analyze -q"
! grep -q "$(printf '\033')" tty.log || { cat -v tty.log | head; fail "-q drew on the terminal"; }
# TERM=dumb: no escape sequence, no carriage return
TERM=dumb tty "'$MEMSNAP' analyze big.tar.zst --force --rules slow --only test > out.txt"
assert_rc 0 "analyze with TERM=dumb"
! grep -q "$(printf '\033')" tty.log out.txt || { cat -v tty.log | head; fail "an escape with TERM=dumb"; }
# (the terminal ends each line with CR LF: a CR anywhere else is a redraw)
! sed 's/\r$//' tty.log | grep -q "$(printf '\r')" || { cat -v tty.log | head; fail "a redraw with TERM=dumb"; }
grep -q "^summary: 0 findings" out.txt || fail "no summary on stdout"
# collect's status line: on a terminal, once a sample; none with TERM=dumb
TERM=xterm tty "'$MEMSNAP' collect -n 3 -i 100ms -o c1.tar.zst"
assert_rc 0 "collect on a terminal"
tr '\r' '\n' < tty.log > lines
assert_eq "$(grep -c "^$(printf '\033')\[Kmemsnap: collecting: 00:00:0[0-9] elapsed, [0-3] samples, " lines)" 3 "status lines of 3 samples"
TERM=dumb tty "'$MEMSNAP' collect -n 3 -i 100ms -o c2.tar.zst"
assert_rc 0 "collect with TERM=dumb"
! grep -q "$(printf '\033')" tty.log || { cat -v tty.log; fail "an escape from collect with TERM=dumb"; }
grep -q "^memsnap: collect: wrote 3 samples" tty.log || fail "collect's closing line with TERM=dumb"
exit 0
