#!/bin/sh
# A directory where a bundle is expected: info, load, query, analyze and
# report take a directory of bundles (a recorder's DIR: one recording), and
# an empty one is named as such in one line, exit 1, nothing written; an
# analysis database is refused by info and load the same way (analyze,
# report and query take one: load/reuse.sh).
. "$SRC/tests/e2e/lib.sh"
cp "$SRC/samples/bundles/leak.tar.zst" b.tar.zst
run "$MEMSNAP" load -q b.tar.zst
assert_rc 0 "load"
mkdir d
before=$(ls | grep -v -e "^out$" -e "^err$" | sort | tr '\n' ' ')
for cmd in info load analyze report; do
	run "$MEMSNAP" $cmd d
	assert_rc 1 "$cmd on a directory"
	assert_empty out
	assert_eq "$(cat err)" "memsnap: $cmd: 'd': no bundle in it (*.tar.zst, or a recorder's ring/)" "$cmd on a directory"
done
for cmd in info load; do
	run "$MEMSNAP" $cmd b.db
	assert_rc 1 "$cmd on a database"
	assert_empty out
	assert_eq "$(cat err)" "memsnap: $cmd: 'b.db' is an SQLite database, not a bundle: use 'memsnap analyze b.db'" "$cmd on a database"
done
# a database named like a bundle is still a database
cp b.db x.tar.zst
run "$MEMSNAP" load x.tar.zst
assert_rc 1 "load on a database named .tar.zst"
assert_eq "$(cat err)" "memsnap: load: 'x.tar.zst' is an SQLite database, not a bundle: use 'memsnap analyze x.tar.zst'" "renamed database"
run "$MEMSNAP" analyze -q --format tsv x.tar.zst
assert_rc 0 "analyze on a database named .tar.zst"
rm x.tar.zst
assert_eq "$(ls | grep -v -e '^out$' -e '^err$' | sort | tr '\n' ' ')" "$before" "files written"
# query takes both; the directory is still named
run "$MEMSNAP" query b.db "SELECT count(*) FROM sample"
assert_rc 0 "query on the database"
run "$MEMSNAP" query d "SELECT 1"
assert_rc 1 "query on a directory"
assert_eq "$(cat err)" "memsnap: query: 'd': no bundle in it (*.tar.zst, or a recorder's ring/)" "query on a directory"
# redact reads one bundle: a directory is refused as such
run "$MEMSNAP" redact d -o r.tar.zst
assert_rc 1 "redact on a directory"
assert_eq "$(cat err)" "memsnap: redact: 'd' is a directory, not a bundle (a .tar.zst file)" "redact on a directory"
exit 0
