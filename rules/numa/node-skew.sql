-- id: numa/node-skew
-- severity: warning
-- title: One NUMA node is full while another has free memory
-- explain: Compares the NUMA nodes' use (1 - MemFree/MemTotal, from
--   nodeN/meminfo on every sample). A node counts as full when its MemFree
--   is under min_free_pct of its MemTotal or under the sum of its zones'
--   high watermarks (/proc/zoneinfo, tier 1: high minus the temporary boost,
--   from the latest zoneinfo at or before the sample). A finding needs a
--   full node that uses at least min_skew points more of its memory than
--   the freest node, in at least min_samples consecutive samples spanning
--   min_duration; episodes less than merge_gap apart are one finding,
--   whose message says whether it lasted to the end of the recording. A
--   node under its watermarks wakes kswapd and falls back
--   to remote memory (or, with zone_reclaim_mode set, reclaims locally)
--   while memory on the other node sits idle.
--
--   Only nodes with memory are compared, and nodes without CPUs (CXL or
--   persistent-memory tiers) are left out: a slow tier is meant to be
--   used differently. The finding is info, not warning, when at least
--   file_share of the full node's used memory is page cache and
--   zone_reclaim_mode is 0: the kernel then drops that cache or allocates
--   remotely at little cost. Hosts with one node give no rows.
-- action: Find what fills the node: numa/process-remote findings, per-node
--   use of the large processes (numastat -p PID) and memory policies
--   (numactl, cpusets, systemd NUMAPolicy=). Spread the work over the nodes
--   (CPU affinity of the processes whose memory is there) or interleave the
--   memory of a process that needs more than one node (numactl
--   --interleave=all). If the node holds mostly page cache, it is usually
--   harmless.
-- param: min_skew = 30 % [0, 100] | how many points more of its MemTotal the full node uses than the freest node
-- param: min_free_pct = 5 % [0, 100] | a node with less free memory than this share of its MemTotal is full
-- param: min_duration = 60 s [0, inf) | the shortest episode that counts
-- param: min_samples = 3 [1, inf) | the fewest consecutive samples in an episode
-- param: merge_gap = 300 s [0, inf) | episodes less than this apart are one finding
-- param: file_share = 50 % [0, 100] | at or above this page-cache share of the full node's used memory (and zone_reclaim_mode 0) the finding is info
-- needs: :min_duration
-- needs: :min_samples samples
-- unit: % | value, free_min_pct, freest_free_pct, skew_avg_pts, anon_pct, file_pct
-- unit: s | duration_s, longest_s
-- unit: MiB | node_total_mib, free_min_mib, high_watermark_mib, hugetlb_mib
-- unit: 1 | episodes, samples, freest_node, zone_reclaim_mode, ongoing
-- chart: node-memory
-- chart: node-remote
WITH
gate AS (
  -- two or more nodes with memory in the first sample; otherwise nothing below runs
  SELECT count(*) >= 2 AS multi FROM node_meminfo
  WHERE sample = (SELECT min(sample) FROM node_meminfo) AND key = 'MemTotal' AND value > 0
),
host AS (
  SELECT
    (SELECT CAST(trim(content, ' ' || char(10)) AS INTEGER) FROM host_file
      WHERE path = '/proc/sys/vm/zone_reclaim_mode' AND status = 'ok'
      ORDER BY sample DESC LIMIT 1) AS zrm,
    (SELECT value FROM meminfo WHERE key = 'Hugepagesize' ORDER BY sample LIMIT 1) AS hp_size
),
cmp AS (
  SELECT m.sample, m.t, m.mono_s AS mono, m.node, m.mem_total_bytes AS total,
    m.mem_free_bytes AS free, m.file_pages_bytes AS file, m.anon_pages_bytes AS anon,
    m.hugepages_total * (SELECT hp_size FROM host) AS hugetlb,
    1.0 - 1.0 * m.mem_free_bytes / m.mem_total_bytes AS used, m.high_watermark_bytes AS high_bytes
  FROM gate g CROSS JOIN node_mem m LEFT JOIN node_cpu c ON c.node = m.node
  WHERE g.multi   -- first: a host with one node never computes node_mem
    AND m.mem_total_bytes > 0 AND m.mem_free_bytes IS NOT NULL AND coalesce(c.has_cpu, 1)
),
per AS (
  SELECT cmp.*,
    count(*) OVER w AS nodes,
    min(used) OVER w AS used_min,
    first_value(node) OVER (PARTITION BY sample ORDER BY used, node) AS freest,
    (free < :min_free_pct / 100.0 * total OR free < coalesce(high_bytes, 0))
      AND used - min(used) OVER w >= :min_skew / 100.0 AS flag
  FROM cmp WINDOW w AS (PARTITION BY sample)
),
seq AS (
  SELECT per.*, row_number() OVER (PARTITION BY node ORDER BY sample) AS rn
  FROM per WHERE nodes >= 2
),
isl AS (
  SELECT seq.*, rn - row_number() OVER (PARTITION BY node ORDER BY sample) AS grp
  FROM seq WHERE flag
),
-- episodes: runs of at least min_samples consecutive samples where the
-- node is full and skewed, lasting min_duration, those less than
-- merge_gap apart one finding (eg): episode(), docs/stats.md
ep AS (
  SELECT node, grp, max(mono) - min(mono) AS dur,
    episode(count(*), min(mono), max(mono), :min_samples, :min_duration, :merge_gap)
      OVER (PARTITION BY node ORDER BY grp) AS eg
  FROM isl GROUP BY node, grp
),
inep AS (
  SELECT i.*, e.eg FROM isl i JOIN ep e ON e.node = i.node AND e.grp = i.grp WHERE e.eg IS NOT NULL
),
agg AS (
  SELECT node, eg,
    (SELECT count(*) FROM ep e WHERE e.node = inep.node AND e.eg = inep.eg) AS episodes,
    (SELECT sum(dur) FROM ep e WHERE e.node = inep.node AND e.eg = inep.eg) AS dur,
    (SELECT max(dur) FROM ep e WHERE e.node = inep.node AND e.eg = inep.eg) AS longest,
    count(*) AS samples, min(t) AS t_start, max(t) AS t_end,
    min(1.0 * free / total) AS free_min, max(used - used_min) AS skew_max,
    avg(used - used_min) AS skew_avg,
    max(total) AS total, min(free) AS free_min_bytes, max(high_bytes) AS high_bytes,
    avg(1.0 * file / (total - free)) AS file_share,
    avg(1.0 * anon / (total - free)) AS anon_share,
    max(hugetlb) AS hugetlb
  FROM inep GROUP BY node, eg
),
other AS (
  -- the freest node during the episodes and its average free share
  SELECT a.node, a.eg, i2.node AS freest, avg(1.0 * i2.free / i2.total) AS freest_free,
         row_number() OVER (PARTITION BY a.node, a.eg ORDER BY count(*) DESC, i2.node) AS k
  FROM agg a
  JOIN inep i ON i.node = a.node AND i.eg = a.eg
  JOIN per i2 ON i2.sample = i.sample AND i2.node = i.freest
  GROUP BY a.node, a.eg, i2.node
)
SELECT 'node' AS entity_kind,
  a.node AS node,
  a.t_start, a.t_end,
  round(100 * a.skew_max, 1) AS value,
  printf('node %d was full for %s (%s): down to %.1f %% free (%.0f MiB%s) while node %d had %.0f %% free, a difference in use of up to %.0f points; its used memory was %.0f %% anonymous, %.0f %% page cache%s%s.',
    a.node,
    fmt_duration(a.dur, 's-min'),
    CASE WHEN a.episodes = 1 THEN '1 episode'
         ELSE printf('%d episodes, the longest %s', a.episodes,
           fmt_duration(a.longest, 's-min')) END,
    100 * a.free_min, a.free_min_bytes / 1048576.0,
    CASE WHEN a.high_bytes IS NOT NULL THEN printf('; high watermark %.0f MiB', a.high_bytes / 1048576.0) ELSE '' END,
    o.freest, 100 * o.freest_free, 100 * a.skew_max,
    100 * coalesce(a.anon_share, 0), 100 * coalesce(a.file_share, 0),
    CASE WHEN a.hugetlb > 0 THEN printf(', and a hugetlb pool of %.0f MiB', a.hugetlb / 1048576.0) ELSE '' END,
    CASE WHEN (SELECT max(t) FROM sample) - a.t_end <= :merge_gap THEN '; still so at the end of the recording'
         ELSE '; it ended ' || fmt_duration((SELECT max(t) FROM sample) - a.t_end) || ' before the end of the recording' END) AS message,
  CASE WHEN (SELECT zrm FROM host) = 0 AND a.file_share >= :file_share / 100.0 THEN 'info' END AS severity,
  a.episodes, round(a.dur, 1) AS duration_s, round(a.longest, 1) AS longest_s, a.samples,
  round(a.total / 1048576.0) AS node_total_mib,
  round(a.free_min_bytes / 1048576.0, 1) AS free_min_mib,
  round(100 * a.free_min, 2) AS free_min_pct,
  round(a.high_bytes / 1048576.0, 1) AS high_watermark_mib,
  o.freest AS freest_node, round(100 * o.freest_free, 1) AS freest_free_pct,
  round(100 * a.skew_avg, 1) AS skew_avg_pts,
  round(100 * a.anon_share, 1) AS anon_pct, round(100 * a.file_share, 1) AS file_pct,
  round(a.hugetlb / 1048576.0, 1) AS hugetlb_mib,
  (SELECT zrm FROM host) AS zone_reclaim_mode,
  CASE WHEN (SELECT max(t) FROM sample) - a.t_end <= :merge_gap THEN 1 ELSE 0 END AS ongoing
FROM agg a JOIN other o ON o.node = a.node AND o.eg = a.eg AND o.k = 1
ORDER BY a.node, a.t_start
