#!/bin/bash
# oom.sh - a cgroup OOM kill during the recording, next to a process that sits
# near its limit and survives.
#
# usage: oom.sh [-d DURATION] [-k] MEMSNAP OUT.tar.zst [-- EXTRA-COLLECT-OPTIONS]
#        (default duration 2m; run as root; see lib.sh)
#
#   ms-nearlimit  holds 60.5 MiB of touched heap in a 64 MiB cgroup ms-nearlimit
#                 (about 95 % of the limit with the program's own pages: 5 %
#                 above oom/cgroup-limit's near_frac 0.90, below its crit_frac
#                 0.97), and does nothing else; it must not be killed
#   ms-oomer      leaks 2 MiB of touched heap per step in a 64 MiB cgroup
#                 ms-oomer until the cgroup's OOM killer kills it; the step is
#                 chosen so that the kill comes a quarter of the duration after
#                 it starts (1 s steps for 2 minutes: killed ~30 s after start)
# Neither cgroup may swap (memory.swappiness=0 and memsw limit = limit on v1,
# memory.swap.max=0 on v2), so the limit is reached, not swap.
#
# Recorded with -i 1s (an OOM kill is a moment: 1 s samples show the cgroup's
# usage climbing to the limit and the victim's last samples). Both processes
# are started just before the collector; ms-oomer begins allocating after an
# eighth of the duration (-w: 15 s of 2 minutes). The script then checks that the oomer was killed by
# SIGKILL and reads the cgroup's oom_kill counter.
. "$(dirname "$0")/lib.sh"
ms_init oom 2m "$@"

ms_build leak
ms_cgroup ms-nearlimit 64M noswap
CG_NEAR=$MS_LAST_CG
ms_cgroup ms-oomer 64M noswap
CG_OOM=$MS_LAST_CG
OOM_BEFORE=$(awk '$1 == "oom_kill" { print $2 }' /proc/vmstat)

ms_start "$CG_NEAR" leak -n ms-nearlimit -b 60.5m -c 0
# 2 MiB steps reaching 64 MiB in a quarter of the duration: 32 steps
STEP=$(awk -v s="$MS_SECS" 'BEGIN { printf "%.3fs", s / 4 / 32 }')
ms_start "$CG_OOM" leak -n ms-oomer -c 2m -p "$STEP" -w $((MS_SECS / 8))s
OOMER=$MS_LAST_PID
ms_collect -i 1s
ms_collect_wait

st=0
if ms_alive "$OOMER"; then
	ms_log "warning: ms-oomer (pid $OOMER) is still alive: no OOM kill during the recording"
else
	wait "$OOMER" || st=$?
	ms_log "ms-oomer (pid $OOMER) ended with status $st$( ((st == 137)) && echo ' (SIGKILL)')"
fi
if ((MS_CGV == 1)); then
	ms_log "ms-oomer oom_control: $(tr '\n' ' ' <"$CG_OOM/memory.oom_control"); failcnt $(cat "$CG_OOM/memory.failcnt")"
	ms_log "ms-nearlimit usage $(cat "$CG_NEAR/memory.usage_in_bytes") of $(cat "$CG_NEAR/memory.limit_in_bytes"); oom_control: $(tr '\n' ' ' <"$CG_NEAR/memory.oom_control")"
else
	ms_log "ms-oomer memory.events: $(tr '\n' ' ' <"$CG_OOM/memory.events")"
	ms_log "ms-nearlimit memory.current $(cat "$CG_NEAR/memory.current") of $(cat "$CG_NEAR/memory.max")"
fi
ms_log "vmstat oom_kill: $OOM_BEFORE before, $(awk '$1 == "oom_kill" { print $2 }' /proc/vmstat) after"
