#!/bin/bash
# numa-record.sh: record the NUMA sample bundles on a real two-node kernel.
#
#   samples/vm/numa-record.sh [-o DIR] [-w DIR] [-s SCENARIO]... MEMSNAP_STATIC [MEMSNAP]
#   samples/vm/numa-record.sh -c [-o DIR] [-w DIR] [-s SCENARIO]... MEMSNAP
#
# Boots the two-node VM of tests/vm (Debian's 6.1 kernel under qemu TCG, here
# with 1536 MiB per node: node 0 = CPU 0, node 1 = CPU 1) once per scenario,
# runs samples/vm/ms_numa (built static here) and MEMSNAP_STATIC inside it
# (samples/vm/numa-guest.sh) and writes DIR/numa-SCENARIO.tar.zst:
#
#   remote  ms-numa-remote runs on CPU 0 (node 0) while its memory sits on
#           node 1: 256 MiB first-touched from CPU 1 (default policy), then
#           MPOL_BIND node 1 until node 1 is down to 8 % free, then 256 MiB
#           MPOL_PREFERRED node 1 that spills to node 0 once node 1 reaches its
#           low watermark; then churns 16 MiB/s of both bound and preferred
#           memory.  Node 1 ends below its low watermark, node 0 mostly free.
#   local   the control: two ms-numa-local, one per node, each with CPU and
#           memory (the same three regions) on its own node, filled to 25 %
#           free, the same churn.  Both nodes equally used, all allocations
#           local.
#
# Both are collected with
#   memsnap-static collect -i 2s -n 120 --smaps-interval 10s --rollup-interval 4s \
#                          --cpu-budget 10
# (every process; the ms_numa instances are the largest, so the smaps top 5
# holds them), the instances starting to fill 6 s after the collector.
#
# With MEMSNAP (the dynamic build) the bundles are checked on the host with
# `memsnap info` and `memsnap query`: the figures samples/numa.md quotes are
# printed, and the script fails when the remote bundle lacks a signal or the
# control shows one.  Databases go to the work dir, never next to the bundle.
#
# Options:
#   -o DIR       where the bundles go (default: samples/bundles of this tree);
#                a bundle there is replaced only after a new one was recorded
#   -w DIR       keep the work dir (VM console, guest logs, databases) in DIR
#                (default: a temporary dir, removed on success or interruption,
#                kept and named when a run or a check fails)
#   -s SCENARIO  record only this one (remote, local); repeatable
#   -c           record nothing: check the bundles already in DIR with MEMSNAP
#                (no VM, a few seconds; the committed bundles by default)
#
# Env: MEMSNAP_VM_CACHE (see tests/vm/build.sh).
# Exit status: 0 recorded (and checked); 1 a VM run or a check failed;
# 2 usage; 77 the VM cannot run here (qemu, busybox-static, gcc or the
# kernel .deb missing: tests/vm/build.sh --install-deps).
# Takes about 4.5 minutes per scenario on a 2-core box (the collection itself
# is 238 s of guest time).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
VMDIR=$ROOT/tests/vm
say() { echo "numa-record: $*"; }
usage() { sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }

OUTDIR=$ROOT/samples/bundles
WORKARG=
SCEN=()
CHECK_ONLY=0
while [ $# -gt 0 ]; do
    case "$1" in
    -o) OUTDIR=$2; shift 2 ;;
    -w) WORKARG=$2; shift 2 ;;
    -s) case "$2" in remote|local) SCEN+=("$2") ;; *) say "unknown scenario $2"; usage ;; esac; shift 2 ;;
    -c) CHECK_ONLY=1; shift ;;
    -h|--help) usage ;;
    -*) say "unknown option $1"; usage ;;
    *) break ;;
    esac
