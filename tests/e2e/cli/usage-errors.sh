#!/bin/sh
# Bad command lines: exit 2 and one clear line naming the bad value.
. "$SRC/tests/e2e/lib.sh"
check() {
	expected=$1
	shift
	run "$MEMSNAP" "$@"
	assert_rc 2 "memsnap $*"
	assert_eq "$(head -n 1 err)" "$expected" "memsnap $*"
	[ ! -e memsnap-*.tar.zst ] 2>/dev/null || fail "a bundle was created by a usage error"
	ls | grep -q 'tar.zst' && fail "a bundle was created by: $*"
	return 0
}
check "memsnap: collect: invalid --duration '10x': expected a duration like 30s, 10m, 1h30m or 250ms" collect -d 10x
check "memsnap: collect: invalid --duration '0': must be more than 0" collect -d 0
check "memsnap: collect: invalid --interval '50ms': must be at least 100ms" collect -i 50ms
check "memsnap: collect: invalid --count '0': must be between 1 and 4294967295" collect -n 0
check "memsnap: collect: invalid --pid 'x': expected a whole number" collect -p 1,x
check "memsnap: collect: invalid --level '20': must be between 1 and 19" collect --level 20
check "memsnap: collect: invalid --max-size '1K': must be at least 64K" collect --max-size 1K
check "memsnap: collect: invalid --cpu-budget '150': expected a percentage between 0 and 100, e.g. 1 or 0.5%" collect --cpu-budget 150
check "memsnap: collect: unknown option '--frobnicate'" collect --frobnicate
check "memsnap: collect: option '-o' needs a value" collect -o
check "memsnap: collect: unexpected argument 'extra'" collect extra
check "memsnap: info: expected a BUNDLE, several bundles of one host, or a DIR" info
check "memsnap: record: invalid --trigger 'oom': unknown trigger (one of oom-kill, psi, low-memory, cgroup-limit, swap-storm, manual, none)" record --trigger oom
check "memsnap: record: invalid --trigger 'psi=200': expected psi=NUMBER (more than 0, at most 100 %) or psi=off" record --trigger psi=200
check "memsnap: record: invalid --max-disk '100K': must be at least 256K" record --max-disk 100K
check "memsnap: record: invalid --segment '10ms': must be at least 100ms" record --segment 10ms
check "memsnap: record: --segment (1000ms) is shorter than --interval (5000ms)" record --segment 1s
check "memsnap: record: --incident-interval (2000ms) is longer than --interval (1000ms)" record -i 1s --incident-interval 2s
check "memsnap: record: invalid --max-incidents 'x': expected a whole number" record --max-incidents x
check "memsnap: record: invalid --dir '': empty directory name" record -D ''
check "memsnap: record: unknown option '--max-size'" record --max-size 1M
check "memsnap: record: unexpected argument 'extra'" record extra
check "memsnap: load: expected a BUNDLE, several bundles of one host, or a DIR" load
check "memsnap: analyze: expected a BUNDLE or DB, the bundles of one host or of several, or a DIR" analyze
check "memsnap: info: unknown option '--x'" info --x b
exit 0
