#!/bin/sh
# seed-corpus.sh MEMSNAP - (re)write the seed corpora of tests/fuzz/corpus/
# from the fixtures (tests/fixtures: real kernels' files) and the recorded
# bundles (samples/bundles), for the libFuzzer targets of tests/fuzz/.
#
# Seeds are named by where they come from (host-6.18.meminfo,
# leak.s1.memory.stat ...).  Files named crash-* or regress-* are inputs that
# once found a bug: this script never touches them.  MEMSNAP is a built
# memsnap, used to collect small bundles from the fixture trees (--proc-root, --sys-root).
# Needs tar, zstd and awk; run it again when a fixture or a recorded bundle
# changes, and commit the result.
set -eu
MEMSNAP=${1:?usage: seed-corpus.sh MEMSNAP}
case $MEMSNAP in /*) ;; *) MEMSNAP=$PWD/$MEMSNAP ;; esac
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
fx=$src/tests/fixtures
bundles=$src/samples/bundles
C=$here/corpus
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memsnap-seeds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

# forget the old seeds, keep the regression inputs
for d in "$C"/*/; do
	[ "$d" = "$C/rule/" ] && continue  # made at build time: rule-seeds.sh
	find "$d" -type f ! -name 'crash-*' ! -name 'regress-*' -exec rm -f {} +
done

