#!/bin/sh
# --redact-cmdline keeps argv[0] only; without it the whole command line.
# --redact also writes host and cgroup names as pseudonyms, at the source:
# the mapping beside the bundle (0600), the default name without the host,
# -o - only with --redact-map.
. "$SRC/tests/e2e/lib.sh"
sleep 301 & p=$!
track $p
# the sleeper's command line, in any part of sample 1's tier 0 (a busy
# host's tier 0 is more than one part)
cmdline_of() {
	tar --zstd -xOf "$1" --wildcards '000001/t0*' | grep -a -A1 "^@ ok [0-9]* /proc/$p/cmdline$" |
		tail -n 1 | tr '\0' ' '
}
run "$MEMSNAP" collect -n 1 -q -p $p --redact-cmdline -o r.tar.zst
assert_rc 0 "collect --redact-cmdline"
assert_eq "$(cmdline_of r.tar.zst)" "sleep " "redacted cmdline"
[ ! -e r.tar.zst.map ] || fail "a mapping for --redact-cmdline"
run "$MEMSNAP" collect -n 1 -q -p $p -o f.tar.zst
assert_eq "$(cmdline_of f.tar.zst)" "sleep 301 " "full cmdline"
# --redact: the whole host (its cgroups too), into the default name
run "$MEMSNAP" collect -n 2 -i 100ms -q --no-mlock --redact
assert_rc 0 "collect --redact"
b=$(ls memsnap-redacted-*.tar.zst) || fail "the default name: $(ls)"
ls -l "$b" "$b.map" | grep -v -c '^-rw------- ' | grep -qx 0 || fail "not 0600: $(ls -l "$b"*)"
host=$(uname -n)
grep -qx "host	host-1	$host" "$b.map" || { cat "$b.map"; fail "the host in the mapping"; }
tar --zstd -xOf "$b" memsnap.header > header
grep -qx 'hostname host-1' header || fail "header: $(grep hostname header)"
grep -qx 'redacted cmdline=argv0 names=pseudonyms' header || fail "no redacted line"
grep -qx 'command collect' header || fail "header: $(grep command header)"
assert_eq "$("$MEMSNAP" query "$b" "SELECT hostname FROM host" --csv | tail -n 1)" "host-1" "the host table"
# no real cgroup name in any record path or /proc/PID/cgroup; each mapped
tar --zstd -xOf "$b" --wildcards '00000[12]/t0*' > t0
grep -a '^@ ' t0 | sed 's/^@ [^ ]* [0-9]* //' > paths
tail -n +3 "$b.map" | while IFS='	' read -r class pseudo real; do
	[ "$class" = cgroup ] || continue
	! grep -aqF -- "/$real/" paths || fail "cgroup '$real' in a record path"
	! grep -a -A1 '^@ ok [0-9]* /proc/[0-9]*/cgroup$' t0 | grep -aqF -- "/$real" || fail "cgroup '$real' in a /proc/PID/cgroup"
done
! grep -aqF -- "$host" t0 || [ ${#host} -lt 4 ] || fail "the host name in a record"
assert_eq "$(cmdline_of "$b")" "sleep " "the sleeper's command line with --redact"
# -o -: only with --redact-map, which then gets the mapping
run "$MEMSNAP" collect -n 1 -q --redact -o -
assert_rc 2 "--redact -o -"
assert_line err "memsnap: collect: --redact with -o -: name the mapping file with --redact-map FILE"
"$MEMSNAP" collect -n 1 -q --no-mlock --redact --redact-map m.tsv -o - > s.tar.zst 2> err || fail "--redact-map"
grep -q '^host	host-1	' m.tsv || fail "no mapping in m.tsv"
run "$MEMSNAP" collect -n 1 -q --redact-map m2.tsv -o x.tar.zst
assert_rc 2 "--redact-map alone"
# the mapping exists: nothing is collected, the bundle goes again
touch e.tar.zst.map
run "$MEMSNAP" collect -n 1 -q --no-mlock --redact -o e.tar.zst
assert_rc 1 "the mapping exists"
assert_line err "memsnap: collect: 'e.tar.zst.map': File exists"
[ ! -e e.tar.zst ] || fail "the bundle was left"
exit 0
