#!/bin/sh
# One sample with a million processes, each a stat record (every tenth a
# statm too, attached through the sample's PID map), their PIDs multiples
# of 2^28 (far above pid_max, and keys that a fixed
# multiplicative hash sends to one slot: the loader took hours on them).
# Load and info get every process, in bounded time and memory.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
N=1000000
PER=125000   # processes per member part (t0, t0.1 ...), about 25 MiB each
bundle_header
mkdir -p m/000001
# mawk's %d stops at 2^31: PIDs are printed with %.0f (exact below 2^53)
awk -v n=$N -v per=$PER 'BEGIN {
	f = "m/000001/t0"; part = 0
	for (i = 1; i <= n; i++) {
		if (i > 1 && (i - 1) % per == 0) { close(f); part++; f = "m/000001/t0." part }
		pid = i * 268435456
		s = sprintf("%.0f (p%d) S 1 1 1 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 %d 10485760 256 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n", pid, i, 1000 + i)
		printf "@ ok %d /proc/%.0f/stat\n%s\n", length(s), pid, s > f
		if (i % 10) continue
		m = sprintf("2560 %d 100 1 0 200 0\n", i % 1000)
		printf "@ ok %d /proc/%.0f/statm\n%s\n", length(m), pid, m > f
	}
	close(f)
}' </dev/null || fail "awk"
sample_meta 1 1767225601.0 101.0
echo "processes $N" >> m/000001/meta
parts=$(cd m && ls 000001/t0* | sort -t. -k2 -n)
tar --format=ustar -cf - -C m memsnap.header $parts 000001/meta | zstd -q -1 -o big.tar.zst || fail "tar | zstd"
rm -rf m
run "$MEMSNAP" load big.tar.zst
assert_rc 0 "load a million processes"
grep -qx "memsnap: load: loaded 1 samples ([0-9]* rows) into big.db; the bundle is truncated (no trailer): every complete sample was loaded" err ||
	{ cat err; fail "load message"; }
q() { "$MEMSNAP" query big.db "$1" --csv | tail -n +2; }
assert_eq "$(q 'SELECT count(*), count(DISTINCT pid), min(pid), max(pid) FROM process')" \
	"1000000,1000000,268435456,268435456000000" "processes"
# statm resident (i mod 1000) * 4096 pages for i = 10, 20 .. N: 1000 rounds of 0, 10 .. 990
assert_eq "$(q 'SELECT count(*), count(statm_resident), sum(statm_resident) FROM proc_sample')" \
	"1000000,100000,202752000000" "proc_sample"
assert_eq "$(q 'SELECT count(*) FROM load_error')" "0" "load errors"
run "$MEMSNAP" info big.tar.zst
assert_rc 0 "info"
assert_line out "processes:   1000000 seen (at most 1000000 in one sample), 1000000 process-samples; cgroups: at most 0"
exit 0
