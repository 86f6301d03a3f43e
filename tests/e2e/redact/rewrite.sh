#!/bin/sh
# memsnap redact on a bundle made by hand to hold every kind of name: what
# is rewritten, exactly (command lines, the host name, cgroup names in
# record paths and in /proc/PID/cgroup, /home user names), what is kept
# (the names every host has, uids, process names), the mapping (0600,
# every pseudonym once), and none of the real names left in the output.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
bundle_header
sed -i 's/^hostname .*/hostname prod-db-7/' m/memsnap.header
cat >> m/memsnap.header <<'HDR'
command collect -q -o /srv/prod-db-7.tar.zst
cgroup_v1_memory /sys/fs/cgroup/memory
cgroup_v2 /sys/fs/cgroup/unified
HDR
printf 'prod-db-7\n' > f && add_record 000001/host ok /proc/sys/kernel/hostname f
printf 'sysname Linux\nnodename prod-db-7\nrelease 6.1.0\n' > f && add_record 000001/host ok memsnap:uname f
printf '1024\n' > f
add_record 000001/t0 ok /sys/fs/cgroup/unified/system.slice/payroll.service/memory.current f
add_record 000001/t0 ok /sys/fs/cgroup/unified/user.slice/user-1000.slice/session-3.scope/memory.current f
add_record 000001/t0 ok "/sys/fs/cgroup/memory/secret%20team/memory.usage_in_bytes" f
add_record 000001/t0 EACCES /sys/fs/cgroup/unified/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice /dev/null
proc() { # PID COMM CMDLINE-printf CGROUP-printf
	proc_stat "$1" 1000 "$2" > f && add_record 000001/t0 ok "/proc/$1/stat" f
	printf "$3" > f && add_record 000001/t0 ok "/proc/$1/cmdline" f
	printf "$4" > f && add_record 000001/t0 ok "/proc/$1/cgroup" f
}
proc 100 java 'java\0-Dpassword=hunter2\0-jar\0/home/alice/app.jar\0' '0::/system.slice/payroll.service\n'
proc 200 sshd 'sshd: alice [priv]\0\0\0' '12:memory:/secret team\n1:name=systemd:/user.slice/user-1000.slice/session-3.scope\nno colon here\n'
proc 300 ms-keep 'keepme\0--arg\0/home/alice/x\0' '0::/\n'
printf '7f00-7f01 r-xp 00000000 08:01 42                         /home/alice/app.jar\nRss:                   4 kB\n' > f
add_record 000001/t2 ok /proc/100/smaps f
printf '7f00 default file=/home/alice/lib.so mapped=1 N0=1 kernelpagesize_kB=4\n' > f
add_record 000001/t2 ok /proc/100/numa_maps f
sample_meta 1 1767225601.0 101.0
# a ring segment's trailer repeats its trigger lines (the second is not one)
printf 'samples 1\nend_reason count\ntrigger_lines 2\n%s\n%s\n' \
	'trigger cgroup-limit 1767225601.500000000 cgroup=/sys/fs/cgroup/unified/system.slice/payroll.service pct=99.0' \
	'trigger alice hunter2' > m/memsnap.trailer
