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

-- node meminfo pivoted, one row per sample and NUMA node (bytes but for
-- hugepages_total, a count), with mono_s (sample.mono: durations) and the
-- node's high watermark: the sum over its zones of zoneinfo's high less
-- boost (a temporary raise after fragmentation events; 0 on kernels
-- without it), in bytes, carried forward from the last sample with a
-- zoneinfo (before the first one: the first one's)
CREATE VIEW node_mem AS
WITH
wm AS MATERIALIZED (
  SELECT sample, node,
    (sum(CASE key WHEN 'high' THEN value END) - coalesce(sum(CASE key WHEN 'boost' THEN value END), 0))
      * (SELECT page_size FROM host_last) AS high_bytes
  FROM zoneinfo WHERE key IN ('high', 'boost')
  GROUP BY sample, node),
nm AS (
  SELECT n.sample, n.node,
    max(CASE n.key WHEN 'MemTotal' THEN n.value END) AS total,
    max(CASE n.key WHEN 'MemFree' THEN n.value END) AS free,
    max(CASE n.key WHEN 'FilePages' THEN n.value END) AS file,
    max(CASE n.key WHEN 'AnonPages' THEN n.value END) AS anon,
    max(CASE n.key WHEN 'HugePages_Total' THEN n.value END) AS hp,
    w.high_bytes AS wm_here
  FROM node_meminfo n LEFT JOIN wm w ON w.sample = n.sample AND w.node = n.node
  WHERE n.key IN ('MemTotal', 'MemFree', 'FilePages', 'AnonPages', 'HugePages_Total')
  GROUP BY n.sample, n.node),
-- wg grows at each sample with a watermark: within a group it carries forward
nmw AS (
  SELECT nm.*, count(wm_here) OVER (PARTITION BY node ORDER BY sample) AS wg FROM nm)
SELECT nmw.sample, s.t, s.t_utc, s.mono AS mono_s, nmw.node,
  total AS mem_total_bytes, free AS mem_free_bytes, file AS file_pages_bytes,
  anon AS anon_pages_bytes, hp AS hugepages_total,
  coalesce(max(wm_here) OVER (PARTITION BY nmw.node, wg),
    (SELECT w.high_bytes FROM wm w WHERE w.node = nmw.node ORDER BY w.sample LIMIT 1))
    AS high_watermark_bytes
FROM nmw JOIN sample s ON s.id = nmw.sample;

-- not a time series: each NUMA node whose CPU list was recorded
-- (/sys/devices/system/node/nodeN/cpulist, the latest record), has_cpu 0
-- for a node without CPUs (memory only: CXL, a hot-plugged DIMM); a node
-- not recorded has no row
CREATE VIEW node_cpu AS
SELECT CAST(substr(h.path, 30, length(h.path) - 37) AS INTEGER) AS node,
       trim(h.content, ' ' || char(10)) <> '' AS has_cpu
FROM host_file h
WHERE h.path GLOB '/sys/devices/system/node/node[0-9]*/cpulist' AND h.status = 'ok'
  AND h.sample = (SELECT max(x.sample) FROM host_file x WHERE x.path = h.path AND x.status = 'ok');

-- not a time series: the growth since its onset of each kernel-memory
-- series that a leak rule judges (Shmem: leak/shmem, SUnreclaim:
-- leak/slab), one row a series that ends in a rise; the rules apply their
-- thresholds to it.  The recording is cut into buckets of at least 5
-- samples (at most 200 buckets: a week at 10 s is 302-sample buckets) and
-- each bucket's median taken; onset() (docs/stats.md) finds the trailing
-- run of segments rising at 1 MiB/h or faster (segments of at least 6
-- buckets, the BIC penalty 3, a noise floor of 256 KiB), and the trend
-- statistics are those of the buckets from the onset on (Mann-Kendall on
-- values rounded to 256 KiB).  Times are epoch seconds (bucket means);
-- first_* and last_* are the run's first and last bucket, prior_bytes the
-- highest bucket before it, tail_* Mann-Kendall over its last quarter.
CREATE VIEW meminfo_rise AS
WITH
w AS (SELECT min(id) AS s0, max(5, (max(id) - min(id) + 200) / 200) AS k FROM sample),
bucket AS (
  SELECT m.key, (m.sample - w.s0) / w.k AS b, median(m.value) AS y, avg(s.t) AS t,
         min(m.sample) AS s_lo, max(m.sample) AS s_hi
  FROM meminfo m JOIN sample s ON s.id = m.sample CROSS JOIN w
  WHERE m.key IN ('Shmem', 'SUnreclaim')
  GROUP BY m.key, b HAVING count(*) >= 2),
onset AS (
  SELECT key, count(*) AS n_all, min(t) AS t_series,
         onset(t, y, 1048576.0 / 3600, 6, 3, 262144) AS t_on
  FROM bucket GROUP BY key),
run AS (SELECT b.* FROM bucket b JOIN onset o ON o.key = b.key AND b.t >= o.t_on),
tr AS (
  SELECT key, count(*) AS n, min(b) AS b_first, max(b) AS b_last, ts_slope(t, y) AS slope,
    ts_lo(t, y) AS lo, ts_hi(t, y) AS hi, ols_r2(t, y) AS r2, mk_p_inc_hr(t, y, 262144) AS p_hr,
    mk_p_inc(t, y, 262144) AS p, mk_z(t, y, 262144) AS z, mk_z_hr(t, y, 262144) AS z_hr,
    saturation(t, y) AS sat
  FROM run GROUP BY key),
tail AS (
  SELECT r.key, mk_s(r.t, r.y, 262144) AS s, mk_p_inc(r.t, r.y, 262144) AS p
  FROM run r JOIN tr ON tr.key = r.key
  WHERE r.b >= tr.b_first + 0.75 * (tr.b_last - tr.b_first)
  GROUP BY r.key)
SELECT o.key, o.n_all AS buckets_all, tr.n AS buckets, o.t_series,
  (SELECT max(b.y) FROM bucket b WHERE b.key = o.key AND b.t < o.t_on) AS prior_bytes,
  f.t AS t_first, l.t AS t_last, f.y AS first_bytes, l.y AS last_bytes,
  tr.slope AS slope_bytes_s, tr.lo AS slope_lo_bytes_s, tr.hi AS slope_hi_bytes_s, tr.r2,
  tr.p_hr AS mk_p_hr, tr.p AS mk_p,
  CASE WHEN tr.z_hr <> 0 THEN max(1.0, (tr.z / tr.z_hr) * (tr.z / tr.z_hr)) END AS n_over_n_star,
  tr.sat AS saturation, tail.s AS tail_mk_s, tail.p AS tail_mk_p,
  f.s_lo AS first_sample_lo, f.s_hi AS first_sample_hi, l.s_lo AS last_sample_lo,
  l.s_hi AS last_sample_hi
FROM onset o
JOIN tr ON tr.key = o.key
JOIN tail ON tail.key = o.key
JOIN bucket f ON f.key = o.key AND f.b = tr.b_first
JOIN bucket l ON l.key = o.key AND l.b = tr.b_last;

-- not a time series: PSI between two samples, any two: the share of the
-- time between them (monotonic clock) stalled, 0..1; NULL when the total
-- went down (a reset) or ends above 2^63-1.  A join of psi with itself:
-- query it with both samples given (s_from and s_to, as the episode rules
-- do with an episode's first and last sample), and it costs two lookups.
CREATE VIEW psi_between AS
SELECT a.sample AS s_from, b.sample AS s_to, a.scope, a.kind,
  CASE WHEN b.total >= a.total AND b.total <= 9223372036854775807 AND sb.mono > sa.mono
       THEN (b.total - a.total) / 1e6 / (sb.mono - sa.mono) END AS stall_share
FROM psi a
JOIN psi b ON b.scope = a.scope AND b.kind = a.kind
JOIN sample sa ON sa.id = a.sample
JOIN sample sb ON sb.id = b.sample;
