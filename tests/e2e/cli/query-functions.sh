#!/bin/sh
# memsnap query has the functions the rules have: the statistics (median)
# and the fmt_* functions that word a finding's numbers (SQLite's printf rounds a
# half away from zero: 0.5 -> 1), with their errors.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles/leak.tar.zst
run "$MEMSNAP" query "$B" -o x.db --csv "SELECT fmt_duration(max(s.t) - min(s.t)) AS span,
	fmt_bytes(max(m.mem_total_bytes), 2) AS ram, fmt_p(0.0004) AS p, median(m.mem_free_bytes) > 0 AS ok,
	fmt_rate_range(0.5, 12) AS ci FROM sample s JOIN mem m ON m.sample = s.id"
assert_rc 0 "query with fmt_* and median"
printf 'span,ram,p,ok,ci\n10 min,23.54 GiB,4e-04,1,1-12\n' > want
cmp -s want out || { diff want out >&2; fail "query output"; }
run "$MEMSNAP" query x.db "SELECT fmt_duration(60, 'weeks')"
assert_rc 1 "a bad style"
assert_line err "memsnap: query: fmt_duration: unknown style 'weeks' (min-days, eta, min-h, s-h, s-min)"
exit 0
