#!/bin/sh
# A reused database gives what its load gave: the same exit status, the
# same findings and the same words about damage and load errors, for a
# corrupt bundle, a truncated one and a clean one; and so does the
# database given to analyze or report instead of its bundle.
. "$SRC/tests/e2e/lib.sh"
cp "$SRC/samples/bundles/leak.tar.zst" bad.tar.zst
size=$(stat -c %s bad.tar.zst)
printf 'GARBAGEGARBAGEGARBAGE' | dd of=bad.tar.zst bs=1 seek=$((size - 200000)) conv=notrunc 2>/dev/null
cp "$SRC/samples/bundles/swap.tar.zst" ok.tar.zst
head -c $(($(stat -c %s ok.tar.zst) / 2)) ok.tar.zst > cut.tar.zst
# a bundle that just ends, whole, without its trailer, and with a record
# that does not parse
mkdir x
tar --zstd -xf ok.tar.zst -C x
printf '@ ok 8 /proc/1/stat\ngarbage\n\n' >> x/000001/t0
tar --zstd -tf ok.tar.zst | grep -vx memsnap.trailer > members
tar -C x --format=ustar --no-recursion -cf - -T members | zstd -q > notrail.tar.zst
# the tail of the load line: what follows the database's name
tail_of() { sed -n "s/^memsnap: $1: \(loaded [0-9]* samples ([0-9]* rows) into\|reusing\|reading\) [^ ;]*\( (already loaded from this bundle)\)\{0,1\}//p" err; }
for b in bad cut notrail ok; do
	want_rc=0
	[ $b = bad ] && want_rc=1
	run "$MEMSNAP" analyze --format tsv $b.tar.zst
	assert_rc $want_rc "$b: analyze that builds"
	cp out $b.built
	grep -q "^memsnap: analyze: loaded " err || fail "$b: not built"
	tail_of analyze > $b.tail
	grep -v "^memsnap: analyze: loaded " err > $b.rest
	run "$MEMSNAP" analyze --format tsv $b.tar.zst
	assert_rc $want_rc "$b: analyze that reuses"
	grep -q "^memsnap: analyze: reusing $b.db " err || fail "$b: not reused"
	cmp -s out $b.built || fail "$b: findings differ when reused"
	assert_eq "$(tail_of analyze)" "$(cat $b.tail)" "$b: the load line's tail when reused"
	assert_eq "$(grep -v '^memsnap: analyze: reusing ' err)" "$(cat $b.rest)" "$b: other lines when reused"
	run "$MEMSNAP" analyze --format tsv $b.db
	assert_rc $want_rc "$b: analyze of the database"
	cmp -s out $b.built || fail "$b: findings differ from the database"
	assert_eq "$(tail_of analyze)" "$(cat $b.tail)" "$b: the tail for the database"
	assert_eq "$(grep -v '^memsnap: analyze: reading ' err | sed "s/'$b.db'/'$b.tar.zst'/")" "$(cat $b.rest)" "$b: other lines for the database"
	run "$MEMSNAP" report -q -o $b.html $b.db
	assert_rc $want_rc "$b: report of the database"
	[ -s $b.html ] || fail "$b: no report"
done
assert_eq "$(cat notrail.tail)" "; the bundle is truncated (no trailer): every complete sample was loaded; 1 lines or records could not be parsed (see table load_error)" "notrail's tail"
grep -q "^; the bundle is truncated (compressed stream ends inside a zstd frame at byte [0-9]*): every complete sample was loaded$" cut.tail ||
	fail "cut's tail: $(cat cut.tail)"
grep -q "^memsnap: analyze: 'bad.tar.zst': corrupt: .*; loaded the [0-9]* complete samples before the damage$" bad.rest ||
	fail "bad: $(cat bad.rest)"
assert_eq "$(cat ok.tail)" "" "ok's tail"
# a database is the whole input: no load options with it; not for info or load
for opt in --force "-o x.db"; do
	run "$MEMSNAP" analyze $opt ok.db
	assert_rc 2 "analyze $opt on a database"
	assert_line err "memsnap: analyze: 'ok.db' is a database: --force, -o and --db are for a bundle"
done
run "$MEMSNAP" report --db x.db ok.db
assert_rc 2 "report --db on a database"
# a database memsnap did not make, or made by another schema
command -v sqlite3 >/dev/null || skip "sqlite3 is missing (sh .ci/install-deps test installs it)"
sqlite3 other.db "CREATE TABLE t(x)" || fail "sqlite3"
run "$MEMSNAP" analyze other.db
assert_rc 1 "analyze of another database"
assert_line err "memsnap: analyze: 'other.db': not a memsnap database (no load_info)"
cp ok.db old.db
sqlite3 old.db "PRAGMA user_version = 1" || fail "sqlite3"
run "$MEMSNAP" report -o old.html old.db
assert_rc 1 "report of a database of another schema"
assert_line err "memsnap: report: 'old.db': made by a memsnap with another schema: load its bundle again"
exit 0
