#!/bin/sh
# The report in a real browser (Debian's chromium, headless): the DOM after
# scripts ran has every chart with data and the process table sorted on a
# click, no request left the page (checked in Chromium's network log, with
# a control page that does make requests, so the check can fail), and a
# screenshot is taken.  Skips (77) without chromium unless
# MEMSNAP_REQUIRE=1 (.ci/run).  No traffic leaves the machine: every host
# resolves to nothing and the proxy is a closed local port.
. "$SRC/tests/e2e/lib.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	skip "chromium is not installed (apt-get install chromium)"
fi
browse() { # OUT NETLOG URL [extra flags]
	out=$1 netlog=$2 url=$3
	shift 3
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --disable-extensions \
		--proxy-server=127.0.0.1:9 --host-resolver-rules='MAP * ~NOTFOUND' \
		--user-data-dir="$SCRATCH/profile" --log-net-log="$netlog" "$@" "$url" > "$out" 2> chromium.err
}
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
# a screenshot of the page
browse shot.out shot.net "file://$SCRATCH/r.html" --hide-scrollbars --window-size=1024,2400 \
	--screenshot="$SCRATCH/report.png" || fail "chromium screenshot"
[ -s report.png ] || fail "no screenshot"
[ "$(head -c 8 report.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "not a PNG"
exit 0
