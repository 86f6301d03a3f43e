#!/bin/bash
# record-psi.sh - `memsnap record` running when memory pressure rises: a
# process swapping in a small cgroup stalls the host's memory (PSI "full"),
# and the psi trigger seals an incident.
#
# usage: record-psi.sh [-d DURATION] [-k] MEMSNAP DIR [-- EXTRA-RECORD-OPTIONS]
#        (DURATION: the longest to wait for the incident, default 2m; run as
#        root; see lib.sh)
#
#   ms-swapper  touches 160 MiB of anonymous memory in a loop in a 64 MiB
#               cgroup with a 512 MiB swap file, from 25 s on (PSI full ~13 %
#               on the project's machine: ../../../shared/research/reproducing.md)
# Only the psi trigger is on, at 5 % (the kernel's PSI trigger: 500 ms of
# full stall in 10 s); the incident keeps 20 s before it and ends at most
# 30 s after it starts (the pressure holds while the swapper runs).
. "$(dirname "$0")/lib.sh"
ms_init record-psi 2m "$@"

ms_build swapper
ms_swapfile 512
ms_cgroup ms-swapper 64M
ms_start "$MS_LAST_CG" swapper -n ms-swapper -s 160m -w 25s
ms_record -i 1s --pre 20s --post 5s --incident-interval 250ms --max-incident-length 30s \
	--trigger none,psi=5,manual=off
ms_record_incident
ms_record_stop
