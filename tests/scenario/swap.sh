#!/bin/sh
# A swap storm, reproduced for 90 s with a temporary swap file: the storm
# and the process whose pages go in and out are flagged.
. "$SRC/tests/scenario/lib.sh"
scenario swap 90s
expect swap/storm '^system$'
expect swap/process '\(ms-swapper\)$'
! grep -q '/memsnap-swap\.' /proc/swaps || fail "the scenario left its swap file on"
exit 0
