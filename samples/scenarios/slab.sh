#!/bin/bash
# slab.sh - a kernel-memory leak: unreclaimable slab (SUnreclaim) growing
# because data is queued on a socket that nobody reads.
#
# usage: slab.sh [-d DURATION] [-k] MEMSNAP OUT.tar.zst [-- EXTRA-COLLECT-OPTIONS]
#        (default duration 6m; run as root; see lib.sh)
#
# Processes (started at once, then the collector one second later):
#   ms-slabhold   writes a 256-byte message 300 times a second into one end
#                 of an AF_UNIX stream socket pair and never reads the other
#                 end; its send buffer limit is lifted (SO_SNDBUFFORCE), so
#                 every message stays queued as an sk_buff: about 1.27 KiB
#                 of unreclaimable slab each (skbuff_head_cache + the
#                 kmalloc'd data), ~380 KiB/s, ~130 MiB over 6 minutes;
#                 bounded at 256 MiB of payload. The process's own memory is
#                 flat (a few hundred KiB).
#
# The memory is freed when ms-slabhold exits (the cleanup trap stops it).
# Only the kernel's counters show the growth: meminfo SUnreclaim (and Slab),
# not any process's RSS. See samples/slab.md.
. "$(dirname "$0")/lib.sh"
ms_init slab 6m "$@"

ms_build slabhold
ms_log "before: $(grep -E '^(SUnreclaim|Slab):' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
ms_start "" slabhold -n ms-slabhold -s 256 -r 300 -m 256m
sleep 1

ms_collect
ms_collect_wait
ms_log "after: $(grep -E '^(SUnreclaim|Slab):' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
