#!/bin/sh
# Eight commands on one bundle at once (load, analyze, report, query and
# info mixed), the database removed before each round (three rounds, and
# two with --force): every one succeeds
# with the output and exit status it has alone; one builds the database,
# the others wait for it (DB.lock) and reuse it, and no lock or temporary
# file is left.  The same with --force, where every load builds.
. "$SRC/tests/e2e/lib.sh"
cp "$SRC/samples/bundles/swap.tar.zst" b.tar.zst
# slot N's command; its stdout is out.N (report: the page's bytes)
cmd() {
	case $1 in
	0|5) "$MEMSNAP" analyze $force --format tsv b.tar.zst ;;
	1) "$MEMSNAP" load $force b.tar.zst ;;
	2|6) "$MEMSNAP" report $force -o "r$1.html" b.tar.zst && cat "r$1.html" ;;
	3) "$MEMSNAP" query $force b.tar.zst "SELECT count(*), sum(vm_rss) FROM proc_sample" --csv ;;
	4) "$MEMSNAP" info b.tar.zst ;;
	7) "$MEMSNAP" analyze $force --format json b.tar.zst | grep -v '"seconds":' ;;
	esac
}
force=
for n in 0 1 2 3 4 5 6 7; do
	cmd $n > "want.$n" 2> err || fail "slot $n alone: $(cat err)"
done
for force in "" --force; do
	rounds="1 2 3"
	[ -z "$force" ] || rounds="1 2"
	for round in $rounds; do
		rm -f b.db
		pids=""
		for n in 0 1 2 3 4 5 6 7; do
			( cmd $n > "out.$n" 2> "err.$n"; echo $? > "rc.$n" ) &
			pids="$pids $!"
		done
		for p in $pids; do wait "$p"; done
		for n in 0 1 2 3 4 5 6 7; do
			assert_eq "$(cat "rc.$n")" 0 "round $round$force, slot $n's exit status ($(cat "err.$n"))"
			cmp -s "want.$n" "out.$n" || { diff "want.$n" "out.$n" | head; fail "round $round$force: slot $n's output differs"; }
			# stderr: what each did with the database, and nothing else
			! grep -v -e '^memsnap: [a-z]*: \(loaded 90 samples\|reusing b.db\)' \
				-e '^memsnap: report: wrote r[26].html' "err.$n" ||
				fail "round $round$force, slot $n said more"
		done
		# one load built the database (query's is silent), or with
		# --force every one, one after the other
		built=$(cat err.* | grep -c 'loaded 90 samples')
		[ -n "$force" ] || [ "$built" -le 1 ] || fail "round $round: $built loads built the database"
		[ -z "$force" ] || [ "$built" = 6 ] || fail "round $round --force: $built loads said they built"
		assert_eq "$(ls | grep -c -e '\.lock$' -e '\.tmp$' -e '\.db\.' -e '\.html\.')" 0 "lock or temporary files left"
	done
done
ls -l b.db | grep -q '^-rw------- ' || fail "b.db is not 0600: $(ls -l b.db)"
exit 0
