#!/bin/sh
# No -d: collect until SIGTERM (or SIGINT), then close the archive cleanly.
. "$SRC/tests/e2e/lib.sh"
for sig in TERM INT; do
	"$MEMSNAP" collect -i 100ms -q --no-mlock -o $sig.tar.zst 2>err &
	pid=$!
	track $pid
	two() { n=$(complete_samples $sig.tar.zst); [ "${n:-0}" -ge 2 ]; }
	wait_for 60 two
	kill -$sig $pid
	wait $pid
	rc=$?
	assert_eq "$rc" 0 "exit status after SIG$sig"
	run "$MEMSNAP" info $sig.tar.zst
	assert_rc 0 "info"
	assert_line out "end:         complete (signal SIG$sig)"
	tar --zstd -tf $sig.tar.zst > list || fail "tar cannot list"
	assert_eq "$(tail -n 1 list)" "memsnap.trailer" "last member after SIG$sig"
done
exit 0
