#!/bin/sh
# numa/ rules on the other two-node VM recordings, the fragmentation
# scenarios (samples/bundles/frag*.tar.zst, 2 s interval): memory fills the
# whole VM, node 1 first.  Node 1 is under its high watermark with node 0
# about 50 % free for 14 s only, then node 0 fills as well: a shortage of
# the whole host (the oom/ and fragmentation/ rules' matter), not a NUMA
# imbalance.  Remote allocations reach 20-24 % but at about 240 pages/s.
# No numa finding.
. "$SRC/tests/e2e/lib.sh"
for b in frag frag-lowmem frag-oom; do
	f=$SRC/samples/bundles/$b.tar.zst
	[ -f "$f" ] || fail "no samples/bundles/$b.tar.zst"
	"$MEMSNAP" info "$f" | grep -q '^host: .*, 2 NUMA nodes, ' || fail "$b is not a two-node recording"
	run_tsv "$MEMSNAP" analyze "$f" -o "$b.db" -q --only numa --format tsv
	assert_rc 0 "analyze $b"
	assert_empty out
done
# the near miss: node 1 full and 30 points above node 0 for 14 s (8 samples)
run_tsv "$MEMSNAP" analyze "$SRC/samples/bundles/frag-oom.tar.zst" -o frag-oom.db -q \
	--only numa/node-skew --format tsv --set numa/node-skew.min_duration=14
assert_rc 0 "analyze frag-oom, 14 s episodes"
assert_eq "$(cut -f1-4 out)" "warning	numa/node-skew	node	node 1" "frag-oom node-skew at 14 s"
run_tsv "$MEMSNAP" analyze "$SRC/samples/bundles/frag-oom.tar.zst" -o frag-oom.db -q \
	--only numa/node-skew --format tsv --set numa/node-skew.min_duration=15
assert_rc 0 "analyze frag-oom, 15 s episodes"
assert_empty out
exit 0
