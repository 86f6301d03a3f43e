#!/bin/sh
# frag-guest.sh: the in-VM half of samples/frag/frag-record.sh (busybox sh,
# run by tests/vm/run.sh as PROGRAM, cwd /out).
#
#   frag-guest.sh frag   'COLLECT_ARGS'
#   frag-guest.sh lowmem 'COLLECT_ARGS'
#   frag-guest.sh cgroup2 'COLLECT_ARGS'
#
# Expects /job/files/memsnap-static and /job/files/ms_frag (run.sh -f).
#
# frag:   writes /out/frag.tar.zst.  THP enabled=madvise, defrag=madvise.
#         t=6 s   ms-thp (32 MiB MADV_HUGEPAGE every 500 ms) on unfragmented
#                 memory: huge pages are found, no compaction stalls
#         t=30 s  ms-thp stopped; ms-frag fills memory with pipe pages and
#                 closes every other pipe (about 10 s)
#         then    a second ms-thp until the collector's count is reached:
#                 every huge page fault stalls in compaction and fails
# cgroup2: writes /out/frag-cgroup2.tar.zst: cgroup v2 memory cgroups below
#         the root, /ms-jobs (no limit) with three children:
#         t=6 s   ms-nearlimit eats 60.5 MiB (2 MiB/s) in its 64 MiB cgroup and holds
#                 (95 % of the limit: 5 % above oom/cgroup-limit's near_frac);
#                 ms-grower eats 0.15 MiB/s in its 96 MiB cgroup
#         t=60 s  ms-oomer eats 2 MiB/s in its 64 MiB cgroup until the
#                 cgroup's OOM killer kills it (about 30 s later)
#         the collector's count ends the bundle; the cgroups are removed
# lowmem: writes /out/frag-lowmem.tar.zst (collector A) and
#         /out/frag-oom.tar.zst (collector B), both started at t=0.
#         t=10 s  vm.overcommit_memory=2, ms-commit commits 95 % of
#                 CommitLimit (untouched) and holds it for 90 s; then
#                 overcommit_memory=0 again
#         t=106 s ms-eater eats 2 MiB/s down to 12 % MemAvailable, then
#                 0.25 MiB/s; at 2.5 % it sends SIGTERM to collector A (A's
#                 bundle ends with MemAvailable still falling), and goes on
#                 until the kernel's OOM killer kills it; B records 20 s
#                 more and is stopped.
# /out/guest/ keeps the programs' logs, the collectors' stderr and
# /proc/{vmstat,buddyinfo,zoneinfo,meminfo} before and after.
set -u
SCEN=$1 COLLECT=$2
F=/job/files
M=$F/memsnap-static
P=$F/ms_frag
G=/out/guest
chmod 755 "$M" "$P"
mkdir -p "$G"
T0=$(cut -d' ' -f1 /proc/uptime)
up() { cut -d' ' -f1 /proc/uptime; }
log() { echo "guest: $* (t=$(awk -v a="$(up)" -v b="$T0" 'BEGIN{printf "%.1f", a-b}') s)"; }
at() { # at SECONDS: sleep until SECONDS after T0
    d=$(awk -v a="$(up)" -v b="$T0" -v s="$1" 'BEGIN{d=b+s-a; print (d>0?d:0)}')
    sleep "$d"
}
snapshot() {
    d=$G/$1; mkdir -p "$d"
    for f in vmstat buddyinfo zoneinfo meminfo; do cat /proc/$f > "$d/$f"; done
    log "$1: $(grep -E '^(compact_stall|compact_fail|thp_fault_alloc|thp_fault_fallback|oom_kill) ' /proc/vmstat | tr '\n' ' ')"
}
stop() { kill -TERM "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
echo madvise > /sys/kernel/mm/transparent_hugepage/enabled
echo madvise > /sys/kernel/mm/transparent_hugepage/defrag
log "THP enabled: $(cat /sys/kernel/mm/transparent_hugepage/enabled); defrag: $(cat /sys/kernel/mm/transparent_hugepage/defrag)"
snapshot pre

case $SCEN in
frag)
    # shellcheck disable=SC2086 # COLLECT is words by design
    "$M" collect $COLLECT -q -o /out/frag.tar.zst > "$G/collect.stdout" 2> "$G/collect.stderr" &
    CPID=$!
    at 6
    "$P" thp -m 32 -p 500 > "$G/thp1.log" 2>&1 &
    TP=$!
    log "ms-thp (baseline) pid $TP"
    at 30
    stop "$TP"
    snapshot baseline
    "$P" frag -R /tmp/frag.ready > "$G/frag.log" 2>&1 &
    FP=$!
    log "ms-frag pid $FP"
    while [ ! -f /tmp/frag.ready ] && kill -0 "$FP" 2>/dev/null; do sleep 0.2; done
    [ -f /tmp/frag.ready ] || { log "ERROR: ms-frag died"; cat "$G/frag.log"; }
    snapshot holes
    "$P" thp -m 32 -p 500 > "$G/thp2.log" 2>&1 &
    TP=$!
    log "ms-thp (fragmented) pid $TP"
    wait "$CPID"; crc=$?
    log "collect exit $crc"
    snapshot post
    stop "$TP"; stop "$FP"
    BUNDLES=frag.tar.zst
    ;;
