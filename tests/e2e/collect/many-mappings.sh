#!/bin/sh
# A process with 100,000 mappings (maps.c, built here): its smaps (some
# 100 MB of text) is read up to --max-file-size (32 MiB) and recorded as
# "trunc", said once on stderr; the sample completes, and the loader keeps
# every mapping whose header is whole: the last one's cut line is a
# load_error and costs that line (its field, and the ones the read never
# reached, are NULL).  Needs
# vm.max_map_count above 100,000: raised for the test when root, restored.
. "$SRC/tests/e2e/lib.sh"
N=100000
command -v cc >/dev/null || skip "no C compiler for the test program"
old=$(cat /proc/sys/vm/max_map_count)
if [ "$old" -lt $((N + 1000)) ]; then
	[ "$(id -u)" = 0 ] && echo $((N + 1000)) > /proc/sys/vm/max_map_count 2>/dev/null ||
		skip "vm.max_map_count is $old and cannot be raised"
	restore() { echo "$old" > /proc/sys/vm/max_map_count; cleanup; }
	trap restore EXIT
fi
cc -O1 -o maps "$SRC/tests/e2e/collect/maps.c" || fail "cc maps.c"
./maps $N ready &
pid=$!
track $pid
wait_for 60 test -e ready
[ "$(wc -l < /proc/$pid/maps)" -gt $N ] || fail "fewer than $N mappings"
run "$MEMSNAP" collect -p $pid -n 1 -q --no-mlock -o m.tar.zst
assert_rc 0 "collect a process with $N mappings"
assert_line err "memsnap: collect: warning: could not read (per sample): trunc smaps x1"
assert_eq "$(wc -l < err)" "1" "lines on stderr"
tar --zstd -xOf m.tar.zst 000001/t2 000001/t2.1 > t2 || fail "tar -x t2"
grep -a '^@ ' t2 | sed 's/ [0-9]*$//' > recs
grep -q "^@ trunc 33554432 /proc/$pid/smaps\$" recs || { cat recs; fail "smaps not truncated at 32 MiB"; }
tar --zstd -xOf m.tar.zst 000001/meta > meta
assert_line meta "gap trunc smaps 1"
tar --zstd -xOf m.tar.zst 000001/t1 | grep -aq "^@ ok [0-9]* /proc/$pid/smaps_rollup [0-9]*\$" || fail "no smaps_rollup"
# the mappings whose header is whole: every header in the 32 MiB
headers=$(sed -n "/^@ trunc 33554432 \/proc\/$pid\/smaps /,\$p" t2 | head -c $((33554432 + 200)) |
	grep -ac '^[0-9a-f]*-[0-9a-f]* [r-][w-][x-][sp] ')
[ "$headers" -gt 40000 ] || fail "only $headers mapping headers in 32 MiB"
run "$MEMSNAP" load m.tar.zst
assert_rc 0 "load"
q() { "$MEMSNAP" query m.db "$1" --csv | tail -n +2; }
assert_eq "$(q 'SELECT count(*) FROM mapping')" "$headers" "mappings loaded"
assert_eq "$(q "SELECT count(*), min(path), min(message) GLOB 'smaps:[0-9]*: *' FROM load_error")" \
	"1,/proc/$pid/smaps,1" "the cut line"
assert_eq "$(q 'SELECT count(*) FROM mapping WHERE locked IS NULL')" 1 "the cut mapping's last field"
assert_eq "$(q "SELECT status FROM read_gap WHERE path = '/proc/$pid/smaps'")" "trunc" "read_gap"
exit 0
