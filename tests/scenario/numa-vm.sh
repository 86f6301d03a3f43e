#!/bin/sh
# NUMA imbalance, reproduced in the two-node VM (samples/vm/numa-record.sh,
# about 8 minutes): on the new recordings the process running on node 0
# with its memory on node 1, node 1's exhaustion and the remote allocations
# are flagged; the control, with memory and CPUs on the same node, is not.
# Skips (77) where the VM cannot run (no qemu, no kernel package), unless
# MEMSNAP_REQUIRE=1 (.ci/run).
. "$SRC/tests/e2e/lib.sh"
STATIC=${MEMSNAP_STATIC:?MEMSNAP_STATIC must name the static collector}
bash "$SRC/samples/vm/numa-record.sh" -o "$SCRATCH" "$STATIC" "$MEMSNAP" > record.out 2>&1
rc=$?
if [ "$rc" = 77 ]; then
	[ "${MEMSNAP_REQUIRE:-0}" = 1 ] && tail -5 record.out >&2
	skip "the two-node VM cannot run here: $(tail -1 record.out)"
fi
[ "$rc" = 0 ] || { tail -30 record.out >&2; fail "numa-record.sh exit $rc"; }
run_tsv "$MEMSNAP" analyze "$SCRATCH/numa-remote.tar.zst" -o r.db -q --only numa --format tsv
assert_rc 0 "analyze numa-remote"
cut -f2,4 out > found
grep -qx "numa/node-skew	node 1" found || { cat found >&2; fail "no node skew on node 1"; }
grep -qx "numa/remote-alloc	system" found || { cat found >&2; fail "no remote allocations"; }
grep -q "^numa/process-remote	[0-9]* (ms-numa-remote)$" found || { cat found >&2; fail "ms-numa-remote not flagged"; }
run_tsv "$MEMSNAP" analyze "$SCRATCH/numa-local.tar.zst" -o l.db -q --only numa --format tsv
assert_rc 0 "analyze numa-local"
assert_empty out
exit 0
