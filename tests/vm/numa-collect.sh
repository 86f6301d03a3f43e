#!/bin/bash
# numa-collect.sh: memsnap-static on a real 2-node NUMA kernel (Debian 6.1,
# qemu TCG), checked on the host.
#
#   tests/vm/numa-collect.sh MEMSNAP_STATIC MEMSNAP
#
# Boots the VM (run.sh) with numa_hog pinned to CPU 1 (node 1) holding 300 MB
# bound to node 0 plus 250 MB "preferred node 0" that spills onto node 1, and
# runs inside:
#   memsnap-static collect -n 3 -i 1s -p HOG_PID,1 -q -o /out/numa.tar.zst
#   memsnap-static collect -n 2 -i 1s -q -o /out/all.tar.zst
#   memsnap-static info    on both
# then checks on the host, with the dynamic MEMSNAP and tar --zstd:
#   - both collects and both in-VM infos exit 0;
#   - `memsnap info numa.tar.zst` exits 0 and reports "2 NUMA nodes",
#     "samples: 3 complete" and "end: complete (count)";
#   - 000001/t0 holds ok, non-empty records of node0/meminfo, node1/meminfo,
#     node0/numastat and node1/numastat (/sys/devices/system/node/...);
#   - a t2 member holds the hog's /proc/PID/numa_maps with N0= and N1= page
#     counts, N0 > N1 > 0 (bound + spill);
#   - 000001/host's /proc/sys/kernel/osrelease is the VM's kernel, 6.1.*;
#   - `memsnap info all.tar.zst` exits 0 and reports "2 NUMA nodes",
#     "samples: 2 complete" and "end: complete (count)".
#
# Exit status: 0 all checks passed; 1 a check failed; 2 usage; 77 skipped
# (qemu-system-x86_64, static busybox, zstd, gcc or the kernel .deb is not
# available; MEMSNAP_REQUIRE=1, set by .ci/run, makes that a failure).
# Env: MEMSNAP_VM_OUT=DIR keeps everything in DIR (default: a temporary dir,
# removed on success, kept and named on failure); MEMSNAP_VM_CACHE (build.sh);
# MEMSNAP_VM_TIMEOUT (seconds for the whole VM, default 420);
# MEMSNAP_VM_KERNEL_SERIES (default 6.1).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
T=numa-collect
say() { echo "$T: $*"; }
skip() {
    if [ "${MEMSNAP_REQUIRE:-0}" = 1 ]; then
        say "FAIL (MEMSNAP_REQUIRE=1, would skip): $*"; exit 1
    fi
    say "SKIP: $*"; exit 77
}

[ $# -eq 2 ] || { echo "usage: $0 MEMSNAP_STATIC MEMSNAP" >&2; exit 2; }
STATIC=$1 DYN=$2
for b in "$STATIC" "$DYN"; do
    [ -f "$b" ] && [ -x "$b" ] || { say "FAIL: $b is not an executable file"; exit 2; }
done
STATIC=$(readlink -f "$STATIC") DYN=$(readlink -f "$DYN")
SERIES=${MEMSNAP_VM_KERNEL_SERIES:-6.1}

# --- prerequisites (missing -> skip) ---------------------------------------------
command -v qemu-system-x86_64 >/dev/null \
    || skip "qemu-system-x86_64 not found (apt-get install --no-install-recommends qemu-system-x86 busybox-static, or tests/vm/build.sh --install-deps)"
{ [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; } \
    || skip "no static /bin/busybox (apt-get install busybox-static)"
command -v zstd >/dev/null || skip "zstd not found, needed to read bundle members with tar --zstd (apt-get install zstd)"
command -v perl >/dev/null || skip "perl not found"
if ldd "$STATIC" >/dev/null 2>&1; then
    say "FAIL: $STATIC is dynamically linked; this test is about the static collector"
    exit 1
fi

# --- work dir ------------------------------------------------------------------------
if [ -n "${MEMSNAP_VM_OUT:-}" ]; then
    WORK=$MEMSNAP_VM_OUT KEEP=1
    mkdir -p "$WORK" || { say "FAIL: cannot create $WORK"; exit 1; }
    rm -rf "$WORK/guest.sh" "$WORK/bundle.numa" "$WORK/host-info.numa.txt" "$WORK/host-info.all.txt"
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/memsnap-numa-collect.XXXXXX") KEEP=0
fi
RUNPID=
finish() {
    rc=$?
    if [ -n "$RUNPID" ]; then kill "$RUNPID" 2>/dev/null; wait "$RUNPID" 2>/dev/null; fi
    if [ "$KEEP" = 0 ] && [ "$rc" = 0 -o "$rc" = 77 ]; then rm -rf "$WORK"
    elif [ "$rc" != 0 ]; then say "output kept in $WORK (VM console: $WORK/vm/_vm/console.log)"
    fi
}
trap finish EXIT
trap 'say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM

# --- what runs in the VM -------------------------------------------------------------
cat > "$WORK/guest.sh" <<'EOF'
#!/bin/sh
# inside the VM (busybox sh), cwd /out; $1 = "HOG_PID,1"
M=/job/files/memsnap-static
chmod 755 "$M"
run() { # run NAME ARGS... : NAME.{stdout,stderr,rc} in /out
    name=$1; shift
    echo "guest: memsnap-static $* (uptime $(cut -d' ' -f1 /proc/uptime))"
    "$M" "$@" > "/out/$name.stdout" 2> "/out/$name.stderr"
    echo $? > "/out/$name.rc"
    echo "guest: exit $(cat "/out/$name.rc") (uptime $(cut -d' ' -f1 /proc/uptime))"
}
run collect-numa collect -n 3 -i 1s -p "$1" -q -o /out/numa.tar.zst
run collect-all collect -n 2 -i 1s -q -o /out/all.tar.zst
run info-numa info /out/numa.tar.zst
run info-all info /out/all.tar.zst
exit 0
EOF
chmod 755 "$WORK/guest.sh"

say "preparing and booting the 2-node VM (qemu TCG) with numa_hog; memsnap-static = $STATIC"
bash "$HERE/run.sh" -q -o "$WORK/vm" -t "${MEMSNAP_VM_TIMEOUT:-420}" -T 240 \
    --hog-args "-s 300 -n 0 -c 1 -S 250" -f "$STATIC" \
    "$WORK/guest.sh" '@HOG_PID@,1' 2>&1 &
RUNPID=$!
wait $RUNPID
rrc=$?
RUNPID=
case "$rrc" in
0) ;;
3) skip "the VM could not be prepared (see the vm/build.sh message above)" ;;
*) say "FAIL: the VM run failed (run.sh exit $rrc; 125 = nothing came back)"; exit 1 ;;
esac
V=$WORK/vm
sed 's/^/  /' "$V/_vm/timings"
[ -s "$V/_vm/hog.log" ] && sed 's/^/  /' "$V/_vm/hog.log"

