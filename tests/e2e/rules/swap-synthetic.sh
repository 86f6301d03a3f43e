#!/bin/sh
# swap/filling's trend and swap/process's growth classes on a SYNTHETIC
# bundle this test writes itself (no recorded bundle has swap that grows
# for half an hour): 90 samples at 30 s (45 min), format 1 as
# docs/bundle-format.md describes, with /proc/meminfo, /proc/vmstat and
# three processes' stat and status; SwapTotal 1 GiB, MemAvailable 2 GiB.
# Values move by exact formulas with a deterministic +-1 MiB jitter:
#   ms-swapleak  RssAnon flat at 64 MiB, VmSwap +6 MiB/min: its anonymous
#                memory grows and the growth goes to swap -> leak, warning
#   ms-coldswap  VmSwap +2 MiB/min while RssAnon falls as much (RssAnon +
#                VmSwap flat at 256 MiB) -> cold, info
#   ms-idle      VmSwap flat at 40 MiB -> holder, info
# Swap used grows 8 MiB/min (480 MiB/h) to 486 MiB: ~560 MiB free at the
# end -> swap/filling trend, ~70 min to exhaustion: warning (critical only
# below crit_hours, 1 h, at the fast end of the range: raised to 2 h, it is).
. "$SRC/tests/e2e/lib.sh"
command -v zstd >/dev/null || skip "no zstd"

# mkbundle DIR OUT: a synthetic bundle (see the test's header)
mkbundle() {
	dir=$1 out=$2
	rm -rf "$dir"; mkdir -p "$dir"
	N=90 DT=30 T0=1796000000 M0=1000
	cat > "$dir/memsnap.header" <<EOH
format 1
collector memsnap 0.1.0
created 2026-11-30T08:13:20Z
wall_start $T0.000000000
mono_start $M0.000000000
boot_start $M0.000000000
hostname synthetic
kernel 6.18.0-synthetic
command collect -i 30s (synthetic: tests/e2e/rules/swap-synthetic.sh)
interval_ms 30000
duration_ms 0
count $N
tier1_every 2
tier2_every 10
smaps_top 5
walk_limit 2147483648
max_file_size 33554432
max_size 0
cgroup_depth 4
cpu_budget_centipct 100
level 3
redact_cmdline 0
pids all
root /
uid 0
euid 0
cgroup_v1_memory -
cgroup_v2 -
nodes 0
EOH
	members=memsnap.header
	i=1
	while [ $i -le $N ]; do
		s=$(printf '%06d' $i)
		mkdir -p "$dir/$s"
		awk -v i=$i -v dt=$DT 'function rec(path, text) { printf "@ ok %d %s\n%s\n", length(text), path, text }
		function kb(x) { return sprintf("%d kB", x) }
		BEGIN {
			m = 1024; j = ((i * 7919) % 11 - 5) * 0.2 * m          # +-1 MiB jitter, deterministic
			leak = (i - 1) * dt / 60 * 6 * m + j                   # ms-swapleak VmSwap: 6 MiB/min
			cold = (i - 1) * dt / 60 * 2 * m + j                   # ms-coldswap VmSwap: 2 MiB/min
			if (cold < 0) cold = 0
			used = 64 * m + leak + cold + 40 * m                   # swap in use
			mi = "MemTotal:        4194304 kB\nMemFree:          524288 kB\nMemAvailable:    2097152 kB\n"
			mi = mi "Cached:           1048576 kB\nActive(file):     524288 kB\nInactive(file):   524288 kB\n"
			mi = mi "SwapTotal:        1048576 kB\nSwapFree:       " sprintf("%9d kB", 1048576 - used) "\n"
			rec("/proc/meminfo", mi)
			rec("/proc/vmstat", sprintf("pswpin %d\npswpout %d\npgmajfault %d\nworkingset_refault_file 0\n", i * 10, i * 400, i * 20))
			n = split("1001 ms-swapleak 1002 ms-coldswap 1003 ms-idle", a, " ")
			for (k = 1; k < n; k += 2) {
				pid = a[k]; comm = a[k + 1]
				if (comm == "ms-swapleak") { anon = 64 * m; sw = leak }
				else if (comm == "ms-coldswap") { anon = 256 * m - cold; sw = cold }
				else { anon = 8 * m; sw = 40 * m }
				rec("/proc/" pid "/stat", sprintf("%d (%s) S 1 %d %d 0 -1 4194304 %d 0 %d 0 %d %d 0 0 20 0 1 0 500 %d %d 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
					pid, comm, pid, pid, i * 100, i, i * 5, i * 2, (anon + sw) * 1024 * 2, anon / 4))
				st = "Name:\t" comm "\nState:\tS (sleeping)\nTgid:\t" pid "\nPid:\t" pid "\nPPid:\t1\nUid:\t0\t0\t0\t0\n"
				st = st "VmSize:\t" kb((anon + sw) * 2) "\nVmHWM:\t" kb(anon) "\nVmRSS:\t" kb(anon) "\nRssAnon:\t" kb(anon) "\nRssFile:\t" kb(0) "\nRssShmem:\t" kb(0) "\n"
				st = st "VmData:\t" kb(anon + sw) "\nVmPTE:\t" kb(64) "\nVmSwap:\t" kb(sw) "\nThreads:\t1\n"
				rec("/proc/" pid "/status", st)
			}
		}' > "$dir/$s/t0"
		w=$((T0 + (i - 1) * DT)) mo=$((M0 + (i - 1) * DT))
		printf 'sample %d\ntiers 0\nwall %d.000000000\nmono %d.000000000\nboot %d.000000000\nwall_end %d.010000000\nmono_end %d.010000000\nlate_us 0\nmissed_ticks 0\ncpu_us 1000\nwall_us 10000\nprocesses 3\ncgroups 0\nrecords 8\nread_bytes 4000\noffset 0\ngaps 0\n' \
			$i $w $mo $mo $w $mo > "$dir/$s/meta"
		members="$members $s/t0 $s/meta"
		i=$((i + 1))
	done
	printf 'samples %d\nend_reason count\nwall_end %d.5\nmono_end %d.5\ncpu_us 90000\nbytes_before_trailer 0\ngaps 0\n' $N $((T0 + N * DT)) $((M0 + N * DT)) > "$dir/memsnap.trailer"
	members="$members memsnap.trailer"
	(cd "$dir" && tar --format=ustar --owner=0 --group=0 --mtime=@$T0 -cf - $members) | zstd -q -3 > "$out"
}

