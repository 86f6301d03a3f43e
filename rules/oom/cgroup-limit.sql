-- id: oom/cgroup-limit
-- severity: warning
-- title: A memory cgroup's working set is close to its limit, or growing towards it
-- explain: A cgroup's OOM killer fires when its charge reaches the limit
--   (v1 memory.limit_in_bytes, v2 memory.max; the cgroup's own limit, not
--   inherited) and reclaim cannot free enough. The working set is the
--   usage (v1 memory.usage_in_bytes, v2 memory.current) minus the
--   inactive file cache (memory.stat total_inactive_file / inactive_file),
--   the measure the kubelet evicts on: what is left is anonymous memory,
--   shmem, kernel memory and recently used cache. When the cgroup may
--   swap (v1: memory.memsw.limit_in_bytes above the limit or absent; v2:
--   memory.swap.max above 0) and the system has swap, its swapped-out
--   pages count too and the room grows by the swap it may use (up to
--   SwapTotal): a cgroup that swaps is not at its OOM point yet.
--
--   Level: working set at near_frac (90 %) or more of that room for at
--   least min_duration (a minute) of consecutive samples (critical when
--   crit_frac, 97 %, or more lasts as long); such runs less than
--   merge_gap apart are one episode, and the message says whether it
--   lasted to the end of the recording. Trend: over a window of at least min_window, the working
--   set's bucket maxima (at most max_buckets buckets) are cut where they
--   change (change points, as leak/process), and what is judged is the
--   trailing run of segments rising at min_rate or faster, from its onset
--   to the end: it must reach a new high over the buckets before the
--   onset and rise (Hamed-Rao Mann-Kendall p < p_max, the whole 90 %
--   Theil-Sen interval above zero, still rising in the last quarter up to
--   its last bucket), with the time to reach the room under 24 hours
--   (critical under 1 hour). Limit hits (v1 memory.failcnt, v2
--   memory.events max) and the cgroup's largest processes are reported as
--   evidence.
-- action: Compare the limit with what the workload needs: raise it, or
--   find what grows inside (the processes named, the leak/ rules). A cgroup
--   that must not be killed needs headroom above its peak working set; a
--   cache-heavy one can live at its limit, but then the working set here
--   stays low.
-- param: near_frac = 0.90 (0, 1] | working set at or above this share of the limit is close
-- param: crit_frac = 0.97 (0, 1] | ... and at or above this share critical
-- param: min_duration = 60 s [0, inf) | a level must last this long (consecutive samples) ...
-- param: min_samples = 3 [1, inf) | ... over at least this many samples
-- param: merge_gap = 300 s [0, inf) | level runs less than this apart are one episode
-- param: min_window = 1800 s (0, inf) | the shortest window for a trend
-- param: min_buckets = 12 [3, 4096] | the fewest buckets (of at least 2 samples) for a trend
-- param: p_max = 0.01 (0, 1] | the largest Hamed-Rao Mann-Kendall p-value for a rising trend
-- param: max_buckets = 200 [3, 4096] | trend: the most buckets a cgroup's window is cut into
-- param: bucket_samples = 5 [1, inf) | trend: the fewest sample intervals in a bucket
-- param: q = 64 KiB [0, inf) | trend: Mann-Kendall compares values rounded to this; the change points' noise floor
-- param: min_rate = 1 MiB/h (0, inf) | trend: the slowest rise that counts in the change-point search
-- param: min_segment = 6 [2, 4096] | trend: the fewest buckets in a segment of the change-point search
-- param: seg_penalty = 3 (0, inf) | trend: the cost of a change point, in units of the noise's variance times ln(buckets) (3: BIC)
-- param: warn_tte = 86400 s [0, inf) | a trend reaching the limit within this is a warning
-- param: crit_tte = 3600 s [0, inf) | ... and within this critical
-- needs: :min_duration
-- unit: text | kind, processes
-- unit: B | limit_bytes, swap_room, working_set_max, swap_max
-- unit: 1 | frac_max, limit_hits, oom_events, p_inc_hr, buckets
-- unit: B/s | slope_bytes_s, slope_lo, slope_hi
-- unit: s | tte_s, tte_early_s, tte_late_s
-- chart: cgroup-memory
-- chart: cgroup-faults
WITH
-- cgroups with a finite limit of their own in some sample
lim AS (
  SELECT DISTINCT c.id AS cgroup_id FROM cgroup c CROSS JOIN sample s
  CROSS JOIN cgroup_value v ON v.cgroup_id = c.id AND v.sample = s.id
   AND v.key = CASE c.version WHEN 1 THEN 'memory.limit_in_bytes' ELSE 'memory.max' END
  WHERE v.unlimited = 0 AND v.value IS NOT NULL AND v.value < 4611686018427387904),
