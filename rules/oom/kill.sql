-- id: oom/kill
-- severity: critical
-- title: The kernel's OOM killer killed a process, or a cgroup is stuck in OOM
-- explain: An OOM kill is an event, not a trend: every rise of an OOM-kill
--   counter between two samples is reported, whatever its size. Cgroup kills
--   come from the cgroup's own counter (v1 memory.oom_control oom_kill, v2
--   memory.events oom_kill; the kernel counts a kill in the victim's
--   cgroup, on v2 also in its ancestors, so a v2 cgroup's own kills are its
--   rise minus its children's). Kills that /proc/vmstat oom_kill counts and
--   no cgroup below the root claims are reported once for the system. The
--   victim is the process that was in the cgroup (for the system: any
--   process) and was last seen within one sample of the rise, the one with
--   the highest oom_score first (the OOM killer picks the highest badness),
--   with its last RSS and peak RSS (VmHWM).
--
--   Also reported: a v1 cgroup with under_oom = 1 for 2 samples or more,
--   or with oom_kill_disable set (its tasks wait in the OOM handler
--   instead of being killed), and a v2 cgroup whose memory.events oom
--   rose with no kill anywhere below it (allocations failed at the limit).
-- action: Read the kernel log around the time (dmesg: "Killed process") for
--   the victim and the memory state the kernel saw. For a cgroup kill,
--   compare the cgroup's limit with what its workload needs (the
--   oom/cgroup-limit rule shows how close it ran); for a system kill, find
--   what consumed memory (leak/ rules, oom/available). A victim that keeps
--   being restarted and killed is a loop: fix the limit or the leak.
-- param: stuck_samples = 2 [1, inf) | under_oom = 1 in this many consecutive samples counts as stuck
-- needs: 2 samples
-- unit: 1 | value, victim_pid, victim_oom_score, victim_oom_score_adj, candidates,
--   samples_stuck
-- unit: text | scope, victim_comm
-- unit: B | victim_rss, victim_hwm, usage_before, limit_bytes
-- chart: cgroup-memory
-- chart: cgroup-faults
-- chart: memory-available
-- when: :entity_kind = 'system'
WITH
sp AS MATERIALIZED (SELECT sample, prev, t FROM sample_pair),
last_sample AS (SELECT max(id) AS id FROM sample),
t_of AS MATERIALIZED (SELECT id, t FROM sample),
-- rises of each cgroup's oom_kill counter (a fall is a reset: ignored);
-- driven by (cgroup, sample) so that every read is a primary-key seek
rise AS MATERIALIZED (
  SELECT c.id AS cgroup_id, c.rel, c.version, sp.sample, sp.prev, cur.value - old.value AS d
  FROM cgroup c CROSS JOIN sp
  CROSS JOIN cgroup_value cur ON cur.cgroup_id = c.id AND cur.sample = sp.sample AND cur.key = 'memory.oom_control:oom_kill'
  CROSS JOIN cgroup_value old ON old.cgroup_id = c.id AND old.sample = sp.prev AND old.key = 'memory.oom_control:oom_kill'
  WHERE c.version = 1 AND cur.value > old.value
  UNION ALL
  SELECT c.id, c.rel, c.version, sp.sample, sp.prev, cur.value - old.value
  FROM cgroup c CROSS JOIN sp
  CROSS JOIN cgroup_value cur ON cur.cgroup_id = c.id AND cur.sample = sp.sample AND cur.key = 'memory.events:oom_kill'
  CROSS JOIN cgroup_value old ON old.cgroup_id = c.id AND old.sample = sp.prev AND old.key = 'memory.events:oom_kill'
  WHERE c.version = 2 AND cur.value > old.value),
-- own kills: v1 counts are local; a v2 count includes the descendants', so
-- subtract the direct children's rises in the same interval
own AS MATERIALIZED (
  SELECT r.*, r.d - CASE WHEN r.version = 2 THEN coalesce((
      SELECT sum(ch.d) FROM rise ch
      WHERE ch.sample = r.sample AND ch.version = 2 AND ch.rel <> r.rel
        AND substr(ch.rel, 1, length(CASE r.rel WHEN '/' THEN '/' ELSE r.rel || '/' END))
            = CASE r.rel WHEN '/' THEN '/' ELSE r.rel || '/' END
        AND instr(substr(ch.rel, length(CASE r.rel WHEN '/' THEN '/' ELSE r.rel || '/' END) + 1), '/') = 0), 0)
    ELSE 0 END AS kills
  FROM rise r),
