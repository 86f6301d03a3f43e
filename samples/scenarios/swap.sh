#!/bin/bash
# swap.sh - a swap storm: an anonymous working set 2.5 times its cgroup limit.
#
# usage: swap.sh [-d DURATION] [-k] MEMSNAP OUT.tar.zst [-- EXTRA-COLLECT-OPTIONS]
#        (default duration 3m; run as root; see lib.sh)
#
# A 512 MiB swap file is made in the temporary directory (on disk), enabled
# with swapon for the test only (the default priority, below any swap the
# host has),
# and swapoff'd and removed at the end; the script checks that /proc/swaps
# is as it was before.
#   ms-swapper  writes every page of 160 MiB of anonymous memory in a loop,
#               in a 64 MiB memory cgroup ms-swapper (swap allowed): each
#               pass swaps in what the previous one swapped out
# Recorded with -i 2s (rates of pswpin/pswpout and PSI over 90 intervals).
# The swap file is on before the collector starts, so every sample's
# /proc/swaps shows it; the swapper is started just before the collector and
# begins after a lead-in of a twelfth of the duration (-w: 15 s of 3 min).
. "$(dirname "$0")/lib.sh"
ms_init swap 3m "$@"

ms_build swapper
SWAPS_BEFORE=$(tail -n +2 /proc/swaps)
ms_swapfile 512
SWAPFILE=$MS_SWAPFILE
ms_cgroup ms-swapper 64M
CG=$MS_LAST_CG

ms_start "$CG" swapper -n ms-swapper -s 160m -w $((MS_SECS / 12))s
SWAPPER=$MS_LAST_PID
ms_collect -i 2s
ms_collect_wait
ms_log "ms-swapper at the end: $(grep -E '^(VmRSS|RssAnon|VmSwap)' "/proc/$SWAPPER/status" | tr -s ' \t\n' ' ')"

# stop the swapper and swapoff now (cleanup would do it too) to check /proc/swaps
ms_stop "$SWAPPER"
swapoff "$SWAPFILE"
MS_SWAPS=()
if [[ "$(tail -n +2 /proc/swaps)" == "$SWAPS_BEFORE" ]]; then
	ms_log "/proc/swaps is as before: ${SWAPS_BEFORE:-no swap}"
else
	ms_die "/proc/swaps differs from before: $(tail -n +2 /proc/swaps)"
fi
