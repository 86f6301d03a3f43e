#!/bin/sh
# Meta values that are not what the collector writes: a malformed count or
# clock is NULL in the sample table and one load_error naming the key (the
# sample itself loads); a malformed 'deferred' line is a load_error, the
# good ones are rows; info counts only what it can read.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
q() { "$MEMSNAP" query m.db "$1" --csv | tail -n +2; }
bundle_header
sample_meta 1 1767225601.0 101.0
cat >> m/000001/meta <<'META'
tiers 0 1 2
deferred 1 budget
deferred 7 budget
deferred 2 budget
boot nan
cpu_us 12x
wall_us 1500
processes -3
cgroups 18446744073709551615
missed_ticks 2
META
mk_bundle m.tar.zst memsnap.header 000001/meta
run "$MEMSNAP" load m.tar.zst
assert_rc 0 "load"
assert_eq "$(q 'SELECT id, t, mono, coalesce(boot, -1), has_rollup, has_smaps, coalesce(cpu_us, -1), wall_us, missed_ticks, coalesce(processes, -1), coalesce(cgroups, -1) FROM sample')" \
	"1,1767225601.0,101.0,-1,0,0,-1,1500,2,-1,-1" "the sample row"
assert_eq "$(q 'SELECT group_concat(tier, char(32)) FROM sample_deferred')" "1 2" "deferred tiers"
assert_eq "$(q 'SELECT member, message FROM load_error ORDER BY rowid' | tr '\n' '|')" \
	"000001/meta,meta: 'boot' is not a valid number; stored as NULL|000001/meta,meta: 'cpu_us' is not a valid number; stored as NULL|000001/meta,meta: 'processes' is not a valid number; stored as NULL|000001/meta,meta: 'cgroups' is not a valid number; stored as NULL|000001/meta,meta: a malformed 'deferred' line; ignored|" \
	"load_error"
run "$MEMSNAP" info m.tar.zst
assert_rc 0 "info"
assert_line out "samples:     1 complete (tier 0: 1, tier 1: 0, tier 2: 0); interval 1000 ms"
assert_line out "overruns:    1 late ticks, 2 missed ticks, 2 tier runs deferred by the budget"
exit 0
