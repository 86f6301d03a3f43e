#!/bin/sh
# The static collector on "Linux 3.10": under a seccomp filter that answers
# every system call added after 3.10 with ENOSYS (linux310.c, built here),
# it collects this machine's /proc (collect -n 3, info), and a tree of real
# old-kernel texts (tests/fixtures/kernels: a 3.2 meminfo without
# MemAvailable and its buddyinfo, the processes of a 3.2 host: stat, statm,
# status, cgroup: init, mysqld and bash; no zoneinfo, smaps_rollup, smaps or PSI); that bundle
# loads and analyzes here with no rule failing and no record refused, and
# says what it could not see.
. "$SRC/tests/e2e/lib.sh"
need() {
	[ "${CI:-}" = true ] && fail "$1"
	skip "$1"
}
[ -n "${STATIC:-}" ] || need "no static collector in this build (libarchive.a, libzstd.a)"
[ "$(uname -m)" = x86_64 ] || need "the filter knows x86-64's system call numbers only"
cc -O1 -Wall -o linux310 "$SRC/tests/e2e/oldkernel/linux310.c" 2> cc.err || { cat cc.err; fail "cc linux310.c"; }
# the filter is in force: a 3.10 call works, later ones are ENOSYS
cat > probe.c <<'C'
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void)
{
	long a = syscall(SYS_getpid);
	long b = syscall(SYS_getrandom, (void *)0, 0, 0);
	int eb = errno;
	long c = syscall(SYS_statx, -1, "", 0, 0, (void *)0);
	int ec = errno;
	printf("%d %d %d\n", a > 0, b == -1 && eb == ENOSYS, c == -1 && ec == ENOSYS);
	return 0;
}
C
cc -O1 -o probe probe.c 2> cc.err || { cat cc.err; fail "cc probe.c"; }
assert_eq "$(./probe)" "1 0 0" "the probe without the filter"
assert_eq "$(./linux310 ./probe)" "1 1 1" "the probe under the filter"

# this machine's /proc
run ./linux310 "$STATIC" collect -n 3 -i 200ms -q -o host.tar.zst
assert_rc 0 "collect under the 3.10 filter"
run ./linux310 "$STATIC" info host.tar.zst
assert_rc 0 "info under the 3.10 filter"
assert_line out "end:         complete (count)"
grep -q "^samples: *3 complete" out || fail "not 3 complete samples"
"$MEMSNAP" query host.tar.zst "SELECT count(*) > 0 FROM proc_sample" --csv | tail -n 1 > n
assert_eq "$(cat n)" 1 "process samples from the filtered collector"

# real old texts
K=$FIXTURES/kernels
mkdir -p old/proc old/sys
cp "$K/3.2.0-debian-sid-686pae/proc/meminfo" "$K/3.2.0-debian-sid-686pae/proc/buddyinfo" old/proc/
cp -r "$K"/3.2.0-pcp/proc/* old/proc/
chmod -R u+w old
run ./linux310 "$STATIC" collect --root old -n 2 -i 100ms -q -o old.tar.zst
assert_rc 0 "collect the 3.2 texts under the filter"
run "$MEMSNAP" analyze old.tar.zst
assert_rc 0 "analyze the 3.2 texts"
grep -q FAILED out && { cat out; fail "a rule failed"; }
assert_line out "not seen: MemAvailable (the kernel prints none before 3.14): not estimated, no zoneinfo in the bundle, in 2 samples"
assert_line out "not seen: ENOENT memory: 2 reads in 2 samples"
"$MEMSNAP" query old.db "SELECT (SELECT count(*) FROM load_error), (SELECT group_concat(pid || ':' || comm, ' ') FROM (SELECT pid, comm FROM process ORDER BY pid)), (SELECT count(*) FROM proc_sample WHERE vm_rss IS NOT NULL), (SELECT count(*) FROM meminfo WHERE sample = 1), (SELECT count(*) FROM buddyinfo WHERE sample = 1)" --csv | tail -n 1 > got
assert_eq "$(cat got)" "0,1:init 4097:mysqld 10636:bash,6,45,33" "what the 3.2 texts loaded"
exit 0
