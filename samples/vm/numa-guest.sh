#!/bin/sh
# numa-guest.sh: the in-VM half of samples/vm/numa-record.sh (busybox sh, run
# by tests/vm/run.sh as PROGRAM, cwd /out).
#
#   numa-guest.sh BUNDLE GO_DELAY 'COLLECT_ARGS' 'NAME ARGS' ['NAME ARGS' ...]
#
# Expects /job/files/memsnap-static and /job/files/ms_numa (run.sh -f).
# For each 'NAME ARGS' it starts ms_numa as /tmp/bin/NAME (a symlink, so comm
# and argv[0] are NAME) with -N NAME ARGS -r READY -g /tmp/go and waits until
# every instance has placed its first-touch region.  Then it starts
#   memsnap-static collect COLLECT_ARGS -q -o /out/BUNDLE
# in the background, waits GO_DELAY seconds (the baseline samples), creates
# /tmp/go (the instances start filling and churning), waits for the collector
# to finish, stops the instances with SIGTERM and runs memsnap-static info.
# /out/guest/ keeps the instances' logs, the collector's output, per-node
# meminfo/numastat, /proc/zoneinfo and /proc/vmstat at pre (before go)
# and post, and each instance's numa_maps and status before it is stopped.
# Exit status: the collector's, or 1 when an instance failed to get ready.
set -u
BUNDLE=$1 GO_DELAY=$2 COLLECT=$3
shift 3
F=/job/files
M=$F/memsnap-static
G=/out/guest
chmod 755 "$M" "$F/ms_numa"
mkdir -p /tmp/bin "$G"
up() { cut -d' ' -f1 /proc/uptime; }
log() { echo "guest: $* (uptime $(up))"; }
snapshot() { # snapshot NAME
    d=$G/$1; mkdir -p "$d"
    for n in /sys/devices/system/node/node[0-9]*; do
        b=$(basename "$n")
        cat "$n/meminfo" > "$d/$b.meminfo"; cat "$n/numastat" > "$d/$b.numastat"
    done
    cat /proc/zoneinfo > "$d/zoneinfo"; cat /proc/vmstat > "$d/vmstat"
    for n in /sys/devices/system/node/node[0-9]*; do
        echo "$(basename "$n") $(awk '/MemTotal|MemFree/{printf "%s %s kB  ", $3, $4}' "$n/meminfo")"
    done | sed "s/^/guest: $1: /"
}

for f in /proc/sys/kernel/numa_balancing /proc/sys/vm/zone_reclaim_mode \
         /sys/kernel/mm/transparent_hugepage/enabled; do
    log "$f = $(cat $f 2>/dev/null)"
done

PIDS=
i=0
for spec in "$@"; do
    i=$((i+1))
    name=${spec%% *}
    args=${spec#"$name"}
    ln -sf "$F/ms_numa" "/tmp/bin/$name"
    log "starting $name$args (instance $i)"
    # shellcheck disable=SC2086 # ARGS are words by design
    "/tmp/bin/$name" -N "$name" $args -r "/tmp/ready.$i" -g /tmp/go > "$G/$name.$i.log" 2>&1 &
    PIDS="$PIDS $!"
    echo "$! $name" >> "$G/instances"
done
n=0
while [ $n -lt 1200 ]; do
    all=1
    j=0
    for p in $PIDS; do
        j=$((j+1))
        [ -f "/tmp/ready.$j" ] && continue
        all=0
        kill -0 "$p" 2>/dev/null || { log "ERROR: instance $j (pid $p) died before it was ready:"; cat "$G"/*."$j".log; exit 1; }
    done
    [ $all = 1 ] && break
    sleep 0.1; n=$((n+1))
done
[ $all = 1 ] || { log "ERROR: the instances did not get ready within 120 s"; exit 1; }
log "instances ready:$PIDS"
snapshot pre

log "memsnap-static collect $COLLECT -q -o /out/$BUNDLE"
# shellcheck disable=SC2086
"$M" collect $COLLECT -q -o "/out/$BUNDLE" > "$G/collect.stdout" 2> "$G/collect.stderr" &
CPID=$!
sleep "$GO_DELAY"
touch /tmp/go
log "go"
wait $CPID
crc=$?
log "collect exit $crc"
snapshot post
for p in $PIDS; do
    cat "/proc/$p/numa_maps" > "$G/numa_maps.$p" 2>/dev/null
    cat "/proc/$p/status" > "$G/status.$p" 2>/dev/null
    kill -TERM "$p" 2>/dev/null
done
for p in $PIDS; do wait "$p"; echo "$p exit $?" >> "$G/instances.exit"; done
for f in "$G"/*.log; do echo "----- $f"; cat "$f"; done
cat "$G/collect.stderr"
"$M" info "/out/$BUNDLE" > "$G/info.txt" 2>&1
echo "info exit $?" >> "$G/info.txt"
cat "$G/info.txt"
exit $crc