done
[ ${#SCEN[@]} -gt 0 ] || SCEN=(remote local)
if [ "$CHECK_ONLY" = 1 ]; then
    [ $# -eq 1 ] || usage
    STATIC= DYN=$(readlink -f "$1")
    [ -x "$DYN" ] || { say "$1 is not an executable"; exit 2; }
else
    [ $# -ge 1 ] && [ $# -le 2 ] || usage
    STATIC=$(readlink -f "$1")
    DYN=${2:+$(readlink -f "$2")}
    [ -x "$STATIC" ] || { say "$1 is not an executable"; exit 2; }
    if [ -n "$DYN" ] && [ ! -x "$DYN" ]; then say "$2 is not an executable"; exit 2; fi
    if ldd "$STATIC" >/dev/null 2>&1; then say "$STATIC is dynamically linked; pass memsnap-static"; exit 2; fi
fi
mkdir -p "$OUTDIR" || exit 1
OUTDIR=$(cd "$OUTDIR" && pwd)

# --- the scenarios ---------------------------------------------------------------------
NODE_MB=1536
INTERVAL=2s COUNT=120
# --cpu-budget 10: under TCG tier 0 alone costs ~26 ms per tick (1.3 % of a
# core at 2 s), so the default 1 % budget defers nearly every tier-1/2 run
COLLECT="-i $INTERVAL -n $COUNT --smaps-interval 10s --rollup-interval 4s --cpu-budget 10"
GO_DELAY=6
PROG_LIMIT=420      # in-VM limit for numa-guest.sh (s)
VM_LIMIT=540        # host-side limit for the whole VM (s)
specs() { # specs SCENARIO: one 'NAME ARGS' per line (ms_numa options)
    case "$1" in
    remote) echo "ms-numa-remote -c 0 -n 1 -F 1 -D 256 -u 8 -P 256 -R 32 -k 16" ;;
    local)  echo "ms-numa-local -c 0 -n 0 -D 128 -u 25 -P 128 -R 32 -k 16"
            echo "ms-numa-local -c 1 -n 1 -D 128 -u 25 -P 128 -R 32 -k 16" ;;
    esac
}

# --- work dir and cleanup ----------------------------------------------------------------
if [ -n "$WORKARG" ]; then
    mkdir -p "$WORKARG" || exit 1
    WORK=$(cd "$WORKARG" && pwd) KEEP=1
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/memsnap-numa-record.XXXXXX") KEEP=0
fi
CHILD=
STOPPED=0
finish() {
    rc=$?
    # run.sh's own traps stop qemu and remove its temporary directory
    if [ -n "$CHILD" ]; then kill "$CHILD" 2>/dev/null; wait "$CHILD" 2>/dev/null; fi
    rm -f "$OUTDIR"/.numa-*.tar.zst.tmp
    if [ "$KEEP" = 0 ] && [ "$rc" = 0 -o "$rc" = 77 -o "$STOPPED" = 1 ]; then rm -rf "$WORK"
    elif [ "$rc" != 0 ]; then say "work dir kept: $WORK"
    fi
}
trap finish EXIT
trap 'say "interrupted"; STOPPED=1; exit 130' INT
trap 'say "terminated"; STOPPED=1; exit 143' TERM

# --- record ------------------------------------------------------------------------------
record() { # record SCENARIO
    local sc=$1 b=numa-$1.tar.zst args=() line rrc size
    while IFS= read -r line; do args+=("$line"); done < <(specs "$sc")
    say "$sc: booting the VM (${NODE_MB} MiB per node) for $b; instances:"
    printf '    %s\n' "${args[@]}"
    bash "$VMDIR/run.sh" -q -o "$WORK/vm-$sc" -t "$VM_LIMIT" -T "$PROG_LIMIT" --node-mb "$NODE_MB" \
        -f "$STATIC" -f "$WORK/ms_numa" \
        "$HERE/numa-guest.sh" "$b" "$GO_DELAY" "$COLLECT" "${args[@]}" &
    CHILD=$!
    wait "$CHILD"; rrc=$?
    CHILD=
    case "$rrc" in
    0) ;;
    3) say "the VM cannot be prepared here (tests/vm/build.sh --install-deps)"; exit 77 ;;
    *) say "$sc: the VM run failed (run.sh exit $rrc); see $WORK/vm-$sc/_vm/console.log"
       KEEP=1; exit 1 ;;
    esac
    sed 's/^/    /' "$WORK/vm-$sc/_vm/timings"
    [ -s "$WORK/vm-$sc/$b" ] || { say "$sc: no bundle came back"; KEEP=1; exit 1; }
    size=$(stat -c %s "$WORK/vm-$sc/$b")
    if [ "$size" -ge $((2 << 20)) ]; then
        say "$sc: $b is $size bytes, over the 2 MiB limit for samples"; KEEP=1; exit 1
    fi
    cp "$WORK/vm-$sc/$b" "$OUTDIR/.$b.tmp" && mv -f "$OUTDIR/.$b.tmp" "$OUTDIR/$b" || exit 1
    say "$sc: wrote $OUTDIR/$b ($size bytes)"
}

