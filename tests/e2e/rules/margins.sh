#!/bin/sh
# Margins: no recorded positive or control sits within 5 % of a threshold
# that decides it (samples/README.md, "Margins").  Every rule runs on every
# recorded bundle three times: with its defaults, with every deciding
# threshold moved 5 % the strict way (a positive must still be found) and
# 5 % the lenient way (a control must still not be); the findings (rule
# and entity) must be the same all three times.
#
# The thresholds, and which way is strict ("+": a larger value asks for
# more; "-": a smaller one does).  Left out, and why: counts (min_intervals,
# min_samples, min_buckets, min_points, min_captures, stuck_samples: 5 % of
# 3 is no measurement; the durations they come with are here), severity
# grades (crit_*, psi_*, critical_hours, warn_tte's crit_tte ...: they
# grade a finding, not whether it exists), and method settings (bucket
# sizes, quantization, change-point penalty, merge gaps, orphan naming is
# kept: it names the entity).  leak/shmem and leak/slab's slowest rise
# (1 MiB/h) is a constant of the meminfo_rise view: the leak bundle's
# Shmem rises 690 MiB/h, the slab bundle's SUnreclaim is a control at the
# defaults for its level, not its rise.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles

cat > thresholds <<'EOF'
leak/process min_minutes + p_suspect - p_likely - r2_suspect + r2_likely + min_saturation + p_tail - max_step_pct - min_growth + min_growth_pct + min_rate + short_minutes +
leak/mapping min_minutes + min_growth + min_growth_pct + min_rise_pct + min_saturation + p_max - min_rate +
leak/shmem min_minutes + p_suspect - p_likely - r2_suspect + r2_likely + min_saturation + min_growth + full_growth + full_growth_pct + full_hours - p_tail - orphan_pct - short_minutes +
leak/slab min_minutes + p_suspect - p_likely - r2_suspect + r2_likely + min_saturation + min_growth + level_pct + project_pct + horizon_days - horizon_factor - short_minutes +
numa/node-skew min_skew + min_free_pct - min_duration +
numa/process-remote min_remote + min_node_share + max_local - min_cpu_share +
numa/remote-alloc min_share + min_rate + interleave_max - min_duration +
numa/zone-reclaim min_other_free + min_free_pct - min_duration +
oom/available warn_frac - min_duration + min_window + p_max - min_fall + warn_tte -
oom/cgroup-limit near_frac + min_duration + min_window + p_max - min_rate + warn_tte -
oom/overcommit min_ratio + min_duration +
swap/filling max_used + min_seconds + min_minutes + p_max - min_saturation + min_growth_pct + min_rate + p_tail - warn_hours -
swap/process min_swap + thrash_majflt + min_seconds + min_minutes + p_max - min_saturation + min_growth + min_rate +
swap/storm min_pages + min_balance + min_seconds +
thrash/cgroup min_rate + min_turnover + min_evict + min_seconds +
thrash/system min_rate + min_turnover + min_evict + min_seconds +
fragmentation/compaction min_rate + min_fail +
fragmentation/high-order min_unusable + min_free_frac + min_duration + min_stall_rate + min_thp_rate + min_fallback +
EOF

# the defaults, from `memsnap rules`: "  NAME = VALUE UNIT" under "ID"
"$MEMSNAP" rules > rules.txt || fail "memsnap rules"

# sets WAY: --set arguments with every threshold moved 5 % (WAY strict or lenient)
sets() {
	while read -r id rest; do
		set -- $rest
		while [ $# -ge 2 ]; do
			v=$(awk -v id="$id" -v p="$1" '
				$0 == id || $0 ~ "^" id " " { inrule = 1; next }
				inrule && /^[^ ]/ { inrule = 0 }
				inrule && $1 == p && $2 == "=" { print $3; exit }' rules.txt)
			[ -n "$v" ] || fail "no default for $id.$1 in 'memsnap rules'"
			f=$(awk -v way="$WAY" -v d="$2" 'BEGIN { up = (way == "strict") == (d == "+"); print up ? 1.05 : 0.95 }')
			printf -- '--set %s.%s=%s\n' "$id" "$1" "$(awk -v v="$v" -v f="$f" 'BEGIN { printf "%.10g", v * f }')"
			shift 2
		done
	done < thresholds
}
WAY=strict sets > strict.args
WAY=lenient sets > lenient.args
[ "$(wc -l < strict.args)" -ge 80 ] || fail "too few thresholds read: $(wc -l < strict.args)"

# One known exception: slab.tar.zst was recorded while the old oom.sh ran,
# whose ms-nearlimit held 90.3 % of its limit (0.3 % above near_frac); it
# is another engineer's recording of the slab scenario (samples/slab.md),
# the finding is incidental there, and oom.tar.zst (re-recorded at 95 %)
# is the bundle that proves oom/cgroup-limit
printf 'slab\toom/cgroup-limit\t/process_api/1bd08824e53474833bc66cbbf89dfb98/ms-nearlimit\n' > exceptions

findings() { # BUNDLE NAME ARGS...
	b=$1 n=$2; shift 2
	run_tsv "$MEMSNAP" analyze "$B/$b.tar.zst" -o "$b.db" -q --format tsv "$@"
	assert_rc 0 "analyze $b $n"
	awk -F'\t' -v b="$b" 'FNR == NR { if ($1 == b) skip[$2 "\t" $3] = 1; next }
		!(($2 "\t" $4) in skip) { print $2 "\t" $4 }' exceptions out | sort > "$b.$n"
}
bad=""
for b in leak thrash swap oom numa-remote numa-local frag frag-oom frag-lowmem frag-cgroup2 slab; do
	[ -f "$B/$b.tar.zst" ] || fail "no $B/$b.tar.zst"
	findings "$b" default
	# shellcheck disable=SC2046
	findings "$b" strict $(cat strict.args)
	# shellcheck disable=SC2046
	findings "$b" lenient $(cat lenient.args)
	diff "$b.default" "$b.strict" >&2 || bad="$bad $b:strict"
	diff "$b.default" "$b.lenient" >&2 || bad="$bad $b:lenient"
done
[ -z "$bad" ] || fail "within 5 % of a threshold (strict: a positive; lenient: a control):$bad"
exit 0
