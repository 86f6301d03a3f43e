#!/bin/sh
# memsnap report on a recorded bundle: one self-contained file (a CSP that
# forbids requests, nothing referenced from elsewhere), one section per
# finding in the order analyze gives them, charts drawn with data, the
# system sections and the process table; analyze --html writes the same.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles/leak.tar.zst
run "$MEMSNAP" report "$B" --db x.db -o r.html --only leak
assert_rc 0 "report"
grep -q '^memsnap: report: wrote r.html: [0-9]* findings' err || { cat err >&2; fail "no summary line"; }
[ -s r.html ] || fail "no report"
grep -q "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';" r.html ||
	fail "no Content-Security-Policy"
# nothing from elsewhere: no src/href/url()/import at all; the only http:
# is the SVG namespace, which is a name, not a request
assert_no_match r.html ' src='
assert_no_match r.html ' href='
assert_no_match r.html 'url('
assert_no_match r.html '@import'
[ "$(grep -o 'http[s]*://[^" ]*' r.html | sort -u)" = "http://www.w3.org/2000/svg" ] ||
	fail "a URL other than the SVG namespace: $(grep -o 'http[s]*://[^" ]*' r.html | sort -u)"
# the findings, in analyze's order
"$MEMSNAP" analyze "$B" -o x.db -q --only leak --format tsv | awk -F"\t" 'NR > 1 && $1 != "insufficient" { print $2 }' > want ||
	fail "analyze"
grep -o '<section class="finding sev-[a-z]*" data-rule="[^"]*"' r.html | sed 's/.*data-rule="//; s/"$//' > got
cmp -s want got || { diff want got >&2; fail "finding sections differ from analyze"; }
[ -s got ] || fail "the leak bundle must have findings"
# every finding of this bundle has a chart (process, mapping, system)
n_find=$(wc -l < got)
n_fig=$(grep -c 'data-chart="finding-[0-9]*"' r.html)
[ "$n_fig" -ge "$n_find" ] || fail "$n_find findings but $n_fig finding charts"
# every chart drawn has at least one series with points
for id in $(grep -o '<svg class="chart" data-chart="[^"]*"' r.html | sed 's/.*data-chart="//; s/"//'); do
	awk -v id="$id" 'index($0, "data-chart=\"" id "\"") { on = 1 } on && /data-points="[1-9]/ { ok = 1 }
		on && /<\/svg>/ { exit } END { exit !ok }' r.html || fail "chart $id has no data"
done
for id in mem-breakdown mem-available faults; do
	grep -q "data-chart=\"$id\"" r.html || fail "no chart $id"
done
# the stacked breakdown has the kinds the issue names
for s in anon 'file cache, active' 'file cache, inactive' shmem 'slab, reclaimable' 'slab, unreclaimable' free; do
	grep -q "class=\"area\" data-series=\"$s\"" r.html || fail "breakdown lacks '$s'"
done
# series that are 0 throughout say so and get one tick, 0: no "0.2 B"
grep -q '></i>swap used: 0 throughout</span>' r.html || fail "swap used is 0 throughout"
assert_no_match r.html 'class="yl"[^>]*>0\.[0-9]'
# the finding's window is shaded on a process chart (it spans the capture)
awk '/<svg class="chart" data-chart="finding-2"/ { on = 1 } on && /<rect class="win"/ { ok = 1 }
	on && /<\/svg>/ { exit } END { exit !ok }' r.html || fail "finding-2 has no shaded window"
# the charts' script and style are in the page
grep -q "function fit(svg)" r.html || fail "no chart script"
# the process table: 25 rows, each with a sparkline
[ "$(grep -c '<svg class="spark"' r.html)" = 25 ] || fail "expected 25 sparklines"
# single-node host: no NUMA section
assert_no_match r.html 'id="numa"'
# analyze --html writes the same report next to its text
run_tsv "$MEMSNAP" analyze "$B" -o x.db -q --only leak --html a.html --format tsv
assert_rc 0 "analyze --html"
grep -o '<section class="finding sev-[a-z]*" data-rule="[^"]*"' a.html | sed 's/.*data-rule="//; s/"$//' > got2
cmp -s want got2 || fail "analyze --html differs"
# a directory that cannot be written: a clear error, exit 1, no partial file
run "$MEMSNAP" report "$B" --db x.db -q --only leak -o /nonexistent-dir/r.html
assert_rc 1 "unwritable output"
assert_line err "memsnap: report: '/nonexistent-dir/r.html': No such file or directory"
exit 0
