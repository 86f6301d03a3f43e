-- id: leak/shmem
-- severity: warning
-- title: Shared memory (tmpfs, /dev/shm, shared anonymous) grows steadily
-- explain: /proc/meminfo Shmem counts tmpfs and /dev/shm files, memfds and
--   shared anonymous mappings: memory that is neither reclaimable like
--   page cache nor freed when the process that wrote it exits, only when
--   the file is removed or the last mapping goes. The rule judges the
--   meminfo_rise view (docs/schema.md), shared with leak/slab: the
--   capture cut into buckets of at least 5 samples (at most 200), each
--   bucket's median, the series cut where it changes (change points, as
--   leak/process) and the trailing run of segments rising at 1 MiB/h or
--   faster, from its onset to the end; its end must be a new high over
--   the buckets before the onset, so growth that stopped is not reported.
--   On those it asks for a Mann-Kendall trend
--   corrected for autocorrelation (Hamed-Rao) with p below p_suspect, a
--   Theil-Sen 90 % lower bound above zero, a saturation index (second-half
--   slope over first-half slope) of at least min_saturation, so that a
--   file copied once into tmpfs does not count, R^2 of at least
--   r2_suspect, and a growth of at least the larger of min_growth and
--   full_growth (or full_growth_pct of MemTotal) scaled by the window's
--   share of full_hours: on a day-long capture the growth must be 256 MiB
--   or 1 % of RAM, on ten minutes a few MiB.
--
--   The sum of the processes' RssShmem over the first and the last bucket
--   tells who holds it: when it rose by less than orphan_pct of Shmem's
--   growth, no process maps the new memory (files left in tmpfs or
--   /dev/shm, unmapped memfds) and the finding says "orphaned"; otherwise
--   it names the process whose RssShmem grew most. The deepest memory
--   cgroup whose shmem (memory.stat) grew by at least half as much is
--   named as the one it is charged to. Confidence and severity follow
--   leak/process: windows shorter than short_minutes need p below p_likely
--   and R^2 of at least r2_likely and give a 'suspect'; likely_minutes or
--   more with that evidence give 'likely'; critical when even the rate's
--   lower bound uses up MemAvailable + SwapFree within critical_hours.
-- action: List what holds the memory: large files in tmpfs mounts
--   (df -t tmpfs; du -a /dev/shm /run /tmp | sort -n), POSIX shared
--   memory segments (ls -l /dev/shm), System V segments (ipcs -m, and
--   nattch 0 for orphaned ones) and memfds (ls -l /proc/*/fd | grep
--   memfd). Remove what is left over, and fix the program that creates
--   files or segments without removing them; a size= limit on the tmpfs
--   mount bounds the damage.
-- param: min_minutes = 5 min [0, inf) | the shortest capture judged at all
-- param: min_buckets = 12 [3, 4096] | the fewest buckets a trend is computed on
-- param: p_suspect = 0.05 (0, 1] | the largest Hamed-Rao Mann-Kendall p-value that counts as a trend
-- param: p_likely = 0.01 (0, 1] | ... for strong evidence (needed for 'likely' and in short windows)
-- param: r2_suspect = 0.5 [0, 1] | the smallest R^2 of a linear fit to the bucket medians
-- param: r2_likely = 0.8 [0, 1] | ... for strong evidence
-- param: min_saturation = 0.5 [0, inf) | the smallest second-half over first-half slope ratio
-- param: min_growth = 8 MiB [0, inf) | the smallest growth over any window
-- param: full_growth = 256 MiB [0, inf) | the growth needed over full_hours ...
-- param: full_growth_pct = 1 % [0, 100] | ... or this share of MemTotal, if larger
-- param: full_hours = 6 h (0, inf) | shorter windows need proportionally less growth
-- param: p_tail = 0.2 (0, 1] | the last quarter rises when its Mann-Kendall S is above 0 or its p-value below this
-- param: cgroup_share = 50 % [0, 100] | the deepest memory cgroup whose shmem grew by at least this share of the growth is named
-- param: orphan_pct = 25 % [0, 100] | processes' RssShmem grew by less than this share of Shmem's growth: orphaned
-- param: short_minutes = 30 min [0, inf) | windows shorter than this need strong evidence
-- param: likely_minutes = 360 min [0, inf) | windows at least this long with strong evidence are 'likely'
-- param: critical_hours = 24 h [0, inf) | critical when memory runs out sooner than this at the rate's lower bound
-- needs: :min_minutes
-- needs: :min_buckets * 5 samples
-- unit: MiB/h | value, rate_mib_h, rate_lo_mib_h, rate_hi_mib_h
-- unit: MiB | growth_mib, needed_mib, first_mib, last_mib, proc_rss_shmem_growth_mib,
--   top_process_growth_mib, cgroup_shmem_growth_mib, headroom_mib
-- unit: min | window_min
-- unit: h | tte_h, tte_early_h, tte_late_h, onset_after_h
-- unit: 1 | orphaned, buckets, mk_p_hr, mk_p, n_over_n_star, r2, saturation
-- unit: text | confidence, top_process, cgroup
-- chart: bytes | Shared memory (tmpfs, shm)
-- line: Shmem | SELECT t, shmem_bytes FROM mem ORDER BY sample
WITH
-- the growth since its onset (the meminfo_rise view, docs/schema.md:
-- buckets, change points, the trend from the onset); growth that stopped,
-- or that only returns to an earlier level, is not reported
stat AS (
  SELECT g.buckets AS nb, g.t_series, g.prior_bytes AS y_prior,
    g.t_first AS bt0, g.t_last AS bt1, g.first_bytes AS y0, g.last_bytes AS y1,
    g.slope_bytes_s AS slope, g.slope_lo_bytes_s AS lo, g.slope_hi_bytes_s AS hi, g.r2,
    g.mk_p_hr AS p, g.mk_p AS p_raw, g.n_over_n_star AS hr_ratio, g.saturation AS sat,
    g.tail_mk_s AS s_tail, g.tail_mk_p AS p_tail, g.first_sample_lo AS f_lo,
    g.first_sample_hi AS f_hi, g.last_sample_lo AS l_lo, g.last_sample_hi AS l_hi,
    (SELECT value FROM meminfo WHERE key = 'MemTotal' ORDER BY sample DESC LIMIT 1) AS mem_total
  FROM meminfo_rise g
  WHERE g.key = 'Shmem' AND g.buckets_all >= :min_buckets AND g.buckets >= :min_buckets
),
judged AS (
  SELECT s.*, s.bt1 - s.bt0 AS d, s.slope * (s.bt1 - s.bt0) AS growth,
         max(:min_growth * 1048576.0,
             max(:full_growth * 1048576.0, :full_growth_pct / 100.0 * s.mem_total)
             * min(1.0, (s.bt1 - s.bt0) / (:full_hours * 3600.0))) AS need,
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
    AND s.sat >= :min_saturation AND (s.s_tail > 0 OR s.p_tail < :p_tail)
),
found AS (
  SELECT j.*
  FROM judged j
  WHERE j.confidence IS NOT NULL AND j.growth >= j.need
    AND (j.y_prior IS NULL OR j.y1 - j.y_prior >= j.need)   -- a new high
),
-- the processes' RssShmem in the first and the last bucket
proc_shm AS (
  SELECT ps.process_id, ps.sample, ps.rss_shmem,
         CASE WHEN ps.sample BETWEEN f.f_lo AND f.f_hi THEN 0 ELSE 1 END AS part
  FROM found f
  JOIN proc_sample ps ON ps.sample BETWEEN f.f_lo AND f.f_hi
                      OR ps.sample BETWEEN f.l_lo AND f.l_hi
),
sum_shm AS (
  SELECT part, median(total) AS total FROM (
    SELECT part, sample, sum(coalesce(rss_shmem, 0)) AS total FROM proc_shm GROUP BY part, sample
  ) GROUP BY part
),
per_proc AS (   -- the process whose RssShmem grew most (median of last bucket - of first)
  SELECT process_id, max(g) AS g FROM (
    SELECT process_id,
           median(CASE WHEN part = 1 THEN rss_shmem END)
           - coalesce(median(CASE WHEN part = 0 THEN rss_shmem END), 0) AS g
    FROM proc_shm GROUP BY process_id
  ) WHERE g > 0
),
-- the memory cgroups' shmem (hierarchical: v1 total_shmem, v2 shmem)
cg_shm AS (
  SELECT c.rel, c.version,
         (SELECT v.value FROM cgroup_value v
          WHERE v.cgroup_id = c.id AND v.key = CASE c.version WHEN 1 THEN 'memory.stat:total_shmem'
                                                               ELSE 'memory.stat:shmem' END
            AND v.sample >= f.f_lo ORDER BY v.sample LIMIT 1) AS v0,
         (SELECT v.value FROM cgroup_value v
          WHERE v.cgroup_id = c.id AND v.key = CASE c.version WHEN 1 THEN 'memory.stat:total_shmem'
                                                               ELSE 'memory.stat:shmem' END
            AND v.sample <= f.l_hi ORDER BY v.sample DESC LIMIT 1) AS v1,
         f.growth
  FROM cgroup c CROSS JOIN found f
),
cg_best AS (
  SELECT rel, v1 - v0 AS g, max(length(rel)) AS depth
  FROM cg_shm WHERE rel <> '/' AND v1 - v0 >= :cgroup_share / 100.0 * growth
),
host AS (
  SELECT sum(CASE WHEN key = 'MemAvailable' THEN value END)
         + coalesce(sum(CASE WHEN key = 'SwapFree' THEN value END), 0) AS room
  FROM meminfo WHERE sample = (SELECT max(sample) FROM meminfo)
),
fin AS (
  SELECT f.*,
         (SELECT total FROM sum_shm WHERE part = 1)
           - (SELECT total FROM sum_shm WHERE part = 0) AS proc_growth,
         (SELECT pid || ' (' || comm || ')' FROM process WHERE id = (SELECT process_id FROM per_proc))
           AS top_proc,
         (SELECT g FROM per_proc) AS top_growth,
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
    coalesce(proc_growth, 0) < :orphan_pct / 100.0 * growth AS orphaned,
    fmt_bytes(growth) AS growth_txt, fmt_bytes(y0, 2) AS y0_txt, fmt_bytes(y1, 2) AS y1_txt,
    fmt_duration(d) AS d_txt, fmt_bytes(room, NULL, 0) AS room_txt,
    fmt_duration(tte, 'eta') AS tte_txt,
    CASE WHEN tte_late >= 1.05 * tte_early
         THEN fmt_duration_range(tte_early, tte_late, 'eta') END AS tte_ci_txt,
    fmt_p(p) AS p_txt, fmt_rate(rate) AS rate_txt, fmt_rate_range(rate_lo, rate_hi) AS ci_txt
  FROM fin
)
SELECT 'system' AS entity_kind,
       CASE WHEN orphaned THEN 'Shmem (orphaned)' ELSE 'Shmem' END AS entity,
       bt0 AS t_start, bt1 AS t_end,
       round(rate, 3) AS value,
       CASE WHEN tte_late < :critical_hours * 3600 THEN 'critical' ELSE 'warning' END AS severity,
       (CASE confidence WHEN 'likely' THEN 'Likely' ELSE 'Suspected' END)
       || ' shared-memory leak: Shmem (tmpfs, /dev/shm, memfd, shared anonymous) grew '
       || growth_txt || ' in ' || d_txt
       || CASE WHEN y_prior IS NOT NULL
               THEN ', starting ' || fmt_duration(bt0 - t_series) || ' into the recording'
               ELSE '' END
       || ', from ' || y0_txt || ' to ' || y1_txt
       || ' (' || rate_txt || ' MiB/h, Theil-Sen 90 % CI ' || ci_txt
       || ' MiB/h, Mann-Kendall p ' || p_txt || printf(', R² %.2f)', r2)
       || CASE WHEN orphaned
               THEN printf(', while the processes'' RssShmem changed by %.1f MiB: no process '
                           || 'maps it (files left in tmpfs or /dev/shm, or unmapped memfds)',
                           coalesce(proc_growth, 0) / 1048576.0)
               ELSE printf(', mapped by processes (their RssShmem grew %.1f MiB; most: %s, +%.1f MiB)',
                           proc_growth / 1048576.0, coalesce(top_proc, '?'),
                           coalesce(top_growth, 0) / 1048576.0) END
       || CASE WHEN cg_rel IS NOT NULL
               THEN printf('; charged to memory cgroup %s (+%.0f MiB)', cg_rel, cg_growth / 1048576.0)
               ELSE '' END
       || CASE WHEN tte IS NULL THEN ''
               ELSE '; at this rate the host''s ' || room_txt
                    || ' of available memory and swap last ' || tte_txt
                    || coalesce(' (' || tte_ci_txt || ')', '') END
       || CASE WHEN d < :short_minutes * 60
               THEN printf('. Only %.0f minutes of data: record longer to confirm.', d / 60.0)
               ELSE '.' END AS message,
       confidence, orphaned,
       round(growth / 1048576.0, 3) AS growth_mib, round(need / 1048576.0, 3) AS needed_mib,
       round(rate, 3) AS rate_mib_h, round(rate_lo, 3) AS rate_lo_mib_h,
       round(rate_hi, 3) AS rate_hi_mib_h,
       round(y0 / 1048576.0, 3) AS first_mib, round(y1 / 1048576.0, 3) AS last_mib,
       round(d / 60.0, 1) AS window_min,
       CASE WHEN y_prior IS NOT NULL THEN round((bt0 - t_series) / 3600.0, 2) END AS onset_after_h,
       nb AS buckets,
       p AS mk_p_hr, p_raw AS mk_p, round(hr_ratio, 3) AS n_over_n_star, round(r2, 4) AS r2,
       round(min(sat, 1e6), 3) AS saturation,
       round(proc_growth / 1048576.0, 3) AS proc_rss_shmem_growth_mib,
       top_proc AS top_process, round(top_growth / 1048576.0, 3) AS top_process_growth_mib,
       cg_rel AS cgroup, round(cg_growth / 1048576.0, 3) AS cgroup_shmem_growth_mib,
       round(room / 1048576.0, 1) AS headroom_mib,
       round(tte / 3600.0, 2) AS tte_h, round(tte_early / 3600.0, 2) AS tte_early_h,
       round(tte_late / 3600.0, 2) AS tte_late_h
FROM txt
