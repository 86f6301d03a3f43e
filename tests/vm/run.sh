#!/bin/bash
# run.sh: boot the 2-node NUMA VM (qemu TCG, Debian's kernel), run a program
# in it, copy its output directory back to the host.
#
#   tests/vm/run.sh [options] PROGRAM [ARGS...]
#
# PROGRAM must be static (or a #!/bin/sh script: busybox is the VM's shell).
# Inside the VM it runs as root with cwd=/out and NUMA_VM_OUT=/out; everything
# it leaves under /out comes back to the host.  With --hog-args, numa_hog runs
# alongside (started and fully touched first); NUMA_HOG_PID holds its pid and
# every @HOG_PID@ in ARGS is replaced by it.
#
# Options:
#   -o DIR          host output dir (required; replaced if it is an earlier
#                   run.sh output, refused if it holds anything else)
#   --hog-args ARGS run numa_hog with these arguments (see numa_hog.c)
#   -f FILE         extra input file, appears as /job/files/NAME (repeatable)
#   -t SECONDS      host-side limit for the whole VM (default 300)
#   -T SECONDS      in-VM limit for the program (default none)
#   --node-mb MB    RAM per node (default 512); node 0 = cpu 0, node 1 = cpu 1
#   --append STR    extra kernel command line
#   --disk-mb MB    size of the (sparse) output disk (default 256)
#   -q              don't stream the VM console (it is in DIR/_vm/console.log)
#
# Env: MEMSNAP_VM_CACHE (see build.sh), MEMSNAP_VM_CPU (qemu -cpu, default
# max), MEMSNAP_VM_NO_PVH=1 (boot the compressed bzImage, not vmlinux).
#
# Exit status: the program's; 125 the VM gave nothing back (boot failure,
# timeout, no virtio disk); 3 build.sh could not prepare the VM (a missing
# host package or kernel); 2 usage.
# DIR/_vm/ holds console.log, dmesg.txt, prog.{stdout,stderr,exit}, hog.log,
# hog/ (numa_maps, maps, smaps_rollup, status of numa_hog after it is ready),
# pre/ mid/ post/ (per-node meminfo, numastat, cpulist, distance) and timings.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
say() { echo "vm/run.sh: $*" >&2; }

OUT=
HOG=
FILES=()
TIMEOUT=300
PROG_TIMEOUT=0
NODE_MB=512
APPEND=
DISK_MB=256
QUIET=0
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
    -o) OUT=$2; shift 2 ;;
    --hog-args) HOG=$2; shift 2 ;;
    -f) FILES+=("$2"); shift 2 ;;
    -t) TIMEOUT=$2; shift 2 ;;
    -T) PROG_TIMEOUT=$2; shift 2 ;;
    --node-mb) NODE_MB=$2; shift 2 ;;
    --append) APPEND=$2; shift 2 ;;
    --disk-mb) DISK_MB=$2; shift 2 ;;
    -q) QUIET=1; shift ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) say "unknown option $1"; usage ;;
    *) break ;;
    esac
