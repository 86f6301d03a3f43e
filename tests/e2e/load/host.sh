#!/bin/sh
# The host table: the host records as typed columns, one row per complete
# sample that carried a host member, exactly as the bundle says them (a
# recorded bundle, and hostile host members); host_last is always one row,
# with the page size and CLK_TCK of the latest record that said them, 4096
# and 100 when none did.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
q() { "$MEMSNAP" query "$1" "$2" --csv | tail -n +2; }
cols="sample, hostname, kernel, machine, boot_id, page_size, clk_tck, cpus_online, cpus_configured, utc_offset_s, zone"

cp "$SRC/samples/bundles/leak.tar.zst" "$SRC/samples/bundles/frag.tar.zst" .
run "$MEMSNAP" load leak.tar.zst
assert_rc 0 "load leak"
leak="1,vm,6.18.44-fc-v669,x86_64,62d93b51-e860-481c-8d31-9f1a74bef86d,4096,100,2,2,0,UTC"
assert_eq "$(q leak.db "SELECT $cols FROM host")" "$leak" "leak: host"
assert_eq "$(q leak.db "SELECT $cols FROM host_last")" "$leak" "leak: host_last"
# frag's host member was written again where min_free_kbytes changed
run "$MEMSNAP" load frag.tar.zst
assert_rc 0 "load frag"
assert_eq "$(q frag.db 'SELECT group_concat(sample, char(32)) FROM host')" "1 16 21" "frag: host samples"
assert_eq "$(q frag.db 'SELECT count(DISTINCT boot_id), min(page_size), max(cpus_online) FROM host')" "1,4096,2" "frag: facts"
assert_eq "$(q frag.db 'SELECT sample, page_size, clk_tck FROM host_last')" "21,4096,100" "frag: host_last"

# hostile: sample 1 says everything; sample 2's memsnap:system is junk
# (NULLs and a load_error each, host_last keeps what sample 1 said);
# sample 3 never got its meta (no row)
bundle_header
printf 'sysname Linux\nnodename h1\nrelease 6.1.0\nversion #1\nmachine aarch64\n' > uname
printf 'page_size 65536\nclk_tck 250\ncpus_online 4\ncpus_configured 8\n' > system
printf 'zone CET\nutc_offset_s 3600\nTZ \nlocaltime x\n' > tz
printf '0bd6e2f6-1a0c-4d36-a0a2-4d7d2b9e6b5f\n' > boot
add_record 000001/host ok /proc/sys/kernel/random/boot_id boot
add_record 000001/host ok memsnap:uname uname
add_record 000001/host ok memsnap:system system
add_record 000001/host ok memsnap:timezone tz
sample_meta 1 1767225601.0 101.0
printf 'page_size 4096x\nclk_tck nan\ncpus_online 4\n' > system2
add_record 000002/host ok memsnap:system system2
sample_meta 2 1767225602.0 102.0
add_record 000003/host ok memsnap:system system
mk_bundle h.tar.zst memsnap.header 000001/host 000001/meta 000002/host 000002/meta 000003/host
run "$MEMSNAP" load h.tar.zst
assert_rc 0 "load hostile host members"
assert_eq "$(q h.db "SELECT $cols FROM host" | tr '\n' '|')" \
	"1,h1,6.1.0,aarch64,0bd6e2f6-1a0c-4d36-a0a2-4d7d2b9e6b5f,65536,250,4,8,3600,CET|2,,,,,,,4,,,|" "host rows"
assert_eq "$(q h.db "SELECT $cols FROM host_last")" "2,,,,,65536,250,4,,," "host_last"
assert_eq "$(q h.db 'SELECT sample, member, path, message FROM load_error ORDER BY rowid' | tr '\n' '|')" \
	"2,000002/host,memsnap:system,'page_size' is not a valid value; host.page_size is NULL|2,000002/host,memsnap:system,'clk_tck' is not a valid value; host.clk_tck is NULL|" \
	"load_error"
assert_eq "$(q h.db "SELECT count(*) FROM host_file WHERE sample = 3")" "0" "the incomplete sample's records"

# no host member: host_last still has its one row
mk_bundle none.tar.zst memsnap.header 000001/meta
run "$MEMSNAP" load none.tar.zst
assert_rc 0 "load without a host member"
assert_eq "$(q none.db 'SELECT count(*) FROM host')" "0" "no host rows"
assert_eq "$(q none.db "SELECT $cols FROM host_last")" ",,,,,4096,100,,,," "host_last defaults"
exit 0
