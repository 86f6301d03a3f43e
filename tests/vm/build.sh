#!/bin/bash
# build.sh: prepare the kernel and the base initramfs of the 2-node NUMA VM.
#
#   tests/vm/build.sh                 build what is missing or stale (idempotent)
#   tests/vm/build.sh --ensure        the same, then print the cache dir on stdout
#   tests/vm/build.sh --install-deps  apt-get install the host packages, then build
#   tests/vm/build.sh --print-cache   print the cache dir and do nothing else
#
# Env:
#   MEMSNAP_VM_CACHE       cache dir.  Default ${XDG_CACHE_HOME}/memsnap-numa-vm
#                          when XDG_CACHE_HOME is set, else
#                          /var/cache/memsnap-numa-vm when /var/cache is
#                          writable, else ~/.cache/memsnap-numa-vm.
#   MEMSNAP_VM_KERNEL_DEB  a linux-image-*-amd64 .deb to use instead of the one
#                          in the cache / the one `apt-get download` fetches
#                          (the package that linux-image-amd64 depends on).
#
# Produces in the cache dir:
#   deb/linux-image-*.deb   the downloaded kernel package (kept: no network
#                           needed to rebuild)
#   vmlinuz, vmlinux        the kernel; vmlinux is the unpacked ELF for PVH boot
#   config, kernel.version  its config and `uname -r`
#   modules/*.ko            the virtio-blk stack (=m in Debian's kernel)
#   numa_hog                static helper (numa_hog.c)
#   initrd.base.cpio.gz     busybox + init.sh + modules + numa_hog
#
# Exit status: 0 ready; 1 build error; 3 a prerequisite is unavailable (a host
# package is missing, or no kernel .deb could be had): callers may skip.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
say() { echo "vm/build.sh: $*" >&2; }
unavailable() { say "$*"; exit 3; }

cache_dir() {
    if [ -n "${MEMSNAP_VM_CACHE:-}" ]; then echo "$MEMSNAP_VM_CACHE"
    elif [ -n "${XDG_CACHE_HOME:-}" ]; then echo "$XDG_CACHE_HOME/memsnap-numa-vm"
    elif [ -w /var/cache ]; then echo /var/cache/memsnap-numa-vm
    else echo "${HOME:-/tmp}/.cache/memsnap-numa-vm"
    fi
}

MODE=build
case "${1:-}" in
"") ;;
--ensure) MODE=ensure ;;
--install-deps) MODE=install ;;
--print-cache) cache_dir; exit 0 ;;
-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
*) say "unknown argument: $1 (see --help)"; exit 2 ;;
esac

apt_lists_present() { [ -n "$(ls /var/lib/apt/lists/ 2>/dev/null | grep -v -e '^lock$' -e '^partial$' -e '^auxfiles$')" ]; }

