-- 060-container.sql: cgroup paths as Kubernetes and container runtimes name
-- them (kubepods / containerd / CRI-O / docker / podman): the pod UID, its
-- QoS class, the container id and runtime.  Filled at load time from every
-- cgroup path seen (analyze/parse/container.c); the views join it to
-- processes and memory cgroups.

CREATE TABLE cgroup_container (
  path         TEXT PRIMARY KEY,      -- below the hierarchy's root, as /proc/PID/cgroup writes it
  runtime      TEXT,                  -- containerd, cri-o, docker, podman; NULL: not told by the path
  pod_uid      TEXT,                  -- the pod's UID (with '-'); NULL outside a pod
  qos          TEXT,                  -- guaranteed, burstable, besteffort; NULL outside kubepods
  container_id TEXT                   -- 64 hex digits; NULL for a pod-level cgroup
) WITHOUT ROWID;

-- each process's pod and container (from any of its cgroup memberships)
CREATE VIEW process_container AS
SELECT DISTINCT pc.process_id, c.runtime, c.pod_uid, c.qos, c.container_id
FROM proc_cgroup pc JOIN cgroup_container c ON c.path = pc.path;

-- each memory cgroup's
CREATE VIEW memory_cgroup_container AS
SELECT g.id AS cgroup_id, g.rel, c.runtime, c.pod_uid, c.qos, c.container_id
FROM cgroup g JOIN cgroup_container c ON c.path = g.rel;
