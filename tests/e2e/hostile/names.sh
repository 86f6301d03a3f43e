#!/bin/sh
# Member names are data, never paths: a bundle whose members are named
# ../../escape, an absolute path or 000001/../../x loads (the names are
# unknown members, skipped as the format says), and nothing is created
# where a name points, with load, info or analyze.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/hostile/mkbundle"
base_bundle b.tar.zst 2
mkdir -p deep/down && cd deep/down
for f in esc abs rel; do echo "@ ok 3 /proc/meminfo" > "../../base/$f"; done
abs=$SCRATCH/abs-target
tar --format=ustar -P -cf h.tar -C ../../base \
	--transform "s,^esc\$,../../escape,;s,^abs\$,$abs,;s,^rel\$,000001/../../../rel-escape," \
	memsnap.header esc abs rel $(echo "$base_members" | grep -v '^memsnap.header$') || fail "tar"
tar -tf h.tar 2>/dev/null | head -n 4 > names
assert_line names "../../escape"
assert_line names "$abs"
assert_line names "000001/../../../rel-escape"
zstd -q h.tar -o h.tar.zst || fail "zstd"
: > "$SCRATCH/.start"
run "$MEMSNAP" load h.tar.zst
assert_rc 0 "load a bundle with hostile member names"
grep -qx 'memsnap: load: loaded 2 samples ([0-9]* rows) into h.db' err || { cat err; fail "load message"; }
run "$MEMSNAP" info h.tar.zst
assert_rc 0 "info"
assert_line out "samples:     2 complete (tier 0: 2, tier 1: 2, tier 2: 2); interval 100 ms"
run "$MEMSNAP" analyze h.tar.zst
[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "analyze exited $rc"
cd "$SCRATCH"
[ ! -e escape ] && [ ! -e "$SCRATCH/../escape" ] && [ ! -e "$abs" ] && [ ! -e rel-escape ] ||
	fail "a member name was used as a path"
# only what the commands write: the bundle's database next to it
printf 'err\nh.db\nh.tar\nh.tar.zst\nnames\nout\n' > want
(cd deep/down && ls) | diff want - || fail "unexpected files next to the bundle"
find . -newer .start ! -path './deep/down/*' ! -path . ! -path ./deep ! -path ./deep/down \
	! -path ./want ! -path ./new > new
assert_empty new
exit 0
