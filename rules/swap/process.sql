-- id: swap/process
-- severity: info
-- title: A process has much of its memory in swap, faults it back, or its swap grows
-- explain: From /proc/PID/status VmSwap (the process's private anonymous
--   pages in swap; shmem is not counted) and RssAnon, and the major-fault
--   counter of /proc/PID/stat, for every process whose VmSwap reached
--   min_swap. Each such process is classified, first match wins:
--
--   thrash (warning): at least min_intervals consecutive intervals
--   spanning min_seconds in which it took at least thrash_majflt major
--   faults/s while it had memory in swap and the host swapped in at least
--   half as many pages per second (a swap-in is a major fault; readahead
--   brings several pages per fault): the pages it needs keep being
--   evicted, its working set does not fit (detection research: 100/s).
--
--   leak (warning) and cold (info) need a window of min_minutes: VmSwap
--   cut into buckets of at least bucket_samples samples (at most
--   max_buckets), each bucket's median, cut where it changes (change
--   points, as leak/process), and the trailing run of segments rising at
--   min_rate or faster judged from its onset: a new high over the
--   buckets before the onset, a Hamed-Rao Mann-Kendall p below
--   p_max, a Theil-Sen 90 % lower bound above zero, a saturation index of
--   at least min_saturation (not a one-off move to swap that stopped) and
--   a growth of at least min_growth. Then the process's anonymous memory
--   (RssAnon + VmSwap) on the same buckets tells the two apart: if it grew
--   by at least leak_share as much, with p below leak_p, the process is leaking
--   and the leaked pages are pushed to swap (leak); if it stayed flat, idle
--   pages moved from RAM to swap, which is what swap is for (cold).
--
--   holder (info): the top_n processes with the most swap otherwise.
-- action: thrash: give the process (its memory cgroup) more memory or
--   reduce what it touches, or stop what crowds it out; the major faults
--   are its latency. leak: treat as a memory leak (leak/process): swap only
--   postpones the OOM kill. cold and holder: nothing is wrong while the
--   process does not fault the pages back; swap is then saving RAM.
-- param: min_swap = 32 MiB [0, inf) | the smallest peak VmSwap of a process judged
-- param: thrash_majflt = 100 /s [0, inf) | the smallest major-fault rate of a thrash interval
-- param: min_intervals = 3 [1, inf) | the fewest consecutive thrash intervals
-- param: min_seconds = 60 s [0, inf) | the shortest run of thrash intervals
-- param: min_minutes = 30 min [0, inf) | the shortest window for a growth verdict
-- param: bucket_samples = 5 [1, inf) | the fewest samples in a bucket
-- param: max_buckets = 200 [3, 4096] | buckets are widened so that a process has at most this many
-- param: min_buckets = 12 [3, 4096] | the fewest buckets a trend is computed on
-- param: p_max = 0.01 (0, 1] | the largest Hamed-Rao Mann-Kendall p-value of VmSwap's growth
-- param: min_saturation = 0.5 [0, inf) | the smallest second-half over first-half slope ratio
-- param: min_growth = 32 MiB [0, inf) | the smallest growth of VmSwap over the window
-- param: q = 64 KiB [0, inf) | Mann-Kendall compares values rounded to this; the change points' noise floor
-- param: min_rate = 1 MiB/h (0, inf) | the slowest rise that counts in the change-point search
-- param: min_segment = 6 [2, 4096] | the fewest buckets in a segment of the change-point search
-- param: seg_penalty = 3 (0, inf) | the cost of a change point, in units of the noise's variance times ln(buckets) (3: BIC)
-- param: leak_share = 50 % [0, 100] | leak, not cold: the anonymous memory grew by at least this share of VmSwap's growth ...
-- param: leak_p = 0.05 (0, 1] | ... with a Hamed-Rao Mann-Kendall p-value below this
-- param: top_n = 5 [0, 10000] | holders: how many processes with the most swap are listed
-- unit: text | class, cgroup
-- unit: MiB | swap_max_mib, swap_last_mib, rss_anon_last_mib, cgroup_limit_mib
-- unit: 1 | swap_rank, thrash_intervals, mk_p_hr, saturation, buckets, anon_total_mk_p_hr
-- unit: /s | majflt_per_s
-- unit: MiB/h | swap_growth_mib_h, swap_growth_lo_mib_h, swap_growth_hi_mib_h,
--   anon_total_growth_mib_h
-- chart: process-memory
WITH
cand AS (
  SELECT process_id, max(vm_swap) AS swap_max, min(sample) AS s0, max(sample) AS s1, count(*) AS n,
    max(majflt) - min(majflt) AS majflts
  FROM proc_sample
  GROUP BY process_id
  HAVING max(vm_swap) >= :min_swap * 1048576.0
),
seq AS (
  SELECT id AS sample, t, mono, row_number() OVER (ORDER BY id) AS n FROM sample
),
pts AS (
  SELECT ps.process_id, ps.sample, s.n, s.t, s.mono, ps.vm_swap, ps.rss_anon, ps.majflt,
    ps.rss_anon + coalesce(ps.vm_swap, 0) AS anon_total
  FROM cand c
  CROSS JOIN proc_sample ps ON ps.process_id = c.process_id
  CROSS JOIN seq s ON s.sample = ps.sample
),
-- thrash: intervals of many major faults with memory in swap (only
-- processes with enough major faults in all for one run, and samples
-- with memory in swap)
lagged AS (
  SELECT p.*,
    lag(p.n) OVER w AS n_prev, lag(p.t) OVER w AS t_prev, lag(p.mono) OVER w AS mono_prev,
    lag(p.majflt) OVER w AS majflt_prev, lag(p.sample) OVER w AS sample_prev
  FROM pts p JOIN cand c ON c.process_id = p.process_id
  WHERE c.majflts >= :thrash_majflt * :min_seconds AND p.vm_swap > 0
  WINDOW w AS (PARTITION BY p.process_id ORDER BY p.sample)
),
iv AS (
  SELECT l.process_id, l.sample, l.sample_prev, l.n, l.t, l.t_prev, l.mono - l.mono_prev AS dt,
    l.vm_swap, l.rss_anon, l.anon_total,
    (l.majflt - l.majflt_prev) / (l.mono - l.mono_prev) AS majflt_s
  FROM lagged l
  WHERE l.n_prev = l.n - 1 AND l.mono > l.mono_prev AND l.majflt >= l.majflt_prev
),
-- ... and the host's swap-in rate in those intervals (primary-key seeks)
tflag AS (
  SELECT i.* FROM iv i
  WHERE i.majflt_s >= :thrash_majflt AND i.vm_swap > 0
    AND (SELECT c.value - p.value FROM vmstat c JOIN vmstat p ON p.sample = i.sample_prev AND p.key = 'pswpin'
         WHERE c.sample = i.sample AND c.key = 'pswpin') >= 0.5 * i.majflt_s * i.dt
),
truns AS (
  SELECT f.*, f.n - row_number() OVER (PARTITION BY f.process_id ORDER BY f.n) AS grp FROM tflag f
),
thrash AS (
  SELECT process_id, grp, count(*) AS intervals, min(sample_prev) AS s_start, max(sample) AS s_end,
    min(t_prev) AS t_start, max(t) AS t_end, sum(dt) AS secs,
    sum(majflt_s * dt) / sum(dt) AS majflt_avg, median(vm_swap) AS swap_med,
    median(rss_anon) AS anon_med, median(anon_total) AS total_med,
    row_number() OVER (PARTITION BY process_id ORDER BY sum(majflt_s * dt) DESC) AS rk
  FROM truns
  GROUP BY process_id, grp
  HAVING count(*) >= :min_intervals AND max(t) - min(t_prev) >= :min_seconds
),
-- growth: bucket medians of VmSwap and of RssAnon + VmSwap
width AS (
  SELECT c.process_id, max(:bucket_samples, (c.n + :max_buckets - 1) / :max_buckets) AS k, s.n AS n0
  FROM cand c JOIN seq s ON s.sample = c.s0
),
bucket AS (
  SELECT p.process_id, (p.n - w.n0) / w.k AS b,
    avg(p.t) AS t, median(p.vm_swap) AS swap, median(p.anon_total) AS total,
    min(p.sample) AS s_lo, max(p.sample) AS s_hi, count(*) AS cnt
  FROM pts p JOIN width w ON w.process_id = p.process_id
  WHERE p.vm_swap IS NOT NULL
  GROUP BY p.process_id, b
  HAVING count(*) >= 2
),
-- the growth since its onset: the trailing run of segments of VmSwap
-- rising at min_rate or faster (onset(), change points on the bucket
-- medians); its end must be a new high over the buckets before the onset
ons AS (
  SELECT process_id,
    onset(t, swap, :min_rate * 1048576.0 / 3600, :min_segment, :seg_penalty, :q * 1024) AS t_on
  FROM bucket GROUP BY process_id HAVING count(*) >= :min_buckets AND t_on IS NOT NULL
),
rbucket AS (
  SELECT b.* FROM bucket b JOIN ons ON ons.process_id = b.process_id AND b.t >= ons.t_on
),
prior AS (
  SELECT b.process_id, max(b.swap) AS y_high FROM bucket b
  JOIN ons ON ons.process_id = b.process_id AND b.t < ons.t_on GROUP BY b.process_id
),
tr AS (
  SELECT process_id, count(*) AS nb, min(t) AS t0, max(t) AS t1,
    trend(t, swap, :q * 1024) AS j,
    ts_slope(t, total) AS total_slope, mk_p_inc_hr(t, total, :q * 1024) AS total_p,
    min(s_lo) AS s_start, max(s_hi) AS s_end
  FROM rbucket
  GROUP BY process_id
  HAVING count(*) >= :min_buckets AND max(t) - min(t) >= :min_minutes * 60
),
growth AS (
  SELECT tr.*,
    json_extract(j, '$.ts_slope') AS slope, json_extract(j, '$.ts_lo') AS lo,
    json_extract(j, '$.ts_hi') AS hi, json_extract(j, '$.mk_p_inc_hr') AS p,
    json_extract(j, '$.saturation') AS sat,
    json_extract(j, '$.y_first') AS y0, json_extract(j, '$.y_last') AS y1, prior.y_high
  FROM tr LEFT JOIN prior USING (process_id)
),
grown AS (
  SELECT g.*, g.slope * (g.t1 - g.t0) AS grew,
    CASE WHEN g.total_slope * (g.t1 - g.t0) >= :leak_share / 100.0 * g.slope * (g.t1 - g.t0)
              AND g.total_p < :leak_p
         THEN 'leak' ELSE 'cold' END AS class
  FROM growth g
  WHERE g.p < :p_max AND g.lo > 0 AND g.sat >= :min_saturation
    AND g.slope * (g.t1 - g.t0) >= :min_growth * 1048576.0
    AND (g.y_high IS NULL OR g.y1 - g.y_high >= :min_growth * 1048576.0)   -- a new high
),
-- the process's memory cgroup and its limit at the end
cgm AS (
  SELECT c.process_id,
    (SELECT pc.path FROM proc_cgroup pc
     WHERE pc.process_id = c.process_id
       AND (pc.hierarchy = 0 OR (',' || pc.controllers || ',') LIKE '%,memory,%')
     ORDER BY pc.hierarchy DESC, pc.last_sample DESC LIMIT 1) AS cg
  FROM cand c
),
cgid AS (
  SELECT m.process_id, m.cg, min(g.id) AS cgroup_id, min(g.version) AS version
  FROM cgm m LEFT JOIN cgroup g ON g.rel = m.cg
  GROUP BY m.process_id
),
cglim AS (
  SELECT i.process_id, i.cg,
    (SELECT v.value FROM cgroup_value v
     WHERE v.cgroup_id = i.cgroup_id AND v.sample = c.s1
       AND v.key = CASE i.version WHEN 1 THEN 'memory.stat:hierarchical_memory_limit' ELSE 'memory.max' END
       AND v.value < 4611686018427387904) AS lim
  FROM cgid i JOIN cand c ON c.process_id = i.process_id
),
swap_total AS (
  SELECT value AS total FROM meminfo
  WHERE key = 'SwapTotal' AND sample = (SELECT max(sample) FROM meminfo)
),
last_pt AS (
  SELECT c.process_id, ps.vm_swap AS swap_last, ps.rss_anon AS anon_last
  FROM cand c JOIN proc_sample ps ON ps.process_id = c.process_id AND ps.sample = c.s1
),
judged AS (
  SELECT c.process_id, c.swap_max,
    CASE WHEN th.process_id IS NOT NULL THEN 'thrash'
         WHEN gr.process_id IS NOT NULL THEN gr.class
         ELSE 'holder' END AS class,
    th.t_start AS th_t0, th.t_end AS th_t1, th.intervals, th.majflt_avg, th.swap_med,
    th.anon_med, th.total_med,
    gr.t0 AS gr_t0, gr.t1 AS gr_t1, gr.nb, gr.slope, gr.lo, gr.hi, gr.p, gr.sat, gr.y0, gr.y1,
    gr.grew, gr.total_slope, gr.total_p,
    row_number() OVER (ORDER BY c.swap_max DESC, c.process_id) AS swap_rank
  FROM cand c
  LEFT JOIN thrash th ON th.process_id = c.process_id AND th.rk = 1
  LEFT JOIN grown gr ON gr.process_id = c.process_id
),
fin AS (
  SELECT j.*, p.pid, p.comm, ps.t AS t_first, pe.t AS t_last, cl.cg, cl.lim,
    lp.swap_last, lp.anon_last, st.total AS swap_total
  FROM judged j
  JOIN process p ON p.id = j.process_id
  JOIN cand c ON c.process_id = j.process_id
  JOIN sample ps ON ps.id = c.s0
  JOIN sample pe ON pe.id = c.s1
  LEFT JOIN cglim cl ON cl.process_id = j.process_id
  LEFT JOIN last_pt lp ON lp.process_id = j.process_id
  LEFT JOIN swap_total st
  WHERE j.class <> 'holder' OR j.swap_rank <= :top_n
)
SELECT 'process' AS entity_kind, process_id,
  CASE class WHEN 'thrash' THEN th_t0 WHEN 'holder' THEN t_first ELSE gr_t0 END AS t_start,
  CASE class WHEN 'thrash' THEN th_t1 WHEN 'holder' THEN t_last ELSE gr_t1 END AS t_end,
  CASE class WHEN 'thrash' THEN round(majflt_avg, 1)
             WHEN 'holder' THEN round(swap_max / 1048576.0, 1)
             ELSE round(slope * 3600 / 1048576.0, 2) END AS value,
  CASE class WHEN 'thrash' THEN '/s' WHEN 'holder' THEN 'MiB' ELSE 'MiB/h' END AS value_unit,
  CASE class WHEN 'thrash' THEN 'warning' WHEN 'leak' THEN 'warning' ELSE 'info' END AS severity,
  CASE class
    WHEN 'thrash' THEN
      pid || ' (' || comm || ') keeps faulting its swapped memory back in for '
      || fmt_duration(th_t1 - th_t0, 'min-h')
      || printf(': %.0f major faults/s while %.0f MiB of it is in swap and %.0f MiB in RAM (%.0f MiB of anonymous memory in all)',
                majflt_avg, swap_med / 1048576.0, anon_med / 1048576.0, total_med / 1048576.0)
      || CASE WHEN cg IS NOT NULL AND cg <> '/' THEN ', in memory cgroup ' || cg
              || CASE WHEN lim IS NOT NULL THEN printf(' (limit %.0f MiB)', lim / 1048576.0) ELSE '' END
              ELSE '' END
      || ': its working set does not fit in the memory it is allowed.'
    WHEN 'leak' THEN
      pid || ' (' || comm || ')' || printf(': VmSwap grew from %.0f to %.0f MiB in %.1f h (%.1f MiB/h, Theil-Sen 90 %% CI %.1f-%.1f MiB/h, Mann-Kendall p %s) while its anonymous memory (RssAnon + VmSwap) grew %.0f MiB: a leak whose pages are pushed to swap (see leak/process).',
        y0 / 1048576.0, y1 / 1048576.0, (gr_t1 - gr_t0) / 3600.0, slope * 3600 / 1048576.0,
        lo * 3600 / 1048576.0, hi * 3600 / 1048576.0,
        fmt_p(p),
        total_slope * (gr_t1 - gr_t0) / 1048576.0)
    WHEN 'cold' THEN
      pid || ' (' || comm || ')' || printf(': VmSwap grew from %.0f to %.0f MiB in %.1f h (%.1f MiB/h, Mann-Kendall p %s) while its anonymous memory (RssAnon + VmSwap) changed by %.0f MiB: idle pages moved to swap, harmless while they are not faulted back.',
        y0 / 1048576.0, y1 / 1048576.0, (gr_t1 - gr_t0) / 3600.0, slope * 3600 / 1048576.0,
        fmt_p(p),
        total_slope * (gr_t1 - gr_t0) / 1048576.0)
    ELSE
      pid || ' (' || comm || ')' || printf(' has up to %.0f MiB in swap (%.0f MiB at the end', swap_max / 1048576.0,
        coalesce(swap_last, 0) / 1048576.0)
      || CASE WHEN swap_total > 0 THEN printf(', %.0f %% of the swap space', 100.0 * swap_max / swap_total) ELSE '' END
      || printf('; RssAnon %.0f MiB): #%d by swap.', coalesce(anon_last, 0) / 1048576.0, swap_rank)
  END AS message,
  class, round(swap_max / 1048576.0, 1) AS swap_max_mib, round(swap_last / 1048576.0, 1) AS swap_last_mib,
  round(anon_last / 1048576.0, 1) AS rss_anon_last_mib, swap_rank,
  intervals AS thrash_intervals, round(majflt_avg, 1) AS majflt_per_s,
  round(slope * 3600 / 1048576.0, 3) AS swap_growth_mib_h,
  round(lo * 3600 / 1048576.0, 3) AS swap_growth_lo_mib_h,
  round(hi * 3600 / 1048576.0, 3) AS swap_growth_hi_mib_h,
  p AS mk_p_hr, round(min(sat, 1e6), 3) AS saturation, nb AS buckets,
  round(total_slope * 3600 / 1048576.0, 3) AS anon_total_growth_mib_h, total_p AS anon_total_mk_p_hr,
  cg AS cgroup, round(lim / 1048576.0, 1) AS cgroup_limit_mib
FROM fin
ORDER BY CASE class WHEN 'thrash' THEN 0 WHEN 'leak' THEN 1 WHEN 'cold' THEN 2 ELSE 3 END, swap_max DESC
