#!/bin/sh
# A bundle whose directory cannot be written (a read-only mount; another
# user's directory): its database goes to $XDG_CACHE_HOME/memsnap (or
# ~/.cache/memsnap), under a name made from the bundle's identity, made
# 0700/0600; one line says where; the next run reuses it; a database
# beside the bundle that matches is still used; -o names the place itself.
. "$SRC/tests/e2e/lib.sh"
mkdir src
cp "$SRC/samples/bundles/swap.tar.zst" src/b.tar.zst
export XDG_CACHE_HOME="$SCRATCH/cache"
# check DIR: analyze and query of DIR/b.tar.zst with the cache ($as_user)
check() {
	run $as_user "$MEMSNAP" analyze --format tsv "$1/b.tar.zst"
	assert_rc 0 "analyze in $1"
	cp out findings
	db=$(sed -n 's/^memsnap: analyze: loaded 90 samples ([0-9]* rows) into \(.*\) (in the cache: the bundle.s directory is not writable)$/\1/p' err)
	[ -n "$db" ] || { cat err; fail "no line saying where the database went"; }
	assert_eq "$(wc -l < err)" 1 "lines on stderr"
	case $db in "$XDG_CACHE_HOME"/memsnap/b-[0-9a-f]*.db) ;; *) fail "database at $db";; esac
	[ -f "$db" ] || fail "no $db"
	ls -ld "$XDG_CACHE_HOME/memsnap" | grep -q '^drwx------ ' || fail "cache directory: $(ls -ld "$XDG_CACHE_HOME/memsnap")"
	ls -l "$db" | grep -q '^-rw------- ' || fail "database: $(ls -l "$db")"
	assert_eq "$(ls "$1")" "b.tar.zst" "files beside the bundle"
	run $as_user "$MEMSNAP" analyze --format tsv "$1/b.tar.zst"
	assert_rc 0 "analyze again"
	assert_line err "memsnap: analyze: reusing $db (already loaded from this bundle) (in the cache: the bundle's directory is not writable)"
	cmp -s out findings || fail "findings differ when the database is reused"
	run $as_user "$MEMSNAP" query "$1/b.tar.zst" "SELECT count(*) FROM sample" --csv
	assert_rc 0 "query"
	assert_eq "$(tail -n 1 out)" 90 "samples"
	assert_line err "memsnap: query: the bundle's directory is not writable: its database is $db"
	# -o names the place: no other
	run $as_user "$MEMSNAP" load -o "$1/b.db" "$1/b.tar.zst"
	assert_rc 1 "load -o into the unwritable directory"
	grep -q "^memsnap: load: '$1/b.tar.zst': '$1/b.db.lock': " err || { cat err; fail "-o's error"; }
	rm -rf "$XDG_CACHE_HOME"
}
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
	mkdir ro
	mount --bind -o ro src ro || skip "cannot bind-mount read-only here"
	unmount() { umount "$SCRATCH/ro" 2>/dev/null; cleanup; }
	trap unmount EXIT
	as_user=
	check ro
	# another user's directory, as nobody (the cache nobody's own)
	MEMSNAP=$(nobody_memsnap) || fail "cannot copy the binary for nobody"
	chmod 755 src && chmod 644 src/b.tar.zst
	mkdir "$XDG_CACHE_HOME" && chown nobody "$XDG_CACHE_HOME"
	as_user="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	check src
	as_user=
	# a matching database beside the bundle (made by who can write there) is used
	"$MEMSNAP" load -q src/b.tar.zst || fail "load beside"
	run "$MEMSNAP" analyze --format tsv ro/b.tar.zst
	assert_rc 0 "analyze with a database beside"
	assert_line err "memsnap: analyze: reusing ro/b.db (already loaded from this bundle)"
	[ ! -e "$XDG_CACHE_HOME" ] || fail "the cache was used"
	rm src/b.db
else
	chmod 555 src
	as_user=
	check src
fi
# no XDG_CACHE_HOME (or a relative one, which the spec says to ignore):
# ~/.cache/memsnap
mkdir home
dir=ro
[ "$(id -u)" = 0 ] || { dir=src; chmod 555 src; }
run env XDG_CACHE_HOME=relative HOME="$SCRATCH/home" "$MEMSNAP" query "$dir/b.tar.zst" "SELECT 1"
assert_rc 0 "query with HOME's cache"
grep -q "^memsnap: query: the bundle's directory is not writable: its database is $SCRATCH/home/.cache/memsnap/b-[0-9a-f]*\.db$" err ||
	{ cat err; fail "not in HOME's cache"; }
[ ! -e relative ] || fail "a relative XDG_CACHE_HOME was used"
chmod 755 src
exit 0