# put TARGET NAME FILE [PREFIX-BYTE-IN-OCTAL]
put() {
	mkdir -p "$C/$1"
	if [ $# -ge 4 ]; then
		{ printf "\\$4"; cat "$3"; } > "$C/$1/$2"
	else
		cp "$3" "$C/$1/$2"
	fi
}

# every fixture file of a kind: NAME is the fixture's path, slashes as dots;
# the ~300 real texts of other kernels (kernels/) are picked below instead
fixtures() { # TARGET BASENAME [PREFIX]
	find "$fx" -path "$fx/kernels" -prune -o -type f -name "$2" -print | sort |
	while read -r f; do
		n=$(echo "${f#"$fx"/}" | tr / .)
		put "$1" "$n" "$f" ${3:-}
	done
}
# one file of kernels/ (tests/fixtures/kernels/README.md: its quirks)
kernel() { # TARGET PATH [PREFIX]
	put "$1" "kernels.$(echo "$2" | tr / .)" "$fx/kernels/$2" ${3:-}
}

fixtures buddyinfo buddyinfo
fixtures numa_maps numa_maps
fixtures pressure memory
fixtures pressure io
fixtures pressure cpu
fixtures pressure memory.pressure
fixtures proc_cgroup cgroup
fixtures smaps smaps
fixtures smaps_rollup smaps_rollup
fixtures status status
fixtures swaps swaps
fixtures zoneinfo zoneinfo
fixtures cgroup_numa_stat memory.numa_stat
fixtures oneline uptime '000'
fixtures oneline loadavg '001'
fixtures oneline oom_score '002'
fixtures oneline oom_score_adj '002'
fixtures oneline comm '003'
fixtures oneline cmdline '004'
fixtures stat stat
fixtures stat statm
fixtures kv meminfo '000'
fixtures kv vmstat '000'
fixtures kv numastat '000'
fixtures kv status '002'
for f in memory.usage_in_bytes memory.limit_in_bytes memory.max_usage_in_bytes; do
	fixtures cgroup_value $f
done
# nodeN/meminfo: "Node N key: value" lines
find "$fx" -path "$fx/kernels" -prune -o -path '*/node/node*/meminfo' -print | sort |
while read -r f; do
	put kv "$(echo "${f#"$fx"/}" | tr / .)" "$f" '001'
done
# other kernels' texts: one or two of each kind and each quirk, small ones
kernel stat 2.6.32-pcp/proc/1/stat                        # 44 fields
kernel stat 3.19.0-pcp/proc/664/stat                      # comm "(sd-pam)"
kernel stat unstated-prometheus-procfs/proc/584/stat      # comm "(a b ) ( c d) ", a 2nd line
kernel status 2.6.32-pcp/proc/1/status                    # no RssAnon
kernel status 5.5.7-pcp/proc/1/status
kernel kv 2.6.32-pcp/proc/1/status '002'
kernel proc_cgroup 3.2.0-pcp/proc/1/cgroup                # every controller on one line
kernel proc_cgroup 4.14.5-pcp/proc/1/cgroup               # v1 and 0::
kernel smaps unstated-prometheus-procfs/proc/26231/smaps  # [vsyscall]
kernel smaps unstated-sysstat/proc/8407/task/8407/smaps   # THPeligible with blanks
kernel smaps_rollup 5.5.7-pcp/proc/1/smaps_rollup
kernel smaps_rollup unstated-prometheus-procfs/proc/26231/smaps_rollup # no Pss_Anon
kernel numa_maps unstated-jc/proc/1/numa_maps
kernel kv 2.6.32-rhel6/proc/meminfo '000'                 # no MemAvailable
kernel kv unstated-gopsutil-issue1002/proc/meminfo '000'  # 2.4-style lines first
kernel kv 4.13-ubuntu17.10/proc/vmstat '000'              # no final newline
kernel kv unstated-pcp-meminfo-root-006/sys/devices/system/node/node0/vmstat '000' # a nameless number
kernel kv unstated-pcp-meminfo-root-004/sys/devices/system/node/node0/meminfo '001' # NULs at the end
kernel kv unstated-pcp-cgroups-root-002/sys/fs/cgroup/memory/memory.stat '000' # 2^64-1 limits
kernel zoneinfo unstated-pcp-meminfo-root-006/proc/zoneinfo   # a nameless number
kernel buddyinfo 2.6.32-rhel6/proc/buddyinfo              # 8 nodes
kernel buddyinfo 3.2.0-debian-sid-686pae/proc/buddyinfo   # HighMem
kernel swaps unstated-prometheus-procfs/proc/swaps
kernel pressure unstated-pcp-pressure-root-001/proc/pressure/memory
kernel cgroup_value unstated-pcp-cgroups-root-001/cgroup/memory/memory.limit_in_bytes # LLONG_MAX
kernel cgroup_value unstated-pcp-cgroups-root-002/sys/fs/cgroup/memory/memory.limit_in_bytes # ULLONG_MAX
kernel cgroup_numa_stat unstated-pcp-cgroups-root-002/sys/fs/cgroup/memory/memory.numa_stat
kernel oneline unstated-sysstat/proc/uptime '000'
kernel oneline 4.13-ubuntu17.10/proc/loadavg '001'

# records of one sample of a recorded bundle: extract BUNDLE SAMPLE
# writes $tmp/rec/<sample>/<path with / as .> for every ok record
extract() {
	out=$tmp/rec/$(basename "$1" .tar.zst).s$2
	mkdir -p "$out"
	tar --zstd -xOf "$1" "$(printf %06d "$2")/t0" "$(printf %06d "$2")/t1" \
		"$(printf %06d "$2")/t2" 2>/dev/null |
	awk -v out="$out" '
		want == 0 && /^@ / {
			if ($2 == "ok" || $2 == "trunc") { want = $3; f = $4; gsub("/", ".", f); f = out "/" substr(f, 2) }
			else { want = 0 }
			got = 0; if (want == 0) next; printf "" > f; next
		}
		want > 0 {
			n = length($0) + 1
			if (got + n > want) { printf "%s", $0 > f; want = 0; close(f); next }
			print $0 > f; got += n
			if (got >= want) { want = 0; close(f) }
		}'
}
for b in leak numa-local thrash; do
	[ -f "$bundles/$b.tar.zst" ] && extract "$bundles/$b.tar.zst" 1
done
rec=$tmp/rec
# one or two of each kind from the recordings (cgroup v2 files, nodes, a big status)
pick() { # TARGET GLOB [PREFIX] [HOWMANY]
	ls $rec/*/$2 2>/dev/null | head -n "${4:-2}" | while read -r f; do
		put "$1" "$(basename "$(dirname "$f")").$(basename "$f" | sed 's/^proc\.[0-9]*\./proc.PID./')" "$f" ${3:-}
	done
}
pick kv 'sys.fs.cgroup.*memory.stat' '000'
pick kv 'sys.fs.cgroup.*memory.events' '000'
pick cgroup_numa_stat 'sys.fs.cgroup.*memory.numa_stat'
pick kv 'proc.meminfo' '000' 1
pick kv 'proc.vmstat' '000' 1
pick kv 'sys.devices.system.node.node*.meminfo' '001'
pick kv 'proc.[0-9]*.status' '002'
pick cgroup_value 'sys.fs.cgroup.*memory.current'
pick cgroup_value 'sys.fs.cgroup.*memory.max'
pick cgroup_value 'sys.fs.cgroup.*memory.swap.max'
pick pressure 'sys.fs.cgroup.*memory.pressure'
pick pressure 'proc.pressure.memory' '' 1
pick buddyinfo 'proc.buddyinfo' '' 1
pick swaps 'proc.swaps' '' 1
pick zoneinfo 'proc.zoneinfo' '' 1
pick proc_cgroup 'proc.[0-9]*.cgroup'
pick stat 'proc.[0-9]*.stat'
pick stat 'proc.[0-9]*.statm' '' 1
pick status 'proc.[0-9]*.status'
pick smaps_rollup 'proc.[0-9]*.smaps_rollup'
pick numa_maps 'proc.[0-9]*.numa_maps'
# smaps of the recordings are large: the smallest two
ls -S $rec/*/proc.[0-9]*.smaps 2>/dev/null | tail -n 2 | while read -r f; do
	put smaps "$(basename "$(dirname "$f")").proc.PID.smaps" "$f"
done
# hand-written shapes the fixtures lack
printf 'max\n' > "$tmp/max"; put cgroup_value v2.max "$tmp/max"
printf -- '-1\n' > "$tmp/neg"; put cgroup_value negative "$tmp/neg"
printf '9223372036854771712\n' > "$tmp/v1max"; put cgroup_value v1.page_counter_max "$tmp/v1max"
# a counter below zero printed unsigned (no public capture has one)
printf 'nr_free_pages 50545\nnr_isolated_anon 18446744073709551615\nnr_isolated_file 0\n' > "$tmp/u64"
put kv vmstat.u64max "$tmp/u64" '000'

# bundles: collected from the fixture trees, and a recorded one cut down
# to its first sample; as tar streams (prefix 0: the harness compresses)
# and one as the file itself (prefix 1)
for root in numa-2node-6.1/t0 numa-2node-6.1/t2 host-6.18 old-kernel/3.10; do
	n=$(echo "$root" | tr / .)
	"$MEMSNAP" collect --proc-root "$fx/$root/proc" --sys-root "$fx/$root/sys" -n 2 -i 100ms -q --no-mlock -o "$tmp/$n.tar.zst" 2>/dev/null
	zstd -dcq "$tmp/$n.tar.zst" > "$tmp/$n.tar"
	put bundle "collect.$n.tar" "$tmp/$n.tar" '000'
	put load "collect.$n.tar" "$tmp/$n.tar" '000'
	put redact "collect.$n.tar" "$tmp/$n.tar" '000'
done
# three samples: the middle one leaves unchanged processes unread (skip:unchanged)
"$MEMSNAP" collect --proc-root "$fx/host-6.18/proc" --sys-root "$fx/host-6.18/sys" -n 3 -i 100ms -q --no-mlock -o "$tmp/n3.tar.zst" 2>/dev/null
zstd -dcq "$tmp/n3.tar.zst" > "$tmp/n3.tar"
put load collect.host-6.18.n3.tar "$tmp/n3.tar" '000'
put redact collect.host-6.18.n3.tar "$tmp/n3.tar" '000'
put bundle collect.numa-2node-6.1.t0.tar.zst "$tmp/numa-2node-6.1.t0.tar.zst" '001'
put load collect.numa-2node-6.1.t0.tar.zst "$tmp/numa-2node-6.1.t0.tar.zst" '001'
if [ -f "$bundles/numa-local.tar.zst" ]; then
	mkdir "$tmp/nl"
	tar --zstd -xf "$bundles/numa-local.tar.zst" -C "$tmp/nl" memsnap.header 000001/host \
		000001/t1 000001/meta 2>/dev/null
	tar --format=ustar -cf "$tmp/nl.tar" -C "$tmp/nl" memsnap.header 000001/host 000001/t1 000001/meta
	put bundle recorded.numa-local.s1.tar "$tmp/nl.tar" '000'
	put load recorded.numa-local.s1.tar "$tmp/nl.tar" '000'
fi
# redact: a recorded sample with cgroups (v1 paths, a host name) and the
# hand-made bundle of every kind of name (tests/e2e/redact/rewrite.sh)
if [ -f "$bundles/swap.tar.zst" ]; then
	mkdir "$tmp/sw"
	tar --zstd -xf "$bundles/swap.tar.zst" -C "$tmp/sw" memsnap.header 000001/host 000001/t0 000001/meta
	tar --format=ustar -cf "$tmp/sw.tar" -C "$tmp/sw" memsnap.header 000001/host 000001/t0 000001/meta
	put redact recorded.swap.s1.tar "$tmp/sw.tar" '000'
fi
(cd "$tmp" && MEMSNAP=$MEMSNAP SRC=$src KEEP_BUNDLE=$tmp/names.tar.zst sh "$src/tests/e2e/redact/rewrite.sh" >/dev/null)
zstd -dcq "$tmp/names.tar.zst" > "$tmp/names.tar"
put redact handmade.names.tar "$tmp/names.tar" '000'
# the bundle's own texts (prefix 0) and a host member (prefix 1), recorded
if [ -f "$bundles/leak.tar.zst" ]; then
	for m in memsnap.header 000001/meta 000002/meta memsnap.trailer; do
		tar --zstd -xOf "$bundles/leak.tar.zst" "$m" > "$tmp/bt"
		put bundle_text "leak.$(echo "$m" | tr / .)" "$tmp/bt" '000'
	done
	tar --zstd -xOf "$bundles/leak.tar.zst" 000001/host > "$tmp/bt"
	put bundle_text leak.000001.host "$tmp/bt" '001'
	awk '/^@ ok [0-9]+ memsnap:system/ { f = 1; next } f && /^$/ { exit } f' "$tmp/bt" > "$tmp/sys"
	put bundle_text leak.memsnap.system "$tmp/sys" '000'
fi
# member framing: the members of the collected bundles
mkdir "$tmp/m"
tar --zstd -xf "$tmp/numa-2node-6.1.t2.tar.zst" -C "$tmp/m"
for f in "$tmp"/m/000001/*; do
	put record "collect.numa-2node-6.1.t2.s1.$(basename "$f")" "$f"
done

# rules: made at build time from rules/ (rule-seeds.sh), not kept here

# numbers and options: what the docs show
for s in 30s 10m 1h30m 250ms 5 1d 100M 2G 4096 64KiB 1 0.5 2.5% 100 0; do
	printf '%s' "$s" > "$tmp/n"; put parse_num "doc.$s" "$tmp/n"
done
printf '\001\000\000\000\000\000\000\000\350\003\000\000\000\000\000\00042' > "$tmp/n"
put parse_num bounds.1-1000.42 "$tmp/n"
i=0
for argv in '-d|10m|-i|1s' '-n|3|-o|b.tar.zst|-p|1,2,3' '--smaps-top|10|--walk-limit|4G|--max-size|100M' \
	'--cpu-budget|0.5%|--level|19|--redact-cmdline|-q' '--rollup-interval|30s|--smaps-interval|2m|--cgroup-depth|2' \
	'--max-file-size=8M|--proc-root|/tmp|--fsync|--no-mlock|--keep-priority' '-h' '-zq' '--pid'; do
	i=$((i + 1))
	printf '%s' "$argv" | tr '|' '\000' > "$tmp/a"
	put collect_opts "doc.$i" "$tmp/a"
done
find "$C" -type f -exec chmod 644 {} +
for d in "$C"/*/; do
	echo "$(basename "$d"): $(ls "$d" | wc -l) files, $(du -sk "$d" | cut -f1) KiB"
done
