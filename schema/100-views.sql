-- 100-views.sql: views that rules and people query.
--  * pivots of the long tables into the fields rules need;
--  * rates: counters turned into per-second rates between consecutive
--    samples; an interval where a counter went down (reset: reboot, cgroup
--    re-created, PID reused), or ends above 2^63-1 (a count below zero
--    printed unsigned: docs/schema.md, "Numbers above 2^63"), gives NULL,
--    and a gap (missing samples) simply widens dt_s;
--  * per-process time series.
-- Every view here is a time series: it has the sample, its time `t` (UTC
-- seconds since the epoch) and `t_utc` (the same as ISO 8601 text).  A
-- column with a unit says it in its name: _bytes, _pages, _s (seconds),
-- _per_s (per second of the interval), _share (0..1); a name without one
-- is a count, an identifier or text (docs/schema.md).

-- consecutive samples: (sample, prev, dt_s seconds on the monotonic clock)
CREATE VIEW sample_pair AS
SELECT sample, prev, dt_s, t, t_utc FROM (
  SELECT id AS sample, lag(id) OVER w AS prev, mono - lag(mono) OVER w AS dt_s, t, t_utc
  FROM sample WINDOW w AS (ORDER BY id))
WHERE prev IS NOT NULL;

-- meminfo pivoted, one row per sample; HugePages_Total is a count of huge
-- pages, every other column bytes
CREATE VIEW mem AS
SELECT m.sample, s.t, s.t_utc,
  max(CASE WHEN m.key = 'MemTotal' THEN m.value END)       AS mem_total_bytes,
  max(CASE WHEN m.key = 'MemFree' THEN m.value END)        AS mem_free_bytes,
  max(CASE WHEN m.key = 'MemAvailable' THEN m.value END)   AS mem_available_bytes,
  max(CASE WHEN m.key = 'Buffers' THEN m.value END)        AS buffers_bytes,
  max(CASE WHEN m.key = 'Cached' THEN m.value END)         AS cached_bytes,
  max(CASE WHEN m.key = 'SwapCached' THEN m.value END)     AS swap_cached_bytes,
  max(CASE WHEN m.key = 'Active(anon)' THEN m.value END)   AS active_anon_bytes,
  max(CASE WHEN m.key = 'Inactive(anon)' THEN m.value END) AS inactive_anon_bytes,
  max(CASE WHEN m.key = 'Active(file)' THEN m.value END)   AS active_file_bytes,
  max(CASE WHEN m.key = 'Inactive(file)' THEN m.value END) AS inactive_file_bytes,
  max(CASE WHEN m.key = 'Unevictable' THEN m.value END)    AS unevictable_bytes,
  max(CASE WHEN m.key = 'SwapTotal' THEN m.value END)      AS swap_total_bytes,
  max(CASE WHEN m.key = 'SwapFree' THEN m.value END)       AS swap_free_bytes,
  max(CASE WHEN m.key = 'Dirty' THEN m.value END)          AS dirty_bytes,
  max(CASE WHEN m.key = 'AnonPages' THEN m.value END)      AS anon_bytes,
  max(CASE WHEN m.key = 'Mapped' THEN m.value END)         AS mapped_bytes,
  max(CASE WHEN m.key = 'Shmem' THEN m.value END)          AS shmem_bytes,
  max(CASE WHEN m.key = 'Slab' THEN m.value END)           AS slab_bytes,
  max(CASE WHEN m.key = 'SReclaimable' THEN m.value END)   AS s_reclaimable_bytes,
  max(CASE WHEN m.key = 'SUnreclaim' THEN m.value END)     AS s_unreclaim_bytes,
  max(CASE WHEN m.key = 'KernelStack' THEN m.value END)    AS kernel_stack_bytes,
  max(CASE WHEN m.key = 'PageTables' THEN m.value END)     AS page_tables_bytes,
  max(CASE WHEN m.key = 'CommitLimit' THEN m.value END)    AS commit_limit_bytes,
  max(CASE WHEN m.key = 'Committed_AS' THEN m.value END)   AS committed_as_bytes,
  max(CASE WHEN m.key = 'AnonHugePages' THEN m.value END)  AS anon_huge_bytes,
  max(CASE WHEN m.key = 'HugePages_Total' THEN m.value END) AS hugepages_total
