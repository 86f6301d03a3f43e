-- 030-process.sql: processes and their per-sample numbers.
-- A process is (pid, starttime): PIDs are reused, start times are not.

CREATE TABLE process (
  id           INTEGER PRIMARY KEY,
  pid          INTEGER NOT NULL,
  starttime    INTEGER NOT NULL,      -- clock ticks after boot (stat field 22)
  comm         TEXT,
  cmdline      TEXT,                  -- NULs shown as spaces
  ppid         INTEGER,
  uid          INTEGER,               -- real uid (status)
  first_sample INTEGER NOT NULL,
  last_sample  INTEGER NOT NULL,
  UNIQUE (pid, starttime)
);

-- one row per process per sample, from stat, statm, status, oom_score and
-- oom_score_adj (bytes for sizes; NULL where the kernel or the read gave
-- nothing)
CREATE TABLE proc_sample (
  process_id    INTEGER NOT NULL REFERENCES process(id),
  sample        INTEGER NOT NULL REFERENCES sample(id),
  state         TEXT,
  minflt        INTEGER,              -- counters: use the rate views
  majflt        INTEGER,
  utime         INTEGER,              -- clock ticks
  stime         INTEGER,
  threads       INTEGER,
  processor     INTEGER,              -- CPU last run on
  vm_size       INTEGER,
  vm_rss        INTEGER,
  rss_anon      INTEGER,
  rss_file      INTEGER,
  rss_shmem     INTEGER,
  vm_swap       INTEGER,
  vm_hwm        INTEGER,
  vm_data       INTEGER,
  vm_pte        INTEGER,
  vm_lck        INTEGER,
  statm_resident INTEGER,             -- bytes (statm resident pages x page size)
  oom_score     INTEGER,
  oom_score_adj INTEGER,
  cpus_allowed  TEXT,                 -- Cpus_allowed_list
  mems_allowed  TEXT,                 -- Mems_allowed_list
  PRIMARY KEY (process_id, sample)
) WITHOUT ROWID;
CREATE INDEX proc_sample_by_sample ON proc_sample(sample);

-- smaps_rollup, on tier-1 samples (bytes; USS = private_clean + private_dirty)
CREATE TABLE proc_rollup (
  process_id     INTEGER NOT NULL REFERENCES process(id),
  sample         INTEGER NOT NULL REFERENCES sample(id),
  rss            INTEGER,
  pss            INTEGER,
  pss_anon       INTEGER,
  pss_file       INTEGER,
  pss_shmem      INTEGER,
  shared_clean   INTEGER,
  shared_dirty   INTEGER,
  private_clean  INTEGER,
  private_dirty  INTEGER,
  referenced     INTEGER,
  anonymous      INTEGER,
  lazyfree       INTEGER,
  anon_huge      INTEGER,
  swap           INTEGER,
  swap_pss       INTEGER,
  locked         INTEGER,
  uss            INTEGER GENERATED ALWAYS AS (private_clean + private_dirty) VIRTUAL,
  PRIMARY KEY (process_id, sample)
) WITHOUT ROWID;

-- cgroup membership (/proc/PID/cgroup), one row per process, hierarchy and
-- path; first_sample/last_sample bound when the membership held
CREATE TABLE proc_cgroup (
  process_id   INTEGER NOT NULL REFERENCES process(id),
  hierarchy    INTEGER NOT NULL,      -- 0 = cgroup v2
  controllers  TEXT NOT NULL,         -- '' for v2, 'memory' ... for v1
  path         TEXT NOT NULL,
  first_sample INTEGER NOT NULL,
  last_sample  INTEGER NOT NULL
);
CREATE INDEX proc_cgroup_process ON proc_cgroup(process_id);

-- full smaps (tier 2): one row per mapping per sample
CREATE TABLE mapping (
  process_id    INTEGER NOT NULL REFERENCES process(id),
  sample        INTEGER NOT NULL REFERENCES sample(id),
  start         INTEGER NOT NULL,     -- address
  end           INTEGER NOT NULL,
  perms         TEXT NOT NULL,
  offset        INTEGER,
  inode         INTEGER,
  path          TEXT,                 -- '' for anonymous; [heap], [stack], [anon:NAME] ...
  kind          TEXT NOT NULL,        -- heap, stack, anon, file, shmem, special
  size          INTEGER,
  rss           INTEGER,
  pss           INTEGER,
  shared_clean  INTEGER,
  shared_dirty  INTEGER,
  private_clean INTEGER,
  private_dirty INTEGER,
  anonymous     INTEGER,
  anon_huge     INTEGER,
  swap          INTEGER,
  swap_pss      INTEGER,
  locked        INTEGER,
  PRIMARY KEY (process_id, sample, start)
) WITHOUT ROWID;

-- numa_maps (tier 2): pages of each mapping on each node
CREATE TABLE numa_mapping (
  process_id INTEGER NOT NULL REFERENCES process(id),
  sample     INTEGER NOT NULL REFERENCES sample(id),
  start      INTEGER NOT NULL,
  policy     TEXT,
  path       TEXT,
  node       INTEGER NOT NULL,
  pages      INTEGER NOT NULL,
  page_size  INTEGER NOT NULL,        -- bytes
  PRIMARY KEY (process_id, sample, start, node)
) WITHOUT ROWID;