cg_kill AS (SELECT * FROM own WHERE kills > 0 AND rel <> '/'),
-- the candidates: processes of the cgroup (or below) last seen from the
-- sample before the rise's interval to its end
cg_victim AS (
  SELECT k.cgroup_id, k.sample, p.id AS process_id, p.pid, p.comm, p.last_sample,
    row_number() OVER (PARTITION BY k.cgroup_id, k.sample
                       ORDER BY ps.oom_score DESC, ps.vm_rss DESC, p.id) AS rk,
    count(*) OVER (PARTITION BY k.cgroup_id, k.sample) AS n_cand,
    ps.vm_rss, ps.vm_hwm, ps.oom_score, ps.oom_score_adj
  FROM cg_kill k
  JOIN process p ON p.last_sample BETWEEN k.prev - 1 AND k.sample
   AND EXISTS (SELECT 1 FROM proc_cgroup pc WHERE pc.process_id = p.id
     AND (pc.path = k.rel OR substr(pc.path, 1, length(k.rel) + 1) = k.rel || '/')
     AND ((k.version = 2 AND pc.hierarchy = 0)
          OR (k.version = 1 AND ',' || pc.controllers || ',' LIKE '%,memory,%'))
     AND pc.last_sample BETWEEN k.prev - 1 AND k.sample)
   AND p.last_sample < (SELECT id FROM last_sample)
  JOIN proc_sample ps ON ps.process_id = p.id AND ps.sample = p.last_sample),
-- the cgroup's usage and limit at the sample before the kill
cg_mem AS (
  SELECT k.cgroup_id, k.sample,
    max(CASE WHEN v.key IN ('memory.usage_in_bytes', 'memory.current') THEN v.value END) AS usage,
    min(CASE WHEN v.key IN ('memory.limit_in_bytes', 'memory.max') AND v.unlimited = 0
              AND v.value < 4611686018427387904 THEN v.value END) AS lim
  FROM cg_kill k
  JOIN cgroup_value v ON v.cgroup_id = k.cgroup_id AND v.sample = k.prev
   AND v.key IN ('memory.usage_in_bytes', 'memory.current', 'memory.limit_in_bytes', 'memory.max')
  GROUP BY k.cgroup_id, k.sample),
cg_rows AS (
  SELECT 'critical' AS severity, 'cgroup' AS entity_kind, k.rel AS entity, k.cgroup_id AS cgroup_id,
    tp.t AS t_start, tc.t AS t_end, k.kills AS value,
    printf('%d OOM kill%s in this cgroup between two samples%s; %s.',
      k.kills, CASE WHEN k.kills > 1 THEN 's' ELSE '' END,
      CASE WHEN m.lim IS NOT NULL
        THEN printf(' (usage %.1f MiB of its %.1f MiB limit at the last sample before)', m.usage / 1048576.0, m.lim / 1048576.0)
        ELSE '' END,
      CASE WHEN v.pid IS NULL
        THEN 'no process of the cgroup vanished then: the victim came and went between samples'
        ELSE printf('%s %d (%s), last seen with %.1f MiB RSS (peak %.1f MiB), oom_score %d',
          CASE WHEN v.n_cand > 1 THEN 'likely victim' ELSE 'victim' END,
          v.pid, v.comm, v.vm_rss / 1048576.0, v.vm_hwm / 1048576.0, v.oom_score)
          || CASE WHEN v.n_cand > 1 THEN printf(' (the highest oom_score of the %d processes of the cgroup that vanished then)', v.n_cand) ELSE '' END
      END) AS message,
    'cgroup' AS scope, v.pid AS victim_pid, v.comm AS victim_comm,
    v.vm_rss AS victim_rss, v.vm_hwm AS victim_hwm, v.oom_score AS victim_oom_score,
    v.oom_score_adj AS victim_oom_score_adj, v.n_cand AS candidates,
    m.usage AS usage_before, m.lim AS limit_bytes, NULL AS samples_stuck
  FROM cg_kill k
  JOIN t_of tp ON tp.id = k.prev
  JOIN t_of tc ON tc.id = k.sample
  LEFT JOIN cg_victim v ON v.cgroup_id = k.cgroup_id AND v.sample = k.sample AND v.rk = 1
  LEFT JOIN cg_mem m ON m.cgroup_id = k.cgroup_id AND m.sample = k.sample),
