#!/bin/sh
# A fleet where one host has several bundles: leak and swap were recorded
# in one boot of "vm", numa-remote on another host. The vm host is loaded
# as one recording (two parts, the gap between them reported) and judged
# on both: swap's storm and leak's processes are vm's findings; --from/--to
# on such a host is refused with one line, the other host goes on.
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
run "$MEMSNAP" analyze -q f --from +1m --format tsv
assert_rc 1 "a window on a host of two bundles"
grep -q "2 bundles of one host: --from/--to in a fleet cut one bundle a host" err || { cat err >&2; fail "the refusal"; }
exit 0
