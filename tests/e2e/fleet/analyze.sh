#!/bin/sh
# analyze on the bundles of several hosts: each host loaded and analyzed on
# its own, the findings grouped across hosts by rule and entity; a bundle
# that cannot be read is listed with its error and the others go on (exit
# 1); -j changes nothing but the speed; JSON and TSV carry the host of
# every finding; bundles of one host, or a directory of them, stay the
# single-host analysis.
. "$SRC/tests/e2e/lib.sh"
# the rules' time limit is wall time: a loaded machine must not turn a
# finding into a timeout
NT="--rule-timeout 1h"
B=$SRC/samples/bundles
mkdir hosts
cp "$B/leak.tar.zst" "$B/frag.tar.zst" "$B/numa-remote.tar.zst" hosts/
echo 'not a bundle' > hosts/bad.tar.zst

run "$MEMSNAP" analyze $NT -j 2 hosts
assert_rc 1 "a bundle failed"
cp out fleet.txt
assert_line out "memsnap fleet: 4 hosts (3 analyzed, 1 failed), 2026-12-01 06:52 to 07:10 UTC"
# the three hosts: vm, and two VMs named "(none)" told apart by their boot ids
assert_line out "CRITICAL  fragmentation/high-order node 0 zone DMA32 on 1 of 4 hosts, onset 07:03 UTC"
assert_line out "WARNING   leak/process ms-leak8k on 1 of 4 hosts, onset 06:52 UTC"
assert_line out "WARNING   leak/mapping ms-mapleak anon on 1 of 4 hosts, onset 06:52 UTC"
assert_line out "INFO      numa/process-remote ms-numa-remote on 1 of 4 hosts, onset 06:59 UTC"
assert_line out "           (none)/d7e714eb"
assert_line out "vm                      6         0        6     0      120  06:52 to 07:02"
assert_line out "(none)/caadaa11         3         2        1     0      210  07:03 to 07:10"
assert_line out "(none)/d7e714eb         3         0        2     1      120  06:59 to 07:03"
assert_line out "vm                   +1.7 GiB  13676 (qemu-system-x86)"
assert_line out "  hosts/bad.tar.zst: not a memsnap bundle (no zstd frame at the start)"
assert_line out "summary: 12 findings (2 critical, 9 warning, 1 info) in 12 groups on 3 of 4 hosts; 'memsnap analyze BUNDLE' for a host's own findings"
assert_line err "memsnap: analyze: hosts/bad.tar.zst: not a memsnap bundle (no zstd frame at the start)"
# each host's database next to its bundle, as analyze makes for one
for h in leak frag numa-remote; do [ -f "hosts/$h.db" ] || fail "no hosts/$h.db"; done

# one at a time, the inputs named one by one in another order, the
# databases reused: the same report
run "$MEMSNAP" analyze $NT -j 1 hosts/numa-remote.tar.zst hosts/bad.tar.zst hosts/leak.tar.zst hosts/frag.tar.zst
assert_rc 1 "-j 1"
cmp -s out fleet.txt || { diff fleet.txt out; fail "-j 1 and the order of the inputs changed the report"; }

# JSON: one document; every finding carries its host (the cheaper rules)
ONLY="--only leak,numa/process-remote,fragmentation/compaction"
run "$MEMSNAP" analyze $NT -q hosts --format json $ONLY
assert_rc 1 "json"
grep -q '^	"format":	"memsnap-fleet",$' out || fail "json format name"
[ "$(grep -c '^			"hostname":	' out)" = 4 ] || fail "json: not 4 hosts"
[ "$(grep -c '^			"identity":	' out)" = 8 ] || fail "json: not 8 groups"
[ "$(grep -c '^			"entity_kind":	' out)" = 16 ] || fail "json: not 8 groups and 8 findings"
[ "$(grep -c '^			"host":	"' out)" = 12 ] || fail "json: not a host on each of the 4 hosts and 8 findings"
tr -d '\n' < out | grep -o '"findings":	\[.*' | grep -o '"host":	"[^"]*"' | sort | uniq -c |
	sed 's/^ *//' > hosts.count
assert_line hosts.count '6 "host":	"vm"'
assert_line hosts.count '1 "host":	"(none)/caadaa11"'
grep -q '"status":	"failed",' out || fail "json: the failed host"
grep -q '"error":	"hosts/bad.tar.zst: not a memsnap bundle (no zstd frame at the start)",' out ||
	fail "json: the failed host's error"

# TSV: a header, then the host before each finding (and each rule that did
# not judge)
run "$MEMSNAP" analyze $NT -q hosts --format tsv $ONLY
assert_rc 1 "tsv"
assert_line out "$(printf 'host\t%s' "$("$MEMSNAP" analyze -q hosts/leak.tar.zst --format tsv $ONLY | head -n 1)")"
awk -F'\t' 'NR > 1 && $2 ~ /^(critical|warning|info)$/ { print $1 }' out | sort | uniq -c | sed 's/^ *//' > got
printf '1 (none)/caadaa11\n1 (none)/d7e714eb\n6 vm\n' > want
cmp -s want got || { diff want got; fail "tsv: the findings' hosts"; }
grep -q "^(none)/d7e714eb	insufficient	leak/process	" out || fail "tsv: a rule that could not judge, with its host"

# --fail-on: 3 when nothing failed and a finding is at or above it
run "$MEMSNAP" analyze $NT -q hosts/leak.tar.zst hosts/frag.tar.zst --fail-on critical --only fragmentation
assert_rc 3 "--fail-on critical"
# usage: -o names one host's database; -j is a number
run "$MEMSNAP" analyze $NT hosts -o x.db
assert_rc 2 "-o with several hosts"
assert_line err "memsnap: analyze: -o names one host's database; for several hosts use 'memsnap load --into DB' and analyze DB"
run "$MEMSNAP" analyze $NT hosts -j 0
assert_rc 2 "-j 0"
grep -q "jobs" err || fail "-j 0: $(cat err)"
# a directory without bundles
mkdir empty
run "$MEMSNAP" analyze $NT empty
assert_rc 1 "empty directory"
assert_line err "memsnap: analyze: 'empty': no bundle in it (*.tar.zst, or a recorder's ring/)"
exit 0
