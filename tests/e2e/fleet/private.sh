#!/bin/sh
# The fleet writes as a single host does (common/private_file.c): every
# file 0600 whatever the umask (the hosts' databases, a fleet database,
# the fleet page and each host's page, the export's files), no temporary
# or lock file left; hosts whose bundles sit in a directory that cannot be
# written get their databases in the cache, one line each; two runs at
# once on the same bundles, and two load --into of one new fleet database,
# wait for each other's locks and agree.
. "$SRC/tests/e2e/lib.sh"
NT="--rule-timeout 1h"
B=$SRC/samples/bundles
umask 000
mkdir hosts
cp "$B/leak.tar.zst" "$B/frag.tar.zst" "$B/numa-remote.tar.zst" hosts/
run "$MEMSNAP" analyze $NT -q hosts --html page/fleet.html --only numa
assert_rc 1 "--html into a missing directory"
mkdir page
run "$MEMSNAP" report $NT -q hosts -o page/fleet.html --only numa
assert_rc 0 "report"
run "$MEMSNAP" load -q --into fleet.db hosts
assert_rc 0 "load --into"
run "$MEMSNAP" export $NT -q hosts -o ex --only numa
assert_rc 0 "export"
for f in hosts/leak.db hosts/frag.db hosts/numa-remote.db fleet.db page/fleet.html page/fleet-vm.html \
	 ex/system.csv ex/process.csv ex/finding.csv ex/recording.csv; do
	[ -f "$f" ] || fail "no $f"
	assert_eq "$(stat -c %a "$f")" 600 "the mode of $f"
done
assert_eq "$(ls page | wc -l)" 4 "the fleet page and three host pages"
assert_eq "$(find . -name '*.lock' -o -name '*.tmp' -o -name '*.[A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9]' | grep -v '^./out$' | wc -l)" 0 "temporary or lock files left"
umask 022

# two analyses at once, on bundles without databases: the locks make one
# build each database and the other reuse it; the same findings
rm hosts/*.db
"$MEMSNAP" analyze $NT -q -j 2 hosts --format tsv > a.tsv 2> a.err &
p1=$!
"$MEMSNAP" analyze $NT -q -j 2 hosts --format tsv > b.tsv 2> b.err &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
assert_eq "$r1 $r2" "0 0" "both analyses"
assert_empty a.err
cmp -s a.tsv b.tsv || { diff a.tsv b.tsv; fail "two analyses at once differ"; }
assert_eq "$(cut -f1 a.tsv | sort -u | tr '\n' ' ')" "(none)/caadaa11 (none)/d7e714eb host vm " "the hosts"

# two load --into of one new database at once: one makes its schema, both
# add their hosts
"$MEMSNAP" load -q --into new.db hosts/leak.tar.zst 2> c.err &
p1=$!
"$MEMSNAP" load -q --into new.db hosts/frag.tar.zst hosts/numa-remote.tar.zst 2> d.err &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
assert_eq "$r1 $r2" "0 0" "both loads: $(cat c.err d.err)"
assert_eq "$("$MEMSNAP" query --csv new.db "SELECT count(*) FROM fleet_host" | tail -n 1)" 3 "hosts in new.db"
[ ! -e new.db.lock ] || fail "new.db.lock left"

# bundles in a directory that cannot be written: the databases in the cache
export XDG_CACHE_HOME="$SCRATCH/cache"
rm hosts/*.db
if [ "$(id -u)" = 0 ]; then
	mkdir ro
	mount --bind -o ro hosts ro || skip "cannot bind-mount read-only here"
	unmount() { umount "$SCRATCH/ro" 2>/dev/null; cleanup; }
	trap unmount EXIT
	dir=ro
else
	chmod 555 hosts
	dir=hosts
fi
run "$MEMSNAP" analyze $NT -j 2 "$dir" --format tsv --only numa
assert_rc 0 "analyze in a directory that cannot be written"
for b in leak frag numa-remote; do
	grep -q "^memsnap: analyze: [^:]*: the bundle's directory is not writable: its database is $XDG_CACHE_HOME/memsnap/$b-[0-9a-f]*\.db$" err ||
		{ cat err; fail "$b: no line saying its database is in the cache"; }
done
assert_eq "$(wc -l < err)" 3 "lines on stderr"
assert_eq "$(ls "$XDG_CACHE_HOME/memsnap" | grep -c '\.db$')" 3 "databases in the cache"
assert_eq "$(stat -c %a "$XDG_CACHE_HOME/memsnap")" 700 "the cache's mode"
assert_eq "$(ls "$dir" | tr '\n' ' ')" "frag.tar.zst leak.tar.zst numa-remote.tar.zst " "files beside the bundles"
cp out first.tsv
run "$MEMSNAP" analyze $NT -q -j 2 "$dir" --format tsv --only numa
assert_rc 0 "again"
cmp -s out first.tsv || fail "the cached databases give other findings"
assert_empty err
chmod 755 hosts
exit 0
