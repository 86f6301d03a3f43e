#!/bin/sh
# numa/ rules on the two-node VM recording samples/bundles/numa-remote.tar.zst
# (samples/numa.md): ms-numa-remote runs on CPU 0 (node 0) while its memory
# is on node 1 (256 MiB first-touched from CPU 1, then MPOL_BIND node 1 until
# node 1 is down to its watermarks, then MPOL_PREFERRED node 1 spilling to
# node 0), churning 16 MiB/s of both.  Expected: node 1 full while node 0 is
# free (node-skew), remote allocations with node 1 collecting numa_foreign
# (remote-alloc), and ms-numa-remote misplaced (process-remote: info, as its
# first-touch memory is left alone by automatic NUMA balancing, which is on,
# and the rest is bound there by policy).  zone_reclaim_mode is 0: no
# zone-reclaim finding.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles/numa-remote.tar.zst
[ -f "$B" ] || fail "$B is missing"

findings() { # the findings' severity, rule, entity kind and entity, sorted
	cut -f1-4 out | sort > got
}

run_tsv "$MEMSNAP" analyze "$B" -o x.db -q --only numa --format tsv
assert_rc 0 "analyze --only numa"
findings
cat > want <<'EOF'
info	numa/process-remote	process	159 (ms-numa-remote)
warning	numa/node-skew	node	node 1
warning	numa/remote-alloc	system	system
EOF
diff want got || fail "numa findings on numa-remote differ"

# the numbers behind them
msg() { grep -F "	$1	" out | cut -f8; }
msg numa/node-skew | grep -q '^node 1 was full for .* while node 0 had [0-9]* % free' ||
	fail "node-skew message: $(msg numa/node-skew)"
msg numa/remote-alloc | grep -q 'node 1 collected 100 % of numa_foreign' ||
	fail "remote-alloc message: $(msg numa/remote-alloc)"
m=$(msg numa/process-remote)
echo "$m" | grep -q '^159 (ms-numa-remote) runs on node 0 (Cpus_allowed_list 0) while 1\.[0-9]* GiB of its ' ||
	fail "process-remote message: $m"
echo "$m" | grep -q ': 256 MiB by first touch (default policy), which automatic NUMA balancing left there' ||
	fail "process-remote: the first-touch part: $m"
echo "$m" | grep -q 'MiB by explicit policy (bind:1 prefer:1), a configuration\.$' ||
	fail "process-remote: the policy part: $m"

run "$MEMSNAP" analyze "$B" -o x.db -q --only numa --format json
assert_rc 0 "analyze --format json"
ev() { grep -Eq "\"$1\":[[:space:]]*$2(,|$)" out || { grep "\"$1\"" out >&2; fail "evidence $1 is not $2"; }; }
ev full_node 1                # remote-alloc: numa_foreign all on node 1
ev freest_node 0              # node-skew
ev home_node 0                # process-remote
ev remote_first_touch_mib 256
ev numa_balancing 1
ev zone_reclaim_mode 0

# the size threshold is min(min_remote, min_node_share of the home node):
# 10 % of node 0's 1511 MiB here; ms-numa-remote has 1.39 GiB away
run_tsv "$MEMSNAP" analyze "$B" -o x.db -q --only numa/process-remote --format tsv \
	--set numa/process-remote.min_remote=2048 --set numa/process-remote.min_node_share=100
assert_rc 0 "analyze with a threshold above the process"
assert_empty out
run_tsv "$MEMSNAP" analyze "$B" -o x.db -q --only numa/process-remote --format tsv \
	--set numa/process-remote.min_remote=1024 --set numa/process-remote.min_node_share=100
assert_rc 0 "analyze with the absolute threshold only"
findings
assert_eq "$(cat got)" "info	numa/process-remote	process	159 (ms-numa-remote)" "1 GiB threshold"

# sustained: node 1 is full for about 200 s, the spill lasts about 190 s
run_tsv "$MEMSNAP" analyze "$B" -o x.db -q --only numa/node-skew,numa/remote-alloc --format tsv \
	--set numa/node-skew.min_duration=600 --set numa/remote-alloc.min_duration=600
assert_rc 0 "analyze with 10-minute episodes"
assert_empty out
exit 0