-- per cgroup and sample, each value by a primary-key seek
v1 AS (
  SELECT c.id AS cgroup_id, s.id AS sample, u.value AS usage,
    CASE WHEN l.unlimited = 0 AND l.value < 4611686018427387904 THEN l.value END AS lim,
    i.value AS inactive_file, w.value AS swap, h.value AS hits, NULL AS ooms
  FROM lim JOIN cgroup c ON c.id = lim.cgroup_id AND c.version = 1 CROSS JOIN sample s
  CROSS JOIN cgroup_value u ON u.cgroup_id = c.id AND u.sample = s.id AND u.key = 'memory.usage_in_bytes'
  CROSS JOIN cgroup_value l ON l.cgroup_id = c.id AND l.sample = s.id AND l.key = 'memory.limit_in_bytes'
  LEFT JOIN cgroup_value i ON i.cgroup_id = c.id AND i.sample = s.id AND i.key = 'memory.stat:total_inactive_file'
  LEFT JOIN cgroup_value w ON w.cgroup_id = c.id AND w.sample = s.id AND w.key = 'memory.stat:total_swap'
  LEFT JOIN cgroup_value h ON h.cgroup_id = c.id AND h.sample = s.id AND h.key = 'memory.failcnt'),
v2 AS (
  SELECT c.id AS cgroup_id, s.id AS sample, u.value AS usage,
    CASE WHEN l.unlimited = 0 THEN l.value END AS lim,
    i.value AS inactive_file, w.value AS swap, h.value AS hits, o.value AS ooms
  FROM lim JOIN cgroup c ON c.id = lim.cgroup_id AND c.version = 2 CROSS JOIN sample s
  CROSS JOIN cgroup_value u ON u.cgroup_id = c.id AND u.sample = s.id AND u.key = 'memory.current'
  CROSS JOIN cgroup_value l ON l.cgroup_id = c.id AND l.sample = s.id AND l.key = 'memory.max'
  LEFT JOIN cgroup_value i ON i.cgroup_id = c.id AND i.sample = s.id AND i.key = 'memory.stat:inactive_file'
  LEFT JOIN cgroup_value w ON w.cgroup_id = c.id AND w.sample = s.id AND w.key = 'memory.swap.current'
  LEFT JOIN cgroup_value h ON h.cgroup_id = c.id AND h.sample = s.id AND h.key = 'memory.events:max'
  LEFT JOIN cgroup_value o ON o.cgroup_id = c.id AND o.sample = s.id AND o.key = 'memory.events:oom'),
-- the swap a cgroup may use, from its last sample: v1 memsw limit minus
-- the limit (no memsw file: no swap accounting, any swap), v2 memory.swap.max
swap_lim AS (
  SELECT c.id AS cgroup_id, c.version,
    (SELECT v.value FROM cgroup_value v WHERE v.cgroup_id = c.id AND v.key = 'memory.memsw.limit_in_bytes'
      AND v.sample = (SELECT max(id) FROM sample)) AS memsw_lim,
    (SELECT coalesce(v.value, CASE WHEN v.unlimited = 1 THEN 9e18 END) FROM cgroup_value v
      WHERE v.cgroup_id = c.id AND v.key = 'memory.swap.max' AND v.sample = (SELECT max(id) FROM sample)) AS swap_max
  FROM lim JOIN cgroup c ON c.id = lim.cgroup_id),
