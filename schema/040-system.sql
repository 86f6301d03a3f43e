-- 040-system.sql: system-wide and per-node counters, memory cgroups.
-- Key/value files are kept long (sample, key, value) so that every field of
-- every kernel survives; views in 100-views.sql pivot what rules need.
-- Units: meminfo values in bytes (kB x 1024); vmstat and numastat in pages
-- or events as the kernel counts them; cgroup files as written (bytes,
-- but cgroup v1's memory.numa_stat counts pages).

CREATE TABLE meminfo (
  sample INTEGER NOT NULL REFERENCES sample(id),
  key    TEXT NOT NULL,
  value  INTEGER NOT NULL,
  PRIMARY KEY (sample, key)
) WITHOUT ROWID;

CREATE TABLE vmstat (
  sample INTEGER NOT NULL REFERENCES sample(id),
  key    TEXT NOT NULL,
  value  INTEGER NOT NULL,
  PRIMARY KEY (sample, key)
) WITHOUT ROWID;

CREATE TABLE node_meminfo (
  sample INTEGER NOT NULL REFERENCES sample(id),
  node   INTEGER NOT NULL,
  key    TEXT NOT NULL,
  value  INTEGER NOT NULL,
  PRIMARY KEY (sample, node, key)
) WITHOUT ROWID;

CREATE TABLE numastat (
  sample INTEGER NOT NULL REFERENCES sample(id),
  node   INTEGER NOT NULL,
  key    TEXT NOT NULL,
  value  INTEGER NOT NULL,
  PRIMARY KEY (sample, node, key)
) WITHOUT ROWID;

CREATE TABLE buddyinfo (
  sample INTEGER NOT NULL REFERENCES sample(id),
  node   INTEGER NOT NULL,
  zone   TEXT NOT NULL,
  ord    INTEGER NOT NULL,            -- order: blocks of 2^ord pages
  free   INTEGER NOT NULL,            -- free blocks
  PRIMARY KEY (sample, node, zone, ord)
) WITHOUT ROWID;

CREATE TABLE zoneinfo (
  sample INTEGER NOT NULL REFERENCES sample(id),
  node   INTEGER NOT NULL,
  zone   TEXT NOT NULL,
  key    TEXT NOT NULL,
  value  INTEGER NOT NULL,
  PRIMARY KEY (sample, node, zone, key)
) WITHOUT ROWID;

CREATE TABLE swaps (
  sample   INTEGER NOT NULL REFERENCES sample(id),
  filename TEXT NOT NULL,
  type     TEXT,
  size     INTEGER,                   -- bytes
  used     INTEGER,                   -- bytes
  priority INTEGER
);

-- PSI: scope is 'system' or a cgroup path; kind 'some' or 'full'
CREATE TABLE psi (
  sample  INTEGER NOT NULL REFERENCES sample(id),
  scope   TEXT NOT NULL,
  kind    TEXT NOT NULL,
  avg10   REAL,
  avg60   REAL,
  avg300  REAL,
  total   INTEGER,                    -- microseconds stalled, a counter
  PRIMARY KEY (sample, scope, kind)
) WITHOUT ROWID;

-- /proc/uptime: seconds since boot, and idle seconds summed over the CPUs
CREATE TABLE uptime (
  sample  INTEGER PRIMARY KEY REFERENCES sample(id),
  up_s    REAL NOT NULL,
  idle_s  REAL NOT NULL
);

-- /proc/loadavg: load averages (runnable + uninterruptible tasks), tasks
-- runnable now and existing (threads), the last PID allocated
CREATE TABLE loadavg (
  sample   INTEGER PRIMARY KEY REFERENCES sample(id),
  load1    REAL NOT NULL,
  load5    REAL NOT NULL,
  load15   REAL NOT NULL,
  runnable INTEGER NOT NULL,
  threads  INTEGER NOT NULL,
  last_pid INTEGER NOT NULL
);

CREATE TABLE cgroup (
  id      INTEGER PRIMARY KEY,
  path    TEXT NOT NULL UNIQUE,       -- as captured, e.g. /sys/fs/cgroup/memory/system.slice
  version INTEGER NOT NULL,           -- 1 or 2
  rel     TEXT NOT NULL               -- path below the mount, '/' for the root; matches proc_cgroup.path
);

-- every numeric line of the cgroup's memory files: single-value files under
-- their file name (memory.current, memory.limit_in_bytes ...; 'max' is
-- stored as NULL with unlimited = 1), key/value files as 'FILE:key'
-- (memory.stat:anon, memory.events:oom_kill)
CREATE TABLE cgroup_value (
  sample    INTEGER NOT NULL REFERENCES sample(id),
  cgroup_id INTEGER NOT NULL REFERENCES cgroup(id),
  key       TEXT NOT NULL,
  value     INTEGER,
  unlimited INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (cgroup_id, sample, key)
) WITHOUT ROWID;

-- memory.numa_stat, per node: key as the kernel names it (v2: anon, file,
-- shmem, ...; v1: total, file, anon, unevictable, hierarchical_*), value
-- in bytes for cgroup v2 and in pages for v1 (cgroup.version says which).
-- v1's own totals ("anon=N") are in cgroup_value as 'memory.numa_stat:anon'.
CREATE TABLE cgroup_numa (
  sample    INTEGER NOT NULL REFERENCES sample(id),
  cgroup_id INTEGER NOT NULL REFERENCES cgroup(id),
  key       TEXT NOT NULL,
  node      INTEGER NOT NULL,
  value     INTEGER NOT NULL,
  PRIMARY KEY (cgroup_id, sample, key, node)
) WITHOUT ROWID;
