#!/bin/sh
# The report in a real browser (Debian's chromium, headless): the DOM after
# scripts ran has every chart with data and the process table sorted on a
# click, no request left the page (checked in Chromium's network log, with
# a control page that does make requests, so the check can fail).  The
# layout at two widths, with screenshots: layout.sh.  Skips (77) without
# chromium unless MEMSNAP_REQUIRE=1 (.ci/run).
. "$SRC/tests/e2e/lib.sh"
need_chromium
"$MEMSNAP" report "$SRC/samples/bundles/leak.tar.zst" --db x.db -q --only leak -o r.html || fail "report"
# the control: a page that asks for two resources is caught
printf '<html><body><img src="http://example.invalid/a.png"><script>fetch("https://example.invalid/b")</script></body></html>\n' > control.html
browse control.dom control.net "file://$SCRATCH/control.html" --dump-dom || fail "chromium on the control page"
grep -q '"initiator":"null"' control.net || fail "the network-log check cannot see a page's requests"
# the report: no request from the page
browse dom.html report.net "file://$SCRATCH/r.html" --dump-dom || { cat chromium.err >&2; fail "chromium"; }
if grep -q '"initiator":"null"' report.net; then
	grep -o '"url":"[^"]*"' report.net | sort -u >&2
	fail "the report made a request"
fi
# the DOM after scripts: every chart drawn with data
charts=$(grep -c '<svg class="chart"' dom.html)
[ "$charts" -ge 5 ] || fail "only $charts charts in the DOM"
empty=$(awk '/<svg class="chart"/ { c++; d[c] = 0 } /data-points="[1-9]/ { d[c] = 1 }
	END { for (i = 1; i <= c; i++) if (!d[i]) n++; print n + 0 }' dom.html)
assert_eq "$empty" 0 "charts without data"
[ "$(grep -c '<section class="finding' dom.html)" -ge 1 ] || fail "no finding in the DOM"
# the sort script works: a copy of the report with a script that clicks the
# RSS heading and writes the column's values out, which must then descend
sed 's|</body>|<script>document.querySelectorAll("#proc-table th")[2].click();var p=document.createElement("pre");p.id="sorted";p.textContent=Array.from(document.querySelectorAll("#proc-table tbody tr")).map(function(r){return r.cells[2].dataset.v}).join(" ");document.body.appendChild(p);</script></body>|' r.html > click.html
browse sorted.html sorted.net "file://$SCRATCH/click.html" --dump-dom || fail "chromium (sort)"
order=$(sed -n 's|.*<pre id="sorted">\([^<]*\)</pre>.*|\1|p' sorted.html)
[ "$(echo "$order" | wc -w)" = 25 ] || fail "the sort did not run: '$order'"
[ "$(echo "$order" | tr ' ' '\n' | sort -rn | tr '\n' ' ' | sed 's/ $//')" = "$order" ] ||
	fail "RSS not in descending order after a click: $order"
exit 0
