-- 100-views.sql: views that rules and people query.
--  * pivots of the long tables into the fields rules need;
--  * rates: counters turned into per-second rates between consecutive
--    samples; an interval where a counter went down (reset: reboot, cgroup
--    re-created, PID reused) gives NULL, and a gap (missing samples) simply
--    widens dt;
--  * per-process time series.

-- consecutive samples: (sample, prev, dt seconds on the monotonic clock)
CREATE VIEW sample_pair AS
SELECT sample, prev, dt, t FROM (
  SELECT id AS sample, lag(id) OVER w AS prev, mono - lag(mono) OVER w AS dt, t
  FROM sample WINDOW w AS (ORDER BY id))
WHERE prev IS NOT NULL;

CREATE VIEW mem AS
SELECT sample,
  max(CASE WHEN key = 'MemTotal' THEN value END)       AS mem_total,
  max(CASE WHEN key = 'MemFree' THEN value END)        AS mem_free,
  max(CASE WHEN key = 'MemAvailable' THEN value END)   AS mem_available,
  max(CASE WHEN key = 'Buffers' THEN value END)        AS buffers,
  max(CASE WHEN key = 'Cached' THEN value END)         AS cached,
  max(CASE WHEN key = 'SwapCached' THEN value END)     AS swap_cached,
  max(CASE WHEN key = 'Active(anon)' THEN value END)   AS active_anon,
  max(CASE WHEN key = 'Inactive(anon)' THEN value END) AS inactive_anon,
  max(CASE WHEN key = 'Active(file)' THEN value END)   AS active_file,
  max(CASE WHEN key = 'Inactive(file)' THEN value END) AS inactive_file,
  max(CASE WHEN key = 'Unevictable' THEN value END)    AS unevictable,
  max(CASE WHEN key = 'SwapTotal' THEN value END)      AS swap_total,
  max(CASE WHEN key = 'SwapFree' THEN value END)       AS swap_free,
  max(CASE WHEN key = 'Dirty' THEN value END)          AS dirty,
  max(CASE WHEN key = 'AnonPages' THEN value END)      AS anon_pages,
  max(CASE WHEN key = 'Mapped' THEN value END)         AS mapped,
  max(CASE WHEN key = 'Shmem' THEN value END)          AS shmem,
  max(CASE WHEN key = 'Slab' THEN value END)           AS slab,
  max(CASE WHEN key = 'SReclaimable' THEN value END)   AS s_reclaimable,
  max(CASE WHEN key = 'SUnreclaim' THEN value END)     AS s_unreclaim,
  max(CASE WHEN key = 'KernelStack' THEN value END)    AS kernel_stack,
  max(CASE WHEN key = 'PageTables' THEN value END)     AS page_tables,
  max(CASE WHEN key = 'CommitLimit' THEN value END)    AS commit_limit,
  max(CASE WHEN key = 'Committed_AS' THEN value END)   AS committed_as,
  max(CASE WHEN key = 'AnonHugePages' THEN value END)  AS anon_huge_pages,
  max(CASE WHEN key = 'HugePages_Total' THEN value END) AS hugepages_total
FROM meminfo GROUP BY sample;

-- every vmstat counter as a rate per second between consecutive samples
CREATE VIEW vmstat_rate AS
SELECT sp.sample, sp.t, c.key,
  CASE WHEN c.value >= p.value AND sp.dt > 0 THEN (c.value - p.value) / sp.dt END AS per_s,
  c.value - p.value AS delta
FROM sample_pair sp
JOIN vmstat c ON c.sample = sp.sample
JOIN vmstat p ON p.sample = sp.prev AND p.key = c.key;

CREATE VIEW numastat_rate AS
SELECT sp.sample, sp.t, c.node, c.key,
  CASE WHEN c.value >= p.value AND sp.dt > 0 THEN (c.value - p.value) / sp.dt END AS per_s
FROM sample_pair sp
JOIN numastat c ON c.sample = sp.sample
JOIN numastat p ON p.sample = sp.prev AND p.node = c.node AND p.key = c.key;

-- PSI stall share of wall time between samples (0..1), from the totals
CREATE VIEW psi_rate AS
SELECT sp.sample, sp.t, c.scope, c.kind,
  CASE WHEN c.total >= p.total AND sp.dt > 0 THEN (c.total - p.total) / 1e6 / sp.dt END AS stall_share
FROM sample_pair sp
JOIN psi c ON c.sample = sp.sample
JOIN psi p ON p.sample = sp.prev AND p.scope = c.scope AND p.kind = c.kind;

-- per-process time series: one row per process per sample with the
-- sample's time and the process's identity
CREATE VIEW proc_series AS
SELECT ps.process_id, p.pid, p.comm, ps.sample, s.t, ps.vm_rss, ps.rss_anon, ps.rss_file,
  ps.rss_shmem, ps.vm_swap, ps.rss_anon + coalesce(ps.vm_swap, 0) AS anon_total,
  ps.vm_size, ps.vm_data, ps.threads, ps.majflt, ps.minflt, ps.processor,
  ps.oom_score, ps.oom_score_adj
FROM proc_sample ps
JOIN process p ON p.id = ps.process_id
JOIN sample s ON s.id = ps.sample;

-- per-process fault rates between consecutive samples of the same process
CREATE VIEW proc_fault_rate AS
SELECT c.process_id, c.sample, sp.t,
  CASE WHEN c.majflt >= p.majflt AND sp.dt > 0 THEN (c.majflt - p.majflt) / sp.dt END AS majflt_per_s,
  CASE WHEN c.minflt >= p.minflt AND sp.dt > 0 THEN (c.minflt - p.minflt) / sp.dt END AS minflt_per_s
FROM proc_sample c
JOIN sample_pair sp ON sp.sample = c.sample
JOIN proc_sample p ON p.process_id = c.process_id AND p.sample = sp.prev;

CREATE VIEW rollup_series AS
SELECT r.process_id, p.pid, p.comm, r.sample, s.t, r.rss, r.pss, r.pss_anon, r.pss_file,
  r.pss_shmem, r.uss, r.swap, r.swap_pss
FROM proc_rollup r
JOIN process p ON p.id = r.process_id
JOIN sample s ON s.id = r.sample;