mkbundle b syn.tar.zst

run_tsv "$MEMSNAP" analyze syn.tar.zst -o x.db -q --only swap --format tsv
assert_rc 0 "analyze syn.tar.zst"
cut -f1-4 out | sort > got
cat > want <<EOW
info	swap/process	process	1002 (ms-coldswap)
info	swap/process	process	1003 (ms-idle)
warning	swap/filling	system	swap
warning	swap/process	process	1001 (ms-swapleak)
EOW
diff want got || fail "synthetic bundle: findings differ"
grep -q 'Swap fills steadily: +480 MiB/h over 0.7 h .*; at this rate the 56[0-9] MiB free last 7[01] min' out ||
	{ cat out; fail "filling message"; }
grep -q '1001 (ms-swapleak): VmSwap grew .* a leak whose pages are pushed to swap' out || { cat out; fail "leak message"; }
grep -q '1002 (ms-coldswap): VmSwap grew .* changed by 0 MiB: idle pages moved to swap' out || { cat out; fail "cold message"; }
grep -q '1003 (ms-idle) has up to 40 MiB in swap' out || { cat out; fail "holder message"; }

run_tsv "$MEMSNAP" analyze syn.tar.zst -o x.db -q --only swap/filling --format tsv --set swap/filling.crit_hours=2
assert_rc 0 "analyze, crit_hours=2"
assert_eq "$(cut -f1-4 out)" "$(printf 'critical\tswap/filling\tsystem\tswap')" "crit_hours=2"

# a growth window longer than the capture: no verdict on growth; the
# processes are then holders only (the top_n = 5 with the most swap)
run_tsv "$MEMSNAP" analyze syn.tar.zst -o x.db -q --only swap --format tsv --set swap/filling.min_minutes=60 \
	--set swap/process.min_minutes=60
assert_rc 0 "analyze, min_minutes=60"
cut -f1-4 out | sort > got
cat > want <<EOW
info	swap/process	process	1001 (ms-swapleak)
info	swap/process	process	1002 (ms-coldswap)
info	swap/process	process	1003 (ms-idle)
EOW
diff want got || fail "synthetic bundle, min_minutes=60: findings differ"
exit 0
