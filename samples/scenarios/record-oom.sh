#!/bin/bash
# record-oom.sh - `memsnap record` running when a cgroup's OOM killer kills
# a process: the incident bundle it seals holds the minutes before and the
# seconds after.
#
# usage: record-oom.sh [-d DURATION] [-k] MEMSNAP DIR [-- EXTRA-RECORD-OPTIONS]
#        (DURATION: the longest to wait for the incident, default 2m;
#        DIR: the recorder's directory, made here; run as root; see lib.sh)
#
#   ms-oomer  holds 40 MiB, then leaks 1 MiB of touched heap a second in a
#             64 MiB cgroup (no swap) from 25 s on, until its OOM killer
#             kills it ~24 s later
# The recorder samples every second, keeps 20 s before a trigger and 10 s
# after the last one at 250 ms; cgroup-limit is at 80 %, so the cgroup
# nearing its limit is seen for ~10 s before the kill: one incident, the
# cgroup-limit trigger, then the oom-kill.  Only those two triggers are on
# (and manual): a shared machine's own memory pressure (psi, low-memory)
# would otherwise open an incident of its own before the kill.
. "$(dirname "$0")/lib.sh"
ms_init record-oom 2m "$@"

ms_build leak
ms_cgroup ms-oomer 64M noswap
ms_start "$MS_LAST_CG" leak -n ms-oomer -b 40m -c 1m -p 1s -w 25s
OOMER=$MS_LAST_PID
ms_record -i 1s --pre 20s --post 10s --incident-interval 250ms --trigger none,oom-kill,cgroup-limit=80
ms_record_incident
ms_record_stop
st=0
if ms_alive "$OOMER"; then
	ms_log "warning: ms-oomer (pid $OOMER) is still alive"
else
	wait "$OOMER" || st=$?
	ms_log "ms-oomer (pid $OOMER) ended with status $st$( ((st == 137)) && echo ' (SIGKILL)')"
fi
