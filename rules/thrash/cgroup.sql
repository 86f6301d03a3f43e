-- id: thrash/cgroup
-- severity: warning
-- title: A memory cgroup re-reads its evicted page cache (page-cache thrash)
-- explain: A refault (memory.stat workingset_refault_file; before Linux
--   5.9 workingset_refault) is a file page read back in while the kernel
--   still remembers evicting it: the cgroup is paying I/O for data it
--   had in memory. For every memory cgroup (hierarchical numbers: v1
--   total_*, v2 memory.stat) and every interval between two samples the
--   rule computes the refault rate R (bytes/s) and the turnover, the
--   share of the cgroup's file LRU (active_file + inactive_file, else
--   the cache total) refaulted per minute. An interval counts when R is
--   at least min_rate, the turnover at least min_turnover (detection
--   research: 4 MiB/s and 5 %/min keep small caches and slow trickles
--   out) and pages are being evicted at the same time: the cgroup or an
--   ancestor hit its limit (v1 memory.failcnt rose), or the cgroup's own
--   pgsteal (v2) or global reclaim (/proc/vmstat pgsteal_kswapd +
--   pgsteal_direct) reached min_evict of the refaults. Without eviction
--   in the same interval the refaults are re-reads of pages evicted long
--   before (compilers and builds on a quiet host show bursts of that)
--   and are not thrash.
--
--   A finding is an episode: runs of at least
--   min_intervals consecutive counting intervals spanning at least
--   min_seconds, those less than merge_gap apart taken together; its
--   window is from the first counting interval to the last, and the
--   message says whether it was still going at the end of the recording
--   or when it ended. A cgroup whose refaults are
--   at least half in a flagged descendant in the same interval is left to
--   that descendant, so that the cgroup that thrashes is named, not its
--   parents; the root cgroup is the system (thrash/system).
--
--   Memory PSI grades the finding instead of gating it: a cache that
--   refaults at disk speed may stall its tasks only a few percent of the
--   time (reads are fast; the cost is I/O bandwidth and CPU), so PSI
--   below psi_some is still a warning. Critical when the window's mean
--   memory PSI some reaches psi_some or full reaches psi_full: the
--   cgroup's own memory.pressure (v2), else the system's, as the message
--   says (v1 has no per-cgroup PSI). An absent signal is reported as
--   absent. Where the kernel counts activations (v2), the share of
--   refaults activated tells whether the re-used data would fit the
--   cache (activated) or is re-used over a distance larger than it.
--
--   The processes in the cgroup and its descendants are listed by
--   major-fault rate, then CPU: refaults through read(2) are not major
--   faults, only those through mapped files are.
-- action: Give the cgroup the memory its working set needs (raise
--   memory.max / memory.limit_in_bytes to at least the re-read data's
--   size, or memory.low to protect it), or make the workload read less
--   (smaller scans, an index, O_DIRECT for data read once). The processes
--   listed are the ones whose reads miss the cache.
-- param: min_rate = 4 MiB/s [0, inf) | the smallest refault rate of an interval
-- param: min_turnover = 5 %/min [0, inf) | the smallest share of the cgroup's file cache refaulted per minute
-- param: min_evict = 0.5 [0, inf) | evictions (v2 pgsteal, or global reclaim) per refault that count as eviction
-- param: min_intervals = 3 [1, inf) | the fewest consecutive counting intervals
-- param: min_seconds = 60 s [0, inf) | the shortest run of counting intervals
-- param: merge_gap = 300 s [0, inf) | runs less than this apart are one episode
-- param: psi_some = 10 % [0, 100] | critical when the window's mean memory PSI some is at least this
-- param: psi_full = 5 % [0, 100] | ... or its mean PSI full at least this
-- needs: :min_seconds
-- needs: :min_intervals intervals
-- unit: MiB/s | value, refault_mib_s, refault_mib_s_median, refault_mib_s_max
-- unit: %/min | turnover_pct_min
-- unit: MiB | file_cache_mib, limit_mib, usage_mib, high_mib
-- unit: 1 | cgroup_version, intervals, activate_ratio, restore_ratio, limit_hits,
--   memory_max_events, memory_high_events, ongoing
-- unit: pages | refault_pages, pgsteal_pages, global_steal_pages
-- unit: /s | cgroup_majflt_per_s
-- unit: % | psi_some_pct, psi_full_pct
-- unit: text | psi_scope, processes
-- chart: cgroup-memory
-- chart: cgroup-faults
WITH
pg AS (
  SELECT (SELECT page_size FROM host_last) AS page
),
seq AS (
  SELECT id AS sample, t, mono, row_number() OVER (ORDER BY id) AS n FROM sample
),
-- the cgroups whose refault counter rose by min_rate x min_seconds in all
-- (max - min of each counter: a run over the thresholds lies between
-- them): no other cgroup can hold a finding, and the pivot below reads
-- only these cgroups' rows (on a week of 11 cgroups at 10 s, 34 M rows:
-- 2 s instead of 15 when none refaults)
busy AS MATERIALIZED (
  SELECT DISTINCT cgroup_id FROM (
    SELECT cgroup_id FROM cgroup_value
    WHERE key IN ('memory.stat:total_workingset_refault_file', 'memory.stat:total_workingset_refault',
                  'memory.stat:workingset_refault_file', 'memory.stat:workingset_refault')
    GROUP BY cgroup_id, key
    HAVING (max(value) - min(value)) * (SELECT page FROM pg) >= :min_rate * 1048576.0 * :min_seconds)
),
-- the memory.stat and limit numbers each interval needs, one row per
-- cgroup and sample (one pass over each busy cgroup's cgroup_value rows)
raw AS (
  SELECT cgroup_id, sample,
    max(CASE WHEN key = 'memory.stat:total_workingset_refault_file' THEN value END) AS rf_v1,
    max(CASE WHEN key = 'memory.stat:total_workingset_refault' THEN value END) AS rf_v1_old,
    max(CASE WHEN key = 'memory.stat:workingset_refault_file' THEN value END) AS rf_own,
    max(CASE WHEN key = 'memory.stat:workingset_refault' THEN value END) AS rf_own_old,
    max(CASE WHEN key = 'memory.stat:workingset_activate_file' THEN value END) AS act,
    max(CASE WHEN key = 'memory.stat:workingset_activate' THEN value END) AS act_old,
    max(CASE WHEN key = 'memory.stat:workingset_restore_file' THEN value END) AS rst,
    max(CASE WHEN key = 'memory.stat:workingset_restore' THEN value END) AS rst_old,
    sum(CASE WHEN key IN ('memory.stat:total_active_file', 'memory.stat:total_inactive_file')
             THEN value END) AS lru_v1,
    sum(CASE WHEN key IN ('memory.stat:active_file', 'memory.stat:inactive_file')
             THEN value END) AS lru_own,
    max(CASE WHEN key IN ('memory.stat:total_cache', 'memory.stat:file') THEN value END) AS cache,
    max(CASE WHEN key = 'memory.stat:cache' THEN value END) AS cache_own,
    max(CASE WHEN key = 'memory.stat:pgsteal' THEN value END) AS steal,
    max(CASE WHEN key = 'memory.failcnt' THEN value END) AS failcnt,
    max(CASE WHEN key = 'memory.events:high' THEN value END) AS ev_high,
    max(CASE WHEN key = 'memory.events:max' THEN value END) AS ev_max,
    max(CASE WHEN key IN ('memory.stat:total_pgmajfault', 'memory.stat:pgmajfault')
             THEN value END) AS majflt,
    max(CASE WHEN key IN ('memory.usage_in_bytes', 'memory.current') THEN value END) AS usage,
    max(CASE WHEN key = 'memory.stat:hierarchical_memory_limit' AND value < 4611686018427387904
             THEN value END) AS limit_v1,
    max(CASE WHEN key = 'memory.max' THEN value END) AS limit_v2,
    max(CASE WHEN key = 'memory.high' THEN value END) AS high_v2
  FROM cgroup_value
  WHERE key IN ('memory.stat:total_workingset_refault_file', 'memory.stat:total_workingset_refault',
                'memory.stat:workingset_refault_file', 'memory.stat:workingset_refault',
                'memory.stat:workingset_activate_file', 'memory.stat:workingset_activate',
                'memory.stat:workingset_restore_file', 'memory.stat:workingset_restore',
                'memory.stat:total_active_file', 'memory.stat:total_inactive_file',
                'memory.stat:active_file', 'memory.stat:inactive_file',
                'memory.stat:total_cache', 'memory.stat:file', 'memory.stat:cache',
                'memory.stat:pgsteal', 'memory.failcnt', 'memory.events:high', 'memory.events:max',
                'memory.stat:total_pgmajfault', 'memory.stat:pgmajfault',
                'memory.usage_in_bytes', 'memory.current',
                'memory.stat:hierarchical_memory_limit', 'memory.max', 'memory.high')
    AND cgroup_id IN (SELECT cgroup_id FROM busy)
  GROUP BY cgroup_id, sample
),
-- v1 hierarchical counters first (total_*), else the cgroup's own (v2
-- memory.stat is hierarchical); one counter per row, so a delta never
-- mixes two of them
pick AS (
  SELECT r.*, c.rel, c.version,
    coalesce(rf_v1, rf_v1_old, rf_own, rf_own_old) AS rf,
    CASE WHEN rf_v1 IS NOT NULL THEN 1 WHEN rf_v1_old IS NOT NULL THEN 2
         WHEN rf_own IS NOT NULL THEN 3 WHEN rf_own_old IS NOT NULL THEN 4 END AS rf_src,
    coalesce(act, act_old) AS activ, coalesce(rst, rst_old) AS restore,
    coalesce(CASE WHEN c.version = 1 THEN lru_v1 END, lru_own,
             cache, cache_own) AS lru,
    CASE WHEN c.version = 1 THEN limit_v1 ELSE limit_v2 END AS lim
  FROM raw r JOIN cgroup c ON c.id = r.cgroup_id
),
lagged AS (
  SELECT p.*, s.n, s.t, s.mono,
    lag(s.n) OVER w AS n_prev, lag(s.t) OVER w AS t_prev, lag(s.mono) OVER w AS mono_prev,
    lag(rf) OVER w AS rf_prev, lag(rf_src) OVER w AS rf_src_prev,
    lag(activ) OVER w AS activ_prev, lag(restore) OVER w AS restore_prev,
    lag(steal) OVER w AS steal_prev, lag(failcnt) OVER w AS failcnt_prev,
    lag(ev_high) OVER w AS ev_high_prev, lag(ev_max) OVER w AS ev_max_prev,
    lag(majflt) OVER w AS majflt_prev, lag(p.sample) OVER w AS sample_prev
  FROM pick p JOIN seq s ON s.sample = p.sample
  WINDOW w AS (PARTITION BY p.cgroup_id ORDER BY p.sample)
),
iv AS (
  SELECT l.cgroup_id, l.rel, l.version, l.sample, l.sample_prev, l.n, l.t, l.t_prev,
    l.mono - l.mono_prev AS dt, l.lru, l.lim, l.usage, l.high_v2,
    CASE WHEN l.rf >= l.rf_prev AND l.rf_src = l.rf_src_prev THEN l.rf - l.rf_prev END AS d_rf,
    CASE WHEN l.activ >= l.activ_prev THEN l.activ - l.activ_prev END AS d_act,
    CASE WHEN l.restore >= l.restore_prev THEN l.restore - l.restore_prev END AS d_rst,
    CASE WHEN l.steal >= l.steal_prev THEN l.steal - l.steal_prev END AS d_steal,
    CASE WHEN l.failcnt >= l.failcnt_prev THEN l.failcnt - l.failcnt_prev END AS d_fail,
    CASE WHEN l.ev_high >= l.ev_high_prev THEN l.ev_high - l.ev_high_prev END AS d_high,
    CASE WHEN l.ev_max >= l.ev_max_prev THEN l.ev_max - l.ev_max_prev END AS d_max,
    CASE WHEN l.majflt >= l.majflt_prev THEN l.majflt - l.majflt_prev END AS d_majflt
  FROM lagged l
  WHERE l.n_prev = l.n - 1 AND l.mono > l.mono_prev
),
-- intervals with enough refaults for the rate and the turnover
cand0 AS (
  SELECT iv.*, iv.d_rf * pg.page / iv.dt AS rate,
         60.0 * iv.d_rf * pg.page / iv.dt / iv.lru AS turnover
  FROM iv CROSS JOIN pg
  WHERE iv.rel <> '/' AND iv.lru > 0
    AND iv.d_rf * pg.page / iv.dt >= :min_rate * 1048576.0
    AND 60.0 * iv.d_rf * pg.page / iv.dt / iv.lru >= :min_turnover / 100.0
),
-- global reclaim in those intervals: /proc/vmstat pgsteal_kswapd, _direct
-- and _khugepaged count only reclaim for the host's shortage, not for a
-- cgroup's limit (before 4.8 they were per zone: pgsteal_kswapd_normal ...)
cand AS (
  SELECT c.*,
    (SELECT sum(v.value) FROM vmstat v
     WHERE v.sample = c.sample AND v.key >= 'pgsteal_' AND v.key < 'pgsteal`'
       AND (v.key LIKE 'pgsteal\_kswapd%' ESCAPE '\' OR v.key LIKE 'pgsteal\_direct%' ESCAPE '\'
            OR v.key = 'pgsteal_khugepaged'))
    - (SELECT sum(v.value) FROM vmstat v
       WHERE v.sample = c.sample_prev AND v.key >= 'pgsteal_' AND v.key < 'pgsteal`'
         AND (v.key LIKE 'pgsteal\_kswapd%' ESCAPE '\' OR v.key LIKE 'pgsteal\_direct%' ESCAPE '\'
              OR v.key = 'pgsteal_khugepaged')) AS d_gsteal
  FROM cand0 c
),
-- ... and evictions at the same time: a limit hit in the cgroup or an
-- ancestor (v1 failcnt), its own pgsteal (v2), or global reclaim
fails AS (
  SELECT sample, version, cgroup_id, rel, d_fail FROM iv WHERE d_fail > 0
),
evict AS (
  SELECT c.cgroup_id, c.sample, sum(a.d_fail) AS fail_hits
  FROM cand c
  JOIN fails a ON a.sample = c.sample AND a.version = c.version
   AND (a.cgroup_id = c.cgroup_id OR a.rel = '/'
        OR substr(c.rel, 1, length(a.rel) + 1) = a.rel || '/')
  GROUP BY c.cgroup_id, c.sample
),
flag AS (
  SELECT c.*, e.fail_hits FROM cand c
  LEFT JOIN evict e ON e.cgroup_id = c.cgroup_id AND e.sample = c.sample
  WHERE e.fail_hits > 0
     OR c.d_steal >= :min_evict * c.d_rf
     OR c.d_gsteal >= :min_evict * c.d_rf
),
-- a cgroup whose refaults are at least half in a flagged descendant is
-- left to the descendant
own AS (
  SELECT f.* FROM flag f
  WHERE NOT EXISTS (
    SELECT 1 FROM flag d
    WHERE d.sample = f.sample AND d.version = f.version AND d.cgroup_id <> f.cgroup_id
      AND substr(d.rel, 1, length(f.rel) + 1) = f.rel || '/'
      AND d.d_rf >= 0.5 * f.d_rf)
),
runs AS (
  SELECT o.*, o.n - row_number() OVER (PARTITION BY o.cgroup_id ORDER BY o.n) AS run FROM own o
),
-- episodes: each cgroup's runs of at least min_intervals consecutive
-- counting intervals spanning at least min_seconds, those less than
-- merge_gap apart taken together (a short lull does not end the problem):
-- episode(), docs/stats.md
episodes AS (
  SELECT r.*, g.grp FROM runs r JOIN (
    SELECT cgroup_id, run, episode(count(*), min(t_prev), max(t), :min_intervals, :min_seconds,
                                   :merge_gap) OVER (PARTITION BY cgroup_id ORDER BY run) AS grp
    FROM runs GROUP BY cgroup_id, run) g USING (cgroup_id, run)
  WHERE g.grp IS NOT NULL
),
found AS (
  SELECT cgroup_id, max(rel) AS rel, max(version) AS version, grp,
    count(*) AS intervals, min(sample_prev) AS s_start, max(sample) AS s_end,
    min(t_prev) AS t_start, max(t) AS t_end, sum(dt) AS secs,
    sum(d_rf) AS refaults, median(rate) AS rate_med, max(rate) AS rate_max,
    median(turnover) AS turnover_med, median(lru) AS lru_med,
    sum(d_act) AS acts, sum(d_rst) AS restores,
    sum(d_steal) AS steals, sum(d_fail) AS fails, sum(d_gsteal) AS gsteals,
    sum(d_high) AS high_events, sum(d_max) AS max_events,
    sum(d_majflt) AS majflts,
    max(lim) AS lim, max(high_v2) AS high, median(usage) AS usage_med,
    sum(CASE WHEN fail_hits > 0 THEN 1 ELSE 0 END) AS n_fail,
    sum(CASE WHEN d_gsteal >= :min_evict * d_rf THEN 1 ELSE 0 END) AS n_global
  FROM episodes
  GROUP BY cgroup_id, grp
),
-- memory PSI over the window: the cgroup's own (v2), else the system's
psi_win AS (
  SELECT f.cgroup_id, f.grp, p.scope, p.kind, p.stall_share AS share
  FROM found f JOIN psi_between p ON p.s_from = f.s_start AND p.s_to = f.s_end
  WHERE (p.scope = f.rel OR p.scope = 'system') AND p.stall_share IS NOT NULL
),
psi_pick AS (
  SELECT f.cgroup_id, f.grp,
    CASE WHEN EXISTS (SELECT 1 FROM psi_win w WHERE w.cgroup_id = f.cgroup_id AND w.grp = f.grp
                      AND w.scope = f.rel) THEN f.rel
         WHEN EXISTS (SELECT 1 FROM psi_win w WHERE w.cgroup_id = f.cgroup_id AND w.grp = f.grp
                      AND w.scope = 'system') THEN 'system' END AS scope
  FROM found f
),
psi_v AS (
  SELECT p.cgroup_id, p.grp, p.scope,
    (SELECT share FROM psi_win w WHERE w.cgroup_id = p.cgroup_id AND w.grp = p.grp
       AND w.scope = p.scope AND w.kind = 'some') AS some,
    (SELECT share FROM psi_win w WHERE w.cgroup_id = p.cgroup_id AND w.grp = p.grp
       AND w.scope = p.scope AND w.kind = 'full') AS full
  FROM psi_pick p
),
-- the processes of the cgroup and its descendants during the window
members AS (
  SELECT DISTINCT f.cgroup_id, f.grp, pc.process_id, f.s_start, f.s_end
  FROM found f
  JOIN proc_cgroup pc
    ON (pc.path = f.rel OR substr(pc.path, 1, length(f.rel) + 1) = f.rel || '/')
   AND pc.first_sample <= f.s_end AND pc.last_sample >= f.s_start
   AND CASE WHEN f.version = 2 THEN pc.hierarchy = 0
            ELSE pc.hierarchy <> 0 AND (',' || pc.controllers || ',') LIKE '%,memory,%' END
),
clk AS (
  SELECT (SELECT clk_tck FROM host_last) AS hz
),
per_proc AS (
  SELECT m.cgroup_id, m.grp, m.process_id,
    max(ps.majflt) - min(ps.majflt) AS d_majflt,
    max(ps.utime + ps.stime) - min(ps.utime + ps.stime) AS d_cpu,
    max(s.mono) - min(s.mono) AS span,
    avg(CASE WHEN ps.state = 'D' THEN 1.0 ELSE 0.0 END) AS d_share,
    count(*) AS n
  FROM members m
  JOIN proc_sample ps ON ps.process_id = m.process_id AND ps.sample BETWEEN m.s_start AND m.s_end
  JOIN sample s ON s.id = ps.sample
  GROUP BY m.cgroup_id, m.grp, m.process_id
  HAVING count(*) >= 2 AND max(s.mono) > min(s.mono)
),
ranked AS (
  SELECT pp.*, p.pid, p.comm, pp.d_majflt / pp.span AS majflt_s,
    100.0 * pp.d_cpu / clk.hz / pp.span AS cpu_pct,
    row_number() OVER (PARTITION BY pp.cgroup_id, pp.grp
                       ORDER BY pp.d_majflt / pp.span DESC, pp.d_cpu / pp.span DESC, p.pid) AS rk
  FROM per_proc pp JOIN process p ON p.id = pp.process_id CROSS JOIN clk
),
procs AS (
  SELECT cgroup_id, grp, count(*) AS n_procs,
    group_concat(CASE WHEN rk <= 3 THEN
      pid || ' (' || comm || ') '
      || fmt_rate(majflt_s, 1)
      || ' major faults/s, ' || printf('%.0f', cpu_pct) || ' % CPU'
      || CASE WHEN d_share > 0 THEN printf(', in D state in %.0f %% of samples', 100 * d_share) ELSE '' END
      END, '; ') AS top_txt,
    json_group_array(json_object('pid', pid, 'comm', comm,
      'majflt_per_s', round(majflt_s, 2), 'cpu_pct', round(cpu_pct, 1),
      'd_state_share', round(d_share, 3))) AS procs_json,
    max(majflt_s) AS top_majflt_s
  FROM (SELECT * FROM ranked ORDER BY cgroup_id, grp, rk)
  GROUP BY cgroup_id, grp
),
fin AS (
  SELECT f.*, pv.scope AS psi_scope, pv.some, pv.full,
    pr.n_procs, pr.top_txt, pr.procs_json, pr.top_majflt_s,
    f.refaults * pg.page / f.secs AS rate_avg,
    CASE WHEN f.version = 2 OR f.acts IS NOT NULL THEN 1.0 * f.acts / f.refaults END AS act_ratio,
    CASE WHEN f.restores IS NOT NULL THEN 1.0 * f.restores / f.refaults END AS restore_ratio
  FROM found f CROSS JOIN pg
  LEFT JOIN psi_v pv ON pv.cgroup_id = f.cgroup_id AND pv.grp = f.grp
  LEFT JOIN procs pr ON pr.cgroup_id = f.cgroup_id AND pr.grp = f.grp
),
txt AS (
  SELECT fin.*,
    fmt_rate(rate_avg / 1048576.0, 1) AS rate_txt, fmt_bytes(lru_med, NULL, 0) AS lru_txt,
    fmt_bytes(lim, NULL, 0) AS lim_txt,
    fmt_duration(t_end - t_start, 'min-h') AS d_txt,
    CASE WHEN turnover_med >= 10 THEN printf('%.0f times its', turnover_med)
         WHEN turnover_med >= 0.1 THEN printf('%.0f %% of its', 100 * turnover_med)
         ELSE printf('%.1f %% of its', 100 * turnover_med) END AS turn_txt
  FROM fin
)
SELECT 'cgroup' AS entity_kind, rel AS entity, cgroup_id, t_start, t_end,
  round(rate_avg / 1048576.0, 2) AS value,
  CASE WHEN some >= :psi_some / 100.0 OR full >= :psi_full / 100.0 THEN 'critical' ELSE 'warning' END
    AS severity,
  'Page-cache thrash in memory cgroup ' || rel || ' for ' || d_txt || ': it re-read '
  || rate_txt || ' MiB/s of evicted file pages (refaults), ' || turn_txt
  || ' ' || lru_txt || ' file cache per minute'
  || CASE WHEN lim_txt IS NOT NULL
          THEN printf(', at %.0f %% of its %s limit', 100.0 * usage_med / lim, lim_txt)
          ELSE ', no memory limit' END
  || CASE WHEN n_fail > 0 OR max_events > 0 THEN ', evicted by its limit'
               || CASE WHEN max_events > 0 THEN printf(' (memory.max hit %d times)', max_events) ELSE '' END
          WHEN n_global > 0 THEN ', evicted by global reclaim (the host is short of memory: see thrash/system)'
          WHEN steals IS NOT NULL THEN printf(', %.0f %% as many pages evicted', 100.0 * steals / refaults)
          ELSE '' END
  || CASE WHEN high_events > 0 THEN printf(' (throttled at memory.high %d times: check whether the squeeze is meant)', high_events) ELSE '' END
  || CASE WHEN act_ratio IS NULL THEN ''
          WHEN act_ratio >= 0.5 THEN printf('; %.0f %% of the refaults were activated: the re-used data would fit the cache', 100 * act_ratio)
          ELSE printf('; %.0f %% of the refaults were activated: the data is re-used over a distance larger than the cache', 100 * act_ratio) END
  || CASE WHEN psi_scope IS NULL THEN '; memory PSI not recorded'
          WHEN psi_scope = 'system'
          THEN printf('; system-wide memory PSI some %.1f %%, full %.1f %% (no per-cgroup PSI%s)',
                      100 * some, 100 * full, CASE WHEN version = 1 THEN ' on cgroup v1' ELSE '' END)
          ELSE printf('; its memory PSI some %.1f %%, full %.1f %%', 100 * some, 100 * full) END
  || CASE WHEN (SELECT max(t) FROM sample) - t_end <= :merge_gap
          THEN '; still going at the end of the recording'
          ELSE '; it ended ' || fmt_duration((SELECT max(t) FROM sample) - t_end)
               || ' before the end of the recording' END
  || CASE WHEN n_procs IS NULL THEN '. No process was seen in it.'
          ELSE '. Processes in it (' || n_procs || '): ' || top_txt
               || CASE WHEN top_majflt_s < 1 THEN ' (refaults through read(2) are not major faults)' ELSE '' END
               || '.' END AS message,
  CASE WHEN (SELECT max(t) FROM sample) - t_end <= :merge_gap THEN 1 ELSE 0 END AS ongoing,
  round(rate_avg / 1048576.0, 2) AS refault_mib_s,
  round(rate_med / 1048576.0, 2) AS refault_mib_s_median,
  round(rate_max / 1048576.0, 2) AS refault_mib_s_max,
  round(100 * turnover_med, 1) AS turnover_pct_min,
  round(lru_med / 1048576.0, 1) AS file_cache_mib,
  round(lim / 1048576.0, 1) AS limit_mib,
  round(usage_med / 1048576.0, 1) AS usage_mib,
  round(high / 1048576.0, 1) AS high_mib,
  version AS cgroup_version, intervals, refaults AS refault_pages,
  round(act_ratio, 3) AS activate_ratio, round(restore_ratio, 3) AS restore_ratio,
  fails AS limit_hits, max_events AS memory_max_events, high_events AS memory_high_events,
  steals AS pgsteal_pages, gsteals AS global_steal_pages,
  round(1.0 * majflts / secs, 2) AS cgroup_majflt_per_s,
  psi_scope, round(100 * some, 2) AS psi_some_pct, round(100 * full, 2) AS psi_full_pct,
  procs_json AS processes
FROM txt
ORDER BY rate_avg DESC
