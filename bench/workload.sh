#!/bin/bash
# workload.sh start [N] | stop | status
#
# Copied from /work/shared/tools/bench/workload.sh (reference harness);
# changes: the mempop binary is built into $MEMPOP_BIN (default bench/.bin/).
#
# Starts / stops a reproducible population of N (default 300) idle processes
# with varied memory layouts (see mempop.c).  The PIDs are recorded in
# $STATE/mempop.pids; "stop" signals only those PIDs (after checking that
# /proc/PID/comm still names one of ours), never anything by name.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
STATE=${MEMPOP_STATE:-/tmp/mempop}
PIDFILE=$STATE/mempop.pids
BIN=${MEMPOP_BIN:-$HERE/.bin/mempop}

build() {
    if [[ ! -x $BIN || $HERE/mempop.c -nt $BIN ]]; then
        mkdir -p "$(dirname "$BIN")"
        gcc -O2 -Wall -Wextra -o "$BIN" "$HERE/mempop.c"
    fi
}

ours() { # PID -> true if it is still a live (not zombie) mempop process
    local comm state
    comm=$(cat "/proc/$1/comm" 2>/dev/null) || return 1
    [[ $comm == mp-* ]] || return 1
    state=$(awk '/^State:/{print $2}' "/proc/$1/status" 2>/dev/null) || return 1
    [[ -n $state && $state != Z && $state != X ]]
}

summary() {
    [[ -s $PIDFILE ]] || { echo "workload: not running"; return 0; }
    local alive=0 rss=0 pss=0 shr=0 anon=0 swap=0 pid
    while read -r pid; do
        ours "$pid" || continue
        alive=$((alive + 1))
        # smaps_rollup: Rss, Pss, Pss_Anon, Swap (kB)
        read -r r p a s < <(awk '/^Rss:/{r=$2} /^Pss:/{p=$2} /^Pss_Anon:/{a=$2} /^Swap:/{s=$2}
                                 END{print r+0, p+0, a+0, s+0}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0 0 0 0)
        rss=$((rss + r)); pss=$((pss + p)); anon=$((anon + a)); swap=$((swap + s))
    done <"$PIDFILE"
    local nproc
    nproc=$(ls /proc | grep -c "^[0-9]")
    echo "workload: $alive of $(wc -l <"$PIDFILE") mempop processes alive; /proc has $nproc PIDs"
    echo "workload: sum RSS $((rss / 1024)) MiB, sum PSS $((pss / 1024)) MiB (anon $((anon / 1024)) MiB), swap $((swap / 1024)) MiB"
    grep -E '^(MemTotal|MemAvailable|AnonPages|AnonHugePages|Shmem|PageTables):' /proc/meminfo | tr -s ' ' | sed 's/^/workload: /'
}

start() {
    local n=${1:-300}
    build
    mkdir -p "$STATE"
    if [[ -s $PIDFILE ]]; then
        local pid
        while read -r pid; do
            if ours "$pid"; then
                echo "workload: already running (see $PIDFILE); run '$0 stop' first" >&2
                exit 1
            fi
        done <"$PIDFILE"
    fi
    : >"$PIDFILE"
    # setsid -w: new session (not tied to this shell), wait for the launcher,
    # which exits once all N processes have allocated and reported ready.
    setsid -w "$BIN" "$n" "$PIDFILE" </dev/null >"$STATE/mempop.log" 2>&1 || {
        cat "$STATE/mempop.log" >&2
        echo "workload: launcher failed; stopping what started" >&2
        stop
        exit 1
    }
    cat "$STATE/mempop.log"
    summary
}

stop() {
    [[ -s $PIDFILE ]] || { echo "workload: no pid file, nothing to stop"; return 0; }
    local pid sent=0 left
    while read -r pid; do
        if ours "$pid"; then kill -TERM "$pid" 2>/dev/null && sent=$((sent + 1)); fi
    done <"$PIDFILE"
    for _ in $(seq 1 100); do
        left=0
        while read -r pid; do ours "$pid" && left=$((left + 1)); done <"$PIDFILE"
        [[ $left -eq 0 ]] && break
        sleep 0.1
    done
    if [[ $left -gt 0 ]]; then
        while read -r pid; do ours "$pid" && kill -KILL "$pid" 2>/dev/null; done <"$PIDFILE"
        sleep 0.5
    fi
    echo "workload: sent SIGTERM to $sent processes; $left needed SIGKILL"
    rm -f "$PIDFILE"
}

case ${1:-} in
start) shift; start "${1:-300}" ;;
stop) stop ;;
status) summary ;;
build) build ;;
*) echo "usage: $0 start [N] | stop | status" >&2; exit 2 ;;
esac
