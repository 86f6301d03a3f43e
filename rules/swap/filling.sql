-- id: swap/filling
-- severity: warning
-- title: Swap space is nearly full, or fills up steadily toward exhaustion
-- explain: From /proc/meminfo SwapTotal and SwapFree (used = total -
--   free; samples without swap are skipped). Two findings, one row:
--
--   level: used at least max_used of SwapTotal in at least min_samples
--   consecutive samples spanning min_seconds (PCP's memory.swap_low
--   warns below 10 % free; systemd-oomd's SwapUsedLimit is 90 %). When
--   MemAvailable is also below mem_low of MemTotal in those samples, memory
--   and swap are both nearly gone and the OOM killer is next: critical
--   (systemd-oomd acts when both are past 90 %).
--
--   trend: swap used cut into buckets of at least bucket_samples samples
--   (at most max_buckets), each bucket's median; the buckets cut where
--   they change (change points, as leak/process) and the trailing run of
--   segments rising at min_rate or faster judged, from its onset to the
--   end, over at least min_minutes: a new high over the buckets before
--   the onset, a Hamed-Rao Mann-Kendall p below p_max, a Theil-Sen
--   90 % lower bound above zero, a saturation index of at least
--   min_saturation and a last-quarter trend not flat or falling (a fill
--   that happened once and stopped is not a trend), and a growth of at
--   least min_growth_pct of SwapTotal. The time to exhaustion is SwapFree
--   at the end over the Theil-Sen slope, with the range from the slope's
--   90 % interval: warning under warn_hours, critical under crit_hours
--   (detection research: 24 h and 1 h, as for MemAvailable).
--
--   Devices (/proc/swaps) are listed in the evidence. zswap's pool is in
--   RAM and is not swap space.
-- action: Find what is in swap (swap/process lists the processes; shmem
--   and tmpfs pages swapped out are not in any VmSwap: compare Shmem) and
--   whether it is growing (a leak pushed to swap: leak/process) or cold.
--   Add swap or memory only after that: a leak fills any amount.
-- param: max_used = 90 % [0, 100] | level: the smallest share of swap in use
-- param: min_samples = 3 [1, inf) | level: the fewest consecutive samples
-- param: min_seconds = 60 s [0, inf) | level: the shortest run of samples
-- param: mem_low = 10 % [0, 100] | level: critical when MemAvailable is below this share of MemTotal too
-- param: min_minutes = 30 min [0, inf) | trend: the shortest window
-- param: bucket_samples = 5 [1, inf) | trend: the fewest samples in a bucket
-- param: max_buckets = 200 [3, 4096] | trend: buckets are widened so that the window has at most this many
-- param: min_buckets = 12 [3, 4096] | trend: the fewest buckets
-- param: p_max = 0.01 (0, 1] | trend: the largest Hamed-Rao Mann-Kendall p-value
-- param: min_saturation = 0.5 [0, inf) | trend: the smallest second-half over first-half slope ratio
-- param: min_growth_pct = 5 % [0, 100] | trend: the smallest growth, as a share of SwapTotal
-- param: q = 256 KiB [0, inf) | trend: Mann-Kendall compares values rounded to this; the change points' noise floor
-- param: min_rate = 1 MiB/h (0, inf) | trend: the slowest rise that counts in the change-point search
-- param: min_segment = 6 [2, 4096] | trend: the fewest buckets in a segment of the change-point search
-- param: seg_penalty = 3 (0, inf) | trend: the cost of a change point, in units of the noise's variance times ln(buckets) (3: BIC)
-- param: p_tail = 0.2 (0, 1] | trend: the last quarter rises when its Mann-Kendall S is above 0 or its p-value below this
-- param: warn_hours = 24 h [0, inf) | trend: a warning when swap runs out sooner than this
-- param: crit_hours = 1 h [0, inf) | trend: critical when swap runs out sooner than this (at the fast end of the range)
-- needs: :min_seconds
-- needs: :min_samples samples
-- unit: % | used_pct_max, mem_available_min_pct
-- unit: MiB | free_min_mib, swap_total_mib
-- unit: 1 | level_samples, mk_p_hr, saturation, buckets
-- unit: MiB/h | growth_mib_h, growth_lo_mib_h, growth_hi_mib_h
-- unit: h | tte_h, tte_fast_h, tte_slow_h
-- unit: text | devices
-- chart: swap-io
WITH
seq AS (
  SELECT id AS sample, t, mono, row_number() OVER (ORDER BY id) AS n FROM sample
),
m AS (
  SELECT mi.sample, s.n, s.t,
    max(CASE WHEN key = 'SwapTotal' THEN value END) AS total,
    max(CASE WHEN key = 'SwapFree' THEN value END) AS free,
    max(CASE WHEN key = 'MemAvailable' THEN value END) AS avail,
    max(CASE WHEN key = 'MemTotal' THEN value END) AS mem_total
  FROM meminfo mi JOIN seq s ON s.sample = mi.sample
  WHERE key IN ('SwapTotal', 'SwapFree', 'MemAvailable', 'MemTotal')
  GROUP BY mi.sample
),
sw AS (
  SELECT m.*, total - free AS used FROM m WHERE total > 0 AND free IS NOT NULL
),
-- level
lflag AS (
  SELECT sw.*, n - row_number() OVER (ORDER BY n) AS grp,
    CASE WHEN avail < :mem_low / 100.0 * mem_total THEN 1 ELSE 0 END AS mem_low_now
  FROM sw WHERE used >= :max_used / 100.0 * total
),
lrun AS (
  SELECT grp, count(*) AS cnt, min(t) AS t0, max(t) AS t1, max(1.0 * used / total) AS used_max,
    min(free) AS free_min, max(total) AS total, min(avail) AS avail_min, max(mem_total) AS mem_total,
    sum(mem_low_now) AS n_mem_low, max(sample) AS s_end
  FROM lflag GROUP BY grp
  HAVING count(*) >= :min_samples AND max(t) - min(t) >= :min_seconds
),
level AS (
  SELECT * FROM lrun ORDER BY t1 DESC LIMIT 1
),
-- trend
width AS (
  SELECT min(n) AS n0, max(:bucket_samples, (count(*) + :max_buckets - 1) / :max_buckets) AS k FROM sw
),
bucket AS (
  SELECT (sw.n - w.n0) / w.k AS b, avg(sw.t) AS t, median(sw.used) AS used, count(*) AS cnt
  FROM sw CROSS JOIN width w
  GROUP BY b HAVING count(*) >= 2
),
-- the growth since its onset: the trailing run of segments rising at
-- min_rate or faster (onset(), change points on the bucket medians); its
-- end must be a new high over the buckets before the onset
ons AS (
  SELECT onset(t, used, :min_rate * 1048576.0 / 3600, :min_segment, :seg_penalty, :q * 1024) AS t_on
  FROM bucket HAVING count(*) >= :min_buckets
),
rbucket AS (SELECT b.* FROM bucket b, ons WHERE b.t >= ons.t_on),
prior AS (SELECT max(b.used) AS y_high, min(b.t) AS t_series FROM bucket b, ons WHERE b.t < ons.t_on),
tr AS (
  SELECT count(*) AS nb, min(t) AS t0, max(t) AS t1, min(b) AS b_first, max(b) AS b_last,
    trend(t, used, :q * 1024) AS j
  FROM rbucket
  HAVING count(*) >= :min_buckets AND max(t) - min(t) >= :min_minutes * 60
),
tail AS (
  SELECT mk_s(t, used, :q * 1024) AS s_tail, mk_p_inc(t, used, :q * 1024) AS p_tail
  FROM rbucket WHERE b >= (SELECT b_first + 0.75 * (b_last - b_first) FROM tr)   -- the last quarter
),
last AS (
  SELECT * FROM sw ORDER BY n DESC LIMIT 1
),
trend AS (
  SELECT tr.nb, tr.t0, tr.t1,
    json_extract(j, '$.ts_slope') AS slope, json_extract(j, '$.ts_lo') AS lo,
    json_extract(j, '$.ts_hi') AS hi, json_extract(j, '$.mk_p_inc_hr') AS p,
    json_extract(j, '$.saturation') AS sat, json_extract(j, '$.y_first') AS y0,
    json_extract(j, '$.y_last') AS y1, tail.s_tail, tail.p_tail,
    last.free AS free_last, last.total AS total_last, prior.y_high, prior.t_series
  FROM tr CROSS JOIN tail CROSS JOIN last CROSS JOIN prior
),
tgood AS (
  SELECT trend.*, free_last / slope AS tte, free_last / hi AS tte_fast, free_last / lo AS tte_slow
  FROM trend
  WHERE p < :p_max AND lo > 0 AND sat >= :min_saturation AND (s_tail > 0 OR p_tail < :p_tail)
    AND (y_high IS NULL OR y1 > y_high)   -- a new high
    AND slope * (t1 - t0) >= :min_growth_pct / 100.0 * total_last
    AND free_last / slope < :warn_hours * 3600
),
dev AS (
  SELECT group_concat(filename || printf(' %.0f/%.0f MiB', used / 1048576.0, size / 1048576.0), ', ') AS devices
  FROM swaps WHERE sample = (SELECT max(sample) FROM swaps)
),
one AS (
  SELECT
    (SELECT count(*) FROM level) AS has_level, (SELECT count(*) FROM tgood) AS has_trend,
    level.t0 AS l_t0, level.t1 AS l_t1, level.cnt, level.used_max, level.free_min,
    level.total AS l_total, level.avail_min, level.mem_total, level.n_mem_low,
    tgood.*, dev.devices
  FROM (SELECT 1) LEFT JOIN level LEFT JOIN tgood LEFT JOIN dev
)
SELECT 'system' AS entity_kind, 'swap' AS entity,
  CASE WHEN has_level THEN min(l_t0, coalesce(t0, l_t0)) ELSE t0 END AS t_start,
  CASE WHEN has_level THEN max(l_t1, coalesce(t1, l_t1)) ELSE t1 END AS t_end,
  CASE WHEN has_level THEN round(100 * used_max, 1) ELSE round(tte / 3600.0, 2) END AS value,
  CASE WHEN has_level THEN '%' ELSE 'h' END AS value_unit,
  CASE WHEN has_level AND n_mem_low > 0 THEN 'critical'
       WHEN has_trend AND tte_fast < :crit_hours * 3600 THEN 'critical'
       ELSE 'warning' END AS severity,
  CASE WHEN has_level THEN
      printf('Swap %.0f %% used (%.0f MiB free of %.0f MiB) for %.1f min', 100 * used_max,
             free_min / 1048576.0, l_total / 1048576.0, (l_t1 - l_t0) / 60.0)
      || CASE WHEN n_mem_low > 0
              THEN printf(', while MemAvailable fell to %.0f %% of RAM (%.0f MiB): memory and swap are both nearly exhausted',
                          100.0 * avail_min / mem_total, avail_min / 1048576.0)
              ELSE printf('; MemAvailable stayed at %.0f %% of RAM or more', 100.0 * avail_min / mem_total) END
    ELSE 'Swap fills steadily' END
  || CASE WHEN has_trend THEN
      printf('%s: +%.0f MiB/h over %.1f h%s (Theil-Sen 90 %% CI %.0f-%.0f MiB/h, Mann-Kendall p %s); at this rate the %.0f MiB free last ',
             CASE WHEN has_level THEN '; it grows' ELSE '' END,
             slope * 3600 / 1048576.0, (t1 - t0) / 3600.0,
             CASE WHEN y_high IS NOT NULL THEN ', starting ' || fmt_duration(t0 - t_series) || ' into the recording' ELSE '' END,
             lo * 3600 / 1048576.0, hi * 3600 / 1048576.0,
             fmt_p(p), free_last / 1048576.0)
      || CASE WHEN tte < 5400 THEN printf('%.0f min (%.0f-%.0f)', tte / 60.0, tte_fast / 60.0, tte_slow / 60.0)
              ELSE printf('%.1f h (%.1f-%.1f)', tte / 3600.0, tte_fast / 3600.0, tte_slow / 3600.0) END
    ELSE '' END
  || coalesce('; devices: ' || devices, '') || '.' AS message,
  CASE WHEN has_level THEN round(100 * used_max, 1) END AS used_pct_max,
  round(free_min / 1048576.0, 1) AS free_min_mib, round(coalesce(l_total, total_last) / 1048576.0, 1) AS swap_total_mib,
  CASE WHEN mem_total > 0 THEN round(100.0 * avail_min / mem_total, 1) END AS mem_available_min_pct,
  cnt AS level_samples,
  round(slope * 3600 / 1048576.0, 2) AS growth_mib_h, round(lo * 3600 / 1048576.0, 2) AS growth_lo_mib_h,
  round(hi * 3600 / 1048576.0, 2) AS growth_hi_mib_h, p AS mk_p_hr, round(min(sat, 1e6), 3) AS saturation,
  nb AS buckets, round(tte / 3600.0, 3) AS tte_h, round(tte_fast / 3600.0, 3) AS tte_fast_h,
  round(tte_slow / 3600.0, 3) AS tte_slow_h, devices
FROM one
WHERE has_level OR has_trend
