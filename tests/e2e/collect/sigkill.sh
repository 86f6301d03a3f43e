#!/bin/sh
# SIGKILL after a few samples: info reports every completed sample, and the
# bundle is marked truncated.  SIGSTOP first freezes the writer so the
# count read before the kill is exact.
. "$SRC/tests/e2e/lib.sh"
"$MEMSNAP" collect -i 100ms -q --no-mlock -o k.tar.zst 2>err &
pid=$!
track $pid
at_least_3() { n=$(complete_samples k.tar.zst); [ "${n:-0}" -ge 3 ]; }
wait_for 60 at_least_3
kill -STOP $pid
before=$(complete_samples k.tar.zst)
kill -KILL $pid
wait $pid 2>/dev/null
run "$MEMSNAP" info k.tar.zst
assert_rc 0 "info on a killed collector's bundle"
after=$(sed -n 's/^samples: *\([0-9]*\) complete.*/\1/p' out)
assert_eq "$after" "$before" "complete samples after SIGKILL"
grep -q "^end:         TRUNCATED (.*); $before complete samples recovered" out ||
	{ cat out; fail "info does not say TRUNCATED with $before samples"; }
# standard tools still read it (the zstd CLI drops up to 128 KiB of output
# at a truncation, so look at the first sample, not the last)
tar --zstd -xOf k.tar.zst 000001/meta 2>/dev/null | grep -q '^sample 1$' || fail "tar cannot read sample 1"
exit 0