# --- host tools ---------------------------------------------------------------
# package -> why; checked every time (cheap), installed only with --install-deps
missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
# busybox must be the static one: it is /init's shell inside the VM
{ [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; } || missing+=(busybox-static)
command -v gcc >/dev/null || missing+=(gcc)
[ -e /usr/include/stdio.h ] || missing+=(libc6-dev)
command -v xz >/dev/null || missing+=(xz-utils)
# zstd: not for the VM, but numa-collect.sh reads bundle members with tar --zstd
[ "$MODE" = install ] && ! command -v zstd >/dev/null && missing+=(zstd)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$MODE" = install ]; then
        say "installing ${missing[*]}"
        apt_lists_present || apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    else
        unavailable "missing host packages: ${missing[*]} (install: apt-get install --no-install-recommends ${missing[*]}, or run $0 --install-deps)"
    fi
fi
BUSYBOX=/bin/busybox

CACHE=$(cache_dir)
mkdir -p "$CACHE" || unavailable "cannot create the cache dir $CACHE (set MEMSNAP_VM_CACHE)"
CACHE=$(cd "$CACHE" && pwd)

# one builder at a time per cache (parallel ctest runs, two build trees)
exec 9>"$CACHE/.lock"
flock 9

# --- kernel -------------------------------------------------------------------
KDEB=${MEMSNAP_VM_KERNEL_DEB:-}
if [ -z "$KDEB" ] && [ -f "$CACHE/vmlinuz" ] && [ -s "$CACHE/kernel.deb" ]; then
    KDEB=$(cat "$CACHE/kernel.deb")      # already extracted: no network needed
    kernel_ready=1
else
    kernel_ready=0
fi
if [ -z "$KDEB" ]; then
    KDEB=$(ls "$CACHE"/deb/linux-image-*-amd64_*_amd64.deb 2>/dev/null | sort -V | tail -n1 || true)
fi
if [ -z "$KDEB" ]; then
    apt_lists_present || apt-get update -qq >&2 || true
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
    [ -n "$pkg" ] || unavailable "cannot resolve linux-image-amd64 with apt-cache (run apt-get update, or set MEMSNAP_VM_KERNEL_DEB)"
    say "downloading $pkg (about 70 MB) into $CACHE/deb"
    mkdir -p "$CACHE/deb"
    (cd "$CACHE/deb" && apt-get download -qq "$pkg" 2>&1 | grep -v 'Download is performed unsandboxed' >&2 || true)
    KDEB=$(ls "$CACHE"/deb/"$pkg"_*.deb 2>/dev/null | tail -n1 || true)
    [ -n "$KDEB" ] || unavailable "apt-get download $pkg failed (is Debian's archive reachable?)"
fi
if [ "$kernel_ready" = 0 ]; then
    [ -f "$KDEB" ] || unavailable "kernel package $KDEB does not exist"
    KDEB=$(readlink -f "$KDEB")
fi

if [ "$(cat "$CACHE/kernel.deb" 2>/dev/null)" != "$KDEB" ] || [ ! -f "$CACHE/vmlinuz" ]; then
    say "extracting $(basename "$KDEB")"
    rm -f "$CACHE/kernel.deb"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    # only what is needed: the kernel, its config and the virtio-blk modules
    dpkg-deb --fsys-tarfile "$KDEB" | tar -x -C "$tmp" --wildcards \
        './boot/vmlinuz-*' './boot/config-*' \
        './lib/modules/*/kernel/drivers/virtio/virtio.ko' \
        './lib/modules/*/kernel/drivers/virtio/virtio_ring.ko' \
        './lib/modules/*/kernel/drivers/virtio/virtio_pci.ko' \
        './lib/modules/*/kernel/drivers/virtio/virtio_pci_modern_dev.ko' \
        './lib/modules/*/kernel/drivers/virtio/virtio_pci_legacy_dev.ko' \
        './lib/modules/*/kernel/drivers/block/virtio_blk.ko' \
        || { say "$(basename "$KDEB") lacks a kernel or the virtio-blk modules"; exit 1; }
    rm -rf "$CACHE/modules"; mkdir -p "$CACHE/modules"
    cp "$tmp"/boot/vmlinuz-* "$CACHE/vmlinuz"
    cp "$tmp"/boot/config-* "$CACHE/config"
    find "$tmp/lib/modules" -name '*.ko' -exec cp {} "$CACHE/modules/" \;
    basename "$tmp"/boot/vmlinuz-* | sed 's/^vmlinuz-//' > "$CACHE/kernel.version"
    rm -rf "$tmp"; trap - EXIT
    # The bzImage is xz-compressed; unpacking it under TCG costs ~3 s per boot.
    # With CONFIG_PVH=y qemu boots the bare ELF vmlinux directly: unpack it once.
    rm -f "$CACHE/vmlinux"
    if grep -qx CONFIG_PVH=y "$CACHE/config"; then
        off=$(LC_ALL=C grep -obUaP '\xfd\x37\x7a\x58\x5a\x00' "$CACHE/vmlinuz" | head -n1 | cut -d: -f1 || true)
        xzrc=1
        if [ -n "$off" ]; then
            # xz stops after the first stream, so tail may die of SIGPIPE: only xz's status counts
            tail -c +$((off+1)) "$CACHE/vmlinuz" 2>/dev/null | xz -dc --single-stream > "$CACHE/vmlinux.tmp" 2>/dev/null \
                && xzrc=0 || xzrc=${PIPESTATUS[1]}
        fi
        if [ "$xzrc" = 0 ] && [ "$(head -c4 "$CACHE/vmlinux.tmp" | od -An -c | tr -d ' ')" = '177ELF' ]; then
            mv "$CACHE/vmlinux.tmp" "$CACHE/vmlinux"
        else
            rm -f "$CACHE/vmlinux.tmp"; say "could not unpack vmlinux; the VM will boot the (slower) bzImage"
        fi
    fi
    echo "$KDEB" > "$CACHE/kernel.deb"
fi
for opt in CONFIG_NUMA=y CONFIG_ACPI_NUMA=y CONFIG_BLK_DEV_INITRD=y CONFIG_RD_GZIP=y \
           CONFIG_SERIAL_8250_CONSOLE=y CONFIG_DEVTMPFS=y CONFIG_PROC_PAGE_MONITOR=y; do
    grep -qx "$opt" "$CACHE/config" || { say "kernel config of $(basename "$KDEB") lacks $opt"; exit 1; }
done

# --- numa_hog and the base initramfs (rebuilt when an input changes) ------------
stamp=$(cat "$HERE/build.sh" "$HERE/init.sh" "$HERE/numa_hog.c" "$BUSYBOX" "$CACHE/kernel.version" \
        "$CACHE"/modules/*.ko | sha256sum | cut -d' ' -f1)
if [ "$(cat "$CACHE/initrd.stamp" 2>/dev/null)" != "$stamp" ] || [ ! -f "$CACHE/initrd.base.cpio.gz" ] \
   || [ ! -x "$CACHE/numa_hog" ]; then
    rm -f "$CACHE/initrd.stamp"
    gcc -O2 -Wall -Wextra -static -o "$CACHE/numa_hog.tmp" "$HERE/numa_hog.c" \
        || { say "compiling numa_hog.c failed (needs gcc and libc6-dev with static libc.a)"; exit 1; }
    mv "$CACHE/numa_hog.tmp" "$CACHE/numa_hog"
    root=$(mktemp -d)
    trap 'rm -rf "$root"' EXIT
    mkdir -p "$root"/{bin,sbin,usr/bin,proc,sys,dev,tmp,out,lib/modules}
    cp "$BUSYBOX" "$root/bin/busybox"
    cp "$HERE/init.sh" "$root/init"; chmod 755 "$root/init"
    cp "$CACHE"/modules/*.ko "$root/lib/modules/"
    cp "$CACHE/numa_hog" "$root/bin/"
    (cd "$root" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null) | gzip -1 > "$CACHE/initrd.base.cpio.gz.tmp"
    mv "$CACHE/initrd.base.cpio.gz.tmp" "$CACHE/initrd.base.cpio.gz"
    rm -rf "$root"; trap - EXIT
    echo "$stamp" > "$CACHE/initrd.stamp"
    say "kernel $(cat "$CACHE/kernel.version"), initramfs $(du -h "$CACHE/initrd.base.cpio.gz" | cut -f1), in $CACHE"
fi

[ "$MODE" = ensure ] && echo "$CACHE"
exit 0