ws AS MATERIALIZED (
  SELECT r.cgroup_id, c.rel, c.version, r.sample, s.t, s.mono, r.lim, r.hits, r.ooms,
    r.usage - coalesce(r.inactive_file, 0) AS wset,
    -- swap the cgroup may use: its swap allowance, at most SwapTotal
    CASE WHEN coalesce(st.value, 0) = 0 THEN 0
         WHEN c.version = 1 THEN CASE WHEN sl.memsw_lim IS NULL THEN st.value
                                      ELSE max(0, min(sl.memsw_lim - r.lim, st.value)) END
         ELSE min(coalesce(sl.swap_max, st.value), st.value) END AS swap_room,
    coalesce(r.swap, 0) AS swap
  FROM (SELECT * FROM v1 UNION ALL SELECT * FROM v2) r
  JOIN cgroup c ON c.id = r.cgroup_id JOIN swap_lim sl ON sl.cgroup_id = r.cgroup_id
  JOIN sample s ON s.id = r.sample
  LEFT JOIN meminfo st ON st.sample = r.sample AND st.key = 'SwapTotal'
  WHERE r.lim > 0 AND r.usage IS NOT NULL),
f AS MATERIALIZED (
  SELECT ws.*, wset + CASE WHEN swap_room > 0 THEN swap ELSE 0 END AS used,
    lim + swap_room AS room,
    1.0 * (wset + CASE WHEN swap_room > 0 THEN swap ELSE 0 END) / (lim + swap_room) AS frac
  FROM ws),
near AS (
  SELECT f.*, sample - row_number() OVER (PARTITION BY cgroup_id ORDER BY sample) AS run
  FROM f WHERE frac >= :near_frac),
crit AS (
  SELECT cgroup_id, sample, mono, sample - row_number() OVER (PARTITION BY cgroup_id ORDER BY sample) AS run
  FROM f WHERE frac >= :crit_frac),
crit_ep AS (
  SELECT cgroup_id, min(sample) AS s0, max(sample) AS s1, max(mono) - min(mono) AS secs
  FROM crit GROUP BY cgroup_id, run HAVING max(mono) - min(mono) >= :min_duration),
-- episodes: runs of at least min_samples consecutive samples lasting
-- min_duration, those less than merge_gap apart taken together:
-- episode(), docs/stats.md
ep AS (
  SELECT n.cgroup_id, n.rel, min(n.sample) AS s0, max(n.sample) AS s1, min(n.t) AS t0, max(n.t) AS t1,
    max(n.mono) - min(n.mono) AS secs, count(*) AS n, max(n.frac) AS peak, avg(n.frac) AS mean,
    max(n.used) AS used_max, max(n.lim) AS lim, max(n.room) AS room, max(n.swap) AS swap_max,
    max(n.hits) - min(n.hits) AS hits, max(n.ooms) - min(n.ooms) AS ooms,
    count(DISTINCT n.run) AS runs
  FROM near n JOIN (
    SELECT cgroup_id, run, episode(count(*), min(mono), max(mono), :min_samples, :min_duration,
                                   :merge_gap) OVER (PARTITION BY cgroup_id ORDER BY run) AS grp
    FROM near GROUP BY cgroup_id, run) g USING (cgroup_id, run)
  WHERE g.grp IS NOT NULL
  GROUP BY n.cgroup_id, g.grp),
