# lib.sh - helpers for the end-to-end tests (sourced by tests/e2e/*/*.sh).
#
# Each test runs in a fresh scratch directory with LC_ALL=C and TZ=UTC, with
# $MEMSNAP (the binary under test), $SRC (the source tree) and $FIXTURES.
# Tests synchronise on files and exit codes, never on sleep: wait_for polls
# a condition with a generous deadline (the deadline only bounds a hang; it
# never decides a result).

set -u
export LC_ALL=C TZ=UTC
MEMSNAP=${MEMSNAP:?MEMSNAP must name the binary under test}
SRC=${SRC:?SRC must name the source tree}
FIXTURES=$SRC/tests/fixtures
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/memsnap-e2e.XXXXXX")
chmod 755 "$SCRATCH"
cd "$SCRATCH" || exit 1
_pids=""
cleanup() {
	for p in $_pids; do kill -KILL "$p" 2>/dev/null; done
	cd / && rm -rf "$SCRATCH"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
# A test that cannot run skips (77) on someone's laptop; where every tool is
# installed (.ci/run sets MEMSNAP_REQUIRE=1) a test that proves a claim
# never skips: the missing piece is a failure.
skip() {
	if [ "${MEMSNAP_REQUIRE:-0}" = 1 ]; then
		echo "FAIL (MEMSNAP_REQUIRE=1, would skip): $*" >&2
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}
track() { _pids="$_pids $1"; }
# nobody_memsnap: prints the path of a copy of $MEMSNAP that the user
# nobody can run (the build tree may sit below a directory only root enters)
nobody_memsnap() {
	cp "$MEMSNAP" "$SCRATCH/memsnap-nobody" && chmod 755 "$SCRATCH/memsnap-nobody" &&
		echo "$SCRATCH/memsnap-nobody"
}

# run CMD...: sets $rc, and the files out and err
run() { "$@" >out 2>err; rc=$?; }
# run_tsv CMD...: run an 'analyze --format tsv', check its header line, and
# split its rows: the findings stay in out, the rules that failed or could
# not judge ("failed" and "insufficient" lines) go to unjudged, a
# recorder's triggers ("trigger" lines) to triggers
TSV_HEADER='severity	rule	entity_kind	entity	start_utc	end_utc	value	message	value_unit	pid	comm	cgroup	node	zone	mapping_start	mapping_end'
run_tsv() {
	run "$@"
	[ "$(head -n 1 out)" = "$TSV_HEADER" ] || { cat out err >&2; fail "no TSV header line"; }
	awk -F'\t' 'NR > 1 && ($1 == "failed" || $1 == "insufficient")' out > unjudged
	awk -F'\t' 'NR > 1 && $1 == "trigger"' out > triggers
	awk -F'\t' 'NR > 1 && $1 != "failed" && $1 != "insufficient" && $1 != "trigger"' out > out.rows &&
		mv out.rows out
}

assert_rc() { [ "$rc" = "$1" ] || { cat out err >&2; fail "exit $rc, expected $1: $2"; }; }
assert_eq() { [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"; }
# assert_line FILE LINE: FILE holds exactly this line
assert_line() { grep -qxF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "no line '$2' in $1"; }; }
assert_no_match() { ! grep -q -- "$2" "$1" || { grep -- "$2" "$1" | head -5 >&2; fail "'$2' found in $1"; }; }
assert_empty() { [ ! -s "$1" ] || { cat "$1" >&2; fail "$1 is not empty"; }; }

# complete_samples BUNDLE: the number info reports as complete
complete_samples() {
	"$MEMSNAP" info "$1" 2>/dev/null | sed -n 's/^samples: *\([0-9]*\) complete.*/\1/p'
}

# wait_for SECONDS CMD...: poll CMD until it succeeds
wait_for() {
	local limit=$1 i=0
	shift
	while ! "$@"; do
		i=$((i + 1))
		[ "$i" -le $((limit * 20)) ] || fail "timed out waiting for: $*"
		sleep 0.05
	done
}

# settled PID NAME: PID runs NAME, asleep, and its stat is the same text
# twice 0.3 s apart (it has finished starting: a collector's samples then
# find it unchanged); with wait_for
settled() {
	local a
	a=$(cat "/proc/$1/stat") && sleep 0.3 && [ "$a" = "$(cat "/proc/$1/stat")" ] &&
		case $a in *"($2) S "*) ;; *) false ;; esac
}

# record_static "CMD" DIR: `CMD record` (a static flavour, maybe through a
# wrapper: qemu-user, the 3.10 filter) on this machine's /proc into DIR: a
# ring of at least two segments, one manual incident (--trigger-now, the
# other triggers off: this machine's own state decides nothing), SIGTERM;
# then CMD's info on DIR and on the incident.
record_static() {
	local cmd=$1 dir=$2 p
	$cmd record -D "$dir" -i 200ms --segment 1s --pre 1s --post 1s --no-mlock --trigger none \
		2> "$dir.log" &
	p=$!
	track $p
	_segments() { [ "$(ls "$dir/ring" 2>/dev/null | grep -c '^seg-')" -ge 2 ]; }
	wait_for 120 _segments
	run $cmd record --trigger-now -D "$dir"
	assert_rc 0 "record --trigger-now ($cmd)"
	_sealed() { ls "$dir/incidents" 2>/dev/null | grep -q '\.tar\.zst$'; }
	wait_for 120 _sealed
	kill -TERM $p
	wait $p || { cat "$dir.log" >&2; fail "$cmd record: exit status"; }
	run $cmd info "$dir"
	assert_rc 0 "$cmd info on the recorder's directory"
	grep -q "^incidents: *1" out || { cat out >&2; fail "$cmd info $dir: not one incident"; }
	run $cmd info "$dir"/incidents/*.tar.zst
	assert_rc 0 "$cmd info on the incident"
	grep -q "^incident: *manual at " out || { cat out >&2; fail "$cmd info: the incident's trigger"; }
}

# Chromium, headless (Debian's chromium): the report's browser tests.
# need_chromium: sets $CHROMIUM, or skips.  browse OUT NETLOG URL [FLAGS]:
# the page's DOM or a screenshot (as FLAGS ask) into OUT, its network log
# into NETLOG.  No traffic leaves the machine: every host resolves to
# nothing and the proxy is a closed local port.
need_chromium() {
	CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
	[ -n "$CHROMIUM" ] || skip "chromium is not installed (apt-get install chromium)"
}
browse() {
	local out=$1 netlog=$2 url=$3
	shift 3
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --disable-extensions \
		--proxy-server=127.0.0.1:9 --host-resolver-rules='MAP * ~NOTFOUND' \
		--user-data-dir="$SCRATCH/profile" --log-net-log="$netlog" "$@" "$url" > "$out" 2> chromium.err
}
