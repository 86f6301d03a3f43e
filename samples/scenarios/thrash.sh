#!/bin/bash
# thrash.sh - page-cache thrash in a memory cgroup, next to a control that fits.
#
# usage: thrash.sh [-d DURATION] [-k] MEMSNAP OUT.tar.zst [-- EXTRA-COLLECT-OPTIONS]
#        (default duration 4m; run as root; see lib.sh)
#
#   ms-thrash   reads a 256 MiB file over and over, in a 64 MiB memory cgroup
#               ms-thrash: every pass evicts what the next pass needs
#               (workingset refaults, IO waits, memory PSI)
#   ms-fitread  control: reads a 16 MiB file over and over (0.2 s pause
#               between passes), in a 64 MiB cgroup ms-fitread: after the
#               first pass everything is a page-cache hit
# Both files are on the temporary directory's disk (not tmpfs: a tmpfs file
# cannot be evicted and refaulted), written by the script and then dropped
# from the page cache, so that the readers' own cgroups are charged for
# their cache (a just-written file stays cached and charged to the writer).
#
# Recorded with -i 2s (a faster tick than the default 5 s: the rates of
# refaults and PSI are measured over the intervals, and a 4-minute recording
# then has 120 of them). The readers are started just before the collector
# and begin reading after a lead-in of a twelfth of the duration (-w: 20 s of
# 4 min), so the bundle holds the quiet baseline before the onset.
. "$(dirname "$0")/lib.sh"
ms_init thrash 4m "$@"

ms_build reader
BIG=$MS_TMP/thrash.dat
FIT=$MS_TMP/fitread.dat
ms_datafile "$BIG" 256
ms_datafile "$FIT" 16
ms_cgroup ms-thrash 64M
CG_THRASH=$MS_LAST_CG
ms_cgroup ms-fitread 64M
CG_FIT=$MS_LAST_CG

LEAD=$((MS_SECS / 12))s
ms_start "$CG_THRASH" reader -n ms-thrash -b 128k -w "$LEAD" "$BIG"
ms_start "$CG_FIT" reader -n ms-fitread -b 128k -s 0.2s -w "$LEAD" "$FIT"
ms_collect -i 2s
ms_collect_wait
if ((MS_CGV == 1)); then
	for cg in "$CG_THRASH" "$CG_FIT"; do
		ms_log "${cg##*/}: $(grep -E '^(workingset_refault_file|pgmajfault|total_cache) ' "$cg/memory.stat" | tr '\n' ' ')"
	done
fi
