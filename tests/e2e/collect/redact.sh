#!/bin/sh
# --redact-cmdline keeps argv[0] only; without it the whole command line.
. "$SRC/tests/e2e/lib.sh"
sleep 301 & p=$!
track $p
run "$MEMSNAP" collect -n 1 -q -p $p --redact-cmdline -o r.tar.zst
assert_rc 0 "collect --redact-cmdline"
tar --zstd -xOf r.tar.zst 000001/t0 | grep -a -A1 "^@ ok [0-9]* /proc/$p/cmdline$" | tail -n 1 | tr '\0' ' ' > got
assert_eq "$(cat got)" "sleep " "redacted cmdline"
run "$MEMSNAP" collect -n 1 -q -p $p -o f.tar.zst
tar --zstd -xOf f.tar.zst 000001/t0 | grep -a -A1 "^@ ok [0-9]* /proc/$p/cmdline$" | tail -n 1 | tr '\0' ' ' > got
assert_eq "$(cat got)" "sleep 301 " "full cmdline"
exit 0
