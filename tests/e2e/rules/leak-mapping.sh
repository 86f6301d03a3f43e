#!/bin/sh
# leak/mapping on the recorded bundles (samples/README.md): the one
# anonymous region of ms-mapleak that grows (its [heap] stays flat), and
# ms-leak1m's heap region, which grows downwards (each 1 MiB calloc is an
# mmap placed below it that merges into it: followed by its end address);
# none of the controls' mappings; nothing on the other bundles.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles
[ -f "$B/leak.tar.zst" ] || fail "no $B/leak.tar.zst"
findings() { cut -f1-4 out | sort > got; }

cat > want <<'EOF2'
warning	leak/mapping	mapping	24123 (ms-leak1m) 7fb7e0a00000-7fb7edc0e000 anon
warning	leak/mapping	mapping	24148 (ms-mapleak) 7f0ca7400000-7f0cc7400000 anon
EOF2
run_tsv "$MEMSNAP" analyze "$B/leak.tar.zst" -o x.db -q --only leak/mapping --format tsv
assert_rc 0 "analyze leak.tar.zst"
findings
diff want got >&2 || fail "leak/mapping on leak.tar.zst: the findings differ (want, got)"
# the numbers: README measured Rss 256.0 -> 315.0 MiB over 11 tier-2 samples
grep -q "	24148 (ms-mapleak) 7f0ca7400000-7f0cc7400000 anon	.*grew 59 MiB in 10 min, from 256.0 to 315.0 MiB .*11 smaps samples, 100 % of the changes rises" out ||
	fail "ms-mapleak message: $(grep ms-mapleak out)"
grep -q "	24123 (ms-leak1m) .*it grows downwards" out || fail "ms-leak1m: followed by its end"
# ms-leak8k was walked by tier 2 once: one point is no series
assert_no_match out "ms-leak8k"

# with the default 5-minute smaps interval a 10-minute capture has 3
# points: not enough (min_points 6); the first 6 minutes of this one (55 %
# of its bytes) hold 7 tier-2 samples of ms-mapleak: enough
size=$(wc -c < "$B/leak.tar.zst")
head -c $((size * 55 / 100)) "$B/leak.tar.zst" > six.tar.zst
run_tsv "$MEMSNAP" analyze six.tar.zst -o six.db -q --only leak/mapping --format tsv
assert_rc 0 "analyze the first 55 %"
cut -f4 out > got
assert_line got "24148 (ms-mapleak) 7f0ca7400000-7f0cc7400000 anon"

for b in thrash swap oom frag frag-lowmem frag-oom numa-remote numa-local slab; do
	[ -f "$B/$b.tar.zst" ] || fail "no samples/bundles/$b.tar.zst: every control is a recorded bundle"
	run_tsv "$MEMSNAP" analyze "$B/$b.tar.zst" -o "$b.db" -q --only leak/mapping --format tsv
	assert_rc 0 "analyze $b.tar.zst"
	[ ! -s out ] || { cat out >&2; fail "leak/mapping on $b.tar.zst"; }
	# the NUMA bundles have smaps every 10 s (25 samples): judged even at
	# a lower floor
	run_tsv "$MEMSNAP" analyze "$B/$b.tar.zst" -o "$b.db" -q --only leak/mapping --format tsv \
		--set leak/mapping.min_minutes=2 --set leak/mapping.min_points=3
	assert_rc 0 "analyze $b.tar.zst (lower floors)"
	[ ! -s out ] || { cat out >&2; fail "leak/mapping on $b.tar.zst (lower floors)"; }
done
exit 0
