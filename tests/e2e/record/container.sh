#!/bin/sh
# A container's OOM kill on a fake Kubernetes node (--proc-root and
# --sys-root, as a DaemonSet reads the host's): the recorder's incident
# names the container's cgroup; `analyze` on the incident, and on the
# recorder's directory (the ring as one recording), reports the kill with
# the pod UID, the QoS class, the container id and the runtime as
# evidence; the process_container view maps the process to its pod.
. "$SRC/tests/e2e/lib.sh"
. "$SRC/tests/e2e/record/fakehost.inc"
fake_host tree
fake_pod tree
rec -i 200ms --pre 2s --post 1s --incident-interval 100ms
wait_for 60 logged 'recording to r '
# process 300 leaves when it is killed: its last sample is before the kill's
first=$(complete_samples "r/ring/$(ls r/ring | head -n 1)")
more() { n=$(complete_samples "r/ring/$(ls r/ring | head -n 1)"); [ "${n:-0}" -ge $((${first:-0} + 3)) ]; }
wait_for 60 more
mv tree/proc/300 gone300
fake_pod_kill tree 1
fake_vmstat tree 1 0 0
wait_for 60 logged "trigger: oom-kill [0-9.]* source=cgroup cgroup=/sys/fs/cgroup/kubepods.slice/"
sealed() { [ "$(ls r/incidents | grep -c '\.tar\.zst$')" = 1 ]; }
wait_for 60 sealed
kill -TERM $pid
wait $pid || fail "record's exit status"
check() {
	run "$MEMSNAP" analyze "$@" -q --format json --only oom/kill
	[ "$rc" = 0 ] || [ "$rc" = 1 ] || { cat err; fail "analyze $*: exit $rc"; }
	python3 - "$POD_CG" "$POD_UID" "$CTR_ID" out <<'PY' || fail "analyze $*: no oom/kill with the container's evidence"
import json, sys
cg, uid, cid, path = sys.argv[1:]
d = json.load(open(path))
ok = [f for f in d["findings"] if f["rule"] == "oom/kill" and f["entity"] == cg
      and f["evidence"].get("pod_uid") == uid and f["evidence"].get("container_id") == cid
      and f["evidence"].get("container_runtime") == "containerd" and f["evidence"].get("pod_qos") == "burstable"]
if not ok:
    json.dump(d["findings"], sys.stderr, indent=1)
    sys.exit(1)
PY
}
check r/incidents/*.tar.zst -o i.db
check r -o r.db
assert_eq "$("$MEMSNAP" query r.db "SELECT p.pid, c.pod_uid, c.container_id, c.runtime, c.qos FROM process_container c JOIN process p ON p.id = c.process_id" --csv | tail -n +2)" \
	"300,$POD_UID,$CTR_ID,containerd,burstable" "process_container"
exit 0
