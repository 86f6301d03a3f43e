#!/bin/sh
# MemAvailable estimated where meminfo has none (kernels before 3.14), as
# si_mem_available() computes it, checked on real texts: PCP's QA captures
# (tests/fixtures/kernels/unstated-pcp-meminfo-root-00N: meminfo, vmstat
# and zoneinfo of one host each) collected through --proc-root and --sys-root with their
# MemAvailable line removed.  The estimate is the kernel's own figure on
# the roots of kernels 4.6 and later (004, 005, 007: the same formula);
# 006 is 168 kB (42 pages) under it, the counters moving between the two
# files' reads; 001-003 are 3.14-4.5 kernels, whose formula subtracted the
# low watermarks instead of totalreserve_pages (docs/schema.md), so the
# estimate is below their figure by the difference.  The loader says in
# `derived` what it estimated, and analyze lists it.
. "$SRC/tests/e2e/lib.sh"
K=$FIXTURES/kernels
# root N: expected estimate (kB), the kernel's MemAvailable (kB)
while read -r n want real; do
	rm -rf t && mkdir -p t && cp -r "$K/unstated-pcp-meminfo-root-$n"/* t/
	chmod -R u+w t
	assert_eq "$(sed -n 's/^MemAvailable: *\([0-9]*\) kB$/\1/p' t/proc/meminfo)" "$real" "root $n's MemAvailable"
	sed -i '/^MemAvailable:/d' t/proc/meminfo
	run "$MEMSNAP" collect --proc-root t/proc --sys-root t/sys -n 1 -q -o $n.tar.zst
	assert_rc 0 "collect root $n"
	run "$MEMSNAP" query $n.tar.zst "SELECT value / 1024 FROM meminfo WHERE key = 'MemAvailable'" --csv
	assert_rc 0 "query root $n"
	assert_eq "$(tail -n 1 out)" "$want" "root $n: the estimate (kernel's: $real kB)"
	run "$MEMSNAP" query $n.db "SELECT what, samples FROM derived" --csv
	assert_eq "$(tail -n +2 out | tr '\n' ' ')" "MemAvailable,1 " "root $n: derived"
	# with the kernel's line, nothing is estimated
	rm -rf u && mkdir u && cp -r "$K/unstated-pcp-meminfo-root-$n"/* u/
	run "$MEMSNAP" collect --proc-root u/proc --sys-root u/sys -n 1 -q -o k$n.tar.zst
	run "$MEMSNAP" query k$n.tar.zst "SELECT (SELECT value / 1024 FROM meminfo WHERE key = 'MemAvailable'), (SELECT count(*) FROM derived)" --csv
	assert_eq "$(tail -n 1 out)" "$real,0" "root $n with its MemAvailable"
done <<'ROOTS'
001 12805024 12881060
002 118137284 118425544
003 118137284 118425544
004 3391008 3391008
005 10749228 10749228
006 2878908 2879076
007 7202848 7202848
ROOTS
run "$MEMSNAP" analyze 004.tar.zst
assert_rc 0 "analyze"
assert_line out "not seen: MemAvailable (the kernel prints none before 3.14): estimated as the kernel computes it, from meminfo and zoneinfo's watermarks, in 1 samples"
# without zoneinfo there is nothing to estimate from: no value, said so
rm -rf t && mkdir -p t/proc && cp "$K/3.2.0-debian-sid-686pae/proc/meminfo" t/proc/
run "$MEMSNAP" collect --proc-root t/proc --sys-root t/sys -n 1 -q -o old.tar.zst
assert_rc 0 "collect the 3.2.0 meminfo"
run "$MEMSNAP" query old.tar.zst "SELECT count(*) FROM meminfo WHERE key = 'MemAvailable'" --csv
assert_eq "$(tail -n 1 out)" 0 "an estimate without zoneinfo"
run "$MEMSNAP" analyze old.tar.zst
assert_rc 0 "analyze without MemAvailable"
assert_line out "not seen: MemAvailable (the kernel prints none before 3.14): not estimated, no usable zoneinfo in the bundle, in 1 samples"
exit 0