FROM meminfo m JOIN sample s ON s.id = m.sample GROUP BY m.sample;

-- every vmstat counter as a rate per second between consecutive samples, in
-- the counter's own unit (pages for pgpgin, pswpin ..., events for the rest)
CREATE VIEW vmstat_rate AS
SELECT sp.sample, sp.t, sp.t_utc, c.key,
  CASE WHEN c.value >= p.value AND c.value <= 9223372036854775807 AND sp.dt_s > 0
       THEN (c.value - p.value) / sp.dt_s END AS per_s,
  CASE WHEN c.value <= 9223372036854775807 AND p.value <= 9223372036854775807
       THEN c.value - p.value END AS delta
FROM sample_pair sp
JOIN vmstat c ON c.sample = sp.sample
JOIN vmstat p ON p.sample = sp.prev AND p.key = c.key;

-- numastat counters (pages allocated) per node per second
CREATE VIEW numastat_rate AS
SELECT sp.sample, sp.t, sp.t_utc, c.node, c.key,
  CASE WHEN c.value >= p.value AND c.value <= 9223372036854775807 AND sp.dt_s > 0
       THEN (c.value - p.value) / sp.dt_s END AS pages_per_s
FROM sample_pair sp
JOIN numastat c ON c.sample = sp.sample
JOIN numastat p ON p.sample = sp.prev AND p.node = c.node AND p.key = c.key;

-- PSI stall share of wall time between samples (0..1), from the totals
CREATE VIEW psi_rate AS
SELECT sp.sample, sp.t, sp.t_utc, c.scope, c.kind,
  CASE WHEN c.total >= p.total AND c.total <= 9223372036854775807 AND sp.dt_s > 0
       THEN (c.total - p.total) / 1e6 / sp.dt_s END AS stall_share
FROM sample_pair sp
JOIN psi c ON c.sample = sp.sample
JOIN psi p ON p.sample = sp.prev AND p.scope = c.scope AND p.kind = c.kind;

-- per-process time series: one row per process per sample with the
-- sample's time and the process's identity
CREATE VIEW proc_series AS
SELECT ps.process_id, p.pid, p.comm, ps.sample, s.t, s.t_utc,
  ps.vm_rss AS vm_rss_bytes, ps.rss_anon AS rss_anon_bytes, ps.rss_file AS rss_file_bytes,
  ps.rss_shmem AS rss_shmem_bytes, ps.vm_swap AS vm_swap_bytes,
  ps.rss_anon + coalesce(ps.vm_swap, 0) AS anon_total_bytes,
  ps.vm_size AS vm_size_bytes, ps.vm_data AS vm_data_bytes, ps.threads, ps.majflt, ps.minflt,
  ps.processor, ps.oom_score, ps.oom_score_adj
FROM proc_sample ps
JOIN process p ON p.id = ps.process_id
JOIN sample s ON s.id = ps.sample;

-- per-process fault rates between consecutive samples of the same process
CREATE VIEW proc_fault_rate AS
SELECT c.process_id, c.sample, sp.t, sp.t_utc,
  CASE WHEN c.majflt >= p.majflt AND c.majflt <= 9223372036854775807 AND sp.dt_s > 0
       THEN (c.majflt - p.majflt) / sp.dt_s END AS majflt_per_s,
  CASE WHEN c.minflt >= p.minflt AND c.minflt <= 9223372036854775807 AND sp.dt_s > 0
       THEN (c.minflt - p.minflt) / sp.dt_s END AS minflt_per_s
FROM proc_sample c
JOIN sample_pair sp ON sp.sample = c.sample
JOIN proc_sample p ON p.process_id = c.process_id AND p.sample = sp.prev;

-- smaps_rollup per process per tier-1 sample
CREATE VIEW rollup_series AS
SELECT r.process_id, p.pid, p.comm, r.sample, s.t, s.t_utc, r.rss AS rss_bytes, r.pss AS pss_bytes,
  r.pss_anon AS pss_anon_bytes, r.pss_file AS pss_file_bytes, r.pss_shmem AS pss_shmem_bytes,
  r.uss AS uss_bytes, r.swap AS swap_bytes, r.swap_pss AS swap_pss_bytes
FROM proc_rollup r
JOIN process p ON p.id = r.process_id
JOIN sample s ON s.id = r.sample;
