#!/bin/sh
# A fleet where one host has several bundles: leak and swap were recorded
# in one boot of "vm", numa-remote on another host. The vm host is loaded
# as one recording (two parts, the gap between them reported) and judged
# on both: swap's storm and leak's processes are vm's findings.  --from/--to
# cut each host to the window on its own span: vm's recording to the parts
# the window overlaps, and a host with no sample in it is listed with its
# error while the others go on.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles
mkdir f
cp "$B/leak.tar.zst" "$B/swap.tar.zst" "$B/numa-remote.tar.zst" f/
run "$MEMSNAP" analyze -q f --format tsv
assert_rc 0 "analyze f"
assert_eq "$(head -n 1 out | cut -f1-3)" "host	severity	rule" "the fleet's TSV header"
awk -F'\t' '$1 == "vm" { print $3 }' out | sort -u > vm
grep -qx "swap/storm" vm || { cat vm >&2; fail "no swap/storm on vm (swap.tar.zst's part)"; }
grep -qx "leak/process" vm || { cat vm >&2; fail "no leak/process on vm (leak.tar.zst's part)"; }
awk -F'\t' '$1 != "vm" && $3 == "numa/node-skew"' out | grep -q . || fail "the other host's node skew"
"$MEMSNAP" query f/leak.db "SELECT part, path, samples, coalesce(gap_before > 0, 0) FROM recording_part ORDER BY part" --csv > parts
assert_eq "$(tail -n +2 parts | tr '\n' ' ')" "1,f/leak.tar.zst,120,0 2,f/swap.tar.zst,90,1 " "vm's recording"
"$MEMSNAP" analyze -q f/swap.tar.zst --format tsv | tail -n +2 | cut -f2 | sort -u > swap-alone
# from 07:20: the end of leak's part (which ends at 07:02) and swap's (07:27-07:30)
run "$MEMSNAP" analyze -q f --from 2026-12-01T07:20 --format tsv
assert_rc 1 "a window with no sample of numa-remote"
assert_line err "memsnap: analyze: (none): 'f/numa-remote.tar.zst': no sample at or after 2026-12-01 07:20:00 UTC: the bundle's samples are from 2026-12-01 06:59:18 to 07:03:16 UTC"
awk -F'\t' '$1 == "vm" { print $3 }' out | sort -u > vm
diff swap-alone vm > d || { cat d >&2; fail "vm from 07:20 is not judged as swap's part alone"; }
"$MEMSNAP" query f/leak.db "SELECT part, path, samples FROM recording_part ORDER BY part" --csv > parts
assert_eq "$(tail -n +2 parts | tr '\n' ' ')" "1,f/leak.tar.zst,0 2,f/swap.tar.zst,90 " "vm's recording from 07:20"
# to 07:10: swap's part (from 07:27) is not read
run "$MEMSNAP" load f/leak.tar.zst f/swap.tar.zst --to 2026-12-01T07:10
assert_rc 0 "load vm's recording to 07:10"
assert_line err "memsnap: load: loaded 120 samples (127710 rows) into f/leak.db; the window 2026-12-01 06:52:21 to 07:10:00 UTC (0 samples before it)"
run "$MEMSNAP" analyze -q f --from 2026-12-01T07:35
assert_rc 1 "a window after every host"
assert_line err "memsnap: analyze: vm: 'f/leak.tar.zst': no sample at or after 2026-12-01 07:35:00 UTC: the recording's samples are from 2026-12-01 06:52:21 to 07:30:00 UTC"
exit 0