lowmem)
    # shellcheck disable=SC2086
    "$M" collect $COLLECT -q -o /out/frag-lowmem.tar.zst > "$G/collect-a.stdout" 2> "$G/collect-a.stderr" &
    APID=$!
    # shellcheck disable=SC2086
    "$M" collect $COLLECT -q -o /out/frag-oom.tar.zst > "$G/collect-b.stdout" 2> "$G/collect-b.stderr" &
    BPID=$!
    log "collector A pid $APID, B pid $BPID"
    at 10
    echo 2 > /proc/sys/vm/overcommit_memory
    "$P" commit -f 0.95 -R /tmp/commit.ready > "$G/commit.log" 2>&1 &
    CP=$!
    log "overcommit_memory=2, ms-commit pid $CP"
    at 100
    stop "$CP"
    echo 0 > /proc/sys/vm/overcommit_memory
    log "ms-commit stopped, overcommit_memory=0"
    snapshot commit
    at 106
    "$P" eat -s 2 -S 0.25 -b 12 -t 2.5 -P "$APID" > "$G/eat.log" 2>&1 &
    EP=$!
    log "ms-eater pid $EP"
    wait "$APID"; arc=$?
    log "collector A exit $arc"
    snapshot a-end
    n=0
    while kill -0 "$EP" 2>/dev/null && [ $n -lt 3000 ]; do sleep 0.2; n=$((n+1)); done
    if kill -0 "$EP" 2>/dev/null; then log "ERROR: ms-eater still alive, killing it"; kill -KILL "$EP"; fi
    wait "$EP"; log "ms-eater ended with status $?"
    snapshot killed
    sleep 20
    kill -TERM "$BPID"; wait "$BPID"; brc=$?
    log "collector B exit $brc"
    crc=$((arc | brc))
    BUNDLES="frag-lowmem.tar.zst frag-oom.tar.zst"
    ;;
cgroup2)
    # cgroup v2 below the root: ms-jobs (no limit) holds three limited
    # children; the memory controller is enabled on the way down
    J=/sys/fs/cgroup/ms-jobs
    echo +memory > /sys/fs/cgroup/cgroup.subtree_control
    mkdir "$J" && echo +memory > "$J/cgroup.subtree_control"
    for c in ms-nearlimit:64M ms-oomer:64M ms-grower:96M; do
        mkdir "$J/${c%%:*}" && echo "${c#*:}" > "$J/${c%%:*}/memory.max"
    done
    # shellcheck disable=SC2086
    "$M" collect $COLLECT -q -o /out/frag-cgroup2.tar.zst > "$G/collect.stdout" 2> "$G/collect.stderr" &
    CPID=$!
    at 6
    # each program joins its cgroup before exec (sh -c: $$ is the shell
    # that becomes the program)
    sh -c 'echo $$ > '"$J"'/ms-nearlimit/cgroup.procs; exec '"$P"' eat -n ms-nearlimit -s 2 -b 0 -M 60.5' > "$G/nearlimit.log" 2>&1 &
    NP=$!
    sh -c 'echo $$ > '"$J"'/ms-grower/cgroup.procs; exec '"$P"' eat -n ms-grower -s 0.15 -b 0 -M 90' > "$G/grower.log" 2>&1 &
    GP=$!
    log "ms-nearlimit pid $NP, ms-grower pid $GP"
    at 60
    sh -c 'echo $$ > '"$J"'/ms-oomer/cgroup.procs; exec '"$P"' eat -n ms-oomer -s 2 -b 0' > "$G/oomer.log" 2>&1 &
    OP=$!
    log "ms-oomer pid $OP"
    wait "$OP"; log "ms-oomer ended with status $?"
    log "ms-oomer memory.events: $(tr '\n' ' ' < "$J/ms-oomer/memory.events"); ms-jobs: $(tr '\n' ' ' < "$J/memory.events")"
    wait "$CPID"; crc=$?
    log "collect exit $crc"
    snapshot post
    log "ms-nearlimit memory.current $(cat "$J/ms-nearlimit/memory.current"), ms-grower $(cat "$J/ms-grower/memory.current")"
    stop "$NP"; stop "$GP"
    for c in ms-nearlimit ms-oomer ms-grower; do rmdir "$J/$c"; done
    rmdir "$J"
    BUNDLES=frag-cgroup2.tar.zst
    ;;
*)
    log "unknown scenario $SCEN"; exit 2 ;;
esac
dmesg | grep -i -E 'oom|killed process' > "$G/dmesg-oom.txt"
for f in "$G"/*.log; do echo "----- $f"; cat "$f"; done
cat "$G"/collect*.stderr
for b in $BUNDLES; do "$M" info "/out/$b"; done > "$G/info.txt" 2>&1
cat "$G/info.txt"
exit $crc