# --- checks ---------------------------------------------------------------------------
pass=0 fail=0
ok() { pass=$((pass+1)); echo "ok   $*"; }
bad() { fail=$((fail+1)); echo "FAIL $*"; }
check() { # check NAME CMD... : ok when CMD succeeds
    local name=$1; shift
    if "$@"; then ok "$name"; else bad "$name"; fi
}
show() { # show FILE : indented, for the log
    [ -s "$1" ] && sed 's/^/    | /' "$1"
    return 0
}

# records FILE [PATH]: list "STATUS LEN PATH" of a member, or print PATH's body
# (exit 1: no such record, 3: its status is not ok, 4: bad framing)
records() {
    perl -e '
        my ($file, $want) = @ARGV;
        open(my $fh, "<:raw", $file) or do { print STDERR "$file: $!\n"; exit 4 };
        local $/; my $d = <$fh>; close $fh;
        my ($pos, $n) = (0, length $d);
        while ($pos < $n) {
            my $nl = index($d, "\n", $pos);
            if ($nl < 0) { print STDERR "$file: unterminated header at offset $pos\n"; exit 4 }
            my @f = split / /, substr($d, $pos, $nl - $pos);
            unless (@f >= 4 && @f <= 5 && $f[0] eq "@" && $f[2] =~ /^\d+$/) {
                print STDERR "$file: bad record header at offset $pos\n"; exit 4;
            }
            my $len = $f[2];
            if ($nl + 1 + $len >= $n || substr($d, $nl + 1 + $len, 1) ne "\n") {
                print STDERR "$file: record $f[3] at offset $pos overruns the member\n"; exit 4;
            }
            if (!defined $want) { print "$f[1] $len $f[3]\n" }
            elsif ($f[3] eq $want) {
                if ($f[1] ne "ok") { print STDERR "status $f[1]\n"; exit 3 }
                print substr($d, $nl + 1, $len); exit 0;
            }
            $pos = $nl + 2 + $len;
        }
        exit(defined $want ? 1 : 0);
    ' "$@"
}

# in-VM exit codes
for r in collect-numa collect-all info-numa info-all; do
    rc=$(cat "$V/$r.rc" 2>/dev/null || echo missing)
    if [ "$rc" = 0 ]; then ok "in-VM $r exit 0"
    else bad "in-VM $r exit $rc (want 0)"; show "$V/$r.stdout"; fi
    if [ -s "$V/$r.stderr" ]; then echo "     $r stderr:"; show "$V/$r.stderr"; fi
done

