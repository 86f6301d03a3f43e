#!/bin/sh
# A user's rule in a --rules directory declares its charts and the HTML
# report draws them without knowing the rule: the series and points come
# from the declaration's SQL bound to the finding's columns (:entity,
# :t_start, evidence), the title is the declaration's with the columns
# filled in, a when: that is false draws nothing, a chart with no data says
# so, a standard chart can be named, and `memsnap rules show` lists them.  Bad chart SQL is a rule
# error naming the file and line; a chart that fails at run time, or runs
# past --rule-timeout, is a note.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles/leak.tar.zst
rule() { # FILE ID HEADER-LINES: a rule with one finding over the whole capture
	mkdir -p "$(dirname "$1")"
	{ printf -- '-- id: %s\n-- severity: info\n-- title: t\n-- explain: e\n-- action: a\n%s\n' "$2" "$3"
	  printf "SELECT 'system' AS entity_kind, 'memory' AS entity, min(s.t) AS t_start, max(s.t) AS t_end,\n"
	  printf "  NULL AS value, 'charted' AS message, round((max(s.t) - min(s.t)) / 60.0) AS window_min,\n"
	  printf "  median(m.mem_available_bytes) / 2 AS half FROM mem m JOIN sample s ON s.id = m.sample\n"; } > "$1"
}
chart() { # HTML: one line per chart, then per series: class, name, points
	awk '/<svg class="chart" data-chart="finding-/ { on = 1; match($0, /data-chart="[^"]*"/);
		print substr($0, RSTART, RLENGTH) } on && /<title>/ { print }
		on && /data-series=/ { match($0, /class="[a-z]*" data-series="[^"]*"( data-points="[0-9]*")?/);
		print "  " substr($0, RSTART, RLENGTH) } /<\/svg>/ { on = 0 }' "$1"
}
rule r/my/avail.sql my/avail "-- chart: bytes capture | :entity: available memory over :window_min min
-- line: MemAvailable | SELECT t, mem_available_bytes FROM mem
--   WHERE t BETWEEN :t_start AND :t_end ORDER BY sample
-- dashed: half | SELECT :t_start, :half UNION ALL SELECT :t_end, :half
-- ref: MemTotal | SELECT max(mem_total_bytes) FROM mem
-- chart: memory-available
-- when: :entity_kind = 'process'
-- chart: swap-io
-- when: :severity = 'info'
-- chart: number | Nothing to draw
-- line: none | SELECT t, 1 FROM sample WHERE t < :t_start"
run "$MEMSNAP" report "$B" --db x.db -q --rules r --only my -o r.html
assert_rc 0 "report with a user rule's charts"
# a chart whose series have no point says so, in its legend and in its place;
# series that are 0 throughout say that
grep -q '<figcaption>Nothing to draw</figcaption>' r.html || fail "the empty chart's caption"
grep -q '></i>none: no data</span></div>$' r.html || fail "the empty series' legend entry"
grep -q '^<p class="nodata" data-chart="finding-0-3">no data</p>$' r.html || fail "no 'no data' for the empty chart"
grep -q '></i>swap-in: 0 throughout</span>' r.html || fail "swap-in is 0 throughout"
chart r.html > got
cat > want <<'E'
data-chart="finding-0"
<title>Memory: available memory over 10 min</title>
  class="line" data-series="MemAvailable" data-points="120"
  class="line" data-series="half" data-points="2"
  class="ref" data-series="MemTotal"
data-chart="finding-0-2"
<title>Swap-in and swap-out (pages per second)</title>
  class="line" data-series="swap-in" data-points="119"
  class="line" data-series="swap-out" data-points="119"
E
cmp -s want got || { diff want got >&2; fail "the user rule's charts"; }
# memsnap rules show lists them, the standard ones expanded
run "$MEMSNAP" rules --rules r show my/avail
assert_rc 0 "rules show"
assert_line out "  chart: bytes capture | :entity: available memory over :window_min min"
assert_line out "    dashed: half | SELECT :t_start, :half UNION ALL SELECT :t_end, :half"
assert_line out "    when: :entity_kind = 'process'"
assert_line out "    line: swap-in | SELECT t, per_s FROM vmstat_rate WHERE key = 'pswpin' ORDER BY sample"

# bad chart SQL: the rule fails, named by file and line; the others run
rule bad/col.sql bad/col "-- chart: bytes | T
-- line: a | SELECT t, nosuch FROM sample"
rule bad/param.sql bad/param "-- chart: bytes | T
-- line: a | SELECT t, 1 FROM sample
-- ref: r | SELECT :nosuch"
rule bad/cols.sql bad/cols "-- chart: bytes | T
-- dashed: a | SELECT t FROM sample"
rule bad/write.sql bad/write "-- chart: bytes | T
-- line: a | DELETE FROM sample"
rule bad/when.sql bad/when "-- chart: bytes | T
-- when: :window_min >
-- line: a | SELECT t, 1 FROM sample"
rule bad/header.sql bad/header "-- chart: bytes
-- line: a | SELECT t, 1 FROM sample"
run_tsv "$MEMSNAP" analyze "$B" -o x.db -q --rules bad --rules r --only bad,my --format tsv
assert_rc 1 "broken charts"
assert_line err "memsnap: analyze: rule failed: bad/col.sql:7: chart line 'a': no such column: nosuch"
assert_line err "memsnap: analyze: rule failed: bad/param.sql:8: chart ref 'r': ':nosuch' is not a column of the rule's query (a chart's parameters are its finding's columns)"
assert_line err "memsnap: analyze: rule failed: bad/cols.sql:7: chart dashed 'a': a series returns two columns, t and y"
assert_line err "memsnap: analyze: rule failed: bad/write.sql:7: chart line 'a': writing to a table is not allowed in rules"
assert_line err "memsnap: analyze: rule failed: bad/when.sql:7: chart when: near \")\": syntax error"
assert_line err "memsnap: analyze: rule failed: bad/header.sql:6: expected '-- chart: UNIT | TITLE'"
[ "$(wc -l < err)" = 6 ] || { cat err >&2; fail "expected 6 errors"; }
[ "$(cut -f2 out)" = my/avail ] || { cat out >&2; fail "the good rule's finding is missing"; }

# at run time: an SQL error and the time limit are notes, the report goes on
rule rt/rt.sql rt/rt "-- chart: number | Broken at run time
-- line: a | SELECT t, json_extract(:message, '\$') FROM sample
-- chart: number | Forever
-- line: b | WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c) SELECT max(i), 1 FROM c
-- chart: number | Fine
-- line: c | SELECT t, 1 FROM sample"
run "$MEMSNAP" report "$B" --db x.db -q --rules rt --only rt --rule-timeout 1s -o rt.html
assert_rc 0 "report with failing charts"
grep -q '<p class="note">(chart &ldquo;Broken at run time&rdquo; not drawn: malformed JSON)</p>' rt.html ||
	fail "no note for the chart's SQL error"
grep -q '<p class="note">(chart &ldquo;Forever&rdquo; not drawn: stopped after 1 s, the rule time limit)</p>' rt.html ||
	fail "no note for the chart's time limit"
[ "$(chart rt.html | head -2 | tr '\n' ' ')" = 'data-chart="finding-0" <title>Fine</title> ' ] ||
	fail "the chart after the failed ones: $(chart rt.html)"
exit 0
