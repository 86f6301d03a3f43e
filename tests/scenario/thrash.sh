#!/bin/sh
# Page-cache thrash, reproduced for 2 minutes: the 64 MiB cgroup re-reading
# a 256 MiB file is flagged, the one reading a 16 MiB file is not.
. "$SRC/tests/scenario/lib.sh"
scenario thrash 2m
expect thrash/cgroup '/ms-thrash$'
none 'ms-fitread'
exit 0
