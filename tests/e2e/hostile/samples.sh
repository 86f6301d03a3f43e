#!/bin/sh
# Samples out of order: a sample repeated right after itself, a sample
# number going backwards, clocks going backwards, clocks that are not
# numbers.  Load keeps the first copy of a sample and skips the members that
# repeat or go back (a load_error each); info counts them apart; a clock
# going back gives NULL rates, never negative ones; "nan" or "inf" clocks
# drop that sample (load_error) and nothing else.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
bundle_header
# sample N [WALL MONO [MEMFREE_KB PGFAULT]]: member files of a sample, in m/N/
sample() {
	d=$(printf %06d "$1")
	rm -rf "m/$d"
	printf 'MemTotal: 1000 kB\nMemFree: %s kB\n' "${4:-500}" > mi
	printf 'pgfault %s\n' "${5:-100}" > vm
	add_record "$d/t0" ok /proc/meminfo mi
	add_record "$d/t0" ok /proc/vmstat vm
	sample_meta "$1" "${2:-$((1767225600 + $1))}" "${3:-$((100 + $1))}"
}
q() { "$MEMSNAP" query "$1" "$2" --csv | tail -n +2; }
skipped="sample number goes backwards or repeats; member skipped"

# 1, 2, 2 again (other values), 3
sample 1; sample 2 "" "" 222; mkdir -p copy && cp -r m/000002 copy/
sample 2 1767225699 199 999; sample 3
tar --format=ustar -cf dup.tar -C m memsnap.header 000001/t0 000001/meta -C "$SCRATCH/copy" 000002/t0 000002/meta \
	-C "$SCRATCH/m" 000002/t0 000002/meta 000003/t0 000003/meta || fail "tar"
zstd -q dup.tar -o dup.tar.zst || fail "zstd"
run "$MEMSNAP" load dup.tar.zst
assert_rc 0 "load a repeated sample"
grep -qx 'memsnap: load: loaded 3 samples ([0-9]* rows) into dup.db; the bundle is truncated (no trailer): every complete sample was loaded; 2 lines or records could not be parsed (see table load_error)' err ||
	{ cat err; fail "load message"; }
assert_eq "$(q dup.db 'SELECT sample, member, message FROM load_error ORDER BY rowid' | tr '\n' '|')" \
	"2,000002/t0,$skipped|2,000002/meta,$skipped|" "load_error"
assert_eq "$(q dup.db "SELECT value FROM meminfo WHERE sample = 2 AND key = 'MemFree'")" "227328" "the first copy of sample 2 is kept"
assert_eq "$(q dup.db 'SELECT group_concat(id, char(32)) FROM sample')" "1 2 3" "samples"
run "$MEMSNAP" info dup.tar.zst
assert_rc 0 "info"
assert_line out "samples:     3 complete (tier 0: 3, tier 1: 0, tier 2: 0); interval 1000 ms"
assert_line out "out of order: 2 members skipped (a sample again after its meta, an older sample, a second header)"

# 1, 3, 2: the sample number goes back
sample 1; sample 2; sample 3
mk_bundle back.tar.zst memsnap.header 000001/t0 000001/meta 000003/t0 000003/meta 000002/t0 000002/meta
run "$MEMSNAP" load back.tar.zst
assert_rc 0 "load a sample number going back"
assert_eq "$(q back.db 'SELECT group_concat(id, char(32)) FROM sample')" "1 3" "samples"
assert_eq "$(q back.db 'SELECT count(*) FROM load_error')" "2" "load_error rows"
run "$MEMSNAP" info back.tar.zst
assert_line out "samples:     2 complete (tier 0: 2, tier 1: 0, tier 2: 0); interval 1000 ms"

# clocks going back: sample 2 is 50 s before sample 1 on both clocks
sample 1 1767225700 200 500 100; sample 2 1767225650 150 500 200; sample 3 1767225710 210 500 300
mk_bundle clock.tar.zst memsnap.header 000001/t0 000001/meta 000002/t0 000002/meta 000003/t0 000003/meta
run "$MEMSNAP" load clock.tar.zst
assert_rc 0 "load clocks going back"
assert_eq "$(q clock.db "SELECT sample, coalesce(round(per_s, 3), 'NULL') FROM vmstat_rate WHERE key = 'pgfault' ORDER BY sample" | tr '\n' ' ')" \
	"2,NULL 3,1.667 " "rates across a clock going back"
run "$MEMSNAP" info clock.tar.zst
assert_rc 0 "info"
assert_line out "span:        2026-01-01 00:00:50 UTC to 2026-01-01 00:01:50 UTC (60 s; host time zone unknown)"
run "$MEMSNAP" analyze clock.tar.zst
assert_rc 0 "analyze"
assert_no_match err "rror"

# clocks that are not numbers: those samples are dropped, the others load
sample 1; sample 2 nan; sample 3 1767225603 inf; sample 4 1e999 104; sample 5
mk_bundle nan.tar.zst memsnap.header 000001/t0 000001/meta 000002/t0 000002/meta 000003/t0 000003/meta \
	000004/t0 000004/meta 000005/t0 000005/meta
run "$MEMSNAP" load nan.tar.zst
assert_rc 0 "load clocks that are not numbers"
assert_eq "$(q nan.db 'SELECT group_concat(id, char(32)) FROM sample')" "1 5" "samples"
assert_eq "$(q nan.db 'SELECT sample, member, message FROM load_error ORDER BY rowid LIMIT 2' | tr '\n' '|')" \
	"2,000002/meta,meta: no 'wall' or 'mono' time; sample not loaded|2,000003/t0,sample 2 has no valid meta: its rows were dropped|" \
	"load_error"
assert_eq "$(q nan.db 'SELECT group_concat(sample, char(32)) FROM load_error')" "2 2 3 3 4 4" "load_error samples"
assert_eq "$(q nan.db 'SELECT group_concat(sample, char(32)) FROM (SELECT DISTINCT sample FROM meminfo ORDER BY 1)')" "1 5" "rows of the dropped samples"
run "$MEMSNAP" info nan.tar.zst
assert_rc 0 "info"
assert_line out "span:        2026-01-01 00:00:01 UTC to 2026-01-01 00:00:05 UTC (4 s; host time zone unknown)"

# a sample without its meta between two complete ones: its rows go too
sample 1; sample 2; sample 3
mk_bundle nometa.tar.zst memsnap.header 000001/t0 000001/meta 000002/t0 000003/t0 000003/meta
run "$MEMSNAP" load nometa.tar.zst
assert_rc 0 "load a sample without meta in the middle"
assert_eq "$(q nometa.db 'SELECT sample, member, message FROM load_error')" \
	"2,000003/t0,sample 2 has no valid meta: its rows were dropped" "load_error"
assert_eq "$(q nometa.db 'SELECT group_concat(sample, char(32)) FROM (SELECT DISTINCT sample FROM meminfo ORDER BY 1)')" "1 3" "meminfo samples"
assert_eq "$(q nometa.db 'SELECT group_concat(sample, char(32)) FROM (SELECT DISTINCT sample FROM vmstat ORDER BY 1)')" "1 3" "vmstat samples"
run "$MEMSNAP" info nometa.tar.zst
assert_line out "samples:     2 complete (tier 0: 2, tier 1: 0, tier 2: 0); interval 1000 ms"
exit 0
