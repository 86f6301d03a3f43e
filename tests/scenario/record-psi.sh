#!/bin/sh
# Memory pressure while `memsnap record` runs with only the psi trigger on
# (5 %): a process swapping in a 64 MiB cgroup stalls the host; exactly one
# incident, started by psi (from the kernel's PSI trigger or avg10), with
# --pre minus one interval before it.
. "$SRC/tests/scenario/lib.sh"
[ -n "$(command -v mkswap)" ] && [ -n "$(command -v swapon)" ] || skip "mkswap and swapon"
record_scenario psi 2m
tar --zstd -xOf "$INCIDENT" memsnap.header | grep -qx 'incident_trigger psi' || fail "the incident's trigger is not psi"
tar --zstd -xf "$INCIDENT" --wildcards '*/trigger' -O > trig
grep -q '^psi [0-9.]* source=\(kernel\|avg10\)\( full_avg10=[0-9.]*\)\? threshold=5$' trig || { cat trig; fail "no psi line"; }
t=$(awk '$1 == "psi" { print $2; exit }' trig)
incident_samples > samples
# --pre's 20 s, or all the recorder had when the host's pressure came
# sooner than the swapper's (a busy machine's own stalls)
seg=$(ls "$SCRATCH/rec/ring/"*.tar.zst | head -n 1)
w0=$(tar --zstd -xOf "$seg" 000001/meta | awk '$1 == "wall" { print $2 }')
awk -v t="$t" -v w0="$w0" 'NR == 1 && t - $1 < 20 - (1 + $3) && $1 - w0 > 0.001 {
		print "the first sample is " t - $1 " s before the trigger"; bad = 1 }
	END { exit bad }' samples || { cat samples; fail "the incident's samples"; }
exit 0
