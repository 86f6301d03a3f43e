#!/bin/sh
# memsnap query --json, --ndjson and --csv stream: a million-row query runs
# in bounded memory (peak RSS under 64 MiB, from getrusage of the child: the
# whole result as a JSON tree took hundreds).  Every row is there, in
# order; BLOBs print as hex, integers beyond 2^53 exactly, non-finite reals
# as null, bytes that are not UTF-8 as U+FFFD; two formats at once is a
# usage error.
. "$SRC/tests/e2e/lib.sh"
command -v python3 >/dev/null || skip "python3 is missing (it measures the peak RSS)"
# under AddressSanitizer, freed memory waits in a quarantine of 256 MB
# before it is reused: the sanitizer's memory, not the program's
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1"
"$MEMSNAP" collect -q -n 2 -i 100ms -o b.tar.zst || fail "collect"
"$MEMSNAP" load -q b.tar.zst -o b.db || fail "load"
Q="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000)
   SELECT x, 'row ' || x AS t, x * 0.5 AS r, zeroblob(4) AS b FROM c"
# peak RSS of one query (KiB): its output goes to a file, never to memory
peak() { # FORMAT OUTFILE
	python3 - "$MEMSNAP" "$1" "$2" "$Q" <<'PY'
import resource, subprocess, sys
memsnap, fmt, out, q = sys.argv[1:]
with open(out, 'wb') as f:
    rc = subprocess.run([memsnap, 'query', 'b.db', fmt, q], stdout=f).returncode
if rc != 0:
    sys.exit(f'exit {rc}')
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}
for fmt in --json --ndjson --csv; do
	kib=$(peak $fmt "out$fmt") || fail "query $fmt"
	[ "$kib" -lt 65536 ] || fail "query $fmt: peak RSS $kib KiB, more than 64 MiB"
	echo "query $fmt: a million rows, peak RSS $kib KiB"
done
# every row, in order
assert_eq "$(wc -l < out--ndjson)" 1000000 "NDJSON lines"
assert_eq "$(sed -n '1p;$p' out--ndjson | tr '\n' ' ')" \
	'{"x":1,"t":"row 1","r":0.5,"b":"00000000"} {"x":1000000,"t":"row 1000000","r":500000,"b":"00000000"} ' \
	"first and last NDJSON rows"
assert_eq "$(head -n 2 out--json | tr '\n' ' ')" '[ {"x":1,"t":"row 1","r":0.5,"b":"00000000"}, ' "JSON start"
assert_eq "$(tail -n 2 out--json | tr '\n' ' ')" '{"x":1000000,"t":"row 1000000","r":500000,"b":"00000000"} ] ' \
	"JSON end"
python3 -c 'import json, sys; d = json.load(open("out--json")); sys.exit(len(d) != 1000000)' ||
	fail "the JSON array is not a million rows"
assert_eq "$(sed -n '1p;$p' out--csv | tr '\n' ' ')" 'x,t,r,b 1000000,row 1000000,500000.0,00000000 ' "CSV"
# the values JSON must get right
run "$MEMSNAP" query b.db --ndjson "SELECT x'00ff10' AS b, 9007199254740993 AS big, -9223372036854775808 AS min,
	1e999 AS inf, NULL AS n, 'a\"b\\c' || char(9, 10, 1) AS esc, CAST(x'41ff42' AS TEXT) AS bad, 'é' AS utf8, 0.1 AS r"
assert_rc 0 "query values"
assert_eq "$(cat out)" '{"b":"00ff10","big":9007199254740993,"min":-9223372036854775808,"inf":null,"n":null,"esc":"a\"b\\c\t\n\u0001","bad":"A\ufffdB","utf8":"é","r":0.1}' \
	"JSON values"
python3 -c 'import json, sys; json.loads(open("out").read())' || fail "not JSON"
run "$MEMSNAP" query b.db --json "SELECT 1 WHERE 0"
assert_eq "$(cat out)" "[]" "an empty JSON result"
run "$MEMSNAP" query b.db "SELECT x'0a0b' AS b, NULL AS n"
assert_line out "0a0b  NULL"
for two in "--csv --json" "--json --ndjson" "--csv --ndjson"; do
	run "$MEMSNAP" query b.db $two "SELECT 1"
	assert_rc 2 "$two"
	assert_line err "memsnap: query: --csv, --json and --ndjson: choose one"
done
exit 0
