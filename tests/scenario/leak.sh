#!/bin/sh
# Leaks and their controls, reproduced for 6 minutes at the collector's
# defaults (smaps every minute for the mapping rule): the three leakers and
# the orphaned shmem are flagged; the warm-up, the sawtooth, the mapped
# file and the bounded cache are not.
. "$SRC/tests/scenario/lib.sh"
scenario leak 6m --smaps-interval 1m
expect leak/process '\(ms-leak8k\)$'
expect leak/process '\(ms-leak1m\)$'
expect leak/process '\(ms-mapleak\)$'
expect leak/shmem 'Shmem'
none 'ms-plateau|ms-sawtooth|ms-mapfile|ms-cachefill'
exit 0
