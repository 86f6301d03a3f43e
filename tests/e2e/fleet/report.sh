#!/bin/sh
# report on several hosts: FILE is the fleet page (findings across hosts,
# hosts x findings, the growth, what failed) and each host's own report is
# written next to it and linked; every page is 0600 and fetches nothing.
. "$SRC/tests/e2e/lib.sh"
# the rules' time limit is wall time: a loaded machine must not turn a
# finding into a timeout
NT="--rule-timeout 1h"
B=$SRC/samples/bundles
mkdir hosts pages
cp "$B/leak.tar.zst" "$B/numa-remote.tar.zst" hosts/
echo 'not a bundle' > hosts/bad.tar.zst
ONLY="--only leak,numa"
run "$MEMSNAP" report $NT hosts -o pages/fleet.html $ONLY
assert_rc 1 "a bundle failed"
assert_line err "memsnap: report: hosts/bad.tar.zst: not a memsnap bundle (no zstd frame at the start)"
assert_line err "memsnap: report: wrote pages/fleet.html and 2 host reports next to it: 9 findings (0 critical, 8 warning, 1 info) in 9 groups"
ls pages > files
assert_line files "fleet.html"
assert_line files "fleet-vm.html"
assert_line files "fleet-_none_.html"
[ "$(wc -l < files)" = 3 ] || fail "not three pages: $(cat files)"
for f in pages/*.html; do
	[ "$(stat -c %a "$f")" = 600 ] || fail "$f is not 0600"
	grep -q 'Content-Security-Policy" content="default-src '"'"'none'"'" "$f" || fail "$f: no policy"
	assert_no_match "$f" 'src="http\|href="http'
done
P=pages/fleet.html
grep -q '<h1>memsnap fleet: 3 hosts</h1>' $P || fail "fleet page heading"
grep -q '<dt>hosts</dt><dd>2 analyzed, 1 failed</dd>' $P || fail "hosts line"
# a group: its rule and entity, its hosts linked to their own reports
grep -q '<td class="ent l">leak/process ms-leak8k<br><a href="fleet-vm.html#findings">vm</a></td><td data-v="1">1 of 3</td>' $P ||
	fail "the leak/process ms-leak8k group"
# hosts x findings: one row per host that ran, linked; nine group columns
[ "$(grep -o '<tr><td class="l"><a href="fleet-[^"]*.html">' $P | wc -l)" = 2 ] || fail "a matrix row per host"
grep -q '<tr><td data-v="1779326976">+1.7 GiB</td><td class="l"><a href="fleet-vm.html">vm</a></td><td class="ent l">13676 (qemu-system-x86)</td></tr>' $P ||
	fail "vm's growth"
[ "$(grep -o '<th title="[^"]*">[0-9]*</th>' $P | wc -l)" = 9 ] || fail "nine group columns"
grep -q '<th title="numa/process-remote ms-numa-remote">' $P || fail "a column's title"
grep -q '<li class="bad">hosts/bad.tar.zst: not a memsnap bundle (no zstd frame at the start)</li>' $P ||
	fail "the failed bundle"
# each host's page is its own report
grep -q '<h1>memsnap report: vm</h1>' pages/fleet-vm.html || fail "vm's page"
grep -q 'data-rule="numa/process-remote"' pages/fleet-_none_.html || fail "the other host's finding"
# the default name: the directory's, with .html
rm hosts/bad.tar.zst
run "$MEMSNAP" report $NT -q hosts $ONLY
assert_rc 0 "default name"
[ -f hosts.html ] && [ -f hosts-vm.html ] || fail "hosts.html and hosts-vm.html: $(ls)"
exit 0
