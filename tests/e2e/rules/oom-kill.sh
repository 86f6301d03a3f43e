#!/bin/sh
# oom/kill on real OOM kills:
#   oom.tar.zst          (host, cgroup v1, samples/README.md) ms-oomer,
#                        pid 21670, is killed by its 64 MiB cgroup's OOM
#                        killer between samples 44 and 45: one critical
#                        finding for its cgroup, naming it; vmstat oom_kill
#                        rose too, but the cgroup claims that kill, so there
#                        is no system finding
#   frag-oom.tar.zst     (VM, samples/frag/README.md) the global OOM killer
#                        kills ms-eater, pid 199, between samples 263 and
#                        264: one critical finding for the system, naming it
#                        (dmesg: "Killed process 199 (ms-eater)")
#   frag-cgroup2.tar.zst (VM, cgroup v2) ms-oomer is killed by its 64 MiB
#                        cgroup's OOM killer: memory.events oom_kill rises
#                        in /ms-jobs/ms-oomer and in its parent /ms-jobs;
#                        only the child is reported
# No finding where nothing was killed: frag-lowmem.tar.zst ends before the
# kill, and the host and other VM recordings have none.
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles
TAB=$(printf '\t')
findings() {
	b=$1; shift
	[ -f "$B/$b.tar.zst" ] || fail "bundle $b.tar.zst is missing"
	run_tsv "$MEMSNAP" analyze "$B/$b.tar.zst" -o "$b.db" -q --only oom/kill --format tsv "$@"
	assert_rc 0 "analyze $b $*"
	cut -f1-4 out | sort > got
}
expect() { printf '%s\n' "$@" | sed '/^$/d' | sort > want; diff want got >&2 || fail "findings"; }

findings oom
expect "critical${TAB}oom/kill${TAB}cgroup${TAB}/process_api/fd118acce76c04ccd799bcbdd76a4e90/ms-oomer"
assert_eq "$(cut -f5,6 out)" "2026-12-06T17:34:26Z${TAB}2026-12-06T17:34:27Z" "kill interval (samples 44-45)"
assert_eq "$(cut -f8 out)" "1 OOM kill in this cgroup between two samples (usage 62.4 MiB of its 64.0 MiB limit at the last sample before); victim 21670 (ms-oomer), last seen with 63.5 MiB RSS (peak 63.5 MiB), oom_score 668." "oom message"
run "$MEMSNAP" analyze "$B/oom.tar.zst" -o oom.db -q --only oom/kill --format json
assert_rc 0 "analyze oom json"
grep -q '"victim_pid":[[:space:]]*21670' out || fail "victim_pid evidence: $(grep victim out)"

findings frag-oom
expect "critical${TAB}oom/kill${TAB}system${TAB}system"
assert_eq "$(cut -f8 out)" "1 OOM kill counted in /proc/vmstat (oom_kill) between two samples, in no memory cgroup below the root; likely victim 199 (ms-eater), of the processes that vanished then the one with the highest oom_score (1234), last seen with 388.9 MiB RSS (peak 388.9 MiB) (4 vanished)." "frag-oom message"

findings frag-cgroup2
expect "critical${TAB}oom/kill${TAB}cgroup${TAB}/ms-jobs/ms-oomer"
cut -f8 out | grep -q '^1 OOM kill in this cgroup between two samples (usage [0-9.]* MiB of its 64.0 MiB limit at the last sample before); victim [0-9]* (ms-oomer), last seen with [0-9.]* MiB RSS' ||
	fail "frag-cgroup2 message: $(cut -f8 out)"

for b in frag-lowmem leak thrash swap frag numa-local numa-remote; do
	findings "$b"
	expect ""
done
exit 0
