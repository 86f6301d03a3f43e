-- id: fragmentation/compaction
-- severity: warning
-- title: Processes keep stalling in direct memory compaction, and it mostly fails
-- explain: vmstat compact_stall counts the times a process had to stop
--   and compact memory itself to get a large free block (a huge page, a
--   big kernel buffer); compact_fail counts the times that did not produce
--   one. Over every trailing 5-minute window (by the monotonic clock), a
--   rate of at least 10 stalls a minute with at least half of them failed
--   means allocations wait for compaction that buys nothing. A finding is
--   a run of samples whose trailing windows all qualify; it covers from the
--   first window's start to the last sample. Critical when the run lasts
--   at least 30 minutes. Counter falls (a reboot) end a run.
-- action: Look at what asks for large blocks: THP page faults (vmstat
--   thp_fault_fallback; set /sys/kernel/mm/transparent_hugepage/defrag to
--   "defer" or "madvise" so faults stop compacting directly), drivers and
--   network stacks with high-order buffers. The fragmentation/high-order
--   rule shows which zone has free memory only in small pieces; free
--   memory that unmovable pages keep scattered cannot be compacted.
-- param: window = 300 s (0, inf) | the trailing window the rates are computed over
-- param: min_rate = 10 /min [0, inf) | compaction stalls per minute that count
-- param: min_fail = 0.5 [0, 1] | compact_fail / compact_stall at or above which the stalls are wasted
-- param: crit_duration = 1800 s [0, inf) | a run this long is critical
-- needs: 0.9 * :window
-- unit: /min | value, peak_per_min
-- unit: 1 | compact_stalls, compact_fails, fail_ratio, samples
-- unit: s | seconds
-- chart: bytes | Free memory, and how much of it is in large blocks
-- line: free | SELECT s.t, sum(b.free * (1 << b.ord))
--     * (SELECT page_size FROM host_last)
--   FROM buddyinfo b JOIN sample s ON s.id = b.sample GROUP BY b.sample ORDER BY b.sample
-- line: free in blocks of 2 MiB or more | WITH pg(size) AS (SELECT coalesce(
--     (SELECT page_size FROM host_last), 4096))
--   SELECT s.t, sum(CASE WHEN (1 << b.ord) * pg.size >= 2097152 THEN b.free * (1 << b.ord)
--     ELSE 0 END) * pg.size
--   FROM buddyinfo b JOIN sample s ON s.id = b.sample CROSS JOIN pg
--   GROUP BY b.sample ORDER BY b.sample
WITH
c AS MATERIALIZED (
  SELECT s.id AS sample, s.t, s.mono, st.value AS stall, fl.value AS fail
  FROM sample s
  JOIN vmstat st ON st.sample = s.id AND st.key = 'compact_stall'
  JOIN vmstat fl ON fl.sample = s.id AND fl.key = 'compact_fail'),
-- a reset (the counter fell) starts a new segment; windows stay inside one
seg0 AS (
  SELECT c.*, CASE WHEN stall < lag(stall) OVER o OR fail < lag(fail) OVER o THEN 1 ELSE 0 END AS reset
  FROM c WINDOW o AS (ORDER BY sample)),
seg AS (
  SELECT seg0.*, sum(reset) OVER (ORDER BY sample ROWS UNBOUNDED PRECEDING) AS segment FROM seg0),
w AS (
  SELECT sample, t, mono, segment, stall, fail,
    first_value(stall) OVER win AS stall0, first_value(fail) OVER win AS fail0,
    first_value(mono) OVER win AS mono0, first_value(t) OVER win AS t0
  FROM seg
  WINDOW win AS (PARTITION BY segment ORDER BY mono RANGE BETWEEN :window PRECEDING AND CURRENT ROW)),
q AS (
  SELECT w.*, stall - stall0 AS d_stall, fail - fail0 AS d_fail, mono - mono0 AS secs
  FROM w
  WHERE mono - mono0 >= 0.9 * :window   -- a trailing window 90 % covered by samples counts
    AND 60.0 * (stall - stall0) / (mono - mono0) >= :min_rate
    AND fail - fail0 >= :min_fail * (stall - stall0)),
runs AS (
  SELECT q.*, sample - row_number() OVER (ORDER BY sample) AS run FROM q),
ep AS (
  SELECT min(t0) AS t_start, max(t) AS t_end, count(*) AS n,
    min(sample) AS s_first, max(sample) AS s_last,
    max(mono) - min(mono0) AS secs,
    max(60.0 * d_stall / secs) AS peak_rate
  FROM runs GROUP BY segment, run),
-- the run starts in the interval of its first stall (the first window may
-- reach back past it)
tot AS (
  SELECT ep.*, l.stall - f.stall0 AS stalls, l.fail - f.fail0 AS fails,
    coalesce((SELECT max(p.t) FROM c p WHERE p.sample < (
        SELECT min(x.sample) FROM c x WHERE x.sample <= ep.s_first AND x.stall > f.stall0
          AND x.mono >= f.mono0)
      AND p.mono >= f.mono0), ep.t_start) AS t_first,
    coalesce((SELECT max(p.mono) FROM c p WHERE p.sample < (
        SELECT min(x.sample) FROM c x WHERE x.sample <= ep.s_first AND x.stall > f.stall0
          AND x.mono >= f.mono0)
      AND p.mono >= f.mono0), f.mono0) AS mono_first,
    l.mono AS mono_last
  FROM ep JOIN runs f ON f.sample = ep.s_first JOIN runs l ON l.sample = ep.s_last)
SELECT
  CASE WHEN mono_last - mono_first >= :crit_duration THEN 'critical' ELSE 'warning' END AS severity,
  'system' AS entity_kind, 'system' AS entity, t_first AS t_start, t_end,
  60.0 * stalls / (mono_last - mono_first) AS value,
  printf('%s direct compaction stalls per minute for %.1f min (%d in all; at most %s a minute over a %g s window), %.0f %% of them failed (compact_fail rose by %d).',
    fmt_rate(60.0 * stalls / (mono_last - mono_first), 1, 3),
    (mono_last - mono_first) / 60.0, stalls, fmt_rate(peak_rate, 1, 3),
    :window, 100.0 * fails / stalls, fails) AS message,
  stalls AS compact_stalls, fails AS compact_fails, 1.0 * fails / stalls AS fail_ratio,
  mono_last - mono_first AS seconds, peak_rate AS peak_per_min, n AS samples
FROM tot
WHERE stalls > 0 AND mono_last > mono_first
ORDER BY t_start
