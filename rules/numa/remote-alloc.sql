-- id: numa/remote-alloc
-- severity: warning
-- title: A large share of page allocations is served by remote NUMA nodes
-- explain: From the per-node allocation counters (nodeN/numastat, pages),
--   summed over the nodes for each interval between samples: remote share =
--   other_node / (local_node + other_node), where local_node counts pages a
--   node gave to a CPU of its own and other_node pages it gave to a CPU of
--   another node. An interval counts when the remote share is at least
--   min_share and the allocation rate at least min_rate; a finding needs
--   min_intervals consecutive such intervals spanning min_duration. Every
--   later access to a remote page pays the inter-node latency (the node
--   distance table, nodeN/distance, says 10 for local and commonly 20 or
--   more for remote). The counters count allocations (a huge page counts
--   once), so min_rate is in base-page allocations per second.
--
--   Intervals where interleave_hit is at least interleave_max of numa_hit
--   are left out: interleaving spreads memory over the nodes on purpose. The
--   node that collects at least foreign_share of numa_foreign (allocations
--   that preferred it but got memory elsewhere) is named: it is full.
--   Counters served by nodes without CPUs (memory tiers) are left out, and
--   hosts with a CPU node that has no memory give no rows (all its
--   allocations are remote by construction), as do one-node hosts.
-- action: If a node is named, it is full: see numa/node-skew and
--   numa/process-remote for what fills it. Otherwise look for memory
--   policies that bind processes to memory away from their CPUs (numactl
--   --membind, mbind, cpuset.mems vs cpuset.cpus) and for processes moved
--   between nodes after they allocated (CPU affinity changes, or automatic
--   NUMA balancing off: kernel.numa_balancing).
-- param: min_share = 10 % [0, 100] | the smallest remote share of an interval's allocations that counts
-- param: min_rate = 1000 pages/s [0, inf) | the slowest allocation rate (all nodes) that counts
-- param: interleave_max = 50 % [0, 100] | intervals whose interleave_hit is at least this share of numa_hit are left out
-- param: foreign_share = 80 % [0, 100] | the share of numa_foreign one node must collect to be named as full
-- param: min_duration = 60 s [0, inf) | the shortest episode that counts
-- param: min_intervals = 3 [1, inf) | the fewest consecutive intervals in an episode
-- needs: :min_duration
-- needs: :min_intervals intervals
-- unit: % | value, share_min_pct, share_max_pct, miss_pct, full_node_foreign_pct
-- unit: s | duration_s
-- unit: pages/s | alloc_pages_s, remote_pages_s
-- unit: 1 | episodes, intervals, full_node, numa_balancing, zone_reclaim_mode
-- unit: text | remote_by_node_pages_s, node_distances
WITH
gate AS (
  SELECT count(DISTINCT node) >= 2 AS multi FROM numastat
  WHERE sample = (SELECT min(sample) FROM numastat) AND key = 'numa_hit'
),
-- which nodes have CPUs (node_cpu): a node without is not judged
cpus AS (
  SELECT * FROM node_cpu WHERE (SELECT multi FROM gate)
),
ok AS (
  -- no CPU node without memory
  SELECT (SELECT multi FROM gate) AND NOT EXISTS (
    SELECT 1 FROM cpus c WHERE c.has_cpu AND NOT EXISTS (
      SELECT 1 FROM node_meminfo m WHERE m.sample = (SELECT min(sample) FROM node_meminfo)
        AND m.node = c.node AND m.key = 'MemTotal' AND m.value > 0)) AS go
),
d AS (
  -- per interval and node: counter deltas (pages)
  SELECT sp.sample, sp.t, sp.dt_s AS dt, c.node, c.key, c.value - p.value AS delta
  FROM sample_pair sp
  JOIN numastat c ON c.sample = sp.sample
  JOIN numastat p ON p.sample = sp.prev AND p.node = c.node AND p.key = c.key
  LEFT JOIN cpus ON cpus.node = c.node
  WHERE (SELECT go FROM ok) AND sp.dt_s > 0 AND coalesce(cpus.has_cpu, 1)
    AND c.key IN ('numa_hit', 'numa_miss', 'numa_foreign', 'interleave_hit', 'local_node', 'other_node')
),
iv AS (
  SELECT sample, t, dt,
    sum(CASE key WHEN 'local_node' THEN delta END) AS local_d,
    sum(CASE key WHEN 'other_node' THEN delta END) AS other_d,
    sum(CASE key WHEN 'numa_hit' THEN delta END) AS hit_d,
    sum(CASE key WHEN 'numa_miss' THEN delta END) AS miss_d,
    sum(CASE key WHEN 'interleave_hit' THEN delta END) AS ilv_d,
    min(delta) AS min_delta
  FROM d GROUP BY sample
),
fl AS (
  SELECT iv.*, (local_d + other_d) / dt AS rate,
    1.0 * other_d / nullif(local_d + other_d, 0) AS share,
    min_delta >= 0
      AND (local_d + other_d) / dt >= :min_rate
      AND 1.0 * other_d / nullif(local_d + other_d, 0) >= :min_share / 100.0
      AND coalesce(1.0 * ilv_d / nullif(hit_d, 0), 0) < :interleave_max / 100.0 AS flag,
    row_number() OVER (ORDER BY sample) AS rn
  FROM iv
),
isl AS (
  SELECT fl.*, rn - row_number() OVER (ORDER BY sample) AS grp FROM fl WHERE flag
),
ep AS (
  SELECT grp, count(*) AS n, sum(dt) AS dur FROM isl GROUP BY grp
  HAVING count(*) >= :min_intervals AND sum(dt) >= :min_duration
),
inep AS (
  SELECT i.* FROM isl i JOIN ep USING (grp)
),
agg AS (
  SELECT count(*) AS intervals, min(t - dt) AS t_start, max(t) AS t_end,
    (SELECT count(*) FROM ep) AS episodes, (SELECT sum(dur) FROM ep) AS dur,
    (SELECT max(dur) FROM ep) AS longest,
    sum(other_d) AS other_p, sum(local_d) AS local_p, sum(miss_d) AS miss_p,
    sum(dt) AS secs, min(share) AS share_min, max(share) AS share_max
  FROM inep
  HAVING count(*) > 0
),
fgn AS (
  -- numa_foreign by node over the episodes
  SELECT d.node, sum(d.delta) AS foreign_p,
    1.0 * sum(d.delta) / nullif((SELECT sum(x.delta) FROM d x JOIN inep i2 ON i2.sample = x.sample
                                 WHERE x.key = 'numa_foreign'), 0) AS fshare
  FROM d JOIN inep i ON i.sample = d.sample
  WHERE d.key = 'numa_foreign'
  GROUP BY d.node
),
full_node AS (
  SELECT node, fshare, foreign_p FROM fgn WHERE fshare >= :foreign_share / 100.0
  ORDER BY fshare DESC LIMIT 1
),
by_node AS (
  -- other_node per serving node, pages/s over the episodes
  SELECT group_concat(printf('node %d %.0f', node, pps), ', ') AS txt FROM (
    SELECT d.node, sum(d.delta) / (SELECT secs FROM agg) AS pps
    FROM d JOIN inep i ON i.sample = d.sample WHERE d.key = 'other_node'
    GROUP BY d.node ORDER BY d.node)
)
SELECT 'system' AS entity_kind, 'system' AS entity,
  a.t_start, a.t_end,
  round(100.0 * a.other_p / (a.other_p + a.local_p), 1) AS value,
  printf('%.0f %% of page allocations were served by a node other than the allocating CPU''s, at %.0f pages/s in all, for %s (%s)%s.',
    100.0 * a.other_p / (a.other_p + a.local_p), (a.other_p + a.local_p) / a.secs,
    fmt_duration(a.dur, 's-min'),
    CASE WHEN a.episodes = 1 THEN '1 episode'
         ELSE printf('%d episodes, the longest %s', a.episodes,
           fmt_duration(a.longest, 's-min')) END,
    CASE WHEN f.node IS NOT NULL
      THEN printf('; node %d collected %.0f %% of numa_foreign (%.0f pages/s that preferred it went elsewhere): it is full',
                  f.node, 100 * f.fshare, f.foreign_p / a.secs)
      ELSE '' END) AS message,
  a.episodes, round(a.dur, 1) AS duration_s, a.intervals,
  round((a.other_p + a.local_p) / a.secs) AS alloc_pages_s,
  round(a.other_p / a.secs) AS remote_pages_s,
  round(100 * a.share_min, 1) AS share_min_pct, round(100 * a.share_max, 1) AS share_max_pct,
  round(100.0 * a.miss_p / (a.other_p + a.local_p), 1) AS miss_pct,
  (SELECT txt FROM by_node) AS remote_by_node_pages_s,
  f.node AS full_node, round(100 * f.fshare, 1) AS full_node_foreign_pct,
  (SELECT group_concat(d, '; ') FROM (
     SELECT 'node ' || CAST(substr(h.path, 30, length(h.path) - 38) AS INTEGER) || ': '
            || trim(h.content, ' ' || char(10)) AS d
     FROM host_file h
     WHERE h.path GLOB '/sys/devices/system/node/node[0-9]*/distance' AND h.status = 'ok'
       AND h.sample = (SELECT max(x.sample) FROM host_file x WHERE x.path = h.path AND x.status = 'ok')
     ORDER BY CAST(substr(h.path, 30, length(h.path) - 38) AS INTEGER))) AS node_distances,
  (SELECT CAST(trim(content, ' ' || char(10)) AS INTEGER) FROM host_file
    WHERE path = '/proc/sys/kernel/numa_balancing' AND status = 'ok' ORDER BY sample DESC LIMIT 1) AS numa_balancing,
  (SELECT CAST(trim(content, ' ' || char(10)) AS INTEGER) FROM host_file
    WHERE path = '/proc/sys/vm/zone_reclaim_mode' AND status = 'ok' ORDER BY sample DESC LIMIT 1) AS zone_reclaim_mode
FROM agg a LEFT JOIN full_node f
