-- id: oom/overcommit
-- severity: warning
-- title: Strict overcommit is on and the commit charge is close to CommitLimit
-- explain: With vm.overcommit_memory = 2 the kernel refuses any private
--   writable mapping (malloc, mmap, fork, thread stacks) that would take
--   Committed_AS above CommitLimit (swap + overcommit_ratio % of RAM):
--   allocations fail with ENOMEM long before memory is used up, and no
--   OOM kill announces it. A finding is a run of consecutive samples, at
--   least a minute long, where the mode is 2 (/proc/sys/vm/overcommit_memory
--   as the collector recorded it at that time) and Committed_AS /
--   CommitLimit >= 0.9; critical when it reached 0.99, where an allocation
--   of 1 % of CommitLimit already fails. In modes 0 and 1 CommitLimit is
--   not enforced and the rule does not apply. The processes with the
--   largest VmData (private data: roughly what they commit) are named.
-- action: Find who commits the memory (the processes named, and their
--   VmData growth); reserve less (JVM heaps, thread stack sizes, sparse
--   mappings), add swap (it raises CommitLimit) or raise
--   vm.overcommit_ratio / vm.overcommit_kbytes deliberately.
-- param: min_ratio = 0.9 [0, inf) | Committed_AS / CommitLimit at or above which the charge is close
-- param: crit_ratio = 0.99 [0, inf) | ... and at or above which it is critical
-- param: min_duration = 60 s [0, inf) | the run must last this long (consecutive samples)
-- needs: :min_duration
-- unit: 1 | value, ratio_mean, samples
-- unit: B | committed_as_max, commit_limit
-- unit: s | seconds
-- unit: text | committers
-- chart: memory-available
WITH
mode AS (
  SELECT sample, CAST(content AS INTEGER) AS mode
  FROM host_file WHERE path = '/proc/sys/vm/overcommit_memory' AND status = 'ok'),
-- only a recording with strict overcommit at some point has anything to
-- judge; its two meminfo values a sample by primary-key seeks (not the
-- mem view's pivot of every key: 4 s on a week at 10 s)
strict AS (SELECT 1 FROM mode WHERE mode = 2 LIMIT 1),
m AS (
  SELECT s.id AS sample, s.t, s.mono, c.value AS c, l.value AS l,
    1.0 * c.value / l.value AS ratio,
    (SELECT mode FROM mode WHERE mode.sample <= s.id ORDER BY mode.sample DESC LIMIT 1) AS mode
  FROM strict CROSS JOIN sample s
  JOIN meminfo c ON c.sample = s.id AND c.key = 'Committed_AS'
  JOIN meminfo l ON l.sample = s.id AND l.key = 'CommitLimit'
  WHERE l.value > 0),
hit AS (
  SELECT m.*, sample - row_number() OVER (ORDER BY sample) AS run
  FROM m WHERE mode = 2 AND ratio >= :min_ratio),
ep AS (
  SELECT min(t) AS t0, max(t) AS t1, max(mono) - min(mono) AS secs, count(*) AS n,
    max(sample) AS s1, max(ratio) AS peak, avg(ratio) AS mean, max(c) AS c_max, max(l) AS l_max
  FROM hit GROUP BY run HAVING max(mono) - min(mono) >= :min_duration),
top AS (
  SELECT ep.s1, p.pid, p.comm, ps.vm_data,
    row_number() OVER (PARTITION BY ep.s1 ORDER BY ps.vm_data DESC, p.id) AS rk
  FROM ep JOIN proc_sample ps ON ps.sample = ep.s1 JOIN process p ON p.id = ps.process_id
  WHERE ps.vm_data IS NOT NULL),
top3 AS (
  SELECT s1, group_concat(printf('%d (%s) %.0f MiB', pid, comm, vm_data / 1048576.0), '; ') AS committers
  FROM (SELECT * FROM top WHERE rk <= 3 ORDER BY s1, rk) GROUP BY s1)
SELECT CASE WHEN ep.peak >= :crit_ratio THEN 'critical' ELSE 'warning' END AS severity,
  'system' AS entity_kind, 'system' AS entity, ep.t0 AS t_start, ep.t1 AS t_end,
  ep.peak AS value,
  printf('vm.overcommit_memory = 2 (strict) and Committed_AS stayed at %.0f %% or more of CommitLimit for %.0f s, up to %.1f %% (%.1f of %.1f MiB): allocations fail with ENOMEM at 100 %%.%s',
    :min_ratio * 100, ep.secs, ep.peak * 100, ep.c_max / 1048576.0, ep.l_max / 1048576.0,
    CASE WHEN t.committers IS NOT NULL THEN ' Largest VmData at the end: ' || t.committers || '.' ELSE '' END) AS message,
  ep.mean AS ratio_mean, ep.c_max AS committed_as_max, ep.l_max AS commit_limit,
  ep.secs AS seconds, ep.n AS samples, t.committers
FROM ep LEFT JOIN top3 t ON t.s1 = ep.s1
ORDER BY ep.t0
