#!/bin/sh
# Truncated bundles load every complete sample and say so; corrupt ones
# load what came before the damage and exit 1; non-bundles are refused.
. "$SRC/tests/e2e/lib.sh"
"$MEMSNAP" collect -i 100ms -q --no-mlock -o k.tar.zst 2>/dev/null &
pid=$!
track $pid
five() { n=$(complete_samples k.tar.zst); [ "${n:-0}" -ge 5 ]; }
wait_for 60 five
kill -STOP $pid
kill -KILL $pid
wait $pid 2>/dev/null
n=$(complete_samples k.tar.zst)
run "$MEMSNAP" load k.tar.zst
assert_rc 0 "load a killed collector's bundle"
grep -q "^memsnap: load: loaded $n samples ([0-9]* rows) into k.db; the bundle is truncated (.*): every complete sample was loaded$" err ||
	{ cat err; fail "load message for a truncated bundle"; }
q() { "$MEMSNAP" query k.db "$1" --csv | tail -n +2; }
assert_eq "$(q 'SELECT complete_samples, truncated, clean_end FROM load_info')" "$n,1,0" "load_info"
assert_eq "$(q 'SELECT count(*), max(id) FROM sample')" "$n,$n" "samples"
assert_eq "$(q "SELECT count(*) FROM proc_sample WHERE sample > $n")" 0 "rows of the torn sample"
# cut in the middle
size=$(stat -c %s k.tar.zst)
head -c $((size / 2)) k.tar.zst > half.tar.zst
m=$(complete_samples half.tar.zst)
run "$MEMSNAP" load half.tar.zst
assert_rc 0 "load half a bundle"
assert_eq "$("$MEMSNAP" query half.db 'SELECT count(*) FROM sample' --csv | tail -n 1)" "$m" "samples of half"
# garbage in the middle, with more than one zstd block (128 KiB) of data
# after it: damage within the last block can look like a truncation (the
# corrupted block header may claim bytes up to the end of the file; see
# docs/bundle-format.md), so the garbage goes 200 KB before the end
"$MEMSNAP" collect -i 100ms -q --no-mlock -o big.tar.zst 2>/dev/null &
bpid=$!
track $bpid
big_enough() { [ "$(stat -c %s big.tar.zst 2>/dev/null || echo 0)" -ge 260000 ]; }
wait_for 120 big_enough
kill -TERM $bpid
wait $bpid 2>/dev/null
bsize=$(stat -c %s big.tar.zst)
cp big.tar.zst bad.tar.zst
printf 'GARBAGEGARBAGEGARBAGE' | dd of=bad.tar.zst bs=1 seek=$((bsize - 200000)) conv=notrunc 2>/dev/null
run "$MEMSNAP" load bad.tar.zst
assert_rc 1 "load a corrupt bundle"
grep -q "^memsnap: load: 'bad.tar.zst': corrupt: .*; loaded the [0-9]* complete samples before the damage$" err ||
	{ cat err; fail "corrupt message"; }
[ -f bad.db ] || fail "nothing kept from before the damage"
# not a bundle; a bundle from the future
echo hello > text.tar.zst
run "$MEMSNAP" load text.tar.zst
assert_rc 1 "load a text file"
assert_line err "memsnap: load: 'text.tar.zst': not a memsnap bundle (no zstd frame at the start)"
[ ! -e text.db ] || fail "a database was left for a non-bundle"
mkdir fut && printf 'format 99\ncollector memsnap 9.0\n' > fut/memsnap.header
tar --zstd -cf future.tar.zst -C fut memsnap.header
run "$MEMSNAP" load future.tar.zst
assert_rc 1 "load a future format"
assert_line err "memsnap: load: 'future.tar.zst': bundle format 99 is newer than this memsnap reads (up to 1); use a newer memsnap"
exit 0
