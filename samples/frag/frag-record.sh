#!/bin/bash
# frag-record.sh: record the fragmentation and low-memory sample bundles in
# the small two-node VM of tests/vm (Debian's 6.1 kernel under qemu TCG,
# 256 MiB per node), where memory is small enough to fragment and exhaust.
#
#   samples/frag/frag-record.sh [-o DIR] [-w DIR] [-s SCENARIO]... MEMSNAP_STATIC
#
#   frag    -> DIR/frag.tar.zst: THP faults on unfragmented memory, then
#              pipe pages pin every pageblock and THP faults stall in
#              compaction that fails (collect -i 2s -n 210)
#   lowmem  -> DIR/frag-lowmem.tar.zst and DIR/frag-oom.tar.zst: overcommit
#              at 95 % of CommitLimit under vm.overcommit_memory=2, then
#              MemAvailable eaten down to 2.5 % (where the lowmem bundle
#              ends) and on to a global OOM kill (the oom bundle goes on
#              20 s past it) (collect -i 2s, stopped by signal)
#   cgroup2 -> DIR/frag-cgroup2.tar.zst: cgroup v2 memory cgroups: one near
#              its limit, one growing, one killed by its own OOM killer
#              (collect -i 2s -n 120: 4 minutes, well below the 5 the
#              leak rules need, so that the growing one is not judged)
# (what each phase does: frag-guest.sh; what the bundles hold: README.md)
#
# Options:
#   -o DIR       where the bundles go (default: samples/bundles of this tree)
#   -w DIR       keep the work dir (VM console, guest logs) in DIR (default:
#                a temporary dir, removed on success, kept on failure)
#   -s SCENARIO  record only this one (frag, lowmem, cgroup2); repeatable
# Env: MEMSNAP_VM_CACHE (see tests/vm/build.sh).
# Exit status: 0 recorded; 1 a VM run failed or a bundle is missing or over
# 2 MiB; 2 usage; 77 the VM cannot run here (tests/vm/build.sh --install-deps).
# Takes about 7.5 minutes (frag), 10 minutes (lowmem) and 5.5 minutes
# (cgroup2) on a 2-core box.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
say() { echo "frag-record: $*"; }
usage() { sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }

OUTDIR=$ROOT/samples/bundles
WORKARG=
SCEN=()
while [ $# -gt 0 ]; do
    case "$1" in
    -o) OUTDIR=$2; shift 2 ;;
    -w) WORKARG=$2; shift 2 ;;
    -s) case "$2" in frag|lowmem|cgroup2) SCEN+=("$2") ;; *) say "unknown scenario $2"; usage ;; esac; shift 2 ;;
    -h|--help) usage ;;
    -*) say "unknown option $1"; usage ;;
    *) break ;;
    esac
done
[ $# -eq 1 ] || usage
STATIC=$(readlink -f "$1")
[ -x "$STATIC" ] || { say "$1 is not an executable"; exit 2; }
if ldd "$STATIC" >/dev/null 2>&1; then say "$STATIC is dynamically linked; pass memsnap-static"; exit 2; fi
[ ${#SCEN[@]} -gt 0 ] || SCEN=(frag lowmem cgroup2)
mkdir -p "$OUTDIR" || exit 1
OUTDIR=$(cd "$OUTDIR" && pwd)
if [ -n "$WORKARG" ]; then
    mkdir -p "$WORKARG" || exit 1
    WORK=$(cd "$WORKARG" && pwd) KEEP=1
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/memsnap-frag-record.XXXXXX") KEEP=0
fi
CHILD=
finish() {
    rc=$?
    if [ -n "$CHILD" ]; then kill "$CHILD" 2>/dev/null; wait "$CHILD" 2>/dev/null; fi
    rm -f "$OUTDIR"/.frag*.tar.zst.tmp
    if [ "$KEEP" = 0 ] && [ "$rc" = 0 -o "$rc" = 77 ]; then rm -rf "$WORK"
    elif [ "$rc" != 0 ]; then say "work dir kept: $WORK"
    fi
}
trap finish EXIT
trap 'say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM

NODE_MB=256
# --cpu-budget 10: under TCG tier 0 alone costs ~25 ms per tick
COMMON="-i 2s --rollup-interval 10s --smaps-interval 5m --cpu-budget 10"
command -v gcc >/dev/null || { say "gcc is missing"; exit 77; }
gcc -O2 -Wall -Wextra -static -o "$WORK/ms_frag" "$HERE/ms_frag.c" \
    || { say "compiling ms_frag.c failed (gcc, libc6-dev with libc.a)"; exit 1; }

for sc in "${SCEN[@]}"; do
    case $sc in
    frag) args="$COMMON -n 210" bundles="frag.tar.zst" limit=600 ;;
    lowmem) args="$COMMON" bundles="frag-lowmem.tar.zst frag-oom.tar.zst" limit=900 ;;
    cgroup2) args="$COMMON -n 120" bundles="frag-cgroup2.tar.zst" limit=500 ;;
    esac
    say "$sc: booting the VM (${NODE_MB} MiB per node)"
    bash "$ROOT/tests/vm/run.sh" -q -o "$WORK/vm-$sc" -t $((limit + 60)) -T "$limit" --node-mb "$NODE_MB" \
        -f "$STATIC" -f "$WORK/ms_frag" "$HERE/frag-guest.sh" "$sc" "$args" &
    CHILD=$!
    wait "$CHILD"; rrc=$?
    CHILD=
    case "$rrc" in
    0) ;;
    3) say "the VM cannot be prepared here (tests/vm/build.sh --install-deps)"; exit 77 ;;
    *) say "$sc: the VM run failed (run.sh exit $rrc); see $WORK/vm-$sc/_vm/console.log"
       KEEP=1; exit 1 ;;
    esac
    grep '^guest: ' "$WORK/vm-$sc/_vm/prog.stdout" | sed 's/^/    /'
    for b in $bundles; do
        [ -s "$WORK/vm-$sc/$b" ] || { say "$sc: no $b came back"; KEEP=1; exit 1; }
        size=$(stat -c %s "$WORK/vm-$sc/$b")
        if [ "$size" -ge $((2 << 20)) ]; then
            say "$sc: $b is $size bytes, over the 2 MiB limit for samples"; KEEP=1; exit 1
        fi
        cp "$WORK/vm-$sc/$b" "$OUTDIR/.$b.tmp" && mv -f "$OUTDIR/.$b.tmp" "$OUTDIR/$b" || exit 1
        say "$sc: wrote $OUTDIR/$b ($size bytes)"
    done
done
