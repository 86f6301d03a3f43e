#!/bin/sh
# Garbage inside the tar stream (the zstd layer intact): a damaged member
# header makes the bundle corrupt after the samples before it, which load
# keeps (exit 1, says so); garbage inside a member's text costs the line
# it lands in (a load_error naming the file, the line and why), the rest
# loads (exit 0).
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
base_bundle b.tar.zst 3
zstd -dcq b.tar.zst > b.tar || fail "zstd -d"
blk=$(tar -tvR -f b.tar | sed -n 's/^block \([0-9]*\): .* 000002\/t0$/\1/p')
[ -n "$blk" ] || fail "no 000002/t0 in the base bundle"
# the header block of 000002/t0 overwritten with 'G's
cp b.tar hdr.tar
head -c 512 /dev/zero | tr '\0' G | dd of=hdr.tar bs=512 seek="$blk" conv=notrunc 2>/dev/null
zstd -q hdr.tar -o hdr.tar.zst || fail "zstd"
run "$MEMSNAP" load hdr.tar.zst
assert_rc 1 "load with a damaged member header"
assert_line err "memsnap: load: 'hdr.tar.zst': corrupt: damaged tar data: Damaged tar archive; loaded the 1 complete samples before the damage"
q() { "$MEMSNAP" query "$1" "$2" --csv | tail -n +2; }
assert_eq "$(q hdr.db 'SELECT complete_samples, corrupt, truncated FROM load_info')" "1,1,0" "load_info"
assert_eq "$(q hdr.db 'SELECT count(*) FROM sample')" "1" "samples kept"
run "$MEMSNAP" info hdr.tar.zst
assert_rc 1 "info with a damaged member header"
assert_line out "end:         CORRUPT: damaged tar data: Damaged tar archive; 1 complete samples before the damage"
# garbage in the text of 000002/t0 (its first record, /proc/meminfo, line 3)
cp b.tar text.tar
printf 'GARBAGE IN THE MIDDLE OF A MEMBER' | dd of=text.tar bs=1 seek=$(((blk + 1) * 512 + 100)) conv=notrunc 2>/dev/null
zstd -q text.tar -o text.tar.zst || fail "zstd"
run "$MEMSNAP" load text.tar.zst
assert_rc 0 "load with garbage inside a member"
grep -qx "memsnap: load: loaded 3 samples ([0-9]* rows) into text.db; 1 lines or records could not be parsed (see table load_error)" err ||
	{ cat err; fail "load message"; }
assert_eq "$(q text.db 'SELECT sample, member, path, message FROM load_error')" \
	"2,000002/t0,/proc/meminfo,meminfo:3: unexpected text after the value of 'MemAvailable': '30GARBAGE IN THE MIDDLE OF A MEMBERkB'" \
	"load_error"
# that line is lost, the lines before and after it are loaded
assert_eq "$(q text.db 'SELECT count(*) FROM meminfo WHERE sample = 2')" \
	"$(($(q text.db 'SELECT count(*) FROM meminfo WHERE sample = 1') - 1))" "meminfo lines but the damaged one"
assert_eq "$(q text.db 'SELECT count(*) = (SELECT count(*) FROM meminfo WHERE sample = 3) FROM meminfo WHERE sample = 1')" "1" "meminfo of the other samples"
exit 0
