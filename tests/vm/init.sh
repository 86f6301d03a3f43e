#!/bin/busybox sh
# /init of memsnap's NUMA test VM (build.sh copies it into the initramfs).
# Per-run settings come from /job/run.conf and /job/cmd.sh, which run.sh
# appends to the initramfs as a second cpio archive.  Everything left under
# /out is written as a raw tar onto /dev/vda (virtio-blk) for the host.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
# what a real host has mounted, so the collector sees the usual places
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
mount -t tmpfs tmpfs /tmp 2>/dev/null

up() { cut -d' ' -f1 /proc/uptime; }
log() { echo "NUMA-VM: $*"; }
log "init start uptime=$(up) kernel=$(uname -r)"

PROG_TIMEOUT=0
HOG_ARGS=
HOG_WAIT=120
[ -f /job/run.conf ] && . /job/run.conf

mkdir -p /out/_vm
up > /out/_vm/uptime.init

# virtio-blk is a module in Debian's kernel (CONFIG_VIRTIO_BLK=m); the order
# follows the modules' depends= (no modules.dep needed)
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk; do
    insmod /lib/modules/$m.ko 2>/out/_vm/insmod.$m.err || log "insmod $m failed: $(cat /out/_vm/insmod.$m.err)"
done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
[ -b /dev/vda ] || log "ERROR: no /dev/vda after loading virtio_blk: the output cannot be sent back"

snap() { # snap DIR : per-node state, for diagnosis on the host
    d=/out/_vm/$1; mkdir -p $d
    for n in /sys/devices/system/node/node[0-9]*; do
        b=$(basename $n)
        for f in meminfo numastat cpulist distance; do cat $n/$f > $d/$b.$f; done
    done
    cat /proc/sys/kernel/numa_balancing > $d/numa_balancing 2>/dev/null
}
procsnap() { # procsnap DIR PID : the hog as the kernel shows it
    d=/out/_vm/$1; mkdir -p $d
    for f in numa_maps maps smaps_rollup status; do cat /proc/$2/$f > $d/$f 2>/dev/null; done
}

snap pre
log "nodes: $(ls -d /sys/devices/system/node/node[0-9]* | xargs -n1 basename | tr '\n' ' ')"
for n in /sys/devices/system/node/node[0-9]*; do
    log "$(basename $n) cpus=$(cat $n/cpulist) $(grep -E 'MemTotal|MemFree' $n/meminfo | awk '{sub(":","",$3); printf "%s=%s%s ", $3, $4, $5}')"
done

HOG_PID=
HOG_OK=1
if [ -n "$HOG_ARGS" ]; then
    log "starting numa_hog $HOG_ARGS"
    numa_hog $HOG_ARGS -r /tmp/hog.ready > /out/_vm/hog.log 2>&1 &
    HOG_PID=$!
    i=0
    while [ ! -f /tmp/hog.ready ] && kill -0 $HOG_PID 2>/dev/null && [ $i -lt $((HOG_WAIT*10)) ]; do
        sleep 0.1; i=$((i+1))
    done
    cat /out/_vm/hog.log
    if [ -f /tmp/hog.ready ]; then
        log "numa_hog ready pid=$HOG_PID uptime=$(up)"
        echo $HOG_PID > /out/_vm/hog.pid
        export NUMA_HOG_PID=$HOG_PID
        [ -f /job/cmd.sh ] && sed -i "s/@HOG_PID@/$HOG_PID/g" /job/cmd.sh
        procsnap hog $HOG_PID
        snap mid
    else
        log "ERROR: numa_hog did not get ready (see hog.log above); the program is not run"
        HOG_OK=0
    fi
fi

if [ -f /job/cmd.sh ] && [ "$HOG_OK" = 1 ]; then
    log "running program uptime=$(up)"
    up > /out/_vm/uptime.prog_start
    export NUMA_VM_OUT=/out
    cd /out
    if [ "$PROG_TIMEOUT" -gt 0 ] 2>/dev/null; then
        timeout $PROG_TIMEOUT sh /job/cmd.sh > /out/_vm/prog.stdout 2> /out/_vm/prog.stderr
    else
        sh /job/cmd.sh > /out/_vm/prog.stdout 2> /out/_vm/prog.stderr
    fi
    rc=$?
    cd /
    echo $rc > /out/_vm/prog.exit
    up > /out/_vm/uptime.prog_end
    log "program exited rc=$rc uptime=$(up)"
    echo "----- program stdout (first 100 lines) -----"; head -n 100 /out/_vm/prog.stdout
    echo "----- program stderr (first 100 lines) -----"; head -n 100 /out/_vm/prog.stderr
    echo "-----"
fi

[ -n "$HOG_PID" ] && procsnap hog.post $HOG_PID
snap post
if [ -n "$HOG_PID" ]; then kill $HOG_PID 2>/dev/null; wait $HOG_PID 2>/dev/null; fi
dmesg > /out/_vm/dmesg.txt
up > /out/_vm/uptime.pack

# raw tar straight onto the block device; the host reads it with tar -xf
if [ -b /dev/vda ] && tar -cf /dev/vda -C /out .; then
    sync
    log "output written to /dev/vda uptime=$(up)"
else
    log "ERROR: writing the output to /dev/vda failed (disk too small? run.sh --disk-mb)"
fi
log "poweroff uptime=$(up)"
sync
poweroff -f
