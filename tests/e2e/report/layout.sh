#!/bin/sh
# The report reads at a glance at 1400 and at 800 px (Debian's chromium,
# headless): every chart is as wide as its card with its text at 11 px or
# more; no text leaves its SVG (its box on the page, and getBBox against
# the viewBox); every legend entry is shown, inside its card and clear of
# the others; the time labels and the markers' names do not overlap;
# pointing at a chart shows the time and the value, as the database has
# them, and the keyboard moves through the points; a finding's window is
# shaded where its times are, and the kernel's OOM kill is marked on every
# chart that covers it (the oom bundle).  layout-check.js does the DOM
# checks.  The screenshots (and the checks' counts) stay in the build
# directory, report-shots/, to be looked at.  Skips (77) without chromium
# unless MEMSNAP_REQUIRE=1.
. "$SRC/tests/e2e/lib.sh"
need_chromium
SHOTS=${BUILD:-$SCRATCH}/report-shots
mkdir -p "$SHOTS" || fail "cannot create $SHOTS"
# check NAME PARAMS WIDTH: the DOM checks of NAME.html at WIDTH px, then a
# screenshot of the whole page; the results in NAME-WIDTH.*
check() {
	name=$1 params=$2 w=$3
	{ cat "$name.html"; printf '<script>var P = %s;</script>\n<script>' "$params"
	  cat "$SRC/tests/e2e/report/layout-check.js"; printf '</script>\n'; } > "$name-check.html"
	browse "$name-$w.dom" "$name-$w.net" "file://$SCRATCH/$name-check.html" --dump-dom --hide-scrollbars \
		--window-size="$w,1000" || { cat chromium.err >&2; fail "chromium on $name at $w px"; }
	sed -n 's/^check: //p' "$name-$w.dom" > "$name-$w.check"
	cp "$name-$w.check" "$SHOTS/$name-$w.txt"
	grep -q 'ok charts=' "$name-$w.check" || fail "$name at $w px: the checks did not run"
	! grep -q 'FAIL' "$name-$w.check" || { tr ';' '\n' < "$name-$w.check" >&2; fail "$name at $w px: the layout"; }
	h=$(sed -n 's/^height: //p' "$name-$w.dom")
	[ "${h:-0}" -gt 1000 ] || fail "$name at $w px: a page $h px high"
	browse shot.out shot.net "file://$SCRATCH/$name.html" --hide-scrollbars --window-size="$w,$h" \
		--screenshot="$SHOTS/$name-$w.png" || fail "chromium screenshot of $name at $w px"
	[ "$(head -c 8 "$SHOTS/$name-$w.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
		fail "$name-$w.png is not a PNG"
	[ "$(od -An -tu1 -j16 -N4 "$SHOTS/$name-$w.png" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')" = "$w" ] ||
		fail "$name-$w.png is not $w px wide"
}
field() { # JSON KEY N: the Nth value of KEY in analyze's JSON
	awk -v k="\"$2\":" -v n="$3" '$1 == k && ++i == n { sub(/,$/, "", $2); print $2 }' "$1"
}
epoch() { date -u -d "$1" +%s; }

# --- the leak bundle: six findings; the first process finding's chart spans
# the capture and its extrapolation, the window is where the fit was made
B=$SRC/samples/bundles/leak.tar.zst
"$MEMSNAP" analyze "$B" -o leak.db -q --format json > leak.json || fail "analyze leak"
"$MEMSNAP" report "$B" --db leak.db -q -o leak.html || fail "report leak"
n=$(grep -o '"rule":[^,]*' leak.json | grep -n leak/process | head -1 | cut -d: -f1)
[ -n "$n" ] || fail "no leak/process finding"
window="{chart: 'finding-$((n - 1))', t0: $(field leak.json t_start "$n"), t1: $(field leak.json t_end "$n")}"
for w in 1400 800; do
	check leak "{window: $window}" "$w"
	# every chart checked; the window shaded once; no marker (no OOM kill)
	assert_eq "$(sed 's/ texts=.*//' "leak-$w.check")" "ok charts=$(grep -c '<svg class="chart"' leak.html)" \
		"leak at $w px"
	grep -q ' shaded=1 marked=0 ' "leak-$w.check" || fail "leak at $w px: $(cat "leak-$w.check")"
	# hover: the time of a sample and its MemAvailable, as the database has it
	hover=$(sed -n 's/^hover: //p' "leak-$w.dom")
	case $hover in
	"2026-12-01 "[0-9][0-9]:[0-9][0-9]:[0-9][0-9]" UTC|MemAvailable|"[0-9]*" GiB") ;;
	*) fail "leak at $w px: the tooltip reads '$hover'" ;;
	esac
	t=$(epoch "${hover%% UTC*}")
	"$MEMSNAP" query leak.db "SELECT printf('%.1f', mem_available_bytes / 1073741824.0) FROM mem
		WHERE abs(t - $t) <= 1 ORDER BY abs(t - $t) LIMIT 1" --csv > want ||
		fail "query"
	assert_eq "${hover##*|}" "$(tail -1 want) GiB" "leak at $w px: MemAvailable at ${hover%%|*}"
	# the keyboard: the focus shows where the pointer was, End the last
	# sample, ArrowLeft the one before
	keys=$(sed -n 's/^keys: //p' "leak-$w.dom")
	"$MEMSNAP" query leak.db "SELECT t FROM sample ORDER BY id DESC LIMIT 2" --csv | tail -2 > last2 || fail "query"
	assert_eq "$(echo "$keys" | cut -d'|' -f1)" "${hover%%|*}" "leak at $w px: the focus"
	for i in 1 2; do
		got=$(epoch "$(echo "$keys" | cut -d'|' -f$((i + 1)) | sed 's/ UTC$//')") || fail "keys: '$keys'"
		want=$(sed -n "${i}p" last2)
		awk -v g="$got" -v w="$want" 'BEGIN { exit !(g - w <= 1 && w - g <= 1) }' ||
			fail "leak at $w px: key $i shows $got, the sample is at $want ($keys)"
	done
done

# --- the oom bundle: one OOM kill, marked on each chart that covers it
B=$SRC/samples/bundles/oom.tar.zst
"$MEMSNAP" report "$B" --db oom.db -q -o oom.html || fail "report oom"
"$MEMSNAP" query oom.db "SELECT t FROM vmstat_rate WHERE key = 'oom_kill' AND delta > 0" --csv > kills ||
	fail "query"
assert_eq "$(wc -l < kills)" 2 "the oom bundle's OOM kills (and the header line)"
for w in 1400 800; do
	check oom "{marks: [{t: $(tail -1 kills), label: 'OOM kill'}]}" "$w"
	charts=$(sed 's/.*charts=\([0-9]*\).*/\1/' "oom-$w.check")
	marked=$(sed 's/.*marked=\([0-9]*\).*/\1/' "oom-$w.check")
	[ "$marked" -ge 6 ] || fail "oom at $w px: the kill marked on $marked of $charts charts"
	grep -q 'marklabels=[1-9]' "oom-$w.check" || fail "oom at $w px: no marker's name shown"
done
exit 0
