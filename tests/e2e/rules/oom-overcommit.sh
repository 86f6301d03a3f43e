#!/bin/sh
# oom/overcommit on the VM recordings of samples/frag/README.md: from t=10 s
# to t=100 s vm.overcommit_memory is 2 and ms-commit holds 95 % of
# CommitLimit (217.5 of 228.9 MiB) in an untouched mapping; then the mode
# goes back to 0 and ms-eater drives Committed_AS to 175 % of CommitLimit,
# which mode 0 does not enforce.  Both bundles: one warning for the 88 s at
# 95 %, none for the later 175 %.  No finding on the host recordings
# (mode 0) and the other VM recordings (mode 0).
. "$SRC/tests/e2e/lib.sh"
B=$SRC/samples/bundles
TAB=$(printf '\t')
findings() {
	b=$1; shift
	[ -f "$B/$b.tar.zst" ] || fail "bundle $b.tar.zst is missing"
	run_tsv "$MEMSNAP" analyze "$B/$b.tar.zst" -o "$b.db" -q --only oom/overcommit --format tsv "$@"
	assert_rc 0 "analyze $b $*"
	cut -f1-4 out | sort > got
}
expect() { printf '%s\n' "$@" | sed '/^$/d' | sort > want; diff want got >&2 || fail "findings"; }
R="oom/overcommit${TAB}system${TAB}system"

for b in frag-lowmem frag-oom; do
	findings "$b"
	expect "warning${TAB}$R"
	assert_eq "$(cut -f8 out)" "vm.overcommit_memory = 2 (strict) and Committed_AS stayed at 90 % or more of CommitLimit for 88 s, up to 95.0 % (217.5 of 228.9 MiB): allocations fail with ENOMEM at 100 %. Largest VmData at the end: 173 (ms-commit) 201 MiB; 164 (memsnap-static) 5 MiB; 165 (memsnap-static) 5 MiB." "$b message"
done
# the mode is taken at each sample: with mode 0 from t=100 s the eater's
# 175 % is not reported, so the finding ends at 07:12:45
assert_eq "$(cut -f6 out)" "2026-12-01T07:12:45Z" "end of the strict phase"
findings frag-oom --set oom/overcommit.crit_ratio=0.95
expect "critical${TAB}$R"
findings frag-oom --set oom/overcommit.min_ratio=0.96
expect ""
findings frag-oom --set oom/overcommit.min_duration=90
expect ""

for b in leak thrash swap oom frag frag-cgroup2 numa-local numa-remote; do
	findings "$b"
	expect ""
done
exit 0
