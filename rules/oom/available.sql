-- id: oom/available
-- severity: warning
-- title: MemAvailable is low, or falling towards zero
-- explain: MemAvailable is the kernel's estimate of the memory available
--   for new work without swapping (free memory above the watermarks plus
--   the reclaimable part of the page cache and slab). Two findings:
--
--   Level: MemAvailable below 10 % of MemTotal (warning) or below 5 %
--   (critical), each sustained for at least a minute of consecutive samples.
--   A host can run at high utilization on purpose, so a level finding
--   between 5 and 10 % is only info when the system's memory PSI "some"
--   stall share over the episode stays under 5 % (nothing waited for
--   memory). Below 5 % PSI changes nothing: with no cache left to reclaim
--   nothing stalls on the way to an OOM kill (measured: 0.0 % PSI down to
--   0 MiB available). Without PSI in the bundle the grade is kept.
--
--   Trend: over a window of at least min_window, MemAvailable's bucket
--   minima (at most max_buckets buckets) are cut where they change
--   (change points, as leak/process), and what is judged is the trailing
--   run of segments falling at min_fall or faster, from its onset to the
--   end: its last bucket must be a new low, below every bucket before
--   the onset, and the run must fall: Mann-Kendall with the Hamed-Rao
--   autocorrelation correction p < p_max, the whole 90 % Theil-Sen
--   confidence interval of the slope below zero, and still falling in the
--   last quarter of the buckets, whose last bucket is at or below the
--   quarter's median (a dip that recovered, e.g. a large file copy or a
--   process that was killed, is not a trend). The time to
--   exhaustion is the last MemAvailable over the Theil-Sen slope, with the
--   range from the confidence interval: critical under 1 hour, warning
--   under 24 hours, nothing beyond. The processes with the highest
--   oom_score at the end are named: the OOM killer's first choices.
-- action: Find what takes the memory: the leak/ rules for processes, slab
--   and shmem, the largest RSS and oom_score processes named here. Free or
--   add memory before the time to exhaustion; protect what must survive
--   with oom_score_adj, or limit the growing workload with a memory cgroup.
-- param: warn_frac = 0.10 [0, 1] | MemAvailable below this share of MemTotal is low (warning)
-- param: crit_frac = 0.05 [0, 1] | MemAvailable below this share of MemTotal is critical
-- param: min_duration = 60 s [0, inf) | a low level must last this long (consecutive samples) ...
-- param: min_samples = 3 [1, inf) | ... over at least this many samples
-- param: psi_min = 0.05 [0, 1] | PSI memory "some" share below which a level finding is graded down
-- param: min_window = 1800 s (0, inf) | the shortest window for a trend
-- param: min_buckets = 12 [3, 4096] | the fewest buckets (of at least 2 samples) for a trend
-- param: p_max = 0.01 (0, 1] | the largest Hamed-Rao Mann-Kendall p-value for a falling trend
-- param: max_buckets = 200 [3, 4096] | trend: the most buckets the window is cut into
-- param: bucket_samples = 5 [1, inf) | trend: the fewest sample intervals in a bucket
-- param: q = 64 KiB [0, inf) | trend: Mann-Kendall compares values rounded to this; the change points' noise floor
-- param: min_fall = 1 MiB/h (0, inf) | trend: the slowest fall that counts in the change-point search
-- param: min_segment = 6 [2, 4096] | trend: the fewest buckets in a segment of the change-point search
-- param: seg_penalty = 3 (0, inf) | trend: the cost of a change point, in units of the noise's variance times ln(buckets) (3: BIC)
-- param: warn_tte = 86400 s [0, inf) | a trend with a time to exhaustion under this is a warning
-- param: crit_tte = 3600 s [0, inf) | ... and under this critical
-- needs: :min_duration
-- unit: text | kind, oom_top
-- unit: B | min_available, mem_total, available_now
-- unit: s | secs_below_crit, tte_s, tte_early_s, tte_late_s
-- unit: 1 | psi_some, p_dec_hr, buckets
-- unit: B/s | slope_bytes_s, slope_lo, slope_hi
-- chart: memory-available
-- when: ifnull(:tte_s, 0) <= 0
-- chart: memory-available capture | Available memory, free swap, and the trend to exhaustion
-- when: :tte_s > 0
-- dashed: trend to exhaustion | WITH now(y) AS (SELECT mem_available_bytes FROM mem
--     WHERE t <= :t_end ORDER BY t DESC LIMIT 1),
--   ext(e) AS (SELECT min(:tte_s, 2 * max(:t_end - :t_start, 60)))
--   SELECT :t_end, y FROM now WHERE y IS NOT NULL
--   UNION ALL SELECT :t_end + e, y * (1 - e / :tte_s) FROM now, ext WHERE y IS NOT NULL
--   ORDER BY 1
WITH
-- MemAvailable and MemTotal of every sample, by primary-key seeks (the
-- mem view pivots every key of meminfo: 4 s on a week at 10 s)
m AS MATERIALIZED (
  SELECT s.id AS sample, s.t, a.value AS avail, tot.value AS total,
    1.0 * a.value / tot.value AS frac
  FROM sample s
  JOIN meminfo a ON a.sample = s.id AND a.key = 'MemAvailable'
  JOIN meminfo tot ON tot.sample = s.id AND tot.key = 'MemTotal'
  WHERE tot.value > 0),
