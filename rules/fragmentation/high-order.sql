-- id: fragmentation/high-order
-- severity: warning
-- title: A zone has free memory but no free 2 MiB blocks, and allocations suffer for it
-- explain: From /proc/buddyinfo, per node and zone (DMA never; DMA32 only
--   on a node without a Normal or Movable zone): F = free pages (the sum of
--   n_k 2^k over the orders k) and the kernel's unusable free space index
--   for order j (mm/vmstat.c unusable_free_index), U_j = (F - pages in
--   free blocks of order >= j) / F: the share of free memory that an
--   order-j request cannot use. A finding is a run of consecutive samples,
--   at least 5 minutes long, where U_9 >= 0.9 (order 9 = 2 MiB, a huge
--   page and a pageblock on x86-64) while F is at least 5 % of the zone's
--   managed pages (/proc/zoneinfo): memory is free, just not in 2 MiB
--   pieces. Fragmentation alone harms nothing until something asks for
--   large blocks, so over the run the system must also show it: direct
--   compaction stalls (vmstat compact_stall) at 10 a minute or more, or
--   THP page faults (10 a minute or more) falling back to small pages at
--   least half the time (thp_fault_fallback, not counting
--   thp_fault_fallback_charge, the memory cgroup limit's fallbacks).
--   Critical when at least half of the compaction stalls failed
--   (compact_fail / compact_stall >= 0.5): the stalls buy nothing.
-- action: Find what pins the free memory in small pieces: unmovable
--   kernel allocations (slab, network buffers, pipes) spread over the
--   zone, or long-lived pinned pages. For huge-page users, set THP defrag
--   to "defer" or "madvise" so page faults do not stall in compaction,
--   allocate hugetlb pages at boot, or raise vm.min_free_kbytes so the
--   kernel keeps more free blocks; /proc/pagetypeinfo (root) shows which
--   migrate types hold the pageblocks.
-- param: order = 9 [0, 10] | the block order that matters (9 = 2 MiB with 4 KiB pages)
-- param: min_unusable = 0.9 [0, 1] | unusable free space index at or above which the zone is fragmented
-- param: min_free_frac = 0.05 [0, 1] | free memory must be at least this share of the zone's managed pages
-- param: min_duration = 300 s [0, inf) | the fragmented state must last this long (consecutive samples)
-- param: min_stall_rate = 10 /min [0, inf) | compaction stalls per minute over the run that corroborate
-- param: min_thp_rate = 10 /min [0, inf) | THP page faults per minute for the fallback ratio to count
-- param: min_fallback = 0.5 [0, 1] | THP fallback ratio that corroborates
-- param: crit_fail = 0.5 [0, 1] | compact_fail / compact_stall at or above which the finding is critical
-- needs: :min_duration
-- unit: 1 | value, unusable_min, free_frac, fragmentation_index_max, samples, compact_stalls,
--   compact_fails, fail_ratio, thp_fault_alloc, thp_fault_fallback, thp_fallback_ratio
-- unit: B | free_bytes_avg, managed_bytes
-- unit: /min | stalls_per_min
WITH
pg AS (
  SELECT (SELECT page_size FROM host_last) AS size),
-- the zones judged: not DMA, nor DMA32 on a node with a Normal or Movable
-- zone (each list computed once: a test per buddyinfo row would scan
-- zoneinfo once per sample)
big AS MATERIALIZED (
  SELECT DISTINCT node FROM zoneinfo
  WHERE zone IN ('Normal', 'Movable') AND key = 'managed' AND value > 0),
zsel AS MATERIALIZED (
  SELECT b.node, b.zone FROM (SELECT DISTINCT node, zone FROM buddyinfo) b
  WHERE b.zone NOT IN ('DMA')
    AND NOT (b.zone = 'DMA32' AND b.node IN (SELECT node FROM big))),
bz AS MATERIALIZED (
  SELECT b.sample, b.node, b.zone,
    sum(b.free << b.ord) AS f,
    sum(CASE WHEN b.ord >= :order THEN b.free << (b.ord - :order) ELSE 0 END) AS suitable,
    sum(b.free) AS blocks
  FROM buddyinfo b JOIN zsel USING (node, zone)
  GROUP BY b.sample, b.node, b.zone),
-- managed pages, carried forward from the last zoneinfo (tier 1) sample
zm AS (
  SELECT sample, node, zone, value AS managed FROM zoneinfo
  WHERE key = 'managed' AND (node, zone) IN (SELECT node, zone FROM zsel)),
carried AS (
  SELECT bz.*, s.t, s.mono, zm.managed AS m0,
    count(zm.managed) OVER (PARTITION BY bz.node, bz.zone ORDER BY bz.sample) AS grp
  FROM bz JOIN sample s ON s.id = bz.sample
  LEFT JOIN zm ON zm.sample = bz.sample AND zm.node = bz.node AND zm.zone = bz.zone),
z AS MATERIALIZED (
  SELECT sample, node, zone, t, mono, f, suitable, blocks,
    coalesce(max(m0) OVER (PARTITION BY node, zone, grp),
             (SELECT zm.managed FROM zm WHERE zm.node = carried.node AND zm.zone = carried.zone
              ORDER BY zm.sample LIMIT 1)) AS managed,
    CASE WHEN f > 0 THEN 1.0 * (f - (suitable << :order)) / f ELSE 1.0 END AS u
  FROM carried),
hit AS (
  SELECT z.*, sample - row_number() OVER (PARTITION BY node, zone ORDER BY sample) AS run
  FROM z WHERE u >= :min_unusable AND managed > 0 AND f >= :min_free_frac * managed),
ep AS (
  SELECT node, zone, min(sample) AS s0, max(sample) AS s1, min(t) AS t0, max(t) AS t1,
    max(mono) - min(mono) AS secs, count(*) AS n,
    avg(u) AS u_avg, min(u) AS u_min, avg(1.0 * f / managed) AS free_frac,
    avg(f) AS f_avg, max(managed) AS managed,
    max(CASE WHEN suitable = 0 THEN 1.0 - (1.0 + 1.0 * f / (1 << :order)) / blocks END) AS fi_max
  FROM hit GROUP BY node, zone, run
  HAVING max(mono) - min(mono) >= :min_duration),
-- system-wide counters over each run: first and last sample's values
cnt AS (
  SELECT ep.node, ep.zone, ep.s0,
    max(CASE WHEN v.sample = ep.s1 AND v.key = 'compact_stall' THEN v.value END)
      - max(CASE WHEN v.sample = ep.s0 AND v.key = 'compact_stall' THEN v.value END) AS stalls,
    max(CASE WHEN v.sample = ep.s1 AND v.key = 'compact_fail' THEN v.value END)
      - max(CASE WHEN v.sample = ep.s0 AND v.key = 'compact_fail' THEN v.value END) AS fails,
    max(CASE WHEN v.sample = ep.s1 AND v.key = 'thp_fault_alloc' THEN v.value END)
      - max(CASE WHEN v.sample = ep.s0 AND v.key = 'thp_fault_alloc' THEN v.value END) AS thp_ok,
    max(CASE WHEN v.sample = ep.s1 AND v.key = 'thp_fault_fallback' THEN v.value END)
      - max(CASE WHEN v.sample = ep.s0 AND v.key = 'thp_fault_fallback' THEN v.value END)
      - coalesce(max(CASE WHEN v.sample = ep.s1 AND v.key = 'thp_fault_fallback_charge' THEN v.value END)
      - max(CASE WHEN v.sample = ep.s0 AND v.key = 'thp_fault_fallback_charge' THEN v.value END), 0) AS thp_fb
  FROM ep JOIN vmstat v ON v.sample IN (ep.s0, ep.s1)
   AND v.key IN ('compact_stall', 'compact_fail', 'thp_fault_alloc', 'thp_fault_fallback', 'thp_fault_fallback_charge')
  GROUP BY ep.node, ep.zone, ep.s0),
r AS (
  SELECT ep.*, c.stalls, c.fails, c.thp_ok, c.thp_fb,
    60.0 * c.stalls / ep.secs AS stall_rate,
    60.0 * (c.thp_ok + c.thp_fb) / ep.secs AS thp_rate,
    CASE WHEN c.thp_ok + c.thp_fb > 0 THEN 1.0 * c.thp_fb / (c.thp_ok + c.thp_fb) END AS fallback,
    CASE WHEN c.stalls > 0 THEN 1.0 * c.fails / c.stalls END AS fail_ratio
  FROM ep JOIN cnt c ON c.node = ep.node AND c.zone = ep.zone AND c.s0 = ep.s0)
SELECT
  CASE WHEN r.fail_ratio >= :crit_fail AND r.stall_rate >= :min_stall_rate THEN 'critical' ELSE 'warning' END AS severity,
  'zone' AS entity_kind, r.node AS node, r.zone AS zone,
  r.t0 AS t_start, r.t1 AS t_end, r.u_avg AS value,
  printf('%.0f %% of the zone''s free memory (%.1f MiB, %.0f %% of the zone) is in blocks smaller than order %d (%.0f KiB) for %.1f min; meanwhile, system-wide, %s compaction stalls per minute%s and %s.',
    r.u_avg * 100, r.f_avg * pg.size / 1048576.0, r.free_frac * 100, :order, (1 << :order) * pg.size / 1024.0,
    r.secs / 60.0,
    fmt_rate(coalesce(r.stall_rate, 0), 1, 3),
    CASE WHEN r.stalls > 0 THEN printf(' (%.0f %% failed)', r.fail_ratio * 100) ELSE '' END,
    CASE WHEN r.thp_ok + r.thp_fb > 0
      THEN printf('%.0f %% of %s THP faults per minute fell back to small pages', r.fallback * 100,
        fmt_rate(r.thp_rate, 1, 3))
      ELSE 'no THP page faults' END) AS message,
  r.u_min AS unusable_min, r.free_frac, r.f_avg * pg.size AS free_bytes_avg, r.managed * pg.size AS managed_bytes,
  r.fi_max AS fragmentation_index_max, r.n AS samples,
  r.stalls AS compact_stalls, r.fails AS compact_fails, r.fail_ratio, r.stall_rate AS stalls_per_min,
  r.thp_ok AS thp_fault_alloc, r.thp_fb AS thp_fault_fallback, r.fallback AS thp_fallback_ratio
FROM r, pg
WHERE r.stall_rate >= :min_stall_rate
   OR (r.thp_rate >= :min_thp_rate AND r.fallback >= :min_fallback)
ORDER BY r.t0, r.node, r.zone