-- the system: kills /proc/vmstat counted that no cgroup below the root
-- claims, matched cumulatively with one sample of slack (vmstat is read
-- before the cgroup files of the same sample)
vm AS MATERIALIZED (
  SELECT sp.sample, sp.prev, CASE WHEN c.value > o.value THEN c.value - o.value ELSE 0 END AS d
  FROM sp
  JOIN vmstat c ON c.sample = sp.sample AND c.key = 'oom_kill'
  JOIN vmstat o ON o.sample = sp.prev AND o.key = 'oom_kill'),
claimed AS (SELECT sample, sum(kills) AS n FROM own WHERE rel <> '/' GROUP BY sample),
cum AS (
  SELECT vm.sample, vm.prev, vm.d,
    sum(vm.d) OVER w AS v_cum,
    sum(coalesce(cl.n, 0)) OVER w AS a_cum
  FROM vm LEFT JOIN claimed cl ON cl.sample = vm.sample
  WINDOW w AS (ORDER BY vm.sample ROWS UNBOUNDED PRECEDING)),
unclaimed AS (
  SELECT sample, prev, d,
    v_cum - coalesce(lead(a_cum) OVER (ORDER BY sample), a_cum) AS n_open
  FROM cum),
sys_kill AS (
  SELECT sample, prev, d,
    n_open - max(0, coalesce(max(n_open) OVER (ORDER BY sample ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)) AS kills
  FROM unclaimed),
sys_victim AS (
  SELECT k.sample, p.pid, p.comm, ps.vm_rss, ps.vm_hwm, ps.oom_score, ps.oom_score_adj,
    row_number() OVER (PARTITION BY k.sample ORDER BY ps.oom_score DESC, ps.vm_rss DESC, p.id) AS rk,
    count(*) OVER (PARTITION BY k.sample) AS n_cand
  FROM sys_kill k
  JOIN process p ON p.last_sample BETWEEN k.prev - 1 AND k.sample
   AND p.last_sample < (SELECT id FROM last_sample)
  JOIN proc_sample ps ON ps.process_id = p.id AND ps.sample = p.last_sample
  WHERE k.kills > 0 AND k.d > 0),
sys_rows AS (
  SELECT 'critical' AS severity, 'system' AS entity_kind, 'system' AS entity, NULL AS cgroup_id,
    tp.t AS t_start, tc.t AS t_end,
    k.kills AS value,
    printf('%d OOM kill%s counted in /proc/vmstat (oom_kill) between two samples, in no memory cgroup below the root; %s.',
      k.kills, CASE WHEN k.kills > 1 THEN 's' ELSE '' END,
      CASE WHEN v.pid IS NULL
        THEN 'no process vanished then: the victim came and went between samples'
        ELSE printf('likely victim %d (%s), of the processes that vanished then the one with the highest oom_score (%d), last seen with %.1f MiB RSS (peak %.1f MiB)',
          v.pid, v.comm, v.oom_score, v.vm_rss / 1048576.0, v.vm_hwm / 1048576.0)
          || CASE WHEN v.n_cand > 1 THEN printf(' (%d vanished)', v.n_cand) ELSE '' END
      END) AS message,
    'system' AS scope, v.pid AS victim_pid, v.comm AS victim_comm,
    v.vm_rss AS victim_rss, v.vm_hwm AS victim_hwm, v.oom_score AS victim_oom_score,
    v.oom_score_adj AS victim_oom_score_adj, v.n_cand AS candidates,
    NULL AS usage_before, NULL AS limit_bytes, NULL AS samples_stuck
  FROM sys_kill k
  JOIN t_of tp ON tp.id = k.prev
  JOIN t_of tc ON tc.id = k.sample
  LEFT JOIN sys_victim v ON v.sample = k.sample AND v.rk = 1
  WHERE k.kills > 0 AND k.d > 0),
-- v1: under_oom episodes (runs of consecutive samples with under_oom = 1)
uo AS (
  SELECT c.id AS cgroup_id, c.rel, v.sample,
    v.sample - row_number() OVER (PARTITION BY c.id ORDER BY v.sample) AS grp,
    (SELECT d.value FROM cgroup_value d WHERE d.cgroup_id = c.id AND d.sample = v.sample
      AND d.key = 'memory.oom_control:oom_kill_disable') AS kill_disabled
  FROM cgroup c CROSS JOIN t_of s
  CROSS JOIN cgroup_value v ON v.cgroup_id = c.id AND v.sample = s.id AND v.key = 'memory.oom_control:under_oom'
  WHERE c.version = 1 AND v.value = 1),
stuck_rows AS (
  SELECT CASE WHEN max(kill_disabled) = 1 THEN 'critical' ELSE 'warning' END AS severity,
    'cgroup' AS entity_kind, rel AS entity, cgroup_id, min(tf.t) AS t_start, max(tf.t) AS t_end,
    count(*) AS value,
    printf('under OOM (memory.oom_control under_oom = 1) in %d consecutive samples%s: its tasks wait for memory at the limit.',
      count(*), CASE WHEN max(kill_disabled) = 1 THEN ' with oom_kill_disable = 1 (no kill will free them)' ELSE '' END) AS message,
    'under_oom' AS scope, NULL AS victim_pid, NULL AS victim_comm, NULL AS victim_rss,
    NULL AS victim_hwm, NULL AS victim_oom_score, NULL AS victim_oom_score_adj, NULL AS candidates,
    NULL AS usage_before, NULL AS limit_bytes, count(*) AS samples_stuck
  FROM uo JOIN t_of tf ON tf.id = uo.sample
  GROUP BY cgroup_id, grp
  HAVING count(*) >= :stuck_samples OR max(kill_disabled) = 1),
-- v2: memory.events oom rose with no oom_kill in the cgroup or below
v2_oom AS (
  SELECT c.id AS cgroup_id, c.rel, sp.sample, sp.prev, cur.value - old.value AS d
  FROM cgroup c CROSS JOIN sp
  CROSS JOIN cgroup_value cur ON cur.cgroup_id = c.id AND cur.sample = sp.sample AND cur.key = 'memory.events:oom'
  CROSS JOIN cgroup_value old ON old.cgroup_id = c.id AND old.sample = sp.prev AND old.key = cur.key
  WHERE c.version = 2 AND cur.value > old.value
    AND NOT EXISTS (SELECT 1 FROM rise r WHERE r.cgroup_id = c.id AND r.sample BETWEEN sp.sample - 1 AND sp.sample + 1)),
fail_rows AS (
  SELECT 'warning' AS severity, 'cgroup' AS entity_kind, o.rel AS entity, o.cgroup_id AS cgroup_id,
    tp.t AS t_start, tc.t AS t_end, o.d AS value,
    printf('memory.events oom rose by %d with no OOM kill in the cgroup or below: allocations at the limit failed (the OOM killer found nothing to kill, or the charge was allowed to fail).', o.d) AS message,
    'oom_no_kill' AS scope, NULL AS victim_pid, NULL AS victim_comm, NULL AS victim_rss,
    NULL AS victim_hwm, NULL AS victim_oom_score, NULL AS victim_oom_score_adj, NULL AS candidates,
    NULL AS usage_before, NULL AS limit_bytes, NULL AS samples_stuck
  FROM v2_oom o JOIN t_of tp ON tp.id = o.prev JOIN t_of tc ON tc.id = o.sample)
SELECT * FROM cg_rows
UNION ALL SELECT * FROM sys_rows
UNION ALL SELECT * FROM stuck_rows
UNION ALL SELECT * FROM fail_rows
ORDER BY t_start, entity
