#!/bin/sh
# The analyzer side of the recorder, on a ring written here (a fake host,
# 1 s segments): a manual incident, then the recorder stopped and started
# again after a 4 s pause (a gap between two segments).
# - info, analyze (text, JSON, TSV) and report read the directory as one
#   recording: its bundles, the gap, the trigger; the JSON matches the
#   schema (strict);
# - the incident bundle: its trigger and time in info and every format, and
#   marked on the HTML charts (HTML_MARKERS_SQL) as on the ring's;
# - --from/--to on the directory: only the segments the window overlaps
#   are read (a segment outside it, made unreadable past its header, does
#   not make the load fail as it does the whole ring's), and exactly the
#   samples of the window are loaded.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/record/fakehost.inc"
python3 -c 'import jsonschema' 2>/dev/null ||
	skip "python3-jsonschema is missing (sh .ci/install-deps test installs it)"
fake_host tree
segs() { [ "$(segments r 2>/dev/null)" -ge "$1" ]; }
sealed() { [ "$(ls r/incidents | grep -c '\.tar\.zst$')" = 1 ]; }
rec -i 200ms --segment 1s --pre 1s --post 1s --incident-interval 100ms --trigger none
wait_for 60 segs 3
kill -USR1 $pid
wait_for 60 sealed
wait_for 60 segs 5
kill -TERM $pid
wait $pid || fail "record's exit status"
# the pause is a gap (more than 1.5 intervals + 1 s without a sample; a
# loaded machine may add shorter ones between segments: only this one is
# 4 s or more)
sleep 4
n1=$(segments r)
rec -i 200ms --segment 1s --trigger none
wait_for 60 segs $((n1 + 3))
kill -TERM $pid
wait $pid || fail "record's exit status (second run)"
n=$(segments r)
inc=$(ls r/incidents/*.tar.zst)

# each segment stands alone: its first sample is a full read, with every
# process's sparse files; its samples that are not have none
sparse() { tar --zstd -xOf "$1" "$2/t0" | grep -ac '^@ ok [0-9]* /proc/[0-9]*/\(oom_score_adj\|cgroup\)$'; }
lean=0
for s in r/ring/seg-*.tar.zst; do
	for m in $(tar --zstd -tf "$s" | grep '/meta$'); do
		d=${m%/meta}
		f=$(tar --zstd -xOf "$s" "$m" | sed -n 's/^full_read //p')
		k=$(sparse "$s" "$d")
		if [ "$d" = 000001 ] || [ "$f" = 1 ]; then
			[ "$f" = 1 ] && [ "$k" = 6 ] || fail "$s sample $d: full_read '$f', $k sparse records"
		else
			[ "$f" = 0 ] && [ "$k" = 0 ] || fail "$s sample $d: full_read '$f', $k sparse records"
			lean=$((lean + 1))
		fi
	done
done
[ "$lean" -gt 0 ] || fail "no sample without the sparse files"

# info: the recording, its trigger and incident; the incident's own
run "$MEMSNAP" info r
assert_rc 0 "info r"
grep -q "^recording: *r ($n bundles, " out || { cat out; fail "info: not $n bundles"; }
grep -q "^triggers: *1$" out || { cat out; fail "info: the trigger"; }
grep -q "^incidents: *1 in r/incidents" out || { cat out; fail "info: the incident"; }
assert_eq "$(awk '/^  [0-9]* s without samples before seg-/ && $1 >= 4' out | wc -l)" 1 "info: the pause"
# every segment is sealed: each read by its header, first sample and
# trailer only; a copy of the ring whose trailers lack last_wall (an
# earlier collector's: each segment read whole) gives the same listing
assert_line out "             ($n read by their header and trailer only: memsnap info BUNDLE reads one whole)"
mkdir -p old/ring && cp -r r/incidents old/
for s in r/ring/seg-*.tar.zst; do
	zstd -dcq "$s" | python3 -c '
import io, sys, tarfile
src = tarfile.open(fileobj=io.BytesIO(sys.stdin.buffer.read()))
dst = tarfile.open(fileobj=sys.stdout.buffer, mode="w|", format=tarfile.USTAR_FORMAT)
for m in src.getmembers():
    data = src.extractfile(m).read()
    if m.name == "memsnap.trailer":
        data = b"".join(l for l in data.splitlines(True) if not l.startswith(b"last_wall "))
        m.size = len(data)
    dst.addfile(m, io.BytesIO(data))
dst.close()' | zstd -q -o "old/ring/${s##*/}" || fail "rewriting $s"
done
sed -e 1d -e '/read by their header and trailer only/d' -e 's/ in r\/incidents / in old\/incidents /' out > quick.out
run "$MEMSNAP" info old
assert_rc 0 "info on the copy"
assert_no_match out "read by their header and trailer only"
sed 1d out | diff quick.out - || fail "info lists the ring differently from its header and trailer"
run "$MEMSNAP" info "$inc"
assert_rc 0 "info on the incident"
grep -q "^incident: *manual at " out || { cat out; fail "info: the incident's trigger"; }

# analyze the directory: text, JSON, TSV
run "$MEMSNAP" analyze r -o r.db
[ "$rc" = 0 ] || [ "$rc" = 1 ] || { cat err; fail "analyze r: exit $rc"; }
grep -q "^recording: $n bundles; [1-9][0-9]* gaps\? (" out || { cat out; fail "text: the recording line"; }
grep -q "^triggers: 1, in the order they fired$" out || { cat out; fail "text: the triggers"; }
grep -q "^  .*  manual  *source=SIGUSR1 pid=$$$" out || { cat out; fail "text: the trigger line"; }
"$MEMSNAP" analyze r -o r.db -q --format json > r.json
"$MEMSNAP" analyze "$inc" -o i.db -q --format json > i.json
python3 - "$n" <<'PY' || fail "the JSON of the recording and of the incident"
import json, sys
r, i = json.load(open('r.json'))['bundle'], json.load(open('i.json'))['bundle']
assert r['recording']['bundles'] == int(sys.argv[1]) and r['recording']['gaps'] >= 1, r['recording']
assert r['recording']['gap_seconds'] >= 4 and r['recording']['overlap_samples'] == 0, r['recording']
assert r['triggers_total'] == 1 and r['triggers'][0]['kind'] == 'manual', r['triggers']
assert 'incident' not in r and 'recording' not in i
assert i['incident']['trigger'] == 'manual' and i['incident']['t'] == i['triggers'][0]['t'], i
assert i['triggers'][0]['t'] == r['triggers'][0]['t'] and i['triggers'][0]['cgroup'] is None
PY
python3 "$SRC/tests/e2e/analyze/schema_check.py" "$SRC/docs/report-json.schema.json" r.json i.json \
	> v.out 2>&1 || { cat v.out; fail "the recording's JSON does not match the schema"; }
t=$(python3 -c 'import json; print(json.load(open("i.json"))["bundle"]["incident"]["utc"].replace("T", " ")[:-1])')
run_tsv "$MEMSNAP" analyze "$inc" -o i.db -q --format tsv
[ "$rc" = 0 ] || [ "$rc" = 1 ] || { cat err; fail "analyze --format tsv: exit $rc"; }
assert_eq "$(cut -f 1-7 triggers)" "$(printf 'trigger\tmanual\tsystem\t-\t%s\t%s\t-' "$t" "$t")" "TSV trigger line"

# the charts mark the trigger, in the ring's report and the incident's
for x in r "$inc"; do
	run "$MEMSNAP" report "$x" -o x.html
	[ "$rc" = 0 ] || [ "$rc" = 1 ] || { cat err; fail "report $x: exit $rc"; }
	grep -q 'class="mkl"[^>]*>trigger: manual</text>' x.html || fail "report $x: no trigger marker"
	grep -q '<dt>triggers</dt><dd class="triggers">1, ' x.html || fail "report $x: the triggers line"
done

# a window of the ring: only the segments it overlaps are read
# (a microsecond around a sample's time: --from/--to are read to the
# microsecond; a segment's header is written a fraction of a millisecond
# before its first sample, so the window starts after the second one's)
first_wall() { tar --zstd -xOf "$1" 000001/meta | awk -v d="$2" '$1 == "wall" { printf "%.6f", $2 + d }'; }
set -- r/ring/seg-*.tar.zst
from=$(first_wall "$2" -0.000001)
to=$(first_wall "$4" 0.000001)
# the third segment's, up to the fourth's first sample
want=$(for s in "$2" "$3"; do complete_samples "$s"; done | awk '{ s += $1 } END { print s + 1 }')
printf 'not zstd' >> "$1"
run "$MEMSNAP" analyze r -o whole.db -q
assert_rc 1 "the whole ring, the first segment damaged"
run "$MEMSNAP" analyze r -o w.db -q --from "@$from" --to "@$to"
[ "$rc" = 0 ] || { cat err; fail "the window: exit $rc"; }
assert_eq "$("$MEMSNAP" query w.db "SELECT count(*) FROM sample" --csv | tail -n 1)" "$want" "the window's samples"
assert_eq "$("$MEMSNAP" query w.db "SELECT group_concat(path, ' ') FROM recording_part" --csv | tail -n 1)" \
	"$2 $3 $4" "the segments read"
exit 0
