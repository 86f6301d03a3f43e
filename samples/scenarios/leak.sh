#!/bin/bash
# leak.sh - leaks of three kinds next to four look-alikes that are not leaks.
#
# usage: leak.sh [-d DURATION] [-k] MEMSNAP OUT.tar.zst [-- EXTRA-COLLECT-OPTIONS]
#        (default duration 10m; run as root; see lib.sh)
#
# Processes (all in the script's own cgroup, started at once, then the
# collector one second later):
#   ms-leak8k    heap leak, tiny: a thread callocs 8 KiB per second, touched
#   ms-leak1m    heap leak, large process: holds 200 MiB, leaks 1 MiB/min
#   ms-mapleak   mapping leak: steady 4 MiB heap; one 512 MiB MAP_NORESERVE
#                anonymous mapping, 256 MiB touched at start (so that it is
#                one of the largest processes and the collector's tier 2
#                walks it), 1 MiB more touched every 10 s
#   ms-shmgrow   orphaned shmem: every 5 s a short-lived child (ms-shmwrite)
#                appends 1 MiB to /dev/shm/ms-orphan-PID, which nobody maps
#   controls, which must not be called leaks:
#   ms-plateau   warms up by 60 MiB over 150 s (concave), then flat
#   ms-sawtooth  GC-like: +80 MiB over 40 s, munmap back to 16 MiB, repeat
#   ms-mapfile   maps a 256 MiB file read-only, reads it once over 120 s, idles
#   ms-cachefill LRU cache filling to its 100 MiB bound in 180 s, then evicting
#
# Recorded with the collector's defaults except --smaps-interval 1m, so that
# per-mapping growth has a point a minute (11 over 10 minutes) instead of 3.
. "$(dirname "$0")/lib.sh"
ms_init leak 10m "$@"

ms_build leak mapleak plateau sawtooth mapfile cachefill shmgrow
DATA=$MS_TMP/mapfile.dat
ms_datafile "$DATA" 256
SHM=/dev/shm/ms-orphan-$$
[[ ! -e $SHM ]] || ms_die "$SHM exists"
MS_FILES+=("$SHM")

ms_start "" leak -n ms-leak8k -t -c 8k -p 1s
ms_start "" leak -n ms-leak1m -b 200m -c 1m -p 60s
ms_start "" mapleak -n ms-mapleak -h 4m -r 512m -i 256m -c 1m -p 10s
ms_start "" shmgrow -n ms-shmgrow -c 1m -p 5s "$SHM"
ms_start "" plateau -n ms-plateau -b 8m -s 60m -w 150s
ms_start "" sawtooth -n ms-sawtooth -b 16m -a 80m -r 40s -c 2m -g 3s
ms_start "" mapfile -n ms-mapfile -t 120s "$DATA"
ms_start "" cachefill -n ms-cachefill -m 100m -f 180s -e 64k
sleep 1

ms_collect --smaps-interval 1m
ms_collect_wait
ms_log "shm file at the end: $(stat -c %s "$SHM") bytes; Shmem $(awk '/^Shmem:/{print $2, $3}' /proc/meminfo)"
