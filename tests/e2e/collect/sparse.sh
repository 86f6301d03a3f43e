#!/bin/sh
# The sparse files (oom_score_adj, cgroup) are read in full reads only: a
# bundle's first sample, a sample with tier 1, and a process's first
# sample; the loader carries the last oom_score_adj read into the rows
# between, and a cgroup move shows from the full read that saw it; a load
# cut to a window that starts between full reads has them from its first
# sample on (the last read before it).  On a fake host (three processes),
# with tier 1 every third tick: samples 1, 4 and 7 are full.  After sample
# 1, process 100 gets oom_score_adj 500 and moves to /other, and process
# 400 starts.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/record/fakehost.inc"
fake_host tree
"$MEMSNAP" collect --proc-root tree/proc --sys-root tree/sys --no-mlock -q -i 2s -n 7 \
	--rollup-interval 6s -o s.tar.zst 2> collect.err &
pid=$!
track $pid
at_least() { [ "$(complete_samples s.tar.zst)" -ge "$1" ] 2>/dev/null; }
wait_for 60 at_least 1
fake_put tree/proc/100/oom_score_adj 500
fake_put tree/proc/100/cgroup 0::/other
# 400: 200's files, its own PID and a later start time (stat field 22)
cp -r tree/proc/200 tree/proc/400.tmp
sed 's/^200 /400 /' tree/proc/200/stat | awk '{ $22 = $22 + 1; print }' > tree/proc/400.tmp/stat
sed 's/^Pid:.*/Pid:\t400/' tree/proc/200/status > tree/proc/400.tmp/status
mv tree/proc/400.tmp tree/proc/400
[ "$(complete_samples s.tar.zst)" -lt 3 ] || fail "the changes came after sample 3 began (a stalled machine)"
wait $pid || { cat collect.err; fail "collect's exit status"; }
assert_empty collect.err

tar --zstd -xOf s.tar.zst memsnap.header > header
assert_line header "proc_sparse oom_score_adj cgroup"
for n in 1 2 3 4 5 6 7; do
	printf '%s ' "$(tar --zstd -xOf s.tar.zst "00000$n/meta" | sed -n 's/^full_read //p')"
done > full
assert_eq "$(cat full)" "1 0 0 1 0 0 1 " "full_read of samples 1-7"
# the sparse records of each sample: every process in a full read, the
# new process in its first sample, nothing else
for n in 1 2 3 4 5 6 7; do
	tar --zstd -xOf s.tar.zst "00000$n/t0" | grep -a '^@ ' |
		awk -v n=$n '$4 ~ /\/(oom_score_adj|cgroup)$/ { split($4, p, "/"); print n, p[3], p[4] }'
done > sparse
first=$(awk '$2 == 400 { print $1; exit }' sparse)
case $first in 2|3) ;; *) cat sparse; fail "process 400's first sparse read in sample '$first'" ;; esac
awk -v f=$first '($1 == 1 || $1 == 4 || $1 == 7) { next } $2 == 400 && $1 == f { next } { print "unexpected:", $0 }' \
	sparse > unexpected
assert_empty unexpected
for n in 1 4 7; do
	for p in 100 200 300; do
		for f in oom_score_adj cgroup; do
			grep -qx "$n $p $f" sparse || fail "no $f of $p in full sample $n"
		done
	done
done

run "$MEMSNAP" load s.tar.zst
assert_rc 0 "load"
q() { "$MEMSNAP" query s.db "$1" --csv | tail -n +2 | tr '\n' ' '; }
assert_eq "$(q "SELECT s.sample, s.oom_score_adj FROM proc_sample s JOIN process p ON p.id = s.process_id
	WHERE p.pid = 100 ORDER BY s.sample")" "1,0 2,0 3,0 4,500 5,500 6,500 7,500 " \
	"process 100's oom_score_adj: read in 1, carried, read again in 4"
assert_eq "$(q "SELECT pc.path, pc.first_sample, pc.last_sample FROM proc_cgroup pc
	JOIN process p ON p.id = pc.process_id WHERE p.pid = 100 ORDER BY pc.first_sample")" \
	"/job,1,3 /other,4,7 " "process 100's memberships"
assert_eq "$(q "SELECT count(*), count(s.oom_score_adj) FROM proc_sample s JOIN process p ON p.id = s.process_id
	WHERE p.pid = 400")" "$((8 - first)),$((8 - first)) " "process 400 has an oom_score_adj from its first sample"
assert_eq "$(q "SELECT pc.path, pc.first_sample FROM proc_cgroup pc JOIN process p ON p.id = pc.process_id
	WHERE p.pid = 400")" "/job,$first " "process 400's membership from its first sample"

# windows: from sample 2 (its sparse files from sample 1), from sample 5
# (from sample 4); each from halfway between the sample before and it
wall() { tar --zstd -xOf s.tar.zst "00000$1/meta" | sed -n 's/^wall //p'; }
for from in 2 5; do
	t=$(echo "$(wall $((from - 1))) $(wall $from)" | awk '{ printf "%.3f", ($1 + $2) / 2 }')
	run "$MEMSNAP" load s.tar.zst -o w$from.db --from "@$t"
	assert_rc 0 "load --from sample $from"
	qw() { "$MEMSNAP" query w$from.db "$1" --csv | tail -n +2 | tr '\n' ' '; }
	assert_eq "$(qw "SELECT min(id), count(*) FROM sample")" "$from,$((8 - from)) " "window from sample $from"
	if [ $from = 2 ]; then adj="2,0 3,0 4,500 5,500 6,500 7,500 " cg="/job,2,3 /other,4,7 "
	else adj="5,500 6,500 7,500 " cg="/other,5,7 "; fi
	assert_eq "$(qw "SELECT s.sample, s.oom_score_adj FROM proc_sample s JOIN process p ON p.id = s.process_id
		WHERE p.pid = 100 ORDER BY s.sample")" "$adj" "window from $from: process 100's oom_score_adj"
	assert_eq "$(qw "SELECT pc.path, pc.first_sample, pc.last_sample FROM proc_cgroup pc
		JOIN process p ON p.id = pc.process_id WHERE p.pid = 100 ORDER BY pc.first_sample")" "$cg" \
		"window from $from: process 100's memberships"
	assert_eq "$(qw "SELECT count(*) FROM process p WHERE p.pid IN (100, 200, 300) AND
		EXISTS (SELECT 1 FROM proc_cgroup pc WHERE pc.process_id = p.id AND pc.first_sample = $from)")" \
		"3 " "window from $from: every process's membership from its first sample"
done
exit 0