# host-side info: INFO_CHECK BUNDLE SAMPLES
info_check() {
    local name=$1 samples=$2 b=$V/$1.tar.zst out=$WORK/host-info.$1.txt rc
    if [ ! -s "$b" ]; then bad "$name.tar.zst came back from the VM"; return; fi
    "$DYN" info "$b" > "$out" 2>&1
    rc=$?
    echo "     memsnap info $name.tar.zst:"; show "$out"
    if [ "$rc" = 0 ]; then ok "info $name.tar.zst exit 0"; else bad "info $name.tar.zst exit $rc (want 0)"; fi
    check "info $name: 2 NUMA nodes" grep -q ', 2 NUMA nodes,' "$out"
    check "info $name: samples: $samples complete" grep -Eq "^samples:[[:space:]]+$samples complete" "$out"
    check "info $name: end: complete (count)" grep -Eq '^end:[[:space:]]+complete \(count\)' "$out"
}
info_check numa 3
info_check all 2

# records in the -p bundle
B=$WORK/bundle.numa
mkdir -p "$B"
if [ -s "$V/numa.tar.zst" ] && tar --zstd -xf "$V/numa.tar.zst" -C "$B" 2>"$WORK/untar.err"; then
    ok "tar --zstd extracts numa.tar.zst"
else
    bad "tar --zstd extracts numa.tar.zst"; show "$WORK/untar.err"
fi
# the record-framed members (NNNNNN/host, t0, t1, t2 and their .K chunks)
data_members() { # data_members DIR SAMPLE-GLOB KIND-GLOB
    local m
    for m in "$1"/$2/$3; do
        [ -f "$m" ] && case "${m##*/}" in host|host.*|t[0-9]|t[0-9].*) echo "$m" ;; esac
    done
}
echo "     record statuses in numa.tar.zst (count status):"
data_members "$B" '0*' '*' | while read -r m; do records "$m"; done \
    | awk '{print $1}' | sort | uniq -c | sed 's/^/    | /'
echo "     records not ok in numa.tar.zst (member: status path):"
data_members "$B" '0*' '*' | while read -r m; do
    records "$m" | awk -v m="${m#"$B"/}" '$1 != "ok" {print m ": " $1 " " $3}'
done | head -n 40 | sed 's/^/    | /'

for n in 0 1; do
    for f in meminfo numastat; do
        p=/sys/devices/system/node/node$n/$f
        rc=1
        # 000001/t0, or a continuation chunk 000001/t0.K of the same member
        for m in $(data_members "$B" 000001 't0*'); do
            body=$(records "$m" "$p" 2>"$WORK/rec.err"); rc=$?
            [ "$rc" = 1 ] || break
        done
        case "$rc" in
        0) case "$f:$body" in
           meminfo:*"Node $n MemTotal:"*|numastat:*numa_hit*) ok "${m#"$B"/} has $p" ;;
           *) bad "${m#"$B"/} record $p has unexpected content: $(echo "$body" | head -n 2 | tr '\n' ' ')" ;;
           esac ;;
        1) bad "000001/t0 has no record $p" ;;
        *) bad "000001/t0 record $p: $(cat "$WORK/rec.err")" ;;
        esac
    done
done

HOG=$(cat "$V/_vm/hog.pid" 2>/dev/null)
if [ -z "$HOG" ]; then
    bad "the VM reported numa_hog's pid"
else
    p=/proc/$HOG/numa_maps
    found= nt2=0
    for m in $(data_members "$B" '0*' 't2*'); do
        nt2=$((nt2+1))
        records "$m" "$p" > "$WORK/numa_maps.bundle" 2>"$WORK/rec.err"
        case $? in
        0) found=${m#"$B"/}; break ;;
        1) echo "     ${m#"$B"/}: no $p record" ;;
        *) echo "     ${m#"$B"/}: $p: $(cat "$WORK/rec.err")" ;;
        esac
    done
    if [ -z "$found" ]; then
        bad "a t2 member ($nt2 in the bundle) holds an ok $p record"
    else
        ok "$found holds $p"
        read -r n0 n1 < <(awk '{ for (i = 1; i <= NF; i++) {
                if ($i ~ /^N0=/) a += substr($i, 4); if ($i ~ /^N1=/) b += substr($i, 4) } }
            END { print a + 0, b + 0 }' "$WORK/numa_maps.bundle")
        echo "     hog numa_maps in $found: N0=$n0 N1=$n1 pages; bound/spill lines:"
        grep -E ' (bind|prefer)' "$WORK/numa_maps.bundle" | sed 's/^/    | /'
        check "hog numa_maps: N0 ($n0) > N1 ($n1) > 0" [ "$n1" -gt 0 -a "$n0" -gt "$n1" ]
    fi
fi

want=$(sed -n 's/^kernel=//p' "$V/_vm/timings")
rel=$(records "$B/000001/host" /proc/sys/kernel/osrelease 2>"$WORK/rec.err" | tr -d '\n')
if [ -z "$rel" ]; then
    bad "000001/host has an ok /proc/sys/kernel/osrelease record: $(cat "$WORK/rec.err")"
else
    check "000001/host osrelease '$rel' is the VM's kernel ($want) and $SERIES.*" \
        [ "$rel" = "$want" -a "${rel#"$SERIES".}" != "$rel" ]
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
