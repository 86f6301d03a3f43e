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
--   min_duration. A node under its watermarks wakes kswapd and falls back
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
-- param: file_share = 50 % [0, 100] | at or above this page-cache share of the full node's used memory (and zone_reclaim_mode 0) the finding is info
-- needs: :min_duration
-- needs: :min_samples samples
-- unit: % | value, free_min_pct, freest_free_pct, skew_avg_pts, anon_pct, file_pct
-- unit: s | duration_s, longest_s
-- unit: MiB | node_total_mib, free_min_mib, high_watermark_mib, hugetlb_mib
-- unit: 1 | episodes, samples, freest_node, zone_reclaim_mode
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
    (SELECT page_size FROM host_last) AS page_size,
    (SELECT value FROM meminfo WHERE key = 'Hugepagesize' ORDER BY sample LIMIT 1) AS hp_size
),
cpus AS (
  -- has_cpu per node from nodeN/cpulist (the latest record of each); no row: unknown
  SELECT CAST(substr(h.path, 30, length(h.path) - 37) AS INTEGER) AS node,
         trim(h.content, ' ' || char(10)) <> '' AS has_cpu
  FROM host_file h
  WHERE (SELECT multi FROM gate) AND h.path GLOB '/sys/devices/system/node/node[0-9]*/cpulist'
    AND h.status = 'ok'
    AND h.sample = (SELECT max(x.sample) FROM host_file x WHERE x.path = h.path AND x.status = 'ok')
),
wm AS MATERIALIZED (
  -- each zoneinfo sample's high watermark per node, in bytes: the sum over the
  -- node's zones of high minus boost (a temporary raise after fragmentation
  -- events; kernels without it count 0)
  SELECT sample, node,
    (sum(CASE key WHEN 'high' THEN value END) - coalesce(sum(CASE key WHEN 'boost' THEN value END), 0))
      * (SELECT page_size FROM host) AS high_bytes
  FROM zoneinfo
  WHERE (SELECT multi FROM gate) AND key IN ('high', 'boost')
  GROUP BY sample, node
),
nm AS (
  SELECT n.sample, n.node,
    max(CASE n.key WHEN 'MemTotal' THEN n.value END) AS total,
    max(CASE n.key WHEN 'MemFree' THEN n.value END) AS free,
    max(CASE n.key WHEN 'FilePages' THEN n.value END) AS file,
    max(CASE n.key WHEN 'AnonPages' THEN n.value END) AS anon,
    max(CASE n.key WHEN 'HugePages_Total' THEN n.value END) AS hp
  FROM node_meminfo n
  WHERE (SELECT multi FROM gate)
    AND n.key IN ('MemTotal', 'MemFree', 'FilePages', 'AnonPages', 'HugePages_Total')
  GROUP BY n.sample, n.node
),
nmw AS (
  -- the watermark where this sample has a zoneinfo, and a group number that
  -- grows at each one: within a group the last watermark carries forward
  SELECT nm.*, w.high_bytes AS wm_here,
    count(w.high_bytes) OVER (PARTITION BY nm.node ORDER BY nm.sample) AS wg
  FROM nm LEFT JOIN wm w ON w.sample = nm.sample AND w.node = nm.node
),
nmc AS (
  SELECT nmw.*, coalesce(max(wm_here) OVER (PARTITION BY node, wg),
    (SELECT w.high_bytes FROM wm w WHERE w.node = nmw.node ORDER BY w.sample LIMIT 1)) AS high_bytes
  FROM nmw
),
cmp AS (
  SELECT nm.sample, s.t, s.mono, nm.node, nm.total, nm.free, nm.file, nm.anon,
         nm.hp * (SELECT hp_size FROM host) AS hugetlb,
         1.0 - 1.0 * nm.free / nm.total AS used, nm.high_bytes
  FROM nmc nm
  JOIN sample s ON s.id = nm.sample
  LEFT JOIN cpus c ON c.node = nm.node
  WHERE nm.total > 0 AND nm.free IS NOT NULL AND coalesce(c.has_cpu, 1)
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
ep AS (
  -- episodes: runs of consecutive samples where the node is full and skewed
  SELECT node, grp, count(*) AS n, min(t) AS t0, max(t) AS t1, max(mono) - min(mono) AS dur
  FROM isl GROUP BY node, grp
  HAVING count(*) >= :min_samples AND max(mono) - min(mono) >= :min_duration
),
inep AS (
  SELECT i.* FROM isl i JOIN ep e ON e.node = i.node AND e.grp = i.grp
),
agg AS (
  SELECT node,
    (SELECT count(*) FROM ep e WHERE e.node = inep.node) AS episodes,
    (SELECT sum(dur) FROM ep e WHERE e.node = inep.node) AS dur,
    (SELECT max(dur) FROM ep e WHERE e.node = inep.node) AS longest,
    count(*) AS samples, min(t) AS t_start, max(t) AS t_end,
    min(1.0 * free / total) AS free_min, max(used - used_min) AS skew_max,
    avg(used - used_min) AS skew_avg,
    max(total) AS total, min(free) AS free_min_bytes, max(high_bytes) AS high_bytes,
    avg(1.0 * file / (total - free)) AS file_share,
    avg(1.0 * anon / (total - free)) AS anon_share,
    max(hugetlb) AS hugetlb
  FROM inep GROUP BY node
),
other AS (
  -- the freest node during the episodes and its average free share
  SELECT a.node, i2.node AS freest, avg(1.0 * i2.free / i2.total) AS freest_free,
         row_number() OVER (PARTITION BY a.node ORDER BY count(*) DESC, i2.node) AS k
  FROM agg a
  JOIN inep i ON i.node = a.node
  JOIN per i2 ON i2.sample = i.sample AND i2.node = i.freest
  GROUP BY a.node, i2.node
)
SELECT 'node' AS entity_kind,
  a.node AS node,
  a.t_start, a.t_end,
  round(100 * a.skew_max, 1) AS value,
  printf('node %d was full for %s (%s): down to %.1f %% free (%.0f MiB%s) while node %d had %.0f %% free, a difference in use of up to %.0f points; its used memory was %.0f %% anonymous, %.0f %% page cache%s.',
    a.node,
    fmt_duration(a.dur, 's-min'),
    CASE WHEN a.episodes = 1 THEN '1 episode'
         ELSE printf('%d episodes, the longest %s', a.episodes,
           fmt_duration(a.longest, 's-min')) END,
    100 * a.free_min, a.free_min_bytes / 1048576.0,
    CASE WHEN a.high_bytes IS NOT NULL THEN printf('; high watermark %.0f MiB', a.high_bytes / 1048576.0) ELSE '' END,
    o.freest, 100 * o.freest_free, 100 * a.skew_max,
    100 * coalesce(a.anon_share, 0), 100 * coalesce(a.file_share, 0),
    CASE WHEN a.hugetlb > 0 THEN printf(', and a hugetlb pool of %.0f MiB', a.hugetlb / 1048576.0) ELSE '' END) AS message,
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
  (SELECT zrm FROM host) AS zone_reclaim_mode
FROM agg a JOIN other o ON o.node = a.node AND o.k = 1
ORDER BY a.node