if [ "$CHECK_ONLY" = 0 ]; then
    command -v gcc >/dev/null || { say "gcc is missing"; exit 77; }
    gcc -O2 -Wall -Wextra -static -o "$WORK/ms_numa" "$HERE/ms_numa.c" \
        || { say "compiling ms_numa.c failed (gcc, libc6-dev with libc.a)"; exit 1; }
    for sc in "${SCEN[@]}"; do record "$sc"; done
fi
[ -n "$DYN" ] || { say "recorded (no MEMSNAP given: not checked)"; exit 0; }

# --- check -------------------------------------------------------------------------------
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails+1)); }
q() { "$DYN" query "$DB" -q "$@"; }
val() { "$DYN" query "$DB" -q --csv "$1" | tail -n 1 | tr -d '\r'; }   # one row, one column
expect() { # expect NAME SQL: SQL returns one row whose first column is 1
    local v; v=$(val "$2")
    if [ "$v" = 1 ]; then ok "$1"; else bad "$1 (got '${v}')"; fi
}

# per-node use from node_meminfo, every sample
NODE_USE="SELECT t.sample, t.node, t.value AS total, f.value AS free,
  1.0 - 1.0 * f.value / t.value AS used FROM node_meminfo t
  JOIN node_meminfo f ON f.sample = t.sample AND f.node = t.node AND f.key = 'MemFree'
  WHERE t.key = 'MemTotal'"
# counters between the first and the last sample, per node (pages, pages/s)
NUMA_DELTA="SELECT c.node, c.key, c.value - p.value AS delta,
  round((c.value - p.value) / ((SELECT max(mono) FROM sample) - (SELECT min(mono) FROM sample)), 1) AS per_s
  FROM numastat c JOIN numastat p ON p.node = c.node AND p.key = c.key
  WHERE c.sample = (SELECT max(id) FROM sample) AND p.sample = (SELECT min(id) FROM sample)"
REMOTE_SHARE="SELECT round(1.0 * sum(CASE key WHEN 'other_node' THEN delta END)
  / sum(CASE WHEN key IN ('local_node','other_node') THEN delta END), 3) FROM ($NUMA_DELTA)"
# zone free pages against the watermarks, summed per node, tier-1 samples
ZONE_WM="SELECT sample, node, sum(CASE key WHEN 'pages free' THEN value END) AS free,
  sum(CASE key WHEN 'min' THEN value END) AS min, sum(CASE key WHEN 'low' THEN value END) AS low,
  sum(CASE key WHEN 'high' THEN value END) AS high FROM zoneinfo GROUP BY sample, node"
# pages per node of the ms_numa instances, by policy, in each numa_maps capture
PAGES="SELECT nm.sample, p.pid, p.comm, nm.policy, nm.node, sum(nm.pages) AS pages,
  round(sum(nm.pages * nm.page_size) / 1048576.0, 1) AS mib FROM numa_mapping nm
  JOIN process p ON p.id = nm.process_id WHERE p.comm LIKE 'ms-numa-%'
  GROUP BY nm.sample, p.pid, nm.policy, nm.node"
