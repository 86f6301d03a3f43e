#!/bin/sh
# Not root: collect what it can, say once what it could not, exit 0.
. "$SRC/tests/e2e/lib.sh"
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
	as_nobody="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	mkdir out-dir && chown nobody out-dir
	MEMSNAP=$(nobody_memsnap) || fail "cannot copy the binary for nobody"
else
	as_nobody=""
	mkdir out-dir
fi
run $as_nobody "$MEMSNAP" collect -n 2 -i 100ms -q -o out-dir/n.tar.zst
assert_rc 0 "collect as an unprivileged user"
grep -q "^memsnap: collect: warning: could not read (per sample): .*EACCES smaps_rollup" err ||
	{ cat err; fail "no warning about unreadable smaps_rollup"; }
assert_eq "$(grep -c 'could not read' err)" 1 "the warning is said once"
run "$MEMSNAP" info out-dir/n.tar.zst
assert_rc 0 "info"
assert_line out "end:         complete (count)"
grep -q "^  EACCES smaps_rollup " out || { cat out; fail "info does not list EACCES smaps_rollup"; }
grep -q "^uid 65534$" <<EOF2 || true
EOF2
tar --zstd -xOf out-dir/n.tar.zst memsnap.header | grep -q "^euid $(id -u nobody 2>/dev/null || id -u)$" ||
	fail "header does not record the effective uid"
exit 0
