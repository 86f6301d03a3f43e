#!/bin/sh
# leak/shmem on the recorded bundles (samples/README.md): the orphaned
# /dev/shm file of leak.tar.zst (+119 MiB at 12 MiB/min, mapped by no
# process), charged to the scenario's memory cgroup; nothing on the other
# bundles.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles
[ -f "$B/leak.tar.zst" ] || fail "no $B/leak.tar.zst"

run_tsv "$MEMSNAP" analyze "$B/leak.tar.zst" -o x.db -q --only leak/shmem --format tsv
assert_rc 0 "analyze leak.tar.zst"
cut -f1-4 out > got
echo "warning	leak/shmem	system	Shmem (orphaned)" > want
diff want got >&2 || fail "leak/shmem on leak.tar.zst: the findings differ (want, got)"
# 12 MiB/min = 720 MiB/h; 115 MiB between the first and the last bucket
[ "$(cut -f7 out)" = 720 ] || fail "rate: $(cut -f7 out)"
grep -q "grew 115 MiB in 10 min, from 12 MiB to 127 MiB (720 MiB/h" out || fail "message: $(cat out)"
grep -q "no process maps it" out || fail "not called orphaned"
grep -q "charged to memory cgroup /process_api/1bd08824e53474833bc66cbbf89dfb98 " out || fail "cgroup"

# mapped shared memory is not orphaned: with orphan_pct 0 nothing is, and
# the finding names the processes instead
run_tsv "$MEMSNAP" analyze "$B/leak.tar.zst" -o x.db -q --only leak/shmem --format tsv \
	--set leak/shmem.orphan_pct=0
assert_rc 0 "analyze with orphan_pct=0"
[ "$(cut -f4 out)" = "Shmem" ] || fail "entity with orphan_pct=0: $(cut -f4 out)"
grep -q "mapped by processes" out || fail "mapped wording"

# the first 4 minutes (40 % of the bytes) are below the 5-minute floor
size=$(wc -c < "$B/leak.tar.zst")
head -c $((size * 40 / 100)) "$B/leak.tar.zst" > early.tar.zst
run_tsv "$MEMSNAP" analyze early.tar.zst -o early.db -q --only leak/shmem --format tsv
assert_rc 0 "analyze the first 40 %"
assert_empty out

for b in thrash swap oom frag frag-lowmem frag-oom numa-remote numa-local slab; do
	[ -f "$B/$b.tar.zst" ] || fail "no samples/bundles/$b.tar.zst: every control is a recorded bundle"
	for floor in 5 2; do
		run_tsv "$MEMSNAP" analyze "$B/$b.tar.zst" -o "$b.db" -q --only leak/shmem --format tsv \
			--set leak/shmem.min_minutes=$floor
		assert_rc 0 "analyze $b.tar.zst (min_minutes=$floor)"
		[ ! -s out ] || { cat out >&2; fail "leak/shmem on $b.tar.zst (min_minutes=$floor)"; }
	done
done
exit 0
