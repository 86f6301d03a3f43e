#!/bin/sh
# Unchanged processes and the skipped listing (bundle-format.md, "Unchanged
# processes").  On a fake host (processes 100, 200, 300; /proc/stat says
# 1000 forks), tier 1 every third tick: samples 1, 4 and 7 are full reads.
#   after sample 1: 200's stat and status change (it ran: utime, RSS);
#                   300 exits; 400 appears but the fork count stays
#   after sample 3: the fork count moves
# Expected: status and oom_score read in full reads and where stat changed,
# skip:unchanged elsewhere; /proc listed in samples 1 and 4 only, so 400 is
# first sampled in 4 and 300 is gone from 2 on; the loader carries the last
# status and oom_score read, and a window that starts at sample 3 has them
# from before it.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/record/fakehost.inc"
fake_host tree
forks() { fake_put tree/proc/stat "cpu  1 0 1 100 0 0 0 0 0 0
intr 0
ctxt 10
btime 1700000000
processes $1
procs_running 1
procs_blocked 0"; }
forks 1000
rss() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB$/\1/p' tree/proc/$1/status; }
rss100=$(rss 100) rss200=$(rss 200) oom100=$(cat tree/proc/100/oom_score) oom200=$(cat tree/proc/200/oom_score)
"$MEMSNAP" collect --proc-root tree/proc --sys-root tree/sys --no-mlock -q -i 2s -n 7 \
	--rollup-interval 6s -o u.tar.zst 2> collect.err &
pid=$!
track $pid
at_least() { [ "$(complete_samples u.tar.zst)" -ge "$1" ] 2>/dev/null; }
wait_for 60 at_least 1
# 200 ran: one more tick of user time (stat field 14), a larger RSS
awk '{ $14 = $14 + 1; print }' tree/proc/200/stat > tree/proc/200/stat.tmp && mv tree/proc/200/stat.tmp tree/proc/200/stat
sed 's/^VmRSS:.*/VmRSS:\t    7777 kB/' tree/proc/200/status > tree/proc/200/status.tmp &&
	mv tree/proc/200/status.tmp tree/proc/200/status
rm -r tree/proc/300
cp -r tree/proc/100 tree/proc/400.tmp
sed 's/^100 /400 /' tree/proc/100/stat | awk '{ $22 = $22 + 1; print }' > tree/proc/400.tmp/stat
mv tree/proc/400.tmp tree/proc/400
[ "$(complete_samples u.tar.zst)" -lt 2 ] || fail "the changes came after sample 2 began (a stalled machine)"
wait_for 60 at_least 3
forks 1001
[ "$(complete_samples u.tar.zst)" -lt 4 ] || fail "the fork came after sample 4 began (a stalled machine)"
wait $pid || { cat collect.err; fail "collect's exit status"; }
assert_empty collect.err

tar --zstd -xOf u.tar.zst memsnap.header > header
assert_line header "proc_unchanged status oom_score"
meta() { # KEY: its value in samples 1-7
	for n in 1 2 3 4 5 6 7; do
		printf '%s ' "$(tar --zstd -xOf u.tar.zst "00000$n/meta" | sed -n "s/^$1 //p")"
	done
}
assert_eq "$(meta full_read)" "1 0 0 1 0 0 1 " "full_read of samples 1-7"
assert_eq "$(meta listed)" "1 0 0 1 0 0 0 " "listed of samples 1-7"
assert_eq "$(meta unchanged)" "0 1 2 0 3 3 0 " "unchanged of samples 1-7"
# each sample's status and oom_score records: "sample pid file status"
for n in 1 2 3 4 5 6 7; do
	tar --zstd -xOf u.tar.zst "00000$n/t0" | grep -a '^@ ' |
		awk -v n=$n '$4 ~ /^\/proc\/[0-9]+\/(status|oom_score)$/ { split($4, p, "/"); print n, p[3], p[4], $2 }'
done > recs
cat > want <<'EOF'
1 100 status ok
1 100 oom_score ok
1 200 status ok
1 200 oom_score ok
1 300 status ok
1 300 oom_score ok
2 100 status skip:unchanged
2 100 oom_score skip:unchanged
2 200 status ok
2 200 oom_score ok
3 100 status skip:unchanged
3 100 oom_score skip:unchanged
3 200 status skip:unchanged
3 200 oom_score skip:unchanged
4 100 status ok
4 100 oom_score ok
4 200 status ok
4 200 oom_score ok
4 400 status ok
4 400 oom_score ok
EOF
for n in 5 6; do
	for p in 100 200 400; do
		printf '%s %s status skip:unchanged\n%s %s oom_score skip:unchanged\n' $n $p $n $p
	done
done >> want
for p in 100 200 400; do printf '7 %s status ok\n7 %s oom_score ok\n' $p $p; done >> want
diff want recs || fail "status and oom_score records"
tar --zstd -xOf u.tar.zst 000002/t0 | grep -aq '/proc/300/' && fail "300 is in sample 2"

run "$MEMSNAP" load u.tar.zst
assert_rc 0 "load"
q() { "$MEMSNAP" query "$1" "$2" --csv | tail -n +2 | tr '\n' ' '; }
rows() { # DB PID: "sample,vm_rss,oom_score" of each of its rows
	q "$1" "SELECT s.sample, s.vm_rss / 1024, s.oom_score FROM proc_sample s
		JOIN process p ON p.id = s.process_id WHERE p.pid = $2 ORDER BY s.sample"
}
r=$rss100 o=$oom100
assert_eq "$(rows u.db 100)" "1,$r,$o 2,$r,$o 3,$r,$o 4,$r,$o 5,$r,$o 6,$r,$o 7,$r,$o " \
	"process 100: read in 1, 4, 7, carried between"
o=$oom200
assert_eq "$(rows u.db 200)" "1,$rss200,$o 2,7777,$o 3,7777,$o 4,7777,$o 5,7777,$o 6,7777,$o 7,7777,$o " \
	"process 200: its new RSS from sample 2 on"
assert_eq "$(q u.db "SELECT count(*) FROM proc_sample s JOIN process p ON p.id = s.process_id WHERE p.pid = 400")" \
	"4 " "process 400 from sample 4"
assert_eq "$(q u.db "SELECT count(*) FROM read_gap WHERE status = 'skip:unchanged'")" "0 " "unchanged files as gaps"
assert_eq "$(q u.db "SELECT count(*) FROM proc_sample WHERE vm_rss IS NULL OR oom_score IS NULL")" "0 " "rows without values"

# a window from sample 3: both processes' status and oom_score were not
# read there; their last reads before it (1 and 2) stand for them
wall() { tar --zstd -xOf u.tar.zst "00000$1/meta" | sed -n 's/^wall //p'; }
t=$(echo "$(wall 2) $(wall 3)" | awk '{ printf "%.3f", ($1 + $2) / 2 }')
run "$MEMSNAP" load u.tar.zst -o w.db --from "@$t"
assert_rc 0 "load --from sample 3"
assert_eq "$(q w.db "SELECT min(id), count(*) FROM sample")" "3,5 " "window from sample 3"
r=$rss100 o=$oom100
assert_eq "$(rows w.db 100)" "3,$r,$o 4,$r,$o 5,$r,$o 6,$r,$o 7,$r,$o " "window: process 100"
o=$oom200
assert_eq "$(rows w.db 200)" "3,7777,$o 4,7777,$o 5,7777,$o 6,7777,$o 7,7777,$o " "window: process 200"
assert_eq "$(q w.db "SELECT count(*) FROM read_gap WHERE status = 'skip:unchanged'")" "0 " "window: gaps"

# a bundle whose first record of a process is skip:unchanged (only a
# damaged or hand-made one): a gap, no values, no error
tar --zstd -xf u.tar.zst
sed -i '0,/^@ ok \([0-9]*\) \/proc\/100\/oom_score$/s//@ skip:unchanged 0 \/proc\/100\/oom_score/' 000001/t0
awk 'BEGIN { skip = 0 } skip { skip = 0; next } /^@ skip:unchanged 0 \/proc\/100\/oom_score$/ { print; skip = 1; next } { print }' \
	000001/t0 > t0 && mv t0 000001/t0
tar --zstd -cf h.tar.zst --format=pax memsnap.header $(tar --zstd -tf u.tar.zst | grep -v '^memsnap.header$')
run "$MEMSNAP" load h.tar.zst
assert_rc 0 "load of the hand-made bundle"
assert_eq "$(q h.db "SELECT sample, path, status FROM read_gap WHERE status = 'skip:unchanged'")" "1,/proc/100/oom_score,skip:unchanged 2,/proc/100/oom_score,skip:unchanged 3,/proc/100/oom_score,skip:unchanged " \
	"no oom_score read before: gaps until sample 4"
assert_eq "$(q h.db "SELECT count(*) FROM load_error")" "0 " "load errors"
exit 0