-- the cgroup's largest processes at the episode's (or window's) end
ends AS (
  SELECT cgroup_id, s1 FROM ep
  UNION SELECT cgroup_id, max(sample) FROM f GROUP BY cgroup_id),
members AS (
  SELECT e.cgroup_id, e.s1, p.pid, p.comm, ps.vm_rss, ps.oom_score,
    row_number() OVER (PARTITION BY e.cgroup_id, e.s1 ORDER BY ps.vm_rss DESC, p.id) AS rk
  FROM ends e JOIN cgroup c ON c.id = e.cgroup_id
  JOIN proc_cgroup pc ON pc.path = c.rel AND e.s1 BETWEEN pc.first_sample AND pc.last_sample
   AND ((c.version = 2 AND pc.hierarchy = 0)
        OR (c.version = 1 AND ',' || pc.controllers || ',' LIKE '%,memory,%'))
  JOIN proc_sample ps ON ps.process_id = pc.process_id AND ps.sample = e.s1
  JOIN process p ON p.id = pc.process_id),
top3 AS (
  SELECT cgroup_id, s1, group_concat(printf('%d (%s) RSS %.1f MiB, oom_score %d', pid, comm,
    vm_rss / 1048576.0, oom_score), '; ') AS procs
  FROM (SELECT * FROM members WHERE rk <= 3 ORDER BY cgroup_id, s1, rk) GROUP BY cgroup_id, s1),
level AS (
  SELECT CASE WHEN EXISTS (SELECT 1 FROM crit_ep c WHERE c.cgroup_id = e.cgroup_id
                            AND c.s0 >= e.s0 AND c.s1 <= e.s1) THEN 'critical' ELSE 'warning' END AS severity,
    'cgroup' AS entity_kind, e.rel AS entity, e.cgroup_id AS cgroup_id, e.t0 AS t_start, e.t1 AS t_end,
    e.mean AS value, '1' AS value_unit,
    printf('%s at %g %% or more of %s for %.0f s (%d samples%s): on average %.1f %%, at most %.1f %% (%.1f MiB)%s%s%s.%s',
      CASE WHEN e.room > e.lim THEN 'working set and swap' ELSE 'working set' END, :near_frac * 100,
      CASE WHEN e.room > e.lim THEN printf('its %.1f MiB limit plus %.1f MiB of swap it may use', e.lim / 1048576.0, (e.room - e.lim) / 1048576.0)
           ELSE printf('its %.1f MiB limit', e.lim / 1048576.0) END,
      e.secs, e.n, CASE WHEN e.runs > 1 THEN printf(' in %d runs', e.runs) ELSE '' END,
      e.mean * 100, e.peak * 100, e.used_max / 1048576.0,
      CASE WHEN e.hits > 0 THEN printf('; the limit was hit %d times', e.hits) ELSE '' END,
      CASE WHEN e.ooms > 0 THEN printf('; %d OOM events', e.ooms) ELSE '' END,
      CASE WHEN (SELECT max(t) FROM sample) - e.t1 <= :merge_gap THEN '; still so at the end of the recording'
           ELSE '; it ended ' || fmt_duration((SELECT max(t) FROM sample) - e.t1) || ' before the end of the recording' END,
      CASE WHEN t3.procs IS NOT NULL THEN ' Largest processes: ' || t3.procs || '.' ELSE '' END) AS message,
    'level' AS kind, e.lim AS limit_bytes, e.room - e.lim AS swap_room, e.used_max AS working_set_max,
    e.peak AS frac_max, e.swap_max AS swap_max, e.hits AS limit_hits, e.ooms AS oom_events, t3.procs AS processes,
    NULL AS slope_bytes_s, NULL AS slope_lo, NULL AS slope_hi, NULL AS p_inc_hr, NULL AS buckets,
    NULL AS tte_s, NULL AS tte_early_s, NULL AS tte_late_s
  FROM ep e LEFT JOIN top3 t3 ON t3.cgroup_id = e.cgroup_id AND t3.s1 = e.s1),
-- trend: per cgroup, about 100 buckets over its window
win AS (
  SELECT cgroup_id, min(t) AS t0, max(t) AS t1, max(sample) AS s_last,
    max((max(t) - min(t)) / :max_buckets, :bucket_samples * (max(t) - min(t)) / max(count(*) - 1, 1)) AS w
  FROM f GROUP BY cgroup_id HAVING max(t) - min(t) >= :min_window),
bk AS (
  SELECT f.cgroup_id, CAST((f.t - win.t0) / win.w AS INTEGER) AS b, avg(f.t) AS t, max(f.used) AS y
  FROM f JOIN win ON win.cgroup_id = f.cgroup_id
  GROUP BY f.cgroup_id, 2 HAVING count(*) >= 2),
-- the growth since its onset: the trailing run of segments rising at
-- min_rate or faster (onset(), change points on the bucket maxima); its
-- end must be a new high over the buckets before the onset
ons AS (
  SELECT cgroup_id,
    onset(t, y, :min_rate * 1048576.0 / 3600, :min_segment, :seg_penalty, :q * 1024) AS t_on
  FROM bk GROUP BY cgroup_id HAVING count(*) >= :min_buckets AND t_on IS NOT NULL),
rbk AS (SELECT bk.* FROM bk JOIN ons ON ons.cgroup_id = bk.cgroup_id AND bk.t >= ons.t_on),
prior AS (
  SELECT bk.cgroup_id, max(bk.y) AS y_high FROM bk JOIN ons ON ons.cgroup_id = bk.cgroup_id
  WHERE bk.t < ons.t_on GROUP BY bk.cgroup_id),
fit AS (
  SELECT cgroup_id, ts_slope(t, y) AS slope, ts_lo(t, y) AS lo, ts_hi(t, y) AS hi,
    mk_p_inc_hr(t, y, :q * 1024) AS p_inc, count(*) AS n, min(b) AS b_min, max(b) AS b_max,
    min(t) AS t_on
  FROM rbk GROUP BY cgroup_id),
-- the last quarter must still rise, and its last bucket be at or above
-- the quarter's median (a drop at the end means the growth stopped)
tail AS (
  SELECT rbk.cgroup_id, mk_s(rbk.t, rbk.y, :q * 1024) AS s, median(rbk.y) AS y_med,
    max(CASE WHEN rbk.b = fit.b_max THEN rbk.y END) AS y_last
  FROM rbk JOIN fit ON fit.cgroup_id = rbk.cgroup_id
  WHERE rbk.b >= fit.b_min + 0.75 * (fit.b_max - fit.b_min)
  GROUP BY rbk.cgroup_id),
tr AS (
  SELECT fit.*, win.t0, win.t1, win.s_last, f.rel, f.used, f.room, f.lim, prior.y_high,
    (f.room - f.used) / fit.slope AS tte, (f.room - f.used) / fit.hi AS tte_early,
    (f.room - f.used) / fit.lo AS tte_late
  FROM fit JOIN win ON win.cgroup_id = fit.cgroup_id
  JOIN tail ON tail.cgroup_id = fit.cgroup_id
  JOIN f ON f.cgroup_id = fit.cgroup_id AND f.sample = win.s_last
  LEFT JOIN prior ON prior.cgroup_id = fit.cgroup_id
  WHERE fit.n >= :min_buckets AND fit.p_inc < :p_max AND fit.lo > 0 AND tail.s > 0 AND tail.y_last >= tail.y_med
    AND (prior.y_high IS NULL OR tail.y_last > prior.y_high)
    AND f.room > f.used AND (f.room - f.used) / fit.slope < :warn_tte),
trend AS (
  SELECT CASE WHEN tr.tte < :crit_tte THEN 'critical' ELSE 'warning' END AS severity,
    'cgroup' AS entity_kind, tr.rel AS entity, tr.cgroup_id AS cgroup_id, tr.t_on AS t_start, tr.t1 AS t_end,
    tr.tte AS value, 's' AS value_unit,
    printf('working set grows %.1f MiB/h%s (90 %% CI %.1f to %.1f; Mann-Kendall p %.2g after the Hamed-Rao correction, %d buckets); %.1f MiB of %.1f MiB used at the end: the limit is reached in about %s (%s to %s) at this rate.%s',
      tr.slope * 3600 / 1048576.0,
      CASE WHEN tr.y_high IS NOT NULL THEN ' since ' || fmt_duration(tr.t_on - tr.t0) || ' into the recording' ELSE '' END,
      tr.lo * 3600 / 1048576.0, tr.hi * 3600 / 1048576.0, tr.p_inc, tr.n,
      tr.used / 1048576.0, tr.room / 1048576.0,
      fmt_duration(tr.tte, 's-h'),
      fmt_duration(tr.tte_early, 's-h'),
      fmt_duration(tr.tte_late, 's-h'),
      CASE WHEN t3.procs IS NOT NULL THEN ' Largest processes: ' || t3.procs || '.' ELSE '' END) AS message,
    'trend' AS kind, tr.lim AS limit_bytes, tr.room - tr.lim AS swap_room, tr.used AS working_set_max,
    1.0 * tr.used / tr.room AS frac_max, NULL AS swap_max, NULL AS limit_hits, NULL AS oom_events, t3.procs AS processes,
    tr.slope AS slope_bytes_s, tr.lo AS slope_lo, tr.hi AS slope_hi, tr.p_inc AS p_inc_hr, tr.n AS buckets,
    tr.tte AS tte_s, tr.tte_early AS tte_early_s, tr.tte_late AS tte_late_s
  FROM tr LEFT JOIN top3 t3 ON t3.cgroup_id = tr.cgroup_id AND t3.s1 = tr.s_last)
SELECT * FROM level
UNION ALL
SELECT * FROM trend
ORDER BY t_start, entity