done
[ $# -ge 1 ] && [ -n "$OUT" ] || usage
PROG=$1; shift
[ -f "$PROG" ] || { say "no such program: $PROG"; exit 2; }
for f in ${FILES[@]+"${FILES[@]}"}; do [ -f "$f" ] || { say "no such input file: $f"; exit 2; }; done
# never wipe something that is not an earlier output dir
if [ -e "$OUT" ] && [ -n "$(ls -A "$OUT" 2>/dev/null)" ] && [ ! -f "$OUT/_vm/timings" ]; then
    say "$OUT exists, is not empty and is not an earlier run.sh output; refusing to replace it"
    exit 2
fi

t0=$(date +%s.%N)
set +e
CACHE=$(bash "$HERE/build.sh" --ensure)
brc=$?
set -e
[ "$brc" = 0 ] || { say "build.sh failed (exit $brc)"; exit $((brc == 3 ? 3 : 1)); }

RUN=$(mktemp -d "${TMPDIR:-/tmp}/memsnap-vm-run.XXXXXX")
QPID=
TAILPID=
cleanup() {
    if [ -n "$QPID" ]; then kill "$QPID" 2>/dev/null; wait "$QPID" 2>/dev/null; fi
    if [ -n "$TAILPID" ]; then kill "$TAILPID" 2>/dev/null; wait "$TAILPID" 2>/dev/null; fi
    rm -rf "$RUN"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM

# --- per-run initramfs layer: program, args, settings ----------------------------
L=$RUN/layer
mkdir -p "$L/job/bin" "$L/job/files"
name=$(basename "$PROG")
cp "$PROG" "$L/job/bin/$name"; chmod 755 "$L/job/bin/$name"
if ldd "$PROG" >/dev/null 2>&1; then   # dynamic: bring its libraries along
    for lib in $(ldd "$PROG" | grep -o '/[^ ]*'); do
        mkdir -p "$L$(dirname "$lib")"; cp -L "$lib" "$L$lib"
    done
fi
for f in ${FILES[@]+"${FILES[@]}"}; do cp -L "$f" "$L/job/files/"; done
q() { local s=${1//\'/\'\\\'\'}; printf "'%s'" "$s"; }
{
    printf 'exec /job/bin/%s' "$(q "$name")"
    for a in "$@"; do printf ' %s' "$(q "$a")"; done
    printf '\n'
} > "$L/job/cmd.sh"
{
    echo "PROG_TIMEOUT=$PROG_TIMEOUT"
    echo "HOG_ARGS=$(q "$HOG")"
} > "$L/job/run.conf"
cp "$CACHE/initrd.base.cpio.gz" "$RUN/initrd.gz"
(cd "$L" && find . | /bin/busybox cpio -o -H newc 2>/dev/null) | gzip -1 >> "$RUN/initrd.gz"

# --- boot ------------------------------------------------------------------------
truncate -s "${DISK_MB}M" "$RUN/out.img"
: > "$RUN/console.log"
if [ "$QUIET" = 0 ]; then
    tail -n +1 -f "$RUN/console.log" >&2 &
    TAILPID=$!
fi
KERNEL=$CACHE/vmlinuz
# PVH entry into the bare ELF: no in-guest xz unpacking (~3 s less under TCG)
[ -f "$CACHE/vmlinux" ] && [ -z "${MEMSNAP_VM_NO_PVH:-}" ] && KERNEL=$CACHE/vmlinux
tb=$(date +%s.%N)
set +e
# TCG: this workplace's /dev/kvm (kvm_pvm) cannot run a stock kernel
timeout --kill-after=5 "$TIMEOUT" qemu-system-x86_64 \
    -accel tcg -cpu "${MEMSNAP_VM_CPU:-max}" \
    -nodefaults -display none -no-reboot \
    -smp 2,sockets=2,cores=1,threads=1 -m $((2*NODE_MB)) \
    -object memory-backend-ram,id=m0,size=${NODE_MB}M \
    -object memory-backend-ram,id=m1,size=${NODE_MB}M \
    -numa node,nodeid=0,cpus=0,memdev=m0 \
    -numa node,nodeid=1,cpus=1,memdev=m1 \
    -chardev file,id=con,path="$RUN/console.log" -serial chardev:con \
    -drive file="$RUN/out.img",format=raw,if=virtio,cache=unsafe \
    -kernel "$KERNEL" -initrd "$RUN/initrd.gz" \
    -append "console=ttyS0 panic=-1 quiet loglevel=4 $APPEND" \
    > "$RUN/qemu.log" 2>&1 &
QPID=$!
wait $QPID
qrc=$?
QPID=
set -e
te=$(date +%s.%N)
if [ -n "$TAILPID" ]; then
    sleep 0.2; kill "$TAILPID" 2>/dev/null || true; wait "$TAILPID" 2>/dev/null || true; TAILPID=
fi

# --- collect ---------------------------------------------------------------------
rm -rf "$OUT"; mkdir -p "$OUT"
got=0
if grep -q 'NUMA-VM: output written to /dev/vda' "$RUN/console.log"; then
    tar -xf "$RUN/out.img" -C "$OUT" && got=1
fi
mkdir -p "$OUT/_vm"
tr -d '\r' < "$RUN/console.log" > "$OUT/_vm/console.log"
cp "$RUN/qemu.log" "$OUT/_vm/qemu.log"
tend=$(date +%s.%N)
dt() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b-a}'; }
{
    echo "kernel=$(cat "$CACHE/kernel.version")"
    echo "qemu_exit=$qrc"
    echo "host_prepare_s=$(dt "$t0" "$tb")"
    echo "qemu_wall_s=$(dt "$tb" "$te")"
    echo "total_wall_s=$(dt "$t0" "$tend")"
    for u in init prog_start prog_end pack; do
        [ -f "$OUT/_vm/uptime.$u" ] && echo "guest_uptime_$u=$(cat "$OUT/_vm/uptime.$u")"
    done
} > "$OUT/_vm/timings"
say "qemu exit $qrc, $(grep qemu_wall_s "$OUT/_vm/timings"), $(grep total_wall_s "$OUT/_vm/timings"), output in $OUT"
if [ "$got" != 1 ]; then
    case "$qrc" in
    124|137) say "the VM did not finish within ${TIMEOUT}s (-t) and was killed" ;;
    0) ;;
    *) say "qemu failed (exit $qrc): $(tail -n 5 "$RUN/qemu.log" | tr '\n' ' ')" ;;
    esac
    say "no output came back from the VM; last console lines:"
    tail -n 30 "$OUT/_vm/console.log" | sed 's/^/    /' >&2
    exit 125
fi
if [ ! -f "$OUT/_vm/prog.exit" ]; then
    say "the program did not run in the VM; last console lines:"
    tail -n 30 "$OUT/_vm/console.log" | sed 's/^/    /' >&2
    exit 125
fi
exit "$(cat "$OUT/_vm/prog.exit")"
