#!/bin/sh
# Installing: `cmake --install` honours --prefix and DESTDIR; `cpack -G DEB`
# makes a .deb that dpkg installs on this machine; memsnap then runs from
# PATH (collect, info, analyze on what it collected; the static collector;
# man memsnap and a command's page; the completion files), and `dpkg -r`
# removes it: every file the package listed is gone, the package is not
# installed, and nothing else changed under the directories it used.
# Needs root and dpkg; not run where a memsnap package is already installed.
. "$SRC/tests/e2e/lib.sh"
need() {
	[ "${CI:-}" = true ] && fail "$1"
	skip "$1"
}
[ "$(id -u)" = 0 ] || need "installing a .deb needs root"
for tool in dpkg dpkg-deb dpkg-shlibdeps cpack man; do
	command -v $tool >/dev/null || need "$tool is missing (sh .ci/install-deps test installs it)"
done
BUILD=${BUILD:?BUILD must name the build directory}
[ -f "$BUILD/CPackConfig.cmake" ] || fail "no CPackConfig.cmake in $BUILD"
# one install at a time on this machine (other checkouts run this test too)
exec 9> /tmp/memsnap-deb-test.lock
flock 9
if dpkg-query -W -f='${Status}' memsnap 2>/dev/null | grep -q installed; then
	need "a memsnap package is already installed; not touching it"
fi

# --- cmake --install: prefix, then DESTDIR ---
cmake --install "$BUILD" --prefix "$SCRATCH/p" > install.log 2>&1 || { cat install.log; fail "cmake --install --prefix"; }
DESTDIR="$SCRATCH/dd" cmake --install "$BUILD" --prefix /opt/ms > install.log 2>&1 || { cat install.log; fail "DESTDIR install"; }
(cd p && find . -type f | sort) > prefix.files
(cd dd/opt/ms && find . -type f | sort) > destdir.files
diff prefix.files destdir.files > diff.out || { cat diff.out; fail "--prefix and DESTDIR install different files"; }
[ ! -e /opt/ms ] || fail "DESTDIR was not honoured: /opt/ms exists"
for f in bin/memsnap lib/memsnap/memsnap-static lib/memsnap/memsnap_stats.so \
	 share/man/man1/memsnap.1 share/bash-completion/completions/memsnap \
	 share/zsh/vendor-completions/_memsnap share/doc/memsnap/README.md share/doc/memsnap/cli.md; do
	grep -qx "./$f" prefix.files || fail "cmake --install did not install $f"
done
for cmd in $("$MEMSNAP" --list-commands); do
	grep -qx "./share/man/man1/memsnap-$cmd.1" prefix.files || fail "no man page for $cmd installed"
done
# the rules and the schema are in the program, not installed beside it
! grep -q '\.sql$' prefix.files || fail "SQL files installed: the rules and schema are embedded"
[ -f "$SRC/dist/memsnap-record.service" ] && { grep -qx ./lib/systemd/system/memsnap-record.service prefix.files || fail "the recorder's unit is not installed"; }
"$SCRATCH/p/bin/memsnap" --version > /dev/null || fail "the installed memsnap does not run"

# --- the .deb ---
cpack --config "$BUILD/CPackConfig.cmake" -G DEB -B "$SCRATCH/pkg" > cpack.log 2>&1 || { cat cpack.log; fail "cpack -G DEB"; }
deb=$(ls "$SCRATCH"/pkg/memsnap_*.deb)
[ -f "$deb" ] || fail "cpack made no memsnap_*.deb"
dpkg-deb -f "$deb" Package Architecture Depends > control
assert_line control "Package: memsnap"
assert_line control "Architecture: $(dpkg --print-architecture)"
grep -q '^Depends: .*libsqlite3' control || fail "the package does not depend on SQLite's library"
# what is under the package's directories before, to see that removal leaves them so
dirs="/usr/bin /usr/lib/memsnap /usr/share/man/man1 /usr/share/bash-completion/completions /usr/share/zsh/vendor-completions /usr/share/doc/memsnap"
snapshot() { for d in $dirs; do [ -d "$d" ] && find "$d" -mindepth 1 -maxdepth 1; done | sort; }
snapshot > before.ls
dpkg -i "$deb" > dpkg.log 2>&1 || { cat dpkg.log; dpkg -r memsnap >/dev/null 2>&1; fail "dpkg -i"; }
installed=1
trap 'if [ -n "$installed" ]; then dpkg -r memsnap >/dev/null 2>&1; fi; cleanup' EXIT
dpkg -L memsnap | sort > listed
# run from PATH, from a clean environment
p=$(env -i PATH=/usr/bin:/bin sh -c 'command -v memsnap')
assert_eq "$p" /usr/bin/memsnap "memsnap on PATH"
run env -i PATH=/usr/bin:/bin HOME="$SCRATCH" memsnap collect -n 2 -i 200ms -q -o c.tar.zst
assert_rc 0 "collect from PATH"
run env -i PATH=/usr/bin:/bin memsnap info c.tar.zst
assert_rc 0 "info from PATH"
assert_line out "end:         complete (count)"
run env -i PATH=/usr/bin:/bin memsnap analyze -q c.tar.zst
assert_rc 0 "analyze from PATH"
grep -q '^summary: [0-9]* findings' out || fail "analyze printed no summary"
run /usr/lib/memsnap/memsnap-static collect -n 2 -i 100ms -q -o s.tar.zst
assert_rc 0 "the installed static collector"
run env -i PATH=/usr/bin:/bin MANPAGER=cat MANWIDTH=80 man memsnap
assert_rc 0 "man memsnap"
grep -q '^NAME' out && grep -q 'memsnap - record' out || fail "man memsnap shows no page"
run env -i PATH=/usr/bin:/bin MANPAGER=cat man memsnap-analyze
assert_rc 0 "man memsnap-analyze"
grep -q -- '--fail-on' out || fail "man memsnap-analyze has no --fail-on"
bash -c '. /usr/share/bash-completion/completions/memsnap; COMP_WORDS=(memsnap an); COMP_CWORD=1; _memsnap; echo "${COMPREPLY[*]}"' > comp
assert_eq "$(cat comp)" analyze "the installed bash completion"

# --- dpkg -r: everything listed is gone, nothing else changed ---
dpkg -r memsnap > dpkg.log 2>&1 || { cat dpkg.log; fail "dpkg -r"; }
installed=
dpkg-query -W -f='${Status}\n' memsnap 2>/dev/null | grep -q ' installed' && fail "memsnap still installed after dpkg -r"
left=""
while read -r f; do
	[ -e "$f" ] && [ ! -d "$f" ] && left="$left $f"
done < listed
[ -z "$left" ] || fail "left after dpkg -r:$left"
[ ! -e /usr/lib/memsnap ] || fail "/usr/lib/memsnap left after dpkg -r"
snapshot > after.ls
diff before.ls after.ls > d || { cat d; fail "dpkg -r left the directories different from before the install"; }
dpkg --purge memsnap > /dev/null 2>&1
dpkg-query -W memsnap > /dev/null 2>&1 && fail "dpkg still knows memsnap after the purge"
exit 0
