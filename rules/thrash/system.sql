-- id: thrash/system
-- severity: warning
-- title: The host re-reads its evicted page cache under memory shortage (page-cache thrash)
-- explain: A refault (/proc/vmstat workingset_refault_file; before Linux
--   5.9 workingset_refault) is a file page read back in while the kernel
--   still remembers evicting it. For every interval between two samples
--   the rule computes the refault rate R (bytes/s) and the turnover, the
--   share of the host's file LRU (meminfo Active(file) + Inactive(file))
--   refaulted per minute. An interval counts when R is at least min_rate
--   and the turnover at least min_turnover (detection research: 4 MiB/s
--   and 5 %/min keep small caches and slow trickles out), and global
--   reclaim evicted at least min_evict pages per refault in it
--   (pgsteal_kswapd + pgsteal_direct + pgsteal_khugepaged, which count
--   only reclaim for the host's shortage, not for a cgroup's limit).
--   Refaults evicted by a memory cgroup's limit are that cgroup's thrash
--   (thrash/cgroup names it); refaults with no eviction at the same time
--   are re-reads of pages evicted long before, not thrash.
--
--   A finding is an episode: runs of at least
--   min_intervals consecutive counting intervals spanning at least
--   min_seconds, those less than merge_gap apart taken together; its
--   window is from the first counting interval to the last, and the
--   message says whether it was still going at the end of the recording
--   or when it ended. Memory PSI grades it rather
--   than gating it: the cost of thrash can be I/O bandwidth more than
--   stalls. Critical when the window's mean memory PSI some reaches
--   psi_some or full reaches psi_full. Where the kernel counts them, the
--   share of refaults activated (the re-used data would fit the cache)
--   and restored (the active working set itself is being evicted) are
--   given. The message names the deepest memory cgroup holding at least
--   half of the refaults, and the processes with the most major faults
--   (refaults through read(2) are not major faults, only those through
--   mapped files and swap).
-- action: The host's page cache is too small for the data being re-read:
--   find who reads (the cgroup and processes named; iotop; the reads of
--   a database, a backup, a log scan), then give the cache room (stop or
--   limit what uses the memory: anonymous growth shows in leak/process
--   and the processes' RSS), add memory, or make the workload read less.
-- param: min_rate = 4 MiB/s [0, inf) | the smallest refault rate of an interval
-- param: min_turnover = 5 %/min [0, inf) | the smallest share of the file cache refaulted per minute
-- param: min_evict = 0.5 [0, inf) | pages evicted by global reclaim per refault in the interval
-- param: min_intervals = 3 [1, inf) | the fewest consecutive counting intervals
-- param: min_seconds = 60 s [0, inf) | the shortest run of counting intervals
-- param: merge_gap = 300 s [0, inf) | runs less than this apart are one episode
-- param: psi_some = 10 % [0, 100] | critical when the window's mean memory PSI some is at least this
-- param: psi_full = 5 % [0, 100] | ... or its mean PSI full at least this
-- needs: :min_seconds
-- needs: :min_intervals intervals
-- unit: MiB/s | value, refault_mib_s, refault_mib_s_median, refault_mib_s_max
-- unit: %/min | turnover_pct_min
-- unit: MiB | file_cache_mib
-- unit: 1 | intervals, activate_ratio, restore_ratio, reclaim_efficiency,
--   direct_reclaim_stalls, top_cgroup_share, ongoing
-- unit: pages | refault_pages, global_steal_pages, global_scan_pages
-- unit: /s | majflt_per_s
-- unit: % | psi_some_pct, psi_full_pct
-- unit: text | top_cgroup, top_processes
-- chart: per-second | Refaults, major faults and scanning (per second)
-- line: refaults (file) | SELECT t, per_s FROM vmstat_rate WHERE key = 'workingset_refault_file'
--   ORDER BY sample
-- line: major faults | SELECT t, per_s FROM vmstat_rate WHERE key = 'pgmajfault' ORDER BY sample
-- line: pages scanned (kswapd) | SELECT t, per_s FROM vmstat_rate WHERE key = 'pgscan_kswapd'
--   ORDER BY sample
-- chart: bytes | The page cache those refaults are against
-- line: page cache (active + inactive file) | SELECT t, active_file_bytes + inactive_file_bytes
--   FROM mem ORDER BY sample
WITH
pg AS (
  SELECT (SELECT page_size FROM host_last) AS page
),
seq AS (
  SELECT id AS sample, t, mono, row_number() OVER (ORDER BY id) AS n FROM sample
),
vm AS (
  SELECT sample,
    max(CASE WHEN key = 'workingset_refault_file' THEN value END) AS rf_new,
    max(CASE WHEN key = 'workingset_refault' THEN value END) AS rf_old,
    max(CASE WHEN key IN ('workingset_activate_file', 'workingset_activate') THEN value END) AS act,
    max(CASE WHEN key IN ('workingset_restore_file', 'workingset_restore') THEN value END) AS rst,
    sum(CASE WHEN key LIKE 'pgsteal\_kswapd%' ESCAPE '\' OR key LIKE 'pgsteal\_direct%' ESCAPE '\'
              OR key = 'pgsteal_khugepaged' THEN value END) AS gsteal,
    sum(CASE WHEN key LIKE 'pgscan\_kswapd%' ESCAPE '\' OR key LIKE 'pgscan\_direct%' ESCAPE '\'
              OR key = 'pgscan_khugepaged' THEN value END) AS gscan,
    max(CASE WHEN key = 'pgsteal_file' THEN value END) AS steal_file,
    sum(CASE WHEN key LIKE 'allocstall%' THEN value END) AS allocstall,
    max(CASE WHEN key = 'pgmajfault' THEN value END) AS majflt,
    max(CASE WHEN key = 'drop_pagecache' THEN value END) AS drops
  FROM vmstat
  WHERE key LIKE 'workingset%' OR key LIKE 'pgsteal%' OR key LIKE 'pgscan%'
     OR key LIKE 'allocstall%' OR key IN ('pgmajfault', 'drop_pagecache')
  GROUP BY sample
),
mi AS (
  SELECT sample, sum(value) AS lru
  FROM meminfo WHERE key IN ('Active(file)', 'Inactive(file)')
  GROUP BY sample
),
lagged AS (
  SELECT v.*, s.n, s.t, s.mono, mi.lru,
    coalesce(v.rf_new, v.rf_old) AS rf,
    CASE WHEN v.rf_new IS NOT NULL THEN 1 WHEN v.rf_old IS NOT NULL THEN 2 END AS rf_src,
    lag(s.n) OVER w AS n_prev, lag(s.t) OVER w AS t_prev, lag(s.mono) OVER w AS mono_prev,
    lag(v.sample) OVER w AS sample_prev,
    lag(coalesce(v.rf_new, v.rf_old)) OVER w AS rf_prev,
    lag(CASE WHEN v.rf_new IS NOT NULL THEN 1 WHEN v.rf_old IS NOT NULL THEN 2 END) OVER w AS rf_src_prev,
    lag(v.act) OVER w AS act_prev, lag(v.rst) OVER w AS rst_prev,
    lag(v.gsteal) OVER w AS gsteal_prev, lag(v.gscan) OVER w AS gscan_prev,
    lag(v.steal_file) OVER w AS steal_file_prev, lag(v.allocstall) OVER w AS allocstall_prev,
    lag(v.majflt) OVER w AS majflt_prev, lag(v.drops) OVER w AS drops_prev
  FROM vm v JOIN seq s ON s.sample = v.sample LEFT JOIN mi ON mi.sample = v.sample
  WINDOW w AS (ORDER BY v.sample)
),
iv AS (
  SELECT sample, sample_prev, n, t, t_prev, mono - mono_prev AS dt, lru,
    CASE WHEN rf >= rf_prev AND rf_src = rf_src_prev THEN rf - rf_prev END AS d_rf,
    CASE WHEN act >= act_prev THEN act - act_prev END AS d_act,
    CASE WHEN rst >= rst_prev THEN rst - rst_prev END AS d_rst,
    CASE WHEN gsteal >= gsteal_prev THEN gsteal - gsteal_prev END AS d_gsteal,
    CASE WHEN gscan >= gscan_prev THEN gscan - gscan_prev END AS d_gscan,
    CASE WHEN steal_file >= steal_file_prev THEN steal_file - steal_file_prev END AS d_steal_file,
    CASE WHEN allocstall >= allocstall_prev THEN allocstall - allocstall_prev END AS d_allocstall,
    CASE WHEN majflt >= majflt_prev THEN majflt - majflt_prev END AS d_majflt,
    CASE WHEN drops > drops_prev THEN 1 ELSE 0 END AS dropped
  FROM lagged
  WHERE n_prev = n - 1 AND mono > mono_prev
),
flag AS (
  SELECT iv.*, iv.d_rf * pg.page / iv.dt AS rate,
         60.0 * iv.d_rf * pg.page / iv.dt / iv.lru AS turnover
  FROM iv CROSS JOIN pg
  WHERE iv.lru > 0
    AND iv.d_rf * pg.page / iv.dt >= :min_rate * 1048576.0
    AND 60.0 * iv.d_rf * pg.page / iv.dt / iv.lru >= :min_turnover / 100.0
    AND iv.d_gsteal >= :min_evict * iv.d_rf
),
runs AS (
  SELECT f.*, f.n - row_number() OVER (ORDER BY f.n) AS run FROM flag f
),
-- episodes: runs of at least min_intervals consecutive counting intervals
-- spanning at least min_seconds, those less than merge_gap apart taken
-- together (a short lull does not end the problem): episode(), docs/stats.md
episodes AS (
  SELECT r.*, g.grp FROM runs r JOIN (
    SELECT run, episode(count(*), min(t_prev), max(t), :min_intervals, :min_seconds, :merge_gap)
      OVER (ORDER BY run) AS grp FROM runs GROUP BY run) g USING (run)
  WHERE g.grp IS NOT NULL
),
found AS (
  SELECT grp, count(*) AS intervals, min(sample_prev) AS s_start, max(sample) AS s_end,
    min(t_prev) AS t_start, max(t) AS t_end, sum(dt) AS secs,
    sum(d_rf) AS refaults, median(rate) AS rate_med, max(rate) AS rate_max,
    median(turnover) AS turnover_med, median(lru) AS lru_med,
    sum(d_act) AS acts, sum(d_rst) AS restores, sum(d_gsteal) AS gsteals,
    sum(d_gscan) AS gscans, sum(d_steal_file) AS steals_file,
    sum(d_allocstall) AS allocstalls, sum(d_majflt) AS majflts, sum(dropped) AS drops
  FROM episodes
  GROUP BY grp
),
psi_win AS (   -- memory PSI over the window (psi_between)
  SELECT f.grp, p.kind, p.stall_share AS share
  FROM found f JOIN psi_between p ON p.s_from = f.s_start AND p.s_to = f.s_end
  WHERE p.scope = 'system' AND p.stall_share IS NOT NULL
),
-- refaults per memory cgroup over the window (hierarchical counters)
cg_rf AS (
  SELECT f.grp, c.rel, c.version,
    (SELECT coalesce(max(CASE WHEN v.key = 'memory.stat:total_workingset_refault_file' THEN v.value END),
                     max(CASE WHEN v.key = 'memory.stat:total_workingset_refault' THEN v.value END),
                     max(CASE WHEN v.key = 'memory.stat:workingset_refault_file' THEN v.value END),
                     max(CASE WHEN v.key = 'memory.stat:workingset_refault' THEN v.value END))
     FROM cgroup_value v WHERE v.cgroup_id = c.id AND v.sample = f.s_end
       AND v.key IN ('memory.stat:total_workingset_refault_file', 'memory.stat:total_workingset_refault',
                     'memory.stat:workingset_refault_file', 'memory.stat:workingset_refault'))
    - (SELECT coalesce(max(CASE WHEN v.key = 'memory.stat:total_workingset_refault_file' THEN v.value END),
                     max(CASE WHEN v.key = 'memory.stat:total_workingset_refault' THEN v.value END),
                     max(CASE WHEN v.key = 'memory.stat:workingset_refault_file' THEN v.value END),
                     max(CASE WHEN v.key = 'memory.stat:workingset_refault' THEN v.value END))
     FROM cgroup_value v WHERE v.cgroup_id = c.id AND v.sample = f.s_start
       AND v.key IN ('memory.stat:total_workingset_refault_file', 'memory.stat:total_workingset_refault',
                     'memory.stat:workingset_refault_file', 'memory.stat:workingset_refault')) AS d_rf,
    f.refaults
  FROM found f CROSS JOIN cgroup c
  WHERE c.rel <> '/'
),
cg_top AS (
  SELECT grp, rel, d_rf, refaults,
    row_number() OVER (PARTITION BY grp ORDER BY length(rel) DESC, d_rf DESC) AS rk
  FROM cg_rf WHERE d_rf >= 0.5 * refaults
),
clk AS (
  SELECT (SELECT clk_tck FROM host_last) AS hz
),
-- processes by major faults over the window (at least one a second):
-- each process's first and last sample inside it (two primary-key seeks
-- per process)
span AS (
  SELECT f.grp, p.id AS process_id,
    (SELECT ps.sample FROM proc_sample ps WHERE ps.process_id = p.id AND ps.sample >= f.s_start
     ORDER BY ps.sample LIMIT 1) AS sa,
    (SELECT ps.sample FROM proc_sample ps WHERE ps.process_id = p.id AND ps.sample <= f.s_end
     ORDER BY ps.sample DESC LIMIT 1) AS sb
  FROM found f JOIN process p ON p.first_sample <= f.s_end AND p.last_sample >= f.s_start
),
per_proc AS (
  SELECT sp.grp, sp.process_id, b.majflt - a.majflt AS d_majflt, tb.mono - ta.mono AS span
  FROM span sp
  JOIN proc_sample a ON a.process_id = sp.process_id AND a.sample = sp.sa
  JOIN proc_sample b ON b.process_id = sp.process_id AND b.sample = sp.sb
  JOIN sample ta ON ta.id = sp.sa
  JOIN sample tb ON tb.id = sp.sb
  WHERE tb.mono > ta.mono AND b.majflt - a.majflt >= tb.mono - ta.mono
),
ranked AS (
  SELECT pp.*, p.pid, p.comm, pp.d_majflt / pp.span AS majflt_s,
    row_number() OVER (PARTITION BY pp.grp ORDER BY pp.d_majflt / pp.span DESC, p.pid) AS rk
  FROM per_proc pp JOIN process p ON p.id = pp.process_id
),
procs AS (
  SELECT grp,
    group_concat(pid || ' (' || comm || ') '
      || fmt_rate(majflt_s, 1)
      || '/s', ', ') AS top_txt,
    json_group_array(json_object('pid', pid, 'comm', comm, 'majflt_per_s', round(majflt_s, 2)))
      AS procs_json
  FROM (SELECT * FROM ranked WHERE rk <= 3 ORDER BY grp, rk)
  GROUP BY grp
),
fin AS (
  SELECT f.*,
    (SELECT share FROM psi_win w WHERE w.grp = f.grp AND w.kind = 'some') AS some,
    (SELECT share FROM psi_win w WHERE w.grp = f.grp AND w.kind = 'full') AS full,
    (SELECT count(*) FROM psi WHERE scope = 'system') AS psi_rows,
    ct.rel AS cg_rel, ct.d_rf AS cg_rf,
    pr.top_txt, pr.procs_json,
    f.refaults * pg.page / f.secs AS rate_avg,
    CASE WHEN f.acts IS NOT NULL THEN 1.0 * f.acts / f.refaults END AS act_ratio,
    CASE WHEN f.restores IS NOT NULL THEN 1.0 * f.restores / f.refaults END AS restore_ratio
  FROM found f CROSS JOIN pg
  LEFT JOIN cg_top ct ON ct.grp = f.grp AND ct.rk = 1
  LEFT JOIN procs pr ON pr.grp = f.grp
),
txt AS (
  SELECT fin.*,
    fmt_rate(rate_avg / 1048576.0, 1) AS rate_txt, fmt_bytes(lru_med, NULL, 0) AS lru_txt,
    fmt_duration(t_end - t_start, 'min-h') AS d_txt,
    CASE WHEN turnover_med >= 10 THEN printf('%.0f times its', turnover_med)
         WHEN turnover_med >= 0.1 THEN printf('%.0f %% of its', 100 * turnover_med)
         ELSE printf('%.1f %% of its', 100 * turnover_med) END AS turn_txt
  FROM fin
)
SELECT 'system' AS entity_kind, 'system' AS entity, t_start, t_end,
  round(rate_avg / 1048576.0, 2) AS value,
  CASE WHEN some >= :psi_some / 100.0 OR full >= :psi_full / 100.0 THEN 'critical' ELSE 'warning' END
    AS severity,
  'Page-cache thrash for ' || d_txt || ': the host re-read ' || rate_txt
  || ' MiB/s of evicted file pages (refaults), ' || turn_txt || ' ' || lru_txt
  || ' file cache per minute, while global reclaim evicted '
  || printf('%.0f', 1.0 * gsteals * (SELECT page FROM pg) / secs / 1048576.0) || ' MiB/s'
  || CASE WHEN allocstalls > 0 THEN printf(' (tasks stalled in direct reclaim %d times)', allocstalls) ELSE '' END
  || CASE WHEN act_ratio IS NULL THEN ''
          WHEN act_ratio >= 0.5 THEN printf('; %.0f %% of the refaults were activated: the re-used data would fit the cache', 100 * act_ratio)
          ELSE printf('; %.0f %% of the refaults were activated: the data is re-used over a distance larger than the cache', 100 * act_ratio) END
  || CASE WHEN restore_ratio >= 0.25 THEN printf(', %.0f %% restored: the active working set itself is being evicted', 100 * restore_ratio) ELSE '' END
  || CASE WHEN some IS NULL AND psi_rows = 0 THEN '; memory PSI not recorded'
          WHEN some IS NULL THEN '; memory PSI not available for the window'
          ELSE printf('; memory PSI some %.1f %%, full %.1f %%', 100 * some, 100 * coalesce(full, 0)) END
  || CASE WHEN cg_rel IS NOT NULL
          THEN printf('; %.0f %% of the refaults in memory cgroup %s', 100.0 * cg_rf / refaults, cg_rel)
          ELSE '' END
  || CASE WHEN top_txt IS NOT NULL THEN '; most major faults: ' || top_txt
          ELSE '; no process had a major fault per second or more (refaults through read(2) are not major faults)' END
  || CASE WHEN drops > 0 THEN printf('; the page cache was dropped (drop_caches) %d times in it', drops) ELSE '' END
  || CASE WHEN (SELECT max(t) FROM sample) - t_end <= :merge_gap
          THEN '; still going at the end of the recording'
          ELSE '; it ended ' || fmt_duration((SELECT max(t) FROM sample) - t_end)
               || ' before the end of the recording' END
  || '.' AS message,
  CASE WHEN (SELECT max(t) FROM sample) - t_end <= :merge_gap THEN 1 ELSE 0 END AS ongoing,
  round(rate_avg / 1048576.0, 2) AS refault_mib_s,
  round(rate_med / 1048576.0, 2) AS refault_mib_s_median,
  round(rate_max / 1048576.0, 2) AS refault_mib_s_max,
  round(100 * turnover_med, 1) AS turnover_pct_min,
  round(lru_med / 1048576.0, 1) AS file_cache_mib,
  intervals, refaults AS refault_pages,
  round(act_ratio, 3) AS activate_ratio, round(restore_ratio, 3) AS restore_ratio,
  gsteals AS global_steal_pages, gscans AS global_scan_pages,
  CASE WHEN gscans > 0 THEN round(1.0 * gsteals / gscans, 3) END AS reclaim_efficiency,
  allocstalls AS direct_reclaim_stalls, round(1.0 * majflts / secs, 2) AS majflt_per_s,
  round(100 * some, 2) AS psi_some_pct, round(100 * full, 2) AS psi_full_pct,
  cg_rel AS top_cgroup, CASE WHEN cg_rel IS NOT NULL THEN round(1.0 * cg_rf / refaults, 3) END AS top_cgroup_share,
  procs_json AS top_processes
FROM txt
ORDER BY t_start
