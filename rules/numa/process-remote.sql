-- id: numa/process-remote
-- severity: warning
-- title: A process runs on one NUMA node while its memory is on another
-- explain: For each numa_maps capture of a process (tier 2): its home node
--   is the node whose CPUs it ran on (the CPU of each sample since the
--   previous capture, /proc/PID/stat "processor", mapped through
--   nodeN/cpulist), or the one node its Cpus_allowed_list covers. Its
--   memory is the anonymous mappings' pages per node (numa_maps N<node>=,
--   times the page size; file mappings, shared memory and pages on nodes
--   without CPUs are left out). A capture counts when at least
--   min_cpu_share of the CPU samples were on the home node (or the process
--   is pinned to it), less than max_local of the memory is on the home node,
--   and the memory elsewhere is at least min(min_remote, min_node_share of
--   the home node's MemTotal). A finding needs min_captures consecutive
--   captures with the same home node and min_samples CPU samples. Every
--   access to remote memory pays the inter-node latency. stat's processor
--   is the main thread's CPU: a process with more than one thread is judged
--   only when its Cpus_allowed_list lies within one node.
--
--   The size threshold is the smaller of an absolute amount and a share of
--   the node, so that a large host needs 1 GiB astray and a small VM a
--   tenth of a node. Memory placed by an explicit policy (bind, prefer, in
--   numa_maps' policy column) or by a cpuset whose Mems_allowed_list leaves
--   out the home node is configuration, not the kernel's doing: when the
--   first-touch (default-policy) memory alone does not meet the test in
--   most captures the finding is info. So it is when automatic NUMA
--   balancing is on (kernel.numa_balancing bit 1) and the home node has room
--   for the first-touch pages: balancing migrates private pages to the node
--   that uses them, so pages it leaves remote are not being used.
--   Interleaved memory is left out.
-- action: If the memory is default-policy (first touch), the process moved
--   away from where it allocated: pin it to the node that holds its memory
--   (taskset, numactl --cpunodebind, cpuset.cpus), or let automatic NUMA
--   balancing migrate it (kernel.numa_balancing=1), or migrate the pages
--   (migratepages PID FROM TO). If the policy put it there, the CPU and
--   memory settings disagree: check numactl --membind/--preferred, mbind()
--   in the program, cpuset.mems against cpuset.cpus, systemd NUMAPolicy=
--   and CPUAffinity=.
-- param: min_remote = 1024 MiB [0, inf) | memory away from the home node that always counts as material
-- param: min_node_share = 10 % [0, 100] | ... or this share of the home node's MemTotal, when smaller
-- param: max_local = 50 % [0, 100] | a capture counts when less than this share of the memory is on the home node
-- param: min_cpu_share = 80 % [0, 100] | the share of CPU samples on one node that makes it the home node
-- param: min_captures = 3 [1, inf) | the fewest consecutive numa_maps captures
-- param: min_samples = 10 [1, inf) | the fewest CPU samples over those captures
-- needs: :min_captures smaps samples
-- needs: :min_samples samples
-- unit: MiB | value, anon_mib, local_mib, remote_first_touch_mib, remote_policy_mib,
--   threshold_mib, home_free_mib
-- unit: % | cpu_share_min_pct
-- unit: 1 | home_node, captures, cpu_samples, threads, numa_balancing, numa_pages_migrated
-- unit: text | cpus_allowed, mems_allowed, remote_by_node_mib, remote_policies, home_distances
-- chart: process-memory
WITH RECURSIVE
gate AS (
  SELECT EXISTS (SELECT 1 FROM numa_mapping)
     AND (SELECT count(*) FROM node_meminfo
          WHERE sample = (SELECT min(sample) FROM node_meminfo) AND key = 'MemTotal' AND value > 0) >= 2
     AS multi
),
topo AS (
  SELECT CAST(substr(h.path, 30, length(h.path) - 37) AS INTEGER) AS node,
         trim(h.content, ' ' || char(10)) AS list
  FROM host_file h
  WHERE (SELECT multi FROM gate) AND h.path GLOB '/sys/devices/system/node/node[0-9]*/cpulist'
    AND h.status = 'ok'
    AND h.sample = (SELECT max(x.sample) FROM host_file x WHERE x.path = h.path AND x.status = 'ok')
),
caps AS (
  -- every numa_maps capture: (process, sample), with the previous capture
  SELECT process_id, sample,
         lag(sample) OVER (PARTITION BY process_id ORDER BY sample) AS prev
  FROM (SELECT DISTINCT process_id, sample FROM numa_mapping WHERE (SELECT multi FROM gate))
),
capst AS (
  SELECT c.*, ps.cpus_allowed, ps.mems_allowed, ps.threads
  FROM caps c LEFT JOIN proc_sample ps ON ps.process_id = c.process_id AND ps.sample = c.sample
),
lists(kind, list) AS (
  SELECT 'n' || node, list FROM topo
  UNION SELECT 'c', cpus_allowed FROM capst WHERE cpus_allowed IS NOT NULL
  UNION SELECT 'm', mems_allowed FROM capst WHERE mems_allowed IS NOT NULL
),
split(kind, list, item, rest) AS (
  SELECT kind, list, NULL, list || ',' FROM lists
  UNION ALL
  SELECT kind, list, substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
  FROM split WHERE rest <> ''
),
ranges AS (
  SELECT kind, list, CAST(item AS INTEGER) AS lo,
         CASE WHEN instr(item, '-') > 0 THEN CAST(substr(item, instr(item, '-') + 1) AS INTEGER)
              ELSE CAST(item AS INTEGER) END AS hi
  FROM split WHERE item GLOB '[0-9]*'
),
num(kind, list, n, hi) AS (
  SELECT kind, list, lo, hi FROM ranges
  UNION ALL SELECT kind, list, n + 1, hi FROM num WHERE n < hi
),
node_cpu AS (
  SELECT CAST(substr(kind, 2) AS INTEGER) AS node, n AS cpu FROM num WHERE kind GLOB 'n*'
),
pinned AS (
  -- the one node a Cpus_allowed_list covers, if it covers only one
  SELECT a.list, min(nc.node) AS node
  FROM num a JOIN node_cpu nc ON nc.cpu = a.n
  WHERE a.kind = 'c' GROUP BY a.list HAVING count(DISTINCT nc.node) = 1
),
hist AS (
  -- CPU samples per node since the previous capture
  SELECT c.process_id, c.sample, nc.node, count(*) AS n
  FROM caps c
  JOIN proc_sample ps ON ps.process_id = c.process_id
    AND ps.sample > coalesce(c.prev, -1) AND ps.sample <= c.sample
  JOIN node_cpu nc ON nc.cpu = ps.processor
  GROUP BY c.process_id, c.sample, nc.node
),
hist_top AS (
  SELECT process_id, sample, node, n, sum(n) OVER (PARTITION BY process_id, sample) AS total,
         row_number() OVER (PARTITION BY process_id, sample ORDER BY n DESC, node) AS k
  FROM hist
),
home AS (
  SELECT c.process_id, c.sample, c.prev,
    coalesce(p.node, h.node) AS node,
    p.node IS NOT NULL AS is_pinned,
    coalesce(h.total, 0) AS cpu_samples,
    CASE WHEN p.node IS NOT NULL THEN 1.0
         ELSE 1.0 * h.n / h.total END AS cpu_share,
    c.cpus_allowed, c.mems_allowed, c.threads,
    -- a cpuset that leaves out the home node forces the memory elsewhere
    c.mems_allowed IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM num m WHERE m.kind = 'm' AND m.list = c.mems_allowed
        AND m.n = coalesce(p.node, h.node)) AS cpuset_away
  FROM capst c
  LEFT JOIN pinned p ON p.list = c.cpus_allowed
  LEFT JOIN hist_top h ON h.process_id = c.process_id AND h.sample = c.sample AND h.k = 1
  -- stat's processor is the main thread's: it speaks for the process only
  -- when there is one thread, or when the CPUs allowed are all on one node
  WHERE coalesce(p.node, h.node) IS NOT NULL AND (p.node IS NOT NULL OR coalesce(c.threads, 1) = 1)
),
memonly AS (
  -- nodes without CPUs (memory tiers): pages there are left out
  SELECT node FROM topo WHERE list = ''
),
capsum AS MATERIALIZED (
  -- anonymous bytes of each capture (interleaved mappings and memory tiers
  -- left out): in all, on the home node, and the first-touch (default or
  -- local policy) part of each, in one pass over the capture's rows (key
  -- order), handed over as a JSON array
  SELECT h.*,
    (SELECT json_array(sum(nm.pages * nm.page_size),
        coalesce(sum(CASE WHEN nm.node = h.node THEN nm.pages * nm.page_size END), 0),
        coalesce(sum(CASE WHEN coalesce(nm.policy, 'default') IN ('default', 'local')
                          THEN nm.pages * nm.page_size END), 0),
        coalesce(sum(CASE WHEN nm.node = h.node AND coalesce(nm.policy, 'default') IN ('default', 'local')
                          THEN nm.pages * nm.page_size END), 0))
     FROM numa_mapping nm
     WHERE nm.process_id = h.process_id AND nm.sample = h.sample
       AND nm.path IN ('', '[heap]', '[stack]')
       AND (coalesce(nm.policy, 'default') IN ('default', 'local')
            OR (nm.policy NOT GLOB 'interleave*' AND nm.policy NOT GLOB 'weighted interleave*'))
       AND (NOT (SELECT count(*) FROM memonly) OR nm.node NOT IN (SELECT node FROM memonly))) AS sums
  FROM home h
),
cap AS (
  SELECT c.*,
    json_extract(c.sums, '$[0]') AS total,
    json_extract(c.sums, '$[1]') AS local,
    CASE WHEN c.cpuset_away THEN 0 ELSE json_extract(c.sums, '$[2]') END AS total_d,
    CASE WHEN c.cpuset_away THEN 0 ELSE json_extract(c.sums, '$[3]') END AS local_d,
    min(:min_remote * 1048576.0,
        :min_node_share / 100.0 * (SELECT value FROM node_meminfo nmi
          WHERE nmi.sample = c.sample AND nmi.node = c.node AND nmi.key = 'MemTotal')) AS thr,
    (SELECT value FROM node_meminfo nmi
      WHERE nmi.sample = c.sample AND nmi.node = c.node AND nmi.key = 'MemFree') AS home_free
  FROM capsum c
),
flags AS (
  SELECT cap.*, s.t,
    cpu_share >= :min_cpu_share / 100.0 AND total > 0 AND 1.0 * local / total < :max_local / 100.0
      AND total - local >= thr AND total - local > 0 AS f_any,
    cpu_share >= :min_cpu_share / 100.0 AND total_d > 0 AND 1.0 * local_d / total_d < :max_local / 100.0
      AND total_d - local_d >= thr AND total_d - local_d > 0 AS f_d,
    row_number() OVER (PARTITION BY process_id ORDER BY cap.sample) AS rn
  FROM cap JOIN sample s ON s.id = cap.sample
),
isl AS (
  SELECT flags.*,
    rn - row_number() OVER (PARTITION BY process_id, node ORDER BY sample) AS grp
  FROM flags WHERE f_any
),
runs AS (
  SELECT process_id, node, grp, count(*) AS captures, sum(cpu_samples) AS cpu_samples,
    sum(f_d) AS captures_d, min(t) AS t0, max(t) AS t1, min(sample) AS first_sample,
    max(sample) AS last_sample,
    min(CASE WHEN cpu_share < 1 THEN cpu_share ELSE 1 END) AS cpu_share_min,
    max(is_pinned) AS pinned,
    row_number() OVER (PARTITION BY process_id ORDER BY count(*) DESC, max(sample) DESC) AS k
  FROM isl GROUP BY process_id, node, grp
  HAVING count(*) >= :min_captures AND sum(cpu_samples) >= :min_samples
),
best AS (
  SELECT r.*, f.total, f.local, f.total_d, f.local_d, f.thr, f.cpus_allowed, f.mems_allowed,
    f.cpuset_away, f.home_free, f.threads,
    f.total - f.local AS remote,
    CASE WHEN f.cpuset_away THEN 0 ELSE f.total_d - f.local_d END AS remote_d,
    r.captures_d * 2 >= r.captures AND NOT f.cpuset_away AS first_touch,
    (SELECT CAST(trim(content, ' ' || char(10)) AS INTEGER) FROM host_file
      WHERE path = '/proc/sys/kernel/numa_balancing' AND status = 'ok'
      ORDER BY sample DESC LIMIT 1) AS nb,
    (SELECT l.value - e.value FROM vmstat l, vmstat e
      WHERE l.sample = r.last_sample AND l.key = 'numa_pages_migrated'
        AND e.sample = r.first_sample AND e.key = 'numa_pages_migrated') AS migrated
  FROM runs r JOIN flags f ON f.process_id = r.process_id AND f.sample = r.last_sample
  WHERE r.k = 1
),
judged AS (
  -- automatic NUMA balancing (bit 1 of kernel.numa_balancing) moves private
  -- pages to the node that uses them when it has room: first-touch pages it
  -- left where they are are not being used
  SELECT b.*, coalesce(b.nb & 1, 0) = 1 AND b.home_free >= b.remote_d AS balanced
  FROM best b
),
away AS (
  -- where the memory is, in the last capture: per node, and the policies holding it
  SELECT b.process_id,
    (SELECT group_concat(printf('node %d', x.node), ', ') FROM (
       SELECT nm.node FROM numa_mapping nm
       WHERE nm.process_id = b.process_id AND nm.sample = b.last_sample AND nm.node <> b.node
         AND nm.path IN ('', '[heap]', '[stack]') AND nm.node NOT IN (SELECT node FROM memonly)
         AND coalesce(nm.policy, '') NOT GLOB 'interleave*' AND coalesce(nm.policy, '') NOT GLOB 'weighted interleave*'
       GROUP BY nm.node ORDER BY nm.node) x) AS nodes,
    (SELECT group_concat(printf('node %d %.1f', x.node, x.b / 1048576.0), ', ') FROM (
       SELECT nm.node, sum(nm.pages * nm.page_size) AS b FROM numa_mapping nm
       WHERE nm.process_id = b.process_id AND nm.sample = b.last_sample AND nm.node <> b.node
         AND nm.path IN ('', '[heap]', '[stack]') AND nm.node NOT IN (SELECT node FROM memonly)
         AND coalesce(nm.policy, '') NOT GLOB 'interleave*' AND coalesce(nm.policy, '') NOT GLOB 'weighted interleave*'
       GROUP BY nm.node ORDER BY nm.node) x) AS by_node,
    (SELECT group_concat(pol, ' ') FROM (
       SELECT DISTINCT nm.policy AS pol FROM numa_mapping nm
       WHERE nm.process_id = b.process_id AND nm.sample = b.last_sample AND nm.node <> b.node
         AND nm.path IN ('', '[heap]', '[stack]') AND nm.node NOT IN (SELECT node FROM memonly)
         AND nm.policy NOT IN ('default', 'local')
         AND nm.policy NOT GLOB 'interleave*' AND nm.policy NOT GLOB 'weighted interleave*'
       ORDER BY nm.policy)) AS policies
  FROM best b
),
fmt AS (
  SELECT j.*, a.nodes, a.by_node, a.policies,
    p.pid || ' (' || p.comm || ')' AS who,
    fmt_bytes(j.remote, 2, 0) AS remote_s, fmt_bytes(j.total, 2, 0) AS total_s,
    printf('%.0f MiB', j.remote_d / 1048576.0) AS remote_d_s,
    printf('%.0f MiB', (j.remote - j.remote_d) / 1048576.0) AS remote_p_s
  FROM judged j
  JOIN process p ON p.id = j.process_id
  JOIN away a ON a.process_id = j.process_id
)
SELECT 'process' AS entity_kind, process_id,
  t0 AS t_start, t1 AS t_end,
  round(remote / 1048576.0, 1) AS value,
  printf('%s runs on node %d (%s) while %s of its %s of anonymous memory (%.0f %%) is on %s, in %d numa_maps captures: %s.',
    who, node,
    CASE WHEN pinned THEN 'Cpus_allowed_list ' || cpus_allowed
         ELSE printf('at least %.0f %% of %d CPU samples', 100 * cpu_share_min, cpu_samples) END,
    remote_s, total_s, 100.0 * remote / total, nodes, captures,
    CASE
      WHEN cpuset_away THEN printf('its cpuset allows memory only on node(s) %s (Mems_allowed_list), a configuration', mems_allowed)
      ELSE
        CASE WHEN remote_d >= 1048576 THEN
          remote_d_s || ' by first touch (default policy)' ||
          CASE WHEN first_touch AND balanced
                 THEN printf(', which automatic NUMA balancing left there (%d pages migrated system-wide) although node %d has room: probably not in use', coalesce(migrated, 0), node)
               WHEN first_touch AND nb & 1 = 1
                 THEN printf(', which automatic NUMA balancing cannot move: node %d has %.0f MiB free', node, home_free / 1048576.0)
               WHEN first_touch AND nb & 1 = 0 THEN ', with automatic NUMA balancing off'
               ELSE '' END
        ELSE '' END ||
        CASE WHEN remote - remote_d >= 1048576 THEN
          CASE WHEN remote_d >= 1048576 THEN '; ' ELSE '' END ||
          remote_p_s || ' by explicit policy (' || coalesce(policies, '?') || '), a configuration'
        ELSE '' END
    END) AS message,
  CASE WHEN first_touch AND NOT balanced THEN NULL ELSE 'info' END AS severity,
  node AS home_node, captures, cpu_samples, round(100 * cpu_share_min, 1) AS cpu_share_min_pct,
  cpus_allowed, mems_allowed, threads,
  round(total / 1048576.0, 1) AS anon_mib, round(local / 1048576.0, 1) AS local_mib,
  round(remote_d / 1048576.0, 1) AS remote_first_touch_mib,
  round((remote - remote_d) / 1048576.0, 1) AS remote_policy_mib,
  by_node AS remote_by_node_mib, policies AS remote_policies,
  round(thr / 1048576.0, 1) AS threshold_mib,
  round(home_free / 1048576.0, 1) AS home_free_mib,
  (SELECT trim(h.content, ' ' || char(10)) FROM host_file h
    WHERE h.path = '/sys/devices/system/node/node' || node || '/distance' AND h.status = 'ok'
    ORDER BY h.sample DESC LIMIT 1) AS home_distances,
  nb AS numa_balancing, migrated AS numa_pages_migrated
FROM fmt
ORDER BY who
