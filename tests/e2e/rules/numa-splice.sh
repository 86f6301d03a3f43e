#!/bin/sh
# numa-splice.sh: time series made from the real two-node fixture
# (tests/fixtures/numa-2node-6.1/t0), for the numa-synthetic-*.sh tests,
# which source it with NUMA_SPLICE_LIB=1 (functions only).  For each sample
# a copy of the tree is changed the way a case needs (counters that rise, a
# sysctl, a policy column), collected with --proc-root/--sys-root (one sample, every tier),
# and the samples are spliced into one bundle STEP seconds apart: sample
# numbers and clocks in each meta rewritten, the records the collector's
# own, members in the bundle's order, tar (ustar) + zstd.
#
# Run as a test, it checks the splice itself: three samples 10 s apart load
# as three complete samples 10 s apart, with the counters each tree had and
# no load error.
#
# The fixture: PID 151 (numa_hog) pinned to CPU 1 (node 1), 409 MiB of its
# 551 MiB anonymous memory on node 0 by bind:0 and prefer:0; node 0 under
# its high watermark (6.5 % free), node 1 66 % free.
[ -n "${NUMA_SPLICE_LIB:-}" ] || . "$SRC/tests/e2e/lib.sh"
FX=$FIXTURES/numa-2node-6.1/t0
[ -d "$FX/proc" ] || fail "fixture $FX is missing"
N=$FX/sys/devices/system/node

# tree K: a copy of the fixture for sample K
tree() { rm -rf "tree$1" && cp -R "$FX" "tree$1" || fail "copy the fixture"; }
# counter FILE KEY VALUE: set "KEY N" lines (vmstat, numastat)
counter() {
	awk -v k="$2" -v v="$3" '$1 == k { $2 = v } { print }' "$1" > "$1.new" && mv "$1.new" "$1" ||
		fail "set $2 in $1"
}

# splice OUT STEP K [same]: samples tree1..treeK, STEP seconds apart, into
# OUT; with "same", K copies of tree1's sample (a series that does not move)
splice() {
	out=$1 step=$2 k=$3 same=${4:-}
	rm -rf sp && mkdir sp sp/out || fail "mkdir sp"
	i=0
	while [ $i -lt "$k" ]; do
		i=$((i + 1))
		if [ -n "$same" ] && [ $i -gt 1 ]; then
			cp -R sp/1 "sp/$i" && cp sp/1.tar.zst "sp/$i.tar.zst" || fail "copy sample 1"
			continue
		fi
		"$MEMSNAP" collect --proc-root "tree$i/proc" --sys-root "tree$i/sys" -n 1 -i 100ms --cpu-budget 100 -q -o "sp/$i.tar.zst" ||
			fail "collect tree$i"
		mkdir "sp/$i" && tar --zstd -xf "sp/$i.tar.zst" -C "sp/$i" || fail "extract sample $i"
	done
	cp sp/1/memsnap.header sp/out/ || fail "header"
	list=memsnap.header
	w0=$(sed -n 's/^wall //p' sp/1/000001/meta)
	m0=$(sed -n 's/^mono //p' sp/1/000001/meta)
	i=0
	while [ $i -lt "$k" ]; do
		i=$((i + 1))
		s=$(printf '%06d' $i)
		mkdir "sp/out/$s" || fail "mkdir"
		if [ $i = 1 ]; then cp sp/1/000001/host "sp/out/$s/host" && list="$list $s/host"; fi
		for m in t0 t1 t2; do
			[ -f "sp/$i/000001/$m" ] || continue
			cp "sp/$i/000001/$m" "sp/out/$s/$m" && list="$list $s/$m"
		done
		awk -v i=$i -v step="$step" -v w0="$w0" -v m0="$m0" '
			function at(base, off) { return sprintf("%.6f", base + (i - 1) * step + off) }
			$1 == "sample" { print "sample " i; next }
			$1 == "wall" { print "wall " at(w0, 0); next }
			$1 == "mono" || $1 == "boot" { print $1 " " at(m0, 0); next }
			$1 == "wall_end" { print "wall_end " at(w0, 0.001); next }
			$1 == "mono_end" { print "mono_end " at(m0, 0.001); next }
			{ print }' "sp/$i/000001/meta" > "sp/out/$s/meta" || fail "meta $i"
		list="$list $s/meta"
	done
	sed "s/^samples .*/samples $k/" "sp/$k/memsnap.trailer" > sp/out/memsnap.trailer
	list="$list memsnap.trailer"
	# shellcheck disable=SC2086 # the member list is words by design
	(cd sp/out && tar --format=ustar -cf - $list) | zstd -q > "$out" || fail "pack $out"
	assert_eq "$("$MEMSNAP" info "$out" | sed -n 's/^samples: *\([0-9]*\) complete.*/\1/p')" "$k" "samples in $out"
}
# analyze BUNDLE [ARGS]: the numa findings (severity, rule, kind, entity) in got
analyze() {
	b=$1
	shift
	run_tsv "$MEMSNAP" analyze "$b" -o "${b%.tar.zst}.db" -q --only numa --format tsv "$@"
	assert_rc 0 "analyze $b"
	cut -f1-4 out | sort > got
}
expect() { # CASE LINE...: got holds exactly these lines
	c=$1
	shift
	: > want
	for l in "$@"; do echo "$l" >> want; done
	sort want > want.s
	diff want.s got || fail "$c: findings differ"
}
SKEW0="warning	numa/node-skew	node	node 0"

# sourced: the functions only
[ -z "${NUMA_SPLICE_LIB:-}" ] || return 0

for i in 1 2 3; do
	tree $i
	counter "tree$i/proc/vmstat" pgfault $((1000000 + i * 777))
done
splice s.tar.zst 10 3
run "$MEMSNAP" load s.tar.zst -o s.db -q
assert_rc 0 "load the spliced bundle"
q() { "$MEMSNAP" query s.db "$1" --csv | tail -n +2; }
assert_eq "$(q 'SELECT complete_samples, truncated, corrupt, clean_end FROM load_info')" "3,0,0,1" "load_info"
assert_eq "$(q 'SELECT count(*) FROM load_error')" 0 "load errors"
assert_eq "$(q 'SELECT group_concat(round(mono - (SELECT min(mono) FROM sample)), " ") FROM (SELECT mono FROM sample ORDER BY id)')" \
	"0.0 10.0 20.0" "sample clocks"
assert_eq "$(q "SELECT group_concat(value, ' ') FROM (SELECT value FROM vmstat WHERE key = 'pgfault' ORDER BY sample)")" \
	"1000777 1001554 1002331" "pgfault of each tree"
assert_eq "$(q 'SELECT count(DISTINCT sample) FROM numa_mapping')" 3 "numa_maps in every sample"
assert_eq "$(q 'SELECT count(*) FROM process')" 2 "processes (one identity across samples)"
exit 0
