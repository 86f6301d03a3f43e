-- id: leak/process
-- severity: warning
-- title: A process's anonymous memory grows steadily (a leak)
-- explain: The process's anonymous memory, RssAnon + VmSwap from
--   /proc/PID/status on every sample (swapped-out leaked pages stay
--   counted), is cut into buckets of at least bucket_samples samples, and
--   the minimum of each bucket is kept: a leak raises the troughs, a
--   garbage collector's sawtooth only the peaks. When the series drops
--   sharply (by drop_pct and drop_min) three times or more, a bucket is
--   at least two of those periods wide. On the bucket minima the rule
--   asks for all of: a Mann-Kendall trend corrected for autocorrelation
--   (Hamed-Rao) with p below p_suspect, a Theil-Sen slope whose 90 %
--   lower bound is above zero, a saturation index (second-half slope over
--   first-half slope) of at least min_saturation and a last quarter that
--   still rises (these two reject a warm-up that levels off and a cache
--   that fills up to its bound), a linear fit with R^2 of at least
--   r2_suspect, no single rise between two buckets of more than
--   max_step_pct of the whole growth (one or two steps, such as a burst
--   of work or a configuration reload, are not a leak), a growth over the
--   window of at least min_growth and min_growth_pct of the first value,
--   and a rate of at least min_rate.
--
--   Confidence depends on how much data there was: a window shorter than
--   short_minutes is judged only when the evidence is strong (p below
--   p_likely and R^2 of at least r2_likely) and is a 'suspect'; a window
--   of likely_minutes or more with that strong evidence is 'likely'. The
--   rate is extrapolated to the host's MemAvailable + SwapFree and to the
--   limit of the process's memory cgroup and its ancestors (v1 and v2),
--   at the last sample: the finding is critical when even the lower
--   bound of the rate exhausts one of them within critical_hours.
--   Proportional set size (smaps_rollup), when captured, is reported as
--   corroboration.
-- action: Find what the process allocates and never frees: a heap
--   profiler (heaptrack, jemalloc/tcmalloc profiling, valgrind massif) or
--   the application's own metrics; see leak/mapping for the mapping that
--   grows when smaps was captured. If the growth is legitimate (a cache
--   without a bound, more clients), bound it. Until it is fixed, a
--   restart releases the memory; a memory cgroup limit contains it.
-- param: min_minutes = 5 min [0, inf) | the shortest window of a process that is judged at all
-- param: min_buckets = 12 [3, 4096] | the fewest buckets a trend is computed on
-- param: bucket_samples = 5 [1, inf) | the fewest samples in a bucket
-- param: max_buckets = 200 [3, 4096] | buckets are widened so that a process's series holds at most this many
-- param: drop_pct = 5 % (0, 100] | a fall between two samples of this share counts as a sawtooth drop ...
-- param: drop_min = 1 MiB [0, inf) | ... when it is at least this large too
-- param: min_drops = 3 [1, inf) | the fewest drops that make a sawtooth (whose period widens the buckets)
-- param: q = 64 KiB [0, inf) | Mann-Kendall compares values rounded to this (jitter counts as a tie); the change points' noise floor
-- param: min_segment = 6 [2, 4096] | the fewest buckets in a segment of the change-point search
-- param: seg_penalty = 3 (0, inf) | the cost of a change point, in units of the noise's variance times ln(buckets) (3: BIC)
-- param: p_suspect = 0.05 (0, 1] | the largest Hamed-Rao Mann-Kendall p-value that counts as a trend
-- param: p_likely = 0.01 (0, 1] | ... for strong evidence (needed for 'likely' and in short windows)
-- param: r2_suspect = 0.5 [0, 1] | the smallest R^2 of a linear fit to the bucket minima
-- param: r2_likely = 0.8 [0, 1] | ... for strong evidence
-- param: min_saturation = 0.5 [0, inf) | the smallest second-half over first-half slope ratio
-- param: p_tail = 0.2 (0, 1] | the last quarter rises when its Mann-Kendall S is above 0 or its p-value below this
-- param: max_step_pct = 40 % (0, 100] | the largest rise between two buckets, as a share of the whole growth
-- param: min_growth = 2 MiB [0, inf) | the smallest growth over the window (Theil-Sen slope x window)
-- param: min_growth_pct = 2 % [0, inf) | ... and this share of the first bucket's value
-- param: min_rate = 1 MiB/h [0, inf) | the smallest rate that counts
-- param: short_minutes = 30 min [0, inf) | windows shorter than this need strong evidence
-- param: likely_minutes = 120 min [0, inf) | windows at least this long with strong evidence are 'likely'
-- param: critical_hours = 24 h [0, inf) | critical when memory runs out sooner than this at the rate's lower bound
-- param: min_pss_samples = 5 [2, inf) | the fewest smaps_rollup samples for the PSS rate to be shown
-- param: pss_agree = 0.5 [0, inf) | PSS "grows too" at this share of the RSS rate or more; below, shared pages may explain the growth
-- param: thread_growth = 10 [0, inf) | threads that grew by this many ...
-- param: thread_growth_pct = 50 % [0, inf) | ... and this share are mentioned (a thread leak?)
-- needs: :min_minutes
-- needs: :min_buckets * :bucket_samples samples
-- unit: MiB/h | value, rate_mib_h, rate_lo_mib_h, rate_hi_mib_h, pss_anon_rate_mib_h
-- unit: MiB | growth_mib, first_mib, last_mib, rss_file_growth_mib, rss_shmem_growth_mib,
--   headroom_mib
-- unit: min | window_min
-- unit: s | sawtooth_period_s
-- unit: h | tte_h, tte_early_h, tte_late_h, onset_after_h
-- unit: % | largest_step_pct
-- unit: 1 | buckets, bucket_samples, sawtooth_drops, mk_p_hr, mk_p, mk_z_hr, tau,
--   n_over_n_star, r2, saturation, threads_first, threads_last, pss_samples, segments
-- unit: text | confidence, exhausts, cgroup
-- chart: process-memory capture
-- dashed: trend and extrapolation | WITH fit AS (
--     SELECT ts_slope(t, anon_total_bytes) AS slope, median(anon_total_bytes) AS y_mid, median(t) AS t_mid
--     FROM proc_series WHERE t BETWEEN :t_start AND :t_end AND process_id = (
--       SELECT p.id FROM process p JOIN sample a ON a.id = p.first_sample
--       JOIN sample b ON b.id = p.last_sample WHERE p.pid = CAST(:entity AS INTEGER)
--       AND a.t <= :t_end AND b.t >= :t_start ORDER BY p.id LIMIT 1)),
--   -- to the end of the window and on: as far as memory lasts, at most twice the window
--   x(t) AS (SELECT :t_start UNION ALL SELECT :t_end + CASE WHEN :tte_h > 0
--     THEN min(:tte_h * 3600, 2 * (:t_end - :t_start)) ELSE 0.5 * (:t_end - :t_start) END)
--   SELECT x.t, y_mid + slope * (x.t - t_mid) FROM x, fit WHERE slope IS NOT NULL ORDER BY x.t
WITH
-- every process with enough samples over a long enough window whose
-- anonymous memory moved by min_growth at all (one streaming pass in
-- primary-key order; the rest of the rule only reads these processes)
span AS (
  SELECT process_id, count(*) AS n,
         max(rss_anon + coalesce(vm_swap, 0)) - min(rss_anon + coalesce(vm_swap, 0)) AS range
  FROM proc_sample GROUP BY process_id
),
cand AS (
  SELECT p.id AS process_id, p.pid, p.comm, p.first_sample AS s_first,
         p.last_sample AS s_last, sf.t AS t_first, sl.t AS t_last,
         (sl.t - sf.t) / max(p.last_sample - p.first_sample, 1) AS dt
  FROM span r
  JOIN process p ON p.id = r.process_id
  JOIN sample sf ON sf.id = p.first_sample
  JOIN sample sl ON sl.id = p.last_sample
  WHERE r.range >= :min_growth * 1048576.0
    AND r.n >= :min_buckets * :bucket_samples
    AND sl.t - sf.t >= :min_minutes * 60
),
-- sawtooth drops: falls of drop_pct and drop_min from one sample to the next
drop_at AS (
  SELECT a.process_id,
         a.sample - lag(a.sample) OVER (PARTITION BY a.process_id ORDER BY a.sample) AS gap
  -- CROSS JOIN keeps this order: the candidates, then each one's samples
  -- by primary key (else SQLite may scan all of proc_sample against them)
  FROM cand c
  CROSS JOIN proc_sample a ON a.process_id = c.process_id
  JOIN proc_sample b ON b.process_id = a.process_id AND b.sample = a.sample + 1
  WHERE (a.rss_anon + coalesce(a.vm_swap, 0)) - (b.rss_anon + coalesce(b.vm_swap, 0))
        >= max(:drop_pct / 100.0 * (a.rss_anon + coalesce(a.vm_swap, 0)), :drop_min * 1048576.0)
),
saw AS (
  SELECT process_id, count(*) AS drops, median(gap) AS period
  FROM drop_at GROUP BY process_id HAVING count(*) >= :min_drops
),
-- samples per bucket: bucket_samples, at most max_buckets, two sawtooth periods
width AS (
  SELECT c.*, coalesce(saw.drops, 0) AS drops,
         coalesce(saw.period, 0) * c.dt AS saw_period,
         max(:bucket_samples,
             (c.s_last - c.s_first + :max_buckets) / :max_buckets,
             CAST(2 * coalesce(saw.period, 0) + 0.999 AS INTEGER)) AS k
  FROM cand c LEFT JOIN saw USING (process_id)
),
-- each bucket's minimum, at the sample where it was (SQLite: with a
-- single min() in a query, the bare column s_min is taken from the row
-- that holds the minimum): the trough envelope is made of real samples,
-- so a leak's onset is not shifted by half a bucket
bucket AS (
  SELECT ps.process_id, (ps.sample - w.s_first) / w.k AS b,
         min(ps.rss_anon + coalesce(ps.vm_swap, 0)) AS y, ps.sample AS s_min, count(*) AS n
  FROM width w
  CROSS JOIN proc_sample ps ON ps.process_id = w.process_id   -- each candidate's samples
  WHERE ps.rss_anon IS NOT NULL
  GROUP BY ps.process_id, b
  HAVING count(*) >= 2   -- a minimum of one sample is no trough
),
bpt AS (
  SELECT b.*, s.t, p.rss_file AS file, p.rss_shmem AS shmem, p.threads
  FROM bucket b JOIN sample s ON s.id = b.s_min
  JOIN proc_sample p ON p.process_id = b.process_id AND p.sample = b.s_min
),
-- the trough series cut where it changes (segments() and onset(), PELT):
-- the growth judged is the trailing run of segments that rise at min_rate
-- or faster, from its onset to the last sample; a series whose last
-- segment does not rise has no onset
onset AS (
  SELECT process_id,
         onset(t, y, :min_rate * 1048576.0 / 3600, :min_segment, :seg_penalty, :q * 1024) AS t_on,
         json_array_length(segments(t, y, :min_segment, :seg_penalty, :q * 1024), '$.segments')
           AS nseg
  FROM bpt GROUP BY process_id HAVING count(*) >= :min_buckets AND t_on IS NOT NULL
),
rbpt AS (   -- the buckets from the onset, with each rise from one to the next
  SELECT b.*, b.y - lag(b.y) OVER (PARTITION BY b.process_id ORDER BY b.b) AS jump
  FROM bpt b JOIN onset o ON o.process_id = b.process_id AND b.t >= o.t_on
),
prior AS (   -- the highest trough before the onset
  SELECT b.process_id, max(b.y) AS y_prior
  FROM bpt b JOIN onset o ON o.process_id = b.process_id AND b.t < o.t_on
  GROUP BY b.process_id
),
tr AS (
  SELECT process_id, count(*) AS nb, min(b) AS b_first, max(b) AS b_last, min(s_min) AS s_on,
         max(jump) AS max_jump, trend(t, y, :q * 1024) AS j
  FROM rbpt GROUP BY process_id HAVING count(*) >= :min_buckets
),
ends AS (   -- first and last bucket of each series
  SELECT f.process_id, f.file AS file0, l.file AS file1, f.shmem AS shmem0,
         l.shmem AS shmem1, f.threads AS thr0, l.threads AS thr1
  FROM tr
  JOIN rbpt f ON f.process_id = tr.process_id AND f.b = tr.b_first
  JOIN rbpt l ON l.process_id = tr.process_id AND l.b = tr.b_last
),
tail AS (   -- the last quarter of the buckets must not be flat or falling
  SELECT r.process_id, mk_s(r.t, r.y, :q * 1024) AS s_tail,
         mk_p_inc(r.t, r.y, :q * 1024) AS p_tail
  FROM rbpt r JOIN tr ON tr.process_id = r.process_id
  WHERE r.b >= tr.b_first + 0.75 * (tr.b_last - tr.b_first)   -- the last quarter
  GROUP BY r.process_id
),
stat AS (
  SELECT w.process_id, w.pid, w.comm, w.s_first, w.s_last, w.drops, w.saw_period,
         w.k, tr.nb, tr.s_on, tr.max_jump, o.nseg, pr.y_prior,
         json_extract(j, '$.t_first') AS bt0, json_extract(j, '$.t_last') AS bt1,
         json_extract(j, '$.y_first') AS y0, json_extract(j, '$.y_last') AS y1,
         json_extract(j, '$.ts_slope') AS slope, json_extract(j, '$.ts_lo') AS lo,
         json_extract(j, '$.ts_hi') AS hi, json_extract(j, '$.ols_r2') AS r2,
         json_extract(j, '$.mk_p_inc_hr') AS p, json_extract(j, '$.mk_p_inc') AS p_raw,
         json_extract(j, '$.mk_z_hr') AS z, json_extract(j, '$.tau') AS tau,
         json_extract(j, '$.hr_ratio') AS hr_ratio,
         json_extract(j, '$.saturation') AS sat,
         w.t_first, w.t_last, tail.s_tail, tail.p_tail
  FROM width w JOIN tr USING (process_id) JOIN tail USING (process_id)
  JOIN onset o USING (process_id) LEFT JOIN prior pr USING (process_id)
),
-- the tests; D is the span of the bucket series since the onset
judged AS (
  SELECT s.*, s.bt1 - s.bt0 AS d, s.slope * (s.bt1 - s.bt0) AS growth,
         CASE
           WHEN s.bt1 - s.bt0 >= :likely_minutes * 60 AND s.p < :p_likely
                AND s.r2 >= :r2_likely THEN 'likely'
           WHEN s.bt1 - s.bt0 < :short_minutes * 60
                AND NOT (s.p < :p_likely AND s.r2 >= :r2_likely) THEN NULL
           ELSE 'suspect'
         END AS confidence
  FROM stat s
  WHERE s.p < :p_suspect AND s.lo > 0 AND s.r2 >= :r2_suspect
    AND s.sat >= :min_saturation
    AND (s.s_tail > 0 OR s.p_tail < :p_tail)
    AND s.max_jump <= :max_step_pct / 100.0 * (s.y1 - s.y0)
    AND s.slope * (s.bt1 - s.bt0) >= max(:min_growth * 1048576.0,
                                         :min_growth_pct / 100.0 * s.y0)
    AND s.slope * 3600 >= :min_rate * 1048576.0
    -- a new high: growth that only returns to an earlier level is not a leak
    AND (s.y_prior IS NULL OR s.y1 - s.y_prior >= max(:min_growth * 1048576.0,
                                                      :min_growth_pct / 100.0 * s.y0))
),
found AS (
  SELECT j.*, e.file0, e.file1, e.shmem0, e.shmem1, e.thr0, e.thr1
  FROM judged j JOIN ends e USING (process_id)
  WHERE j.confidence IS NOT NULL
),
-- smaps_rollup: PSS of anonymous memory + swap since the onset, as
-- corroboration: its minimum in at most max_buckets time buckets
pss_pt AS (
  SELECT f.process_id, count(*) AS n,
         min(s.t) AS t, min(r.pss_anon + coalesce(r.swap_pss, 0)) AS y
  FROM found f
  JOIN proc_rollup r ON r.process_id = f.process_id
    AND r.sample BETWEEN f.s_on AND f.s_last
  JOIN sample s ON s.id = r.sample
  WHERE r.pss_anon IS NOT NULL
  GROUP BY f.process_id, CAST((s.t - f.bt0) * :max_buckets / max(f.bt1 - f.bt0, 1) AS INTEGER)
),
pss AS (
  SELECT process_id, sum(n) AS n_pss, ts_slope(t, y) AS pss_slope
  FROM pss_pt GROUP BY process_id
),
-- headroom at the last sample: the host, and every memory cgroup the
-- process is in (its own and its ancestors) that has a limit
last_s AS (SELECT max(id) AS s FROM sample),
host AS (
  SELECT sum(CASE WHEN key = 'MemAvailable' THEN value END)
         + coalesce(sum(CASE WHEN key = 'SwapFree' THEN value END), 0) AS room
  FROM meminfo WHERE sample = (SELECT max(sample) FROM meminfo)
),
memcg AS (   -- the process's last membership in each memory hierarchy
  SELECT f.process_id, pc.hierarchy, pc.path, c.version, max(pc.last_sample) AS s_memb
  FROM found f
  JOIN proc_cgroup pc ON pc.process_id = f.process_id
  JOIN (SELECT DISTINCT version FROM cgroup) c
    ON (c.version = 2 AND pc.hierarchy = 0)
    OR (c.version = 1 AND pc.hierarchy > 0 AND ',' || pc.controllers || ',' LIKE '%,memory,%')
  GROUP BY f.process_id, pc.hierarchy
),
cg_lim AS (
  SELECT m.process_id, c.rel, c.id,
         (SELECT max(sample) FROM cgroup_value WHERE cgroup_id = c.id) AS s
  FROM memcg m
  JOIN cgroup c ON c.version = m.version
   AND (c.rel = m.path OR c.rel = '/'
        OR substr(m.path, 1, length(c.rel) + 1) = c.rel || '/')
),
cg_room AS (
  SELECT l.process_id, l.rel,
         lim.value - (use.value - coalesce(
           (SELECT value FROM cgroup_value x
            WHERE x.cgroup_id = l.id
              AND x.key IN ('memory.stat:inactive_file', 'memory.stat:total_inactive_file')
            ORDER BY x.sample DESC, x.key DESC LIMIT 1), 0)) AS room,
         lim.value AS lim
  FROM cg_lim l
  JOIN cgroup_value lim ON lim.cgroup_id = l.id AND lim.sample = l.s
   AND lim.key IN ('memory.max', 'memory.limit_in_bytes')
   AND lim.value IS NOT NULL AND lim.unlimited = 0
  JOIN cgroup_value use ON use.cgroup_id = l.id AND use.sample = l.s
   AND use.key IN ('memory.current', 'memory.usage_in_bytes')
  WHERE lim.value < 4611686018427387904
),
cg_min AS (
  SELECT process_id, rel, max(min(room), 0) AS room, lim
  FROM cg_room GROUP BY process_id
),
fin AS (
  SELECT f.*, p.n_pss, p.pss_slope, cg.rel AS cg_rel, cg.room AS cg_room, cg.lim AS cg_lim,
         host.room AS host_room,
         CASE WHEN cg.room IS NOT NULL AND (host.room IS NULL OR cg.room < host.room)
              THEN 'cgroup' ELSE 'host' END AS bound,
         CASE WHEN cg.room IS NOT NULL AND (host.room IS NULL OR cg.room < host.room)
              THEN cg.room ELSE host.room END AS room,
         f.s_last = last_s.s AS alive
  FROM found f
  LEFT JOIN pss p USING (process_id)
  LEFT JOIN cg_min cg USING (process_id)
  CROSS JOIN host CROSS JOIN last_s
),
fin2 AS (
  SELECT fin.*,
         CASE WHEN alive AND room IS NOT NULL THEN room / slope END AS tte,
         CASE WHEN alive AND room IS NOT NULL THEN room / hi END AS tte_early,
         CASE WHEN alive AND room IS NOT NULL THEN room / lo END AS tte_late,
         slope * 3600 / 1048576.0 AS rate, lo * 3600 / 1048576.0 AS rate_lo,
         hi * 3600 / 1048576.0 AS rate_hi,
         CASE WHEN n_pss >= :min_pss_samples THEN pss_slope * 3600 / 1048576.0 END AS pss_rate
  FROM fin
),
-- text pieces
txt AS (
  SELECT fin2.*,
    fmt_bytes(growth) AS growth_txt, fmt_bytes(y0, 2) AS y0_txt, fmt_bytes(y1, 2) AS y1_txt,
    fmt_duration(d) AS d_txt, fmt_bytes(room) AS room_txt, fmt_duration(tte, 'eta') AS tte_txt,
    -- the range only when it is at least 5 % wide (else it says nothing)
    CASE WHEN tte_late >= 1.05 * tte_early
         THEN fmt_duration_range(tte_early, tte_late, 'eta') END AS tte_ci_txt,
    fmt_p(p) AS p_txt, fmt_rate(rate) AS rate_txt, fmt_rate_range(rate_lo, rate_hi) AS ci_txt
  FROM fin2
)
SELECT 'process' AS entity_kind,
       process_id,
       bt0 AS t_start, bt1 AS t_end,
       round(rate, 3) AS value,
       CASE WHEN tte_late < :critical_hours * 3600 THEN 'critical' ELSE 'warning' END AS severity,
       (CASE confidence WHEN 'likely' THEN 'Likely leak: ' ELSE 'Suspected leak: ' END)
       || 'anonymous memory (RssAnon + VmSwap, bucket minima) grew ' || growth_txt
       || ' in ' || d_txt
       || CASE WHEN y_prior IS NOT NULL
               THEN ', starting ' || fmt_duration(bt0 - t_first) || ' after its first sample'
               ELSE '' END
       || ', from ' || y0_txt || ' to ' || y1_txt
       || ' (' || rate_txt || ' MiB/h, Theil-Sen 90 % CI ' || ci_txt
       || ' MiB/h, Mann-Kendall p ' || p_txt || printf(', R² %.2f)', r2)
       || CASE WHEN tte IS NULL AND NOT alive THEN '; the process exited before the end of the capture'
               WHEN tte IS NULL THEN ''
               WHEN bound = 'cgroup' THEN '; at this rate its memory cgroup ' || cg_rel
                    || ' reaches its limit (' || room_txt || ' left) in ' || tte_txt
               ELSE '; at this rate the host''s ' || room_txt
                    || ' of available memory and swap last ' || tte_txt END
       || CASE WHEN tte_ci_txt IS NOT NULL THEN ' (' || tte_ci_txt || ')' ELSE '' END
       || CASE WHEN pss_rate IS NULL THEN ''
               WHEN pss_rate >= :pss_agree * rate
                 THEN printf('; PSS of anonymous memory and swap grows %.1f MiB/h too', pss_rate)
               ELSE printf('; but its PSS of anonymous memory and swap grows only %.2f MiB/h '
                           || '(shared pages, e.g. after fork, may explain part of it)', pss_rate) END
       || CASE WHEN thr1 >= thr0 + :thread_growth AND thr1 >= (1 + :thread_growth_pct / 100.0) * thr0
               THEN printf('; its threads grew from %d to %d (a thread leak?)', thr0, thr1)
               ELSE '' END
       || CASE WHEN d < :short_minutes * 60
               THEN printf('. Only %.0f minutes of data: record longer to confirm.', d / 60.0)
               ELSE '.' END AS message,
       confidence,
       round(growth / 1048576.0, 3) AS growth_mib,
       round(rate, 3) AS rate_mib_h, round(rate_lo, 3) AS rate_lo_mib_h,
       round(rate_hi, 3) AS rate_hi_mib_h,
       round(y0 / 1048576.0, 3) AS first_mib, round(y1 / 1048576.0, 3) AS last_mib,
       round(d / 60.0, 1) AS window_min,
       CASE WHEN y_prior IS NOT NULL THEN round((bt0 - t_first) / 3600.0, 2) END AS onset_after_h,
       nseg AS segments,
       nb AS buckets, k AS bucket_samples,
       drops AS sawtooth_drops, round(saw_period, 1) AS sawtooth_period_s,
       p AS mk_p_hr, p_raw AS mk_p, round(z, 3) AS mk_z_hr, round(tau, 3) AS tau,
       round(hr_ratio, 3) AS n_over_n_star, round(r2, 4) AS r2,
       round(min(sat, 1e6), 3) AS saturation,
       round(max_jump * 100.0 / (y1 - y0), 1) AS largest_step_pct,
       round((file1 - file0) / 1048576.0, 3) AS rss_file_growth_mib,
       round((shmem1 - shmem0) / 1048576.0, 3) AS rss_shmem_growth_mib,
       thr0 AS threads_first, thr1 AS threads_last,
       round(pss_rate, 3) AS pss_anon_rate_mib_h, n_pss AS pss_samples,
       bound AS exhausts, cg_rel AS cgroup, round(room / 1048576.0, 1) AS headroom_mib,
       round(tte / 3600.0, 2) AS tte_h, round(tte_early / 3600.0, 2) AS tte_early_h,
       round(tte_late / 3600.0, 2) AS tte_late_h
FROM txt
ORDER BY rate DESC
