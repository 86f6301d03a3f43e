-- id: leak/mapping
-- severity: warning
-- title: One mapping of a process ([heap] or an anonymous region) grows steadily
-- explain: From full smaps (tier 2, the largest and fastest-growing
--   processes every --smaps-interval), each private [heap] or anonymous
--   mapping is followed across samples by its start address; a mapping
--   whose start moves while its end stays (anonymous mmaps placed below
--   it merge into it, the usual way glibc's large allocations grow) is
--   followed by its end instead. Its size is Anonymous + Swap; a long
--   series is cut into at most max_points groups of consecutive captures,
--   each kept as its smallest size. The series is cut where it changes
--   (change points, as leak/process): what is judged is the trailing run
--   of segments rising at min_rate or faster, from its onset to the last
--   capture, and its end must be a new high over the sizes before the
--   onset (growth that stopped, or that only returns to an earlier size,
--   is not reported). That growth is reported when it has at least
--   min_points points over at least min_minutes, grew by at least
--   min_growth and min_growth_pct of its first size, rose in at least
--   min_rise_pct of the steps that changed it, has a Theil-Sen 90 % lower
--   bound above zero, a saturation index (second-half slope over
--   first-half slope) of at least min_saturation (a region that filled up
--   once and stopped does not count) and a Hamed-Rao Mann-Kendall p below
--   p_max; and when the process's anonymous memory (RssAnon + VmSwap) did
--   not fall over the same time by more than the mapping grew, so that
--   memory moving from one region to another is not called a leak.
--   Mann-Kendall gives no p-value below 10 points (its normal
--   approximation): a 10-minute capture at the default 5-minute smaps
--   interval has 3 and cannot show a trend at all, and one with 6 to 9
--   points is judged by the other tests alone; record with
--   --smaps-interval 1m to follow mappings over a short capture.
-- action: The mapping named is where the leaked memory lives: [heap] is
--   malloc's main arena (brk); an anonymous region is a thread arena,
--   a large malloc or an mmap of the program's own (a ring buffer, a pool,
--   a JIT or GC heap). Match its address range against the program's own
--   allocations (a heap profiler; gdb on a core dump: info proc mappings)
--   and find the allocation that is never freed.
-- param: min_points = 6 [3, 4096] | the fewest smaps samples of a mapping judged
-- param: min_minutes = 5 min [0, inf) | the shortest time span of a mapping's series
-- param: min_growth = 2 MiB [0, inf) | the smallest growth of the mapping (last - first)
-- param: min_growth_pct = 2 % [0, inf) | ... and this share of its first size
-- param: min_rise_pct = 80 % [0, 100] | the share of changing steps that must be rises
-- param: min_saturation = 0.5 [0, inf) | the smallest second-half over first-half slope ratio
-- param: q = 64 KiB [0, inf) | Mann-Kendall compares values rounded to this
-- param: p_max = 0.01 (0, 1] | the largest Hamed-Rao Mann-Kendall p-value (10 points or more)
-- param: max_points = 200 [10, 4096] | a mapping's captures are grouped so that its series has at most this many points
-- param: min_rate = 1 MiB/h (0, inf) | the slowest rise that counts in the change-point search
-- param: min_segment = 4 [2, 4096] | the fewest points in a segment of the change-point search
-- param: seg_penalty = 3 (0, inf) | the cost of a change point, in units of the noise's variance times ln(points) (3: BIC)
-- needs: :min_minutes
-- needs: :min_points smaps samples
-- unit: MiB/h | value, rate_mib_h, rate_lo_mib_h, rate_hi_mib_h
-- unit: MiB | growth_mib, first_mib, last_mib, first_size_mib, last_size_mib,
--   process_anon_first_mib, process_anon_last_mib
-- unit: min | window_min
-- unit: 1 | points, mk_p_hr, rise_frac, saturation, r2, captures
-- unit: text | start, end, kind, perms, path, followed_by
-- unit: h | onset_after_h
-- chart: bytes | Mapping :entity: size in memory and in swap
-- line: resident | SELECT s.t, m.rss FROM mapping m JOIN sample s ON s.id = m.sample
--   WHERE m.process_id = (SELECT p.id FROM process p JOIN sample a ON a.id = p.first_sample
--     JOIN sample b ON b.id = p.last_sample WHERE p.pid = CAST(:entity AS INTEGER)
--     AND a.t <= :t_end AND b.t >= :t_start ORDER BY p.id LIMIT 1)
--   AND CASE :followed_by WHEN 'end' THEN printf('%x', m."end") = :end
--       ELSE printf('%x', m.start) = :start END ORDER BY s.id
-- line: swapped | SELECT s.t, m.swap FROM mapping m JOIN sample s ON s.id = m.sample
--   WHERE m.process_id = (SELECT p.id FROM process p JOIN sample a ON a.id = p.first_sample
--     JOIN sample b ON b.id = p.last_sample WHERE p.pid = CAST(:entity AS INTEGER)
--     AND a.t <= :t_end AND b.t >= :t_start ORDER BY p.id LIMIT 1)
--   AND CASE :followed_by WHEN 'end' THEN printf('%x', m."end") = :end
--       ELSE printf('%x', m.start) = :start END ORDER BY s.id
WITH
m AS (
  SELECT m.process_id, m.sample, s.t, m.start, m."end", m.kind, m.perms, m.path,
         coalesce(m.anonymous, m.rss) + coalesce(m.swap, 0) AS y
  FROM mapping m JOIN sample s ON s.id = m.sample
  WHERE m.kind IN ('heap', 'anon') AND m.perms LIKE '%p'
),
-- mappings followed by start; those whose start moved, by end
by_start AS (
  SELECT process_id, 's' AS key_kind, start AS key, count(*) AS n,
         count(DISTINCT "end") AS n_ends
  FROM m GROUP BY process_id, start
),
by_end AS (
  SELECT process_id, 'e' AS key_kind, "end" AS key, count(*) AS n,
         count(DISTINCT start) AS n_starts
  FROM m GROUP BY process_id, "end"
),
series AS (
  SELECT m.*, 's' AS key_kind, m.start AS key FROM m
  JOIN by_start b ON b.process_id = m.process_id AND b.key = m.start
  WHERE b.n >= :min_points
  UNION ALL
  SELECT m.*, 'e', m."end" FROM m
  JOIN by_end b ON b.process_id = m.process_id AND b.key = m."end"
  WHERE b.n >= :min_points AND b.n_starts > 1
),
-- at most max_points points a mapping: consecutive captures grouped, the
-- smallest size of each group (its trough) at the group's mean time
sized AS (
  SELECT series.*, count(*) OVER (PARTITION BY process_id, key_kind, key) AS n_all,
         row_number() OVER (PARTITION BY process_id, key_kind, key ORDER BY sample) - 1 AS rn
  FROM series
),
pts AS (
  SELECT process_id, key_kind, key, min(sample) AS s_lo, max(sample) AS s_hi,
         avg(t) AS t, min(y) AS y, count(*) AS captures
  FROM sized
  GROUP BY process_id, key_kind, key, rn / ((n_all + :max_points - 1) / :max_points)
),
-- the growth since the onset of its trailing rise (onset(), as leak/process)
onset AS (
  SELECT process_id, key_kind, key,
         onset(t, y, :min_rate * 1048576.0 / 3600, :min_segment, :seg_penalty, :q * 1024) AS t_on
  FROM pts GROUP BY process_id, key_kind, key
  HAVING count(*) >= :min_points AND t_on IS NOT NULL
),
prior AS (   -- the largest trough before the onset
  SELECT p.process_id, p.key_kind, p.key, max(p.y) AS y_prior
  FROM pts p JOIN onset o USING (process_id, key_kind, key)
  WHERE p.t < o.t_on GROUP BY p.process_id, p.key_kind, p.key
),
rpts AS (
  SELECT p.* FROM pts p JOIN onset o USING (process_id, key_kind, key) WHERE p.t >= o.t_on
),
tr AS (
  SELECT process_id, key_kind, key, count(*) AS n, sum(captures) AS captures,
         min(s_lo) AS s_first, max(s_hi) AS s_last, min(t) AS t0, max(t) AS t1,
         trend(t, y, :q * 1024) AS j, rise_frac(t, y) AS rise
  FROM rpts GROUP BY process_id, key_kind, key
  HAVING count(*) >= :min_points AND max(t) - min(t) >= :min_minutes * 60
),
stat AS (
  SELECT tr.*, pr.y_prior, (SELECT max(kind) FROM series x WHERE x.process_id = tr.process_id
           AND x.key_kind = tr.key_kind AND x.key = tr.key) AS kind,
         json_extract(j, '$.y_first') AS y0, json_extract(j, '$.y_last') AS y1,
         json_extract(j, '$.ts_slope') AS slope, json_extract(j, '$.ts_lo') AS lo,
         json_extract(j, '$.ts_hi') AS hi, json_extract(j, '$.mk_p_inc_hr') AS p,
         json_extract(j, '$.saturation') AS sat, json_extract(j, '$.ols_r2') AS r2
  FROM tr LEFT JOIN prior pr USING (process_id, key_kind, key)
),
grown AS (
  SELECT s.* FROM stat s
  WHERE s.y1 - s.y0 >= max(:min_growth * 1048576.0, :min_growth_pct / 100.0 * s.y0)
    AND s.rise >= :min_rise_pct / 100.0 AND s.lo > 0 AND s.sat >= :min_saturation
    -- Mann-Kendall gives no p-value below 10 points: those are judged
    -- without it (see explain)
    AND (s.p IS NULL OR s.p < :p_max)
    -- a new high, as in leak/process
    AND (s.y_prior IS NULL OR s.y1 - s.y_prior >= max(:min_growth * 1048576.0,
                                                      :min_growth_pct / 100.0 * s.y0))
),
-- the mapping's address range at its last and first sample of the
-- growth, and the process's anonymous memory then
last_row AS (
  SELECT g.process_id, g.key_kind, g.key, x.start AS a_start, x."end" AS a_end,
         x.path, x.perms
  FROM grown g JOIN series x ON x.process_id = g.process_id AND x.key_kind = g.key_kind
   AND x.key = g.key AND x.sample = g.s_last
),
first_row AS (
  SELECT g.process_id, g.key_kind, g.key, x."end" - x.start AS size0
  FROM grown g JOIN series x ON x.process_id = g.process_id AND x.key_kind = g.key_kind
   AND x.key = g.key AND x.sample = g.s_first
),
fin AS (
  SELECT g.*, p.pid, p.comm, l.a_start, l.a_end, l.path, l.perms, f.size0,
         p0.rss_anon + coalesce(p0.vm_swap, 0) AS tot0,
         p1.rss_anon + coalesce(p1.vm_swap, 0) AS tot1,
         (SELECT min(t) FROM series x WHERE x.process_id = g.process_id AND x.key_kind = g.key_kind
            AND x.key = g.key) AS t_seen
  FROM grown g
  JOIN last_row l USING (process_id, key_kind, key)
  JOIN first_row f USING (process_id, key_kind, key)
  JOIN process p ON p.id = g.process_id
  JOIN proc_sample p0 ON p0.process_id = g.process_id AND p0.sample = g.s_first
  JOIN proc_sample p1 ON p1.process_id = g.process_id AND p1.sample = g.s_last
  WHERE p1.rss_anon + coalesce(p1.vm_swap, 0) - (p0.rss_anon + coalesce(p0.vm_swap, 0))
        >= -(g.y1 - g.y0)
),
txt AS (
  SELECT fin.*, y1 - y0 AS growth, t1 - t0 AS d,
    fmt_bytes(y1 - y0, 1) AS growth_txt, fmt_duration(t1 - t0) AS d_txt,
    slope * 3600 / 1048576.0 AS rate
  FROM fin
)
SELECT 'mapping' AS entity_kind,
       pid || ' (' || comm || ') ' || fmt_hex(a_start, 12) || '-' || fmt_hex(a_end, 12) || ' '
       || CASE WHEN kind = 'heap' THEN '[heap]' WHEN path <> '' THEN path ELSE 'anon' END AS entity,
       process_id, a_start AS mapping_start, a_end AS mapping_end,
       t0 AS t_start, t1 AS t_end,
       round(rate, 3) AS value,
       CASE WHEN kind = 'heap' THEN 'The [heap] (brk) mapping '
            ELSE 'The anonymous mapping ' END
       || fmt_hex(a_start, 12) || '-' || fmt_hex(a_end, 12)
       || CASE WHEN path <> '' AND kind <> 'heap' THEN ' ' || path ELSE '' END
       || ' (' || perms || ') of ' || pid || ' (' || comm || ') grew ' || growth_txt
       || ' in ' || d_txt
       || CASE WHEN y_prior IS NOT NULL
               THEN ', starting ' || fmt_duration(t0 - t_seen) || ' after it was first seen'
               ELSE '' END
       || printf(', from %.1f to %.1f MiB of anonymous memory and swap (%s MiB/h, Theil-Sen 90 %% CI %s MiB/h', y0 / 1048576.0, y1 / 1048576.0,
                 fmt_rate(rate, 1), fmt_rate_range(lo * 3600 / 1048576.0, hi * 3600 / 1048576.0, 1))
       || coalesce(', Mann-Kendall p ' || fmt_p(p), '')
       || printf(', %d smaps samples, %.0f %% of the changes rises)', captures, rise * 100)
       || CASE WHEN key_kind = 'e' THEN '; it grows downwards: new mappings below it merge into it'
               ELSE '' END
       || printf('; the process''s anonymous memory went from %.1f to %.1f MiB meanwhile.',
                 tot0 / 1048576.0, tot1 / 1048576.0) AS message,
       fmt_hex(a_start) AS start, fmt_hex(a_end) AS "end", kind, perms, path,
       CASE key_kind WHEN 's' THEN 'start' ELSE 'end' END AS followed_by,
       round(growth / 1048576.0, 3) AS growth_mib,
       round(y0 / 1048576.0, 3) AS first_mib, round(y1 / 1048576.0, 3) AS last_mib,
       round(rate, 3) AS rate_mib_h, round(lo * 3600 / 1048576.0, 3) AS rate_lo_mib_h,
       round(hi * 3600 / 1048576.0, 3) AS rate_hi_mib_h,
       n AS points, captures, round(d / 60.0, 1) AS window_min,
       CASE WHEN y_prior IS NOT NULL THEN round((t0 - t_seen) / 3600.0, 2) END AS onset_after_h, p AS mk_p_hr, round(rise, 3) AS rise_frac,
       round(min(sat, 1e6), 3) AS saturation, round(r2, 4) AS r2,
       round(size0 / 1048576.0, 3) AS first_size_mib,
       round((a_end - a_start) / 1048576.0, 3) AS last_size_mib,
       round(tot0 / 1048576.0, 3) AS process_anon_first_mib,
       round(tot1 / 1048576.0, 3) AS process_anon_last_mib
FROM txt
ORDER BY rate DESC
