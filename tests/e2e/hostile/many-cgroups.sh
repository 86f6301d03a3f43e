#!/bin/sh
# One sample naming 500,000 distinct memory cgroups (the collector stops at
# 4096 a tick; a bundle may claim anything): each gets its id once, by a
# hashed lookup (a list walked per record took hours), and every value
# loads.  info's gap list keeps 64 kinds whatever a meta claims (300,000
# distinct "gap" lines, the rest counted as "other other").
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
N=500000
bundle_header
echo "cgroup_v2 /sys/fs/cgroup" >> m/memsnap.header
mkdir -p m/000001
awk -v n=$N 'BEGIN { for (i = 1; i <= n; i++)
	printf "@ ok 4 /sys/fs/cgroup/g%d/memory.current\n%03d\n\n", i, i % 1000 > "m/000001/t0" }' </dev/null ||
	fail "awk"
sample_meta 1 1767225601.0 101.0
awk 'BEGIN { for (i = 1; i <= 300000; i++) printf "gap ENOENT kind%d 1\n", i }' </dev/null >> m/000001/meta
mk_bundle cg.tar.zst memsnap.header 000001/t0 000001/meta
rm -rf m
run "$MEMSNAP" load cg.tar.zst
assert_rc 0 "load 500,000 cgroups"
q() { "$MEMSNAP" query cg.db "$1" --csv | tail -n +2; }
assert_eq "$(q 'SELECT count(*), count(DISTINCT path) FROM cgroup')" "500000,500000" "cgroups"
assert_eq "$(q 'SELECT count(*), count(DISTINCT cgroup_id), sum(value) FROM cgroup_value')" \
	"500000,500000,249750000" "cgroup values"
assert_eq "$(q "SELECT rel FROM cgroup WHERE path = '/sys/fs/cgroup/g123456'")" "/g123456" "a cgroup's path"
run "$MEMSNAP" info cg.tar.zst
assert_rc 0 "info"
grep -c '^  ENOENT kind' out > n
assert_eq "$(cat n)" "63" "gap kinds listed"
assert_line out "  other other                              299937 in 1 samples"
exit 0