LAST_PAGES="SELECT pid, comm, policy, node, pages, mib FROM ($PAGES)
  WHERE sample = (SELECT max(sample) FROM numa_mapping) ORDER BY pid, policy, node"
# pid -> the node its CPUs belong to, from processor and the cpulists in host_file
CPU_NODE="SELECT p.pid, p.comm, ps.processor, ps.cpus_allowed,
  (SELECT CAST(substr(h.path, 30, instr(substr(h.path, 30), '/') - 1) AS INTEGER) FROM host_file h
   WHERE h.path GLOB '/sys/devices/system/node/node*/cpulist' AND trim(h.content, char(10)) = CAST(ps.processor AS TEXT)) AS cpu_node,
  count(*) AS samples FROM proc_sample ps JOIN process p ON p.id = ps.process_id
  WHERE p.comm LIKE 'ms-numa-%' GROUP BY p.pid, ps.processor, ps.cpus_allowed"

check() { # check SCENARIO
    local sc=$1 b=$OUTDIR/numa-$1.tar.zst out
    DB=$WORK/numa-$sc.db
    echo; say "=== checking $b"
    [ -f "$b" ] || { bad "$b exists"; return; }
    echo "size: $(stat -c %s "$b") bytes"
    out=$("$DYN" info "$b" 2>&1); echo "$out" | sed 's/^/    | /'
    echo "$out" | grep -q '2 NUMA nodes' && ok "info: 2 NUMA nodes" || bad "info: 2 NUMA nodes"
    echo "$out" | grep -q "samples: *$COUNT complete" && ok "info: $COUNT samples" || bad "info: $COUNT samples"
    echo "$out" | grep -q 'end: *complete (count)' && ok "info: complete" || bad "info: complete"
    "$DYN" load "$b" -o "$DB" --force > "$WORK/load-$sc.log" 2>&1 || { bad "load (see $WORK/load-$sc.log)"; return; }
    echo "-- topology and NUMA sysctls (host_file)"
    q "SELECT path, trim(content, char(10)) AS value FROM host_file WHERE path GLOB '/sys/devices/system/node/node*/cpulist'
       OR path GLOB '/sys/devices/system/node/node*/distance' OR path IN ('/proc/sys/vm/zone_reclaim_mode',
       '/proc/sys/kernel/numa_balancing', '/proc/sys/kernel/osrelease') ORDER BY path"
    echo "-- per-node MemTotal / MemFree (MiB) and use: first, minimum-free and last sample"
    q "SELECT node, round(max(total)/1048576.0) AS total_mib,
         round((SELECT free FROM ($NODE_USE) x WHERE x.node = u.node ORDER BY sample LIMIT 1)/1048576.0, 1) AS free_first,
         round(min(free)/1048576.0, 1) AS free_min,
         round((SELECT free FROM ($NODE_USE) x WHERE x.node = u.node ORDER BY sample DESC LIMIT 1)/1048576.0, 1) AS free_last,
         round(100.0 * min(free) / max(total), 1) AS min_free_pct,
         sum(free < 0.05 * total) AS samples_below_5pct, count(*) AS samples
       FROM ($NODE_USE) u GROUP BY node"
    echo "-- node use skew (max - min of 1 - MemFree/MemTotal): max, last, samples >= 0.30"
    q "SELECT round(max(skew), 3) AS max_skew,
         round((SELECT skew FROM (SELECT sample, max(used) - min(used) AS skew FROM ($NODE_USE) GROUP BY sample) ORDER BY sample DESC LIMIT 1), 3) AS last_skew,
         sum(skew >= 0.30) AS samples_ge_030, count(*) AS samples
       FROM (SELECT sample, max(used) - min(used) AS skew FROM ($NODE_USE) GROUP BY sample)"
    echo "-- zone free pages vs watermarks (summed per node), tier-1 samples"
    q "SELECT node, count(*) AS samples, min(free) AS min_free, max(low) AS low, max(high) AS high,
         sum(free < low) AS below_low, sum(free < high) AS below_high FROM ($ZONE_WM) GROUP BY node"
    echo "-- numastat, first to last sample (pages; per second over the span)"
    q "SELECT * FROM ($NUMA_DELTA) WHERE key <> 'interleave_hit' ORDER BY node, key"
    echo "-- numastat per second, sample by sample (every 10th interval)"
    q "SELECT r.sample, r.node, round(max(CASE key WHEN 'numa_hit' THEN pages_per_s END)) AS hit,
         round(max(CASE key WHEN 'numa_miss' THEN pages_per_s END)) AS miss,
         round(max(CASE key WHEN 'numa_foreign' THEN pages_per_s END)) AS foreign_,
         round(max(CASE key WHEN 'local_node' THEN pages_per_s END)) AS local_,
         round(max(CASE key WHEN 'other_node' THEN pages_per_s END)) AS other
       FROM numastat_rate r WHERE r.sample % 10 = 2 GROUP BY r.sample, r.node ORDER BY r.sample, r.node"
    echo "remote_share (other_node / (local_node + other_node), whole span): $(val "$REMOTE_SHARE")"
    echo "-- the instances: CPU last run on (processor), Cpus_allowed_list, its node"
    q "$CPU_NODE"
    echo "-- numa_maps captures of the instances (tier-2 samples with numa_maps rows)"
    q "SELECT pid, comm, count(DISTINCT sample) AS captures, min(sample) AS first, max(sample) AS last
       FROM ($PAGES) GROUP BY pid"
    echo "-- their pages per node and policy in the last capture"
    q "$LAST_PAGES"
    echo "-- RSS of the instances (MiB): max over the bundle"
    q "SELECT pid, comm, round(max(vm_rss_bytes)/1048576.0) AS max_rss_mib FROM proc_series WHERE comm LIKE 'ms-numa-%' GROUP BY pid"

    case "$sc" in
    remote)
        expect "bundle < 2 MiB" "SELECT $(stat -c %s "$b") < 2097152"
        expect "node 1 below 5 % free in >= 30 samples" \
            "SELECT sum(free < 0.05 * total) >= 30 FROM ($NODE_USE) WHERE node = 1"
        expect "node 1 zone free below its high watermark in >= 30 tier-1 samples" \
            "SELECT sum(free < high) >= 30 FROM ($ZONE_WM) WHERE node = 1"
        expect "node 1 zone free within 2 % of its low watermark or below it in the last tier-1 sample" \
            "SELECT free < 1.02 * low FROM ($ZONE_WM) WHERE node = 1 ORDER BY sample DESC LIMIT 1"
        expect "node 0 stays at least 60 % free" \
            "SELECT min(1.0 * free / total) >= 0.60 FROM ($NODE_USE) WHERE node = 0"
        expect "node use skew >= 0.30 in >= 60 samples" \
            "SELECT sum(skew >= 0.30) >= 60 FROM (SELECT sample, max(used) - min(used) AS skew FROM ($NODE_USE) GROUP BY sample)"
        expect "other_node on node 1 >= 1000 pages/s over the span" \
            "SELECT per_s >= 1000 FROM ($NUMA_DELTA) WHERE node = 1 AND key = 'other_node'"
        expect "other_node on node 1 rises in >= 90 % of the intervals" \
            "SELECT sum(pages_per_s > 0) >= 0.9 * count(*) FROM numastat_rate WHERE node = 1 AND key = 'other_node'"
        expect "remote_share >= 0.10" "SELECT ($REMOTE_SHARE) >= 0.10"
        expect "numa_foreign: node 1 gets >= 80 % of it, and it rises in >= 60 intervals" \
            "SELECT (SELECT 1.0 * sum(CASE node WHEN 1 THEN delta END) / sum(delta) FROM ($NUMA_DELTA) WHERE key = 'numa_foreign') >= 0.8
               AND (SELECT sum(pages_per_s > 0) FROM numastat_rate WHERE node = 1 AND key = 'numa_foreign') >= 60"
        expect "numa_miss rises on node 0" \
            "SELECT delta > 0 FROM ($NUMA_DELTA) WHERE node = 0 AND key = 'numa_miss'"
        expect "ms-numa-remote ran on CPU 0 only (processor and Cpus_allowed_list), in all $COUNT samples" \
            "SELECT count(*) = 1 AND max(processor) = 0 AND max(cpus_allowed) = '0' AND max(samples) = $COUNT FROM ($CPU_NODE)"
        expect "ms-numa-remote: >= 5 numa_maps captures" \
            "SELECT count(DISTINCT sample) >= 5 FROM ($PAGES)"
        expect "ms-numa-remote: >= 80 % of its anon pages on node 1 in the last capture, >= 1 GiB of them" \
            "SELECT 1.0 * sum(CASE node WHEN 1 THEN pages END) / sum(pages) >= 0.8 AND sum(CASE node WHEN 1 THEN mib END) >= 1024
             FROM ($LAST_PAGES)"
        expect "ms-numa-remote: its default-policy pages are on node 1 (>= 200 MiB)" \
            "SELECT sum(mib) >= 200 FROM ($LAST_PAGES) WHERE policy = 'default' AND node = 1"
        expect "ms-numa-remote: RSS >= 1 GiB" \
            "SELECT max(vm_rss_bytes) >= 1073741824 FROM proc_series WHERE comm = 'ms-numa-remote'"
        ;;
    local)
        expect "bundle < 2 MiB" "SELECT $(stat -c %s "$b") < 2097152"
        expect "no node below 10 % free" "SELECT min(1.0 * free / total) >= 0.10 FROM ($NODE_USE)"
        expect "no zone below its high watermark" "SELECT sum(free < high) = 0 FROM ($ZONE_WM)"
        expect "node use skew < 0.10 in every sample" \
            "SELECT max(skew) < 0.10 FROM (SELECT sample, max(used) - min(used) AS skew FROM ($NODE_USE) GROUP BY sample)"
        expect "remote_share < 0.02" "SELECT ($REMOTE_SHARE) < 0.02"
        expect "numa_miss and numa_foreign < 0.5 % of numa_hit" \
            "SELECT sum(CASE WHEN key IN ('numa_miss','numa_foreign') THEN delta END) < 0.005 * sum(CASE key WHEN 'numa_hit' THEN delta END) FROM ($NUMA_DELTA)"
        expect "allocation rate >= 1000 pages/s on each node (the control is as busy)" \
            "SELECT min(per_s) >= 1000 FROM ($NUMA_DELTA) WHERE key = 'local_node'"
        expect "two ms-numa-local, each on one CPU in all $COUNT samples" \
            "SELECT count(*) = 2 AND count(DISTINCT processor) = 2 AND min(samples) = $COUNT FROM ($CPU_NODE)"
        expect "each ms-numa-local: >= 5 numa_maps captures" \
            "SELECT count(*) = 2 AND min(c) >= 5 FROM (SELECT pid, count(DISTINCT sample) AS c FROM ($PAGES) GROUP BY pid)"
        expect "each ms-numa-local: >= 99 % of its pages on its CPU's node in every capture" \
            "SELECT min(share) >= 0.99 FROM (SELECT g.sample, g.pid, 1.0 * sum(CASE WHEN g.node = c.cpu_node THEN g.pages END) / sum(g.pages) AS share
               FROM ($PAGES) g JOIN ($CPU_NODE) c ON c.pid = g.pid GROUP BY g.sample, g.pid)"
        expect "each ms-numa-local: RSS >= 1 GiB (big enough for N4 to look at)" \
            "SELECT count(*) = 2 AND min(m) >= 1073741824 FROM (SELECT pid, max(vm_rss_bytes) AS m FROM proc_series WHERE comm = 'ms-numa-local' GROUP BY pid)"
        ;;
    esac
}
for sc in "${SCEN[@]}"; do check "$sc"; done
echo
if [ "$fails" -gt 0 ]; then say "$fails check(s) failed"; KEEP=1; exit 1; fi
say "all checks passed"
exit 0