psi_some AS MATERIALIZED (
  SELECT sample, stall_share FROM psi_rate WHERE scope = 'system' AND kind = 'some'),
-- the top 3 oom_score processes of a sample, as text
-- (used at the end of each finding's window)
low AS (
  SELECT sample, t, avail, total, frac, sample - row_number() OVER (ORDER BY sample) AS grp
  FROM m WHERE frac < :warn_frac),
crit AS (
  SELECT sample, t, frac, sample - row_number() OVER (ORDER BY sample) AS grp
  FROM m WHERE frac < :crit_frac),
crit_ep AS (
  SELECT min(sample) AS s0, max(sample) AS s1, max(t) - min(t) AS secs
  FROM crit GROUP BY grp HAVING max(t) - min(t) >= :min_duration),
low_ep AS (
  SELECT min(sample) AS s0, max(sample) AS s1, min(t) AS t0, max(t) AS t1, count(*) AS n,
    min(frac) AS min_frac, min(avail) AS min_avail, max(total) AS total
  FROM low GROUP BY grp HAVING max(t) - min(t) >= :min_duration AND count(*) >= :min_samples),
low_rows AS (
  SELECT e.*,
    (SELECT max(c.secs) FROM crit_ep c WHERE c.s0 >= e.s0 AND c.s1 <= e.s1) AS crit_secs,
    (SELECT avg(p.stall_share) FROM psi_some p WHERE p.sample > e.s0 AND p.sample <= e.s1) AS psi
  FROM low_ep e),
top_oom AS (
  SELECT ps.sample, p.pid, p.comm, ps.oom_score, ps.vm_rss,
    row_number() OVER (PARTITION BY ps.sample ORDER BY ps.oom_score DESC, ps.vm_rss DESC, p.id) AS rk
  FROM proc_sample ps JOIN process p ON p.id = ps.process_id
  WHERE ps.sample IN (SELECT s1 FROM low_rows UNION SELECT max(sample) FROM m)
    AND ps.oom_score IS NOT NULL),
top3 AS (
  SELECT sample, group_concat(printf('%d (%s) oom_score %d, RSS %.0f MiB', pid, comm, oom_score,
    vm_rss / 1048576.0), '; ') AS oom_top
  FROM (SELECT * FROM top_oom WHERE rk <= 3 ORDER BY sample, rk) GROUP BY sample),
level AS (
  SELECT
    CASE WHEN r.crit_secs IS NOT NULL THEN 'critical'
      WHEN r.psi < :psi_min THEN 'info' ELSE 'warning' END AS severity,
    'system' AS entity_kind, 'system' AS entity, r.t0 AS t_start, r.t1 AS t_end,
    r.min_frac * 100 AS value, '%' AS value_unit,
    printf('MemAvailable stayed below %g %% of MemTotal for %.0f s (%d samples), down to %.1f MiB (%.1f %% of %.0f MiB)%s; %s.%s',
      :warn_frac * 100, r.t1 - r.t0, r.n, r.min_avail / 1048576.0, r.min_frac * 100, r.total / 1048576.0,
      CASE WHEN r.crit_secs IS NOT NULL THEN printf(', below %g %% for %.0f s', :crit_frac * 100, r.crit_secs) ELSE '' END,
      CASE WHEN r.psi IS NULL THEN 'no PSI in the bundle'
        ELSE printf('memory PSI some %.1f %% of the time%s', r.psi * 100,
          CASE WHEN r.psi < :psi_min AND r.crit_secs IS NULL THEN ' (nothing waited long for memory: info only)' ELSE '' END) END,
      CASE WHEN t3.oom_top IS NOT NULL THEN ' Highest oom_score at the end: ' || t3.oom_top || '.' ELSE '' END) AS message,
    'level' AS kind, r.min_avail AS min_available, r.total AS mem_total, r.crit_secs AS secs_below_crit,
    r.psi AS psi_some, t3.oom_top,
    NULL AS slope_bytes_s, NULL AS slope_lo, NULL AS slope_hi, NULL AS p_dec_hr, NULL AS buckets,
    NULL AS available_now, NULL AS tte_s, NULL AS tte_early_s, NULL AS tte_late_s
  FROM low_rows r LEFT JOIN top3 t3 ON t3.sample = r.s1),
-- trend: about 100 buckets over the window, each at least 5 sample intervals
win AS (
  SELECT min(t) AS t0, max(t) AS t1, count(*) AS n, max(sample) AS s_last,
    max((max(t) - min(t)) / :max_buckets, :bucket_samples * (max(t) - min(t)) / max(count(*) - 1, 1)) AS w
  FROM m),
bk AS (
  SELECT CAST((m.t - win.t0) / win.w AS INTEGER) AS b, avg(m.t) AS t, min(m.avail) AS y
  FROM m, win WHERE win.t1 - win.t0 >= :min_window AND win.w > 0
  GROUP BY 1 HAVING count(*) >= 2),
-- the fall since its onset: the trailing run of segments falling at
-- min_fall or faster (onset(), change points on the bucket minima); its
-- end must be a new low (a fall that stopped, or that only returns to an
-- earlier low, is not a trend to extrapolate)
ons AS (
  SELECT onset(t, y, -:min_fall * 1048576.0 / 3600, :min_segment, :seg_penalty, :q * 1024) AS t_on
  FROM bk HAVING count(*) >= :min_buckets),
rbk AS (SELECT bk.* FROM bk, ons WHERE bk.t >= ons.t_on),
prior AS (SELECT min(bk.y) AS y_low FROM bk, ons WHERE bk.t < ons.t_on),
nb AS (SELECT count(*) AS n, min(b) AS b_min, max(b) AS b_max FROM rbk),
fit AS (
  SELECT ts_slope(t, y) AS slope, ts_lo(t, y) AS lo, ts_hi(t, y) AS hi,
    mk_p_dec_hr(t, y, :q * 1024) AS p_dec, count(*) AS n, min(t) AS t0
  FROM rbk),
-- the last quarter must still fall, and its last bucket be at or below
-- the quarter's median: a recovery at the end (a kill, a freed cache)
-- means the fall has stopped
tail AS (
  SELECT mk_s(t, y, :q * 1024) AS s, median(y) AS y_med,
    max(CASE WHEN rbk.b = nb.b_max THEN y END) AS y_last
  FROM rbk, nb WHERE rbk.b >= nb.b_min + 0.75 * (nb.b_max - nb.b_min)),
now AS (SELECT m.avail, m.total, m.t, m.sample FROM m, win WHERE m.sample = win.s_last),
tr AS (
  SELECT f.*, now.avail AS avail, now.total AS total, f.t0 AS t_on, win.t0, win.t1,
    now.sample AS s_last, prior.y_low,
    now.avail / -f.slope AS tte, now.avail / -f.lo AS tte_early, now.avail / -f.hi AS tte_late
  FROM fit f, now, win, tail LEFT JOIN prior
  WHERE f.n >= :min_buckets AND f.p_dec < :p_max AND f.hi < 0 AND tail.s < 0 AND tail.y_last <= tail.y_med
    AND (prior.y_low IS NULL OR tail.y_last < prior.y_low)
    AND now.avail / -f.slope < :warn_tte),
trend AS (
  SELECT CASE WHEN tr.tte < :crit_tte THEN 'critical' ELSE 'warning' END AS severity,
    'system' AS entity_kind, 'system' AS entity, tr.t_on AS t_start, tr.t1 AS t_end,
    tr.tte AS value, 's' AS value_unit,
    printf('MemAvailable falls %.1f MiB/h%s (90 %% CI %.1f to %.1f; Mann-Kendall p %.2g after the Hamed-Rao correction, %d buckets); %.1f MiB available at the end (%.1f %% of MemTotal): exhausted in about %s (%s to %s) at this rate.%s',
      -tr.slope * 3600 / 1048576.0,
      CASE WHEN tr.y_low IS NOT NULL THEN ' since ' || fmt_duration(tr.t_on - tr.t0) || ' into the recording' ELSE '' END,
      -tr.hi * 3600 / 1048576.0, -tr.lo * 3600 / 1048576.0, tr.p_dec, tr.n,
      tr.avail / 1048576.0, 100.0 * tr.avail / tr.total,
      fmt_duration(tr.tte, 's-h'),
      fmt_duration(tr.tte_early, 's-h'),
      fmt_duration(tr.tte_late, 's-h'),
      CASE WHEN t3.oom_top IS NOT NULL THEN ' Highest oom_score at the end: ' || t3.oom_top || '.' ELSE '' END) AS message,
    'trend' AS kind, NULL AS min_available, tr.total AS mem_total, NULL AS secs_below_crit,
    NULL AS psi_some, t3.oom_top,
    tr.slope AS slope_bytes_s, tr.lo AS slope_lo, tr.hi AS slope_hi, tr.p_dec AS p_dec_hr, tr.n AS buckets,
    tr.avail AS available_now, tr.tte AS tte_s, tr.tte_early AS tte_early_s, tr.tte_late AS tte_late_s
  FROM tr LEFT JOIN top3 t3 ON t3.sample = tr.s_last)
SELECT * FROM level
UNION ALL
SELECT * FROM trend
ORDER BY t_start
