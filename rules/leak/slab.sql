-- id: leak/slab
-- severity: warning
-- title: Unreclaimable kernel slab memory (SUnreclaim) grows towards a large share of RAM
-- explain: /proc/meminfo SUnreclaim is kernel memory in slab caches that
--   reclaim cannot free: socket buffers, file and inode objects held open,
--   kernel bookkeeping, driver allocations. It is normally well under 3 %
--   of RAM; a kernel object leak (a driver bug, descriptors or sockets
--   piling up, data queued on sockets nobody reads) makes it climb until
--   the host runs out of memory with no process to blame. The rule judges
--   the meminfo_rise view (docs/schema.md), shared with leak/shmem: the
--   capture cut into buckets of at least 5 samples (at most 200), each
--   bucket's median, the series cut where it changes (change points, as
--   leak/process) and the trailing run of segments rising at 1 MiB/h or
--   faster, from its onset to the end; its end must be a new high over
--   the buckets before the onset, so growth that stopped is not reported.
--   A finding needs a Mann-Kendall trend corrected for
--   autocorrelation (Hamed-Rao) with p below p_suspect, a Theil-Sen 90 %
--   lower bound above zero, a saturation index (second-half slope over
--   first-half slope) of at least min_saturation, R^2 of at least
--   r2_suspect, a growth of at least min_growth, and a level that matters:
--   SUnreclaim already at level_pct of MemTotal, or reaching project_pct
--   of it within horizon_days at the Theil-Sen rate. The projection never
--   reaches further than horizon_factor times the capture's length (a
--   10-minute capture is extrapolated by an hour at most), so that a short
--   burst of socket traffic is not projected over a week.
--
--   Confidence: windows shorter than short_minutes need p below p_likely
--   and R^2 of at least r2_likely and give a 'suspect'; likely_minutes or
--   more with that evidence give 'likely'. Critical when even the rate's
--   lower bound uses up MemAvailable + SwapFree within critical_hours.
--   With cgroup v2, the deepest memory cgroup whose slab_unreclaimable
--   grew by at least half as much is named.
-- action: Find the slab cache that grows: slabtop -s c, or sort
--   /proc/slabinfo by num_objs x objsize (root), twice a few minutes apart.
--   Its name points at the subsystem (skbuff_* and kmalloc-* with socket
--   queues: ss -tuxm and look for large Recv-Q/Send-Q; filp and dentry
--   with many open descriptors: ls /proc/*/fd | wc -l). A driver or kernel
--   bug may need a kernel update; killing the process that holds the
--   objects (sockets, descriptors) releases them.
-- param: min_minutes = 5 min [0, inf) | the shortest capture judged at all
-- param: min_buckets = 12 [3, 4096] | the fewest buckets a trend is computed on
-- param: p_suspect = 0.05 (0, 1] | the largest Hamed-Rao Mann-Kendall p-value that counts as a trend
-- param: p_likely = 0.01 (0, 1] | ... for strong evidence (needed for 'likely' and in short windows)
-- param: r2_suspect = 0.5 [0, 1] | the smallest R^2 of a linear fit to the bucket medians
-- param: r2_likely = 0.8 [0, 1] | ... for strong evidence
-- param: min_saturation = 0.5 [0, inf) | the smallest second-half over first-half slope ratio
-- param: min_growth = 32 MiB [0, inf) | the smallest growth over the window
-- param: cgroup_share = 50 % [0, 100] | (cgroup v2) the deepest memory cgroup whose slab grew by at least this share of the growth is named
-- param: level_pct = 10 % [0, 100] | SUnreclaim at this share of MemTotal is reported with a trend ...
-- param: project_pct = 20 % [0, 100] | ... or when the trend reaches this share ...
-- param: horizon_days = 7 days (0, inf) | ... within this time ...
-- param: horizon_factor = 6 (0, inf) | ... but at most this many times the capture's length
-- param: short_minutes = 30 min [0, inf) | windows shorter than this need strong evidence
-- param: likely_minutes = 360 min [0, inf) | windows at least this long with strong evidence are 'likely'
-- param: critical_hours = 24 h [0, inf) | critical when memory runs out sooner than this at the rate's lower bound
-- needs: :min_minutes
-- needs: :min_buckets * 5 samples
-- unit: MiB/h | value, rate_mib_h, rate_lo_mib_h, rate_hi_mib_h
-- unit: MiB | growth_mib, first_mib, last_mib, projected_mib, cgroup_slab_growth_mib,
--   headroom_mib
-- unit: % | last_pct_of_ram
-- unit: h | horizon_h, tte_h, tte_early_h, tte_late_h, onset_after_h
-- unit: min | window_min
-- unit: 1 | buckets, mk_p_hr, mk_p, n_over_n_star, r2, saturation
-- unit: text | confidence, cgroup
-- chart: bytes | Kernel slab
-- line: SUnreclaim | SELECT t, s_unreclaim_bytes FROM mem ORDER BY sample
-- line: SReclaimable | SELECT t, s_reclaimable_bytes FROM mem ORDER BY sample
WITH
-- the growth since its onset (the meminfo_rise view, docs/schema.md:
-- buckets, change points, the trend from the onset); growth that stopped,
-- or that only returns to an earlier level, is not reported
stat AS (
  SELECT g.t_first AS bt0, g.t_last AS bt1, g.first_bytes AS y0, g.last_bytes AS y1,
    g.slope_bytes_s AS slope, g.slope_lo_bytes_s AS lo, g.slope_hi_bytes_s AS hi, g.r2,
    g.mk_p_hr AS p, g.mk_p AS p_raw, g.n_over_n_star AS hr_ratio, g.saturation AS sat,
    g.buckets AS nb, g.t_series, g.prior_bytes AS y_prior,
    g.first_sample_lo AS f_lo, g.last_sample_hi AS l_hi,
    (SELECT value FROM meminfo WHERE key = 'MemTotal' ORDER BY sample DESC LIMIT 1) AS mem_total
  FROM meminfo_rise g
  WHERE g.key = 'SUnreclaim' AND g.buckets_all >= :min_buckets AND g.buckets >= :min_buckets
),
judged AS (
  SELECT s.*, s.bt1 - s.bt0 AS d, s.slope * (s.bt1 - s.bt0) AS growth,
         min(:horizon_days * 86400.0, :horizon_factor * (s.bt1 - s.bt0)) AS horizon,
         CASE
           WHEN s.bt1 - s.bt0 >= :likely_minutes * 60 AND s.p < :p_likely
                AND s.r2 >= :r2_likely THEN 'likely'
           WHEN s.bt1 - s.bt0 < :short_minutes * 60
                AND NOT (s.p < :p_likely AND s.r2 >= :r2_likely) THEN NULL
           ELSE 'suspect'
         END AS confidence
  FROM stat s
  WHERE s.bt1 - s.bt0 >= :min_minutes * 60
    AND s.p < :p_suspect AND s.lo > 0 AND s.r2 >= :r2_suspect
    AND s.sat >= :min_saturation
    AND s.slope * (s.bt1 - s.bt0) >= :min_growth * 1048576.0
    AND (s.y_prior IS NULL OR s.y1 - s.y_prior >= :min_growth * 1048576.0)   -- a new high
),
found AS (
  SELECT j.*, j.y1 + j.slope * j.horizon AS projected
  FROM judged j
  WHERE j.confidence IS NOT NULL
    AND (j.y1 >= :level_pct / 100.0 * j.mem_total
         OR j.y1 + j.slope * j.horizon >= :project_pct / 100.0 * j.mem_total)
),
-- cgroup v2: slab_unreclaimable per memory cgroup (hierarchical)
cg_slab AS (
  SELECT c.rel,
         (SELECT v.value FROM cgroup_value v
          WHERE v.cgroup_id = c.id AND v.key = 'memory.stat:slab_unreclaimable'
            AND v.sample >= f.f_lo ORDER BY v.sample LIMIT 1) AS v0,
         (SELECT v.value FROM cgroup_value v
          WHERE v.cgroup_id = c.id AND v.key = 'memory.stat:slab_unreclaimable'
            AND v.sample <= f.l_hi ORDER BY v.sample DESC LIMIT 1) AS v1,
         f.growth
  FROM cgroup c CROSS JOIN found f
  WHERE c.version = 2
),
cg_best AS (
  SELECT rel, v1 - v0 AS g, max(length(rel)) AS depth
  FROM cg_slab WHERE rel <> '/' AND v1 - v0 >= :cgroup_share / 100.0 * growth
),
host AS (
  SELECT sum(CASE WHEN key = 'MemAvailable' THEN value END)
         + coalesce(sum(CASE WHEN key = 'SwapFree' THEN value END), 0) AS room
  FROM meminfo WHERE sample = (SELECT max(sample) FROM meminfo)
),
fin AS (
  SELECT f.*,
         (SELECT rel FROM cg_best WHERE rel IS NOT NULL) AS cg_rel,
         (SELECT g FROM cg_best WHERE rel IS NOT NULL) AS cg_growth,
         host.room, host.room / f.slope AS tte, host.room / f.hi AS tte_early,
         host.room / f.lo AS tte_late,
         f.slope * 3600 / 1048576.0 AS rate, f.lo * 3600 / 1048576.0 AS rate_lo,
         f.hi * 3600 / 1048576.0 AS rate_hi
  FROM found f CROSS JOIN host
),
txt AS (
  SELECT fin.*,
    fmt_bytes(growth) AS growth_txt, fmt_bytes(y0, 2) AS y0_txt, fmt_bytes(y1, 2) AS y1_txt,
    fmt_bytes(projected, 1, 0) AS proj_txt, fmt_duration(horizon) AS horizon_txt,
    fmt_duration(d) AS d_txt, fmt_bytes(room, NULL, 0) AS room_txt,
    fmt_duration(tte, 'eta') AS tte_txt,
    CASE WHEN tte_late >= 1.05 * tte_early
         THEN fmt_duration_range(tte_early, tte_late, 'eta') END AS tte_ci_txt,
    fmt_p(p) AS p_txt, fmt_rate(rate) AS rate_txt, fmt_rate_range(rate_lo, rate_hi) AS ci_txt
  FROM fin
)
SELECT 'system' AS entity_kind, 'SUnreclaim' AS entity,
       bt0 AS t_start, bt1 AS t_end,
       round(rate, 3) AS value,
       CASE WHEN tte_late < :critical_hours * 3600 THEN 'critical' ELSE 'warning' END AS severity,
       (CASE confidence WHEN 'likely' THEN 'Likely' ELSE 'Suspected' END)
       || ' kernel memory leak: unreclaimable slab (SUnreclaim) grew ' || growth_txt
       || ' in ' || d_txt
       || CASE WHEN y_prior IS NOT NULL
               THEN ', starting ' || fmt_duration(bt0 - t_series) || ' into the recording'
               ELSE '' END
       || ', from ' || y0_txt || ' to ' || y1_txt
       || printf(' (%.1f %% of RAM)', 100.0 * y1 / mem_total)
       || ' (' || rate_txt || ' MiB/h, Theil-Sen 90 % CI ' || ci_txt
       || ' MiB/h, Mann-Kendall p ' || p_txt || printf(', R² %.2f)', r2)
       || '; at this rate it reaches ' || proj_txt
       || printf(' (%.1f %% of RAM)', 100.0 * projected / mem_total) || ' in ' || horizon_txt
       || CASE WHEN cg_rel IS NOT NULL
               THEN printf('; charged to memory cgroup %s (+%.0f MiB)', cg_rel, cg_growth / 1048576.0)
               ELSE '' END
       || CASE WHEN tte IS NULL THEN ''
               ELSE '; the host''s ' || room_txt || ' of available memory and swap last '
                    || tte_txt || coalesce(' (' || tte_ci_txt || ')', '') END
       || CASE WHEN d < :short_minutes * 60
               THEN printf('. Only %.0f minutes of data: record longer to confirm.', d / 60.0)
               ELSE '.' END AS message,
       confidence,
       round(growth / 1048576.0, 3) AS growth_mib,
       round(rate, 3) AS rate_mib_h, round(rate_lo, 3) AS rate_lo_mib_h,
       round(rate_hi, 3) AS rate_hi_mib_h,
       round(y0 / 1048576.0, 3) AS first_mib, round(y1 / 1048576.0, 3) AS last_mib,
       round(100.0 * y1 / mem_total, 2) AS last_pct_of_ram,
       round(projected / 1048576.0, 1) AS projected_mib, round(horizon / 3600.0, 2) AS horizon_h,
       round(d / 60.0, 1) AS window_min,
       CASE WHEN y_prior IS NOT NULL THEN round((bt0 - t_series) / 3600.0, 2) END AS onset_after_h,
       nb AS buckets,
       p AS mk_p_hr, p_raw AS mk_p, round(hr_ratio, 3) AS n_over_n_star, round(r2, 4) AS r2,
       round(min(sat, 1e6), 3) AS saturation,
       cg_rel AS cgroup, round(cg_growth / 1048576.0, 3) AS cgroup_slab_growth_mib,
       round(room / 1048576.0, 1) AS headroom_mib,
       round(tte / 3600.0, 2) AS tte_h, round(tte_early / 3600.0, 2) AS tte_early_h,
       round(tte_late / 3600.0, 2) AS tte_late_h
FROM txt
