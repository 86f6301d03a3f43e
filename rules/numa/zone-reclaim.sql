-- id: numa/zone-reclaim
-- severity: warning
-- title: zone_reclaim_mode makes a full node reclaim while another node has free memory
-- explain: With vm.zone_reclaim_mode other than 0, an allocation that finds
--   its node under the low watermark reclaims that node's memory (clean
--   page cache; with bit 2 also dirty pages written back, with bit 4 also
--   anonymous memory swapped out) before it takes memory from another node.
--   The kernel's documentation advises keeping it off for file servers and
--   workloads that benefit from their data being cached. A finding needs
--   the mode in force (/proc/sys/vm/zone_reclaim_mode), a full node (MemFree
--   under min_free_pct of MemTotal or under the sum of its zones' high
--   watermarks, as in numa/node-skew) while another node has at least
--   min_other_free free, for min_samples consecutive samples spanning
--   min_duration, and zone reclaim actually running: the vmstat counters
--   zone_reclaim_success and zone_reclaim_failed (the kernel's node reclaim
--   attempts, system-wide) rising in at least min_intervals of those
--   intervals. The mode alone, without reclaim, is not a finding.
-- action: Set vm.zone_reclaim_mode=0 (sysctl, and in /etc/sysctl.d so that
--   it stays) unless the workload was measured to gain from strict locality
--   (one that is partitioned per node and fits in it). Check the refault and
--   swap rules (thrash/, swap/) for what the local reclaim cost.
-- param: min_other_free = 30 % [0, 100] | the least free share of MemTotal on another node
-- param: min_free_pct = 5 % [0, 100] | a node with less free memory than this share of its MemTotal is full
-- param: min_duration = 60 s [0, inf) | the shortest episode that counts
-- param: min_samples = 3 [1, inf) | the fewest consecutive samples in an episode
-- param: min_intervals = 3 [1, inf) | the fewest intervals of an episode in which zone reclaim ran
-- needs: :min_duration
-- needs: :min_samples samples
-- needs: :min_intervals intervals
-- unit: 1 | value, zone_reclaim_mode, episodes, samples, reclaim_attempts, reclaim_failed,
--   reclaim_intervals, other_node
-- unit: s | duration_s
-- unit: % | free_min_pct, other_free_pct
-- chart: node-memory
-- chart: node-remote
WITH
gate AS (
  SELECT (SELECT count(*) FROM node_meminfo
          WHERE sample = (SELECT min(sample) FROM node_meminfo) AND key = 'MemTotal' AND value > 0) >= 2
     AND EXISTS (SELECT 1 FROM host_file WHERE path = '/proc/sys/vm/zone_reclaim_mode' AND status = 'ok'
                 AND CAST(trim(content, ' ' || char(10)) AS INTEGER) <> 0) AS go
),
mode AS (
  -- the mode in force from a host record to the next
  SELECT sample AS s_from, lead(sample) OVER (ORDER BY sample) AS s_to,
         CAST(trim(content, ' ' || char(10)) AS INTEGER) AS m
  FROM host_file WHERE (SELECT go FROM gate)
    AND path = '/proc/sys/vm/zone_reclaim_mode' AND status = 'ok'
),
cmp AS (
  SELECT m.sample, m.t, m.mono_s AS mono, m.node, m.mem_total_bytes AS total,
    m.mem_free_bytes AS free, m.high_watermark_bytes AS high_bytes,
    (SELECT o.m FROM mode o WHERE o.s_from <= m.sample AND (o.s_to IS NULL OR m.sample < o.s_to)) AS zrm
  FROM gate g CROSS JOIN node_mem m LEFT JOIN node_cpu c ON c.node = m.node
  WHERE g.go   -- first: nothing to judge, node_mem is never computed
    AND m.mem_total_bytes > 0 AND m.mem_free_bytes IS NOT NULL AND coalesce(c.has_cpu, 1)
),
per AS (
  SELECT a.*,
    (SELECT max(1.0 * b.free / b.total) FROM cmp b WHERE b.sample = a.sample AND b.node <> a.node) AS other_free,
    (SELECT b.node FROM cmp b WHERE b.sample = a.sample AND b.node <> a.node
      ORDER BY 1.0 * b.free / b.total DESC, b.node LIMIT 1) AS other_node
  FROM cmp a
),
ev AS (
  -- node reclaim attempts in the interval that ends at each sample
  SELECT sp.sample,
    sum(CASE WHEN c.value >= p.value THEN c.value - p.value END) AS zr,
    sum(CASE WHEN c.key = 'zone_reclaim_failed' AND c.value >= p.value THEN c.value - p.value END) AS zr_failed
  FROM sample_pair sp
  JOIN vmstat c ON c.sample = sp.sample AND c.key IN ('zone_reclaim_success', 'zone_reclaim_failed')
  JOIN vmstat p ON p.sample = sp.prev AND p.key = c.key
  WHERE (SELECT go FROM gate)
  GROUP BY sp.sample
),
seq AS (
  SELECT per.*, coalesce(ev.zr, 0) AS zr, coalesce(ev.zr_failed, 0) AS zr_failed,
    coalesce(zrm, 0) <> 0
      AND (free < :min_free_pct / 100.0 * total OR free < coalesce(high_bytes, 0))
      AND other_free >= :min_other_free / 100.0 AS flag,
    row_number() OVER (PARTITION BY node ORDER BY per.sample) AS rn
  FROM per LEFT JOIN ev ON ev.sample = per.sample
),
isl0 AS (
  SELECT seq.*, rn - row_number() OVER (PARTITION BY node ORDER BY sample) AS grp
  FROM seq WHERE flag
),
isl AS (
  -- the first sample's interval began before the episode: its reclaim is not counted
  SELECT isl0.*, sample = min(sample) OVER (PARTITION BY node, grp) AS first FROM isl0
),
ep AS (
  SELECT node, grp, count(*) AS n, max(mono) - min(mono) AS dur,
    sum(NOT first AND zr > 0) AS zr_intervals
  FROM isl GROUP BY node, grp
  HAVING count(*) >= :min_samples AND max(mono) - min(mono) >= :min_duration
     AND sum(NOT first AND zr > 0) >= :min_intervals
),
inep AS (
  SELECT i.* FROM isl i JOIN ep e ON e.node = i.node AND e.grp = i.grp
),
agg AS (
  SELECT node,
    (SELECT count(*) FROM ep e WHERE e.node = inep.node) AS episodes,
    (SELECT sum(dur) FROM ep e WHERE e.node = inep.node) AS dur,
    (SELECT sum(zr_intervals) FROM ep e WHERE e.node = inep.node) AS zr_intervals,
    count(*) AS samples, min(t) AS t_start, max(t) AS t_end,
    sum(CASE WHEN first THEN 0 ELSE zr END) AS zr, sum(CASE WHEN first THEN 0 ELSE zr_failed END) AS zr_failed,
    min(1.0 * free / total) AS free_min, avg(other_free) AS other_free,
    max(zrm) AS zrm
  FROM inep GROUP BY node
),
other AS (
  SELECT i.node, i.other_node, row_number() OVER (PARTITION BY i.node ORDER BY count(*) DESC, i.other_node) AS k
  FROM inep i GROUP BY i.node, i.other_node
)
SELECT 'node' AS entity_kind, a.node AS node,
  a.t_start, a.t_end,
  a.zr AS value,
  printf('zone_reclaim_mode is %d and node %d was full (down to %.1f %% free) for %s while node %d had %.0f %% free: the kernel tried to reclaim node %d''s own memory %d times (%d failed) instead of using the free memory.',
    a.zrm, a.node, 100 * a.free_min,
    fmt_duration(a.dur, 's-min'),
    o.other_node, 100 * a.other_free, a.node, a.zr, a.zr_failed) AS message,
  a.zrm AS zone_reclaim_mode, a.episodes, round(a.dur, 1) AS duration_s, a.samples,
  a.zr AS reclaim_attempts, a.zr_failed AS reclaim_failed, a.zr_intervals AS reclaim_intervals,
  round(100 * a.free_min, 2) AS free_min_pct, o.other_node, round(100 * a.other_free, 1) AS other_free_pct
FROM agg a JOIN other o ON o.node = a.node AND o.k = 1
ORDER BY a.node