# a member this format does not name: left out, whatever it holds
printf 'alice hunter2\n' > m/000001/notes
members="memsnap.header 000001/host 000001/t0 000001/t2 000001/meta memsnap.trailer"
mk_bundle b.tar.zst memsnap.header 000001/host 000001/t0 000001/notes 000001/t2 000001/meta memsnap.trailer
# tests/fuzz/seed-corpus.sh takes this bundle as a seed of fuzz_redact
[ -z "${KEEP_BUNDLE:-}" ] || cp b.tar.zst "$KEEP_BUNDLE"
run "$MEMSNAP" redact b.tar.zst -o r.tar.zst --keep-cmdline 'ms-*'
assert_rc 0 "redact"
assert_line err "memsnap: redact: wrote r.tar.zst: 1 samples, 2 command lines cut, 5 names in r.tar.zst.map (keep it private)"
assert_line err "memsnap: redact: 'b.tar.zst': member '000001/notes' left out: not of this format (it could hold what redaction does not see)"
ls -l r.tar.zst r.tar.zst.map | grep -v -c '^-rw------- ' | grep -qx 0 || fail "outputs not 0600: $(ls -l r.tar.zst*)"
assert_eq "$(tar --zstd -tf r.tar.zst | tr '\n' ' ')" "$members " "members"
cat > want <<'MAP'
# memsnap redact: CLASS PSEUDONYM REAL, tab-separated (REAL with bytes <= 0x20,
# '%' and 0x7f as %XX). Keep this file private: it undoes the redaction.
host	host-1	prod-db-7
cgroup	cg-1.service	payroll.service
cgroup	cg-2	secret%20team
cgroup	cg-3.slice	kubepods-burstable-pod1234.slice
user	user-1	alice
MAP
diff want r.tar.zst.map || fail "the mapping"
tar --zstd -xOf r.tar.zst memsnap.header | grep -e '^hostname' -e '^command' -e '^redacted' > got
printf 'hostname host-1\ncommand collect\nredacted cmdline=argv0 names=pseudonyms\n' > want
diff want got || fail "header"
tar --zstd -xOf r.tar.zst 000001/host 000001/t0 000001/t2 | tr '\0' '|' > got
# body PATH: the text of PATH's record (NULs as |)
body() {
	awk -v p="$1" 'f { b = b (k++ ? "\n" : "") $0; if (length(b) >= n) { printf "%s", substr(b, 1, n); exit } }
		!f && $0 ~ "^@ [^ ]* [0-9]* " p "$" { f = 1; n = $3; if (!n) exit }' got
}
grep '^@ ' got > heads
cat > want <<'REC'
@ ok 7 /proc/sys/kernel/hostname
@ ok 44 memsnap:uname
@ ok 5 /sys/fs/cgroup/unified/system.slice/cg-1.service/memory.current
@ ok 5 /sys/fs/cgroup/unified/user.slice/user-1000.slice/session-3.scope/memory.current
@ ok 5 /sys/fs/cgroup/memory/cg-2/memory.usage_in_bytes
@ EACCES 0 /sys/fs/cgroup/unified/kubepods.slice/kubepods-burstable.slice/cg-3.slice
@ ok 141 /proc/100/stat
@ ok 5 /proc/100/cmdline
@ ok 30 /proc/100/cgroup
@ ok 141 /proc/200/stat
@ ok 6 /proc/200/cmdline
@ ok 75 /proc/200/cgroup
@ ok 144 /proc/300/stat
@ ok 28 /proc/300/cmdline
@ ok 5 /proc/300/cgroup
@ ok 106 /proc/100/smaps
@ ok 72 /proc/100/numa_maps
REC
diff want heads || fail "the records"
assert_eq "$(body /proc/sys/kernel/hostname)" "host-1" "kernel.hostname"
assert_eq "$(body memsnap:uname | tr '\n' ' ')" "sysname Linux nodename host-1 release 6.1.0 " "uname"
assert_eq "$(body /proc/100/cmdline)" "java|" "java's command line"
assert_eq "$(body /proc/200/cmdline)" "sshd:|" "a rewritten title"
assert_eq "$(body /proc/300/cmdline)" "keepme|--arg|/home/user-1/x|" "a kept command line"
assert_eq "$(body /proc/100/cgroup)" "0::/system.slice/cg-1.service" "a v2 cgroup"
assert_eq "$(body /proc/200/cgroup | tr '\n' ' ')" "12:memory:/cg-2 1:name=systemd:/user.slice/user-1000.slice/session-3.scope " "v1 cgroups (a line not of the form left out)"
assert_eq "$(body /proc/300/cgroup)" "0::/" "the root cgroup"
assert_eq "$(body /proc/100/smaps | head -n 1)" "7f00-7f01 r-xp 00000000 08:01 42                         /home/user-1/app.jar" "smaps"
assert_eq "$(body /proc/100/numa_maps)" "7f00 default file=/home/user-1/lib.so mapped=1 N0=1 kernelpagesize_kB=4" "numa_maps"
tar --zstd -xOf r.tar.zst memsnap.trailer | grep '^trigger' > got
printf 'trigger_lines 2\n%s\n' \
	'trigger cgroup-limit 1767225601.500000000 cgroup=/sys/fs/cgroup/unified/system.slice/cg-1.service pct=99.0' > want
diff want got || fail "the trailer's trigger lines"
# nothing of the real names is left, anywhere
zstd -dcq r.tar.zst > r.tar
for name in prod-db-7 payroll hunter2 alice 'secret team' secret%20team pod1234 password; do
	! grep -qaF -- "$name" r.tar || fail "'$name' is in the redacted bundle"
done
# a valid bundle, whose loader links the processes to the pseudonymous cgroups
run "$MEMSNAP" query r.tar.zst "SELECT p.pid, c.path FROM proc_cgroup c JOIN process p ON p.id = c.process_id ORDER BY 1, 2" --csv
assert_rc 0 "query the redacted bundle"
assert_eq "$(tail -n +2 out | tr '\n' ' ')" "100,/system.slice/cg-1.service 200,/cg-2 200,/user.slice/user-1000.slice/session-3.scope 300,/ " "cgroups of the processes"
exit 0
