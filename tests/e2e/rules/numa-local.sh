#!/bin/sh
# numa/ rules on the control recording samples/bundles/numa-local.tar.zst
# (samples/numa.md): two ms-numa-local, one per node, each with its CPU and
# its 1.2 GiB on its own node, both nodes about 80 % used, the same churn as
# numa-remote.  No rule may fire: the nodes' use differs by at most 2
# points, no allocation is remote, and every process's memory is local.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles/numa-local.tar.zst
[ -f "$B" ] || fail "$B is missing"
run_tsv "$MEMSNAP" analyze "$B" -o x.db -q --only numa --format tsv
assert_rc 0 "analyze --only numa"
assert_empty out
# every rule ran (status ok), on data it could use
run "$MEMSNAP" analyze "$B" -o x.db -q --only numa --format json
assert_rc 0 "analyze --format json"
assert_eq "$(grep -c '"status":[[:space:]]*"ok"' out)" 4 "numa rules that ran"
# the control is close to nothing: with the thresholds at their loosest the
# instances are found 100 % local (process-remote needs memory away)
run_tsv "$MEMSNAP" analyze "$B" -o x.db -q --only numa/process-remote --format tsv \
	--set numa/process-remote.min_remote=0 --set numa/process-remote.max_local=100
assert_rc 0 "analyze with loose process-remote thresholds"
assert_empty out
exit 0
