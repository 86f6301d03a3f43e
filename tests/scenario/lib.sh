# lib.sh - helpers for the scenario tests (sourced by tests/scenario/*.sh):
# run a reproduction from samples/scenarios/ with the real collector, for a
# shorter time than the recorded bundles, analyze what it recorded and
# check the findings about the scenario's own processes and cgroups (this
# machine's other processes are in the bundle too and are not judged here).
# Needs root (cgroups, swap); skips (77) otherwise.
. "$SRC/tests/e2e/lib.sh"
[ "$(id -u)" = 0 ] || skip "scenarios need root (memory cgroups, swap)"
[ -d /sys/fs/cgroup/memory ] || [ -f /sys/fs/cgroup/cgroup.controllers ] || skip "no memory cgroup"

# scenario NAME DURATION [collect options]: record, then analyze into `found`
# (TSV: severity, rule, entity kind, entity)
scenario() {
	name=$1 dur=$2
	shift 2
	bash "$SRC/samples/scenarios/$name.sh" -d "$dur" "$MEMSNAP" "$SCRATCH/$name.tar.zst" -- "$@" \
		> scenario.out 2>&1 || { tail -20 scenario.out >&2; fail "scenario $name failed"; }
	run_tsv "$MEMSNAP" analyze "$SCRATCH/$name.tar.zst" -o "$SCRATCH/$name.db" -q --format tsv
	[ "$rc" = 0 ] || [ "$rc" = 1 ] || { cat err >&2; fail "analyze exit $rc"; }
	assert_empty err
	cut -f1-4 out > found
}

# expect RULE ENTITY-REGEX: a finding of RULE whose entity matches
expect() {
	awk -F'\t' -v r="$1" -v e="$2" '$2 == r && $4 ~ e { ok = 1 } END { exit !ok }' found ||
		{ echo "--- found:" >&2; cat found >&2; fail "no $1 finding for /$2/"; }
}

# none REGEX: no finding of any rule names an entity matching REGEX
none() {
	! awk -F'\t' -v e="$1" '$4 ~ e { print; bad = 1 } END { exit !bad }' found >&2 ||
		fail "a control was flagged: /$1/"
}

# record_scenario NAME DURATION: run samples/scenarios/record-NAME.sh, the
# recorder's directory in $SCRATCH/rec; sets INCIDENT (the one sealed
# incident bundle; more than one fails)
record_scenario() {
	bash "$SRC/samples/scenarios/record-$1.sh" -d "$2" "$MEMSNAP" "$SCRATCH/rec" \
		> scenario.out 2>&1 || { tail -20 scenario.out >&2; fail "scenario record-$1 failed"; }
	n=$(ls "$SCRATCH/rec/incidents" | grep -c '\.tar\.zst$')
	[ "$n" = 1 ] || { ls -l "$SCRATCH/rec/incidents" >&2; cat "$SCRATCH/rec/record.log" >&2; fail "$n incidents, expected one"; }
	[ -z "$(ls "$SCRATCH/rec/incidents" | grep -v '\.tar\.zst$')" ] || fail "an unfinished incident is left"
	INCIDENT=$SCRATCH/rec/incidents/$(ls "$SCRATCH/rec/incidents")
}

# incident_samples: per sample of $INCIDENT, "WALL COPIED MISSED" (COPIED 1
# when it came from the ring, MISSED its missed ticks)
incident_samples() {
	for m in $(tar --zstd -tf "$INCIDENT" | grep '/meta$'); do
		tar --zstd -xOf "$INCIDENT" "$m" | awk '$1 == "wall" { w = $2 } $1 == "missed_ticks" { k = $2 }
			$1 == "copied_from" { c = 1 } END { print w, c + 0, k + 0 }'
	done
}
