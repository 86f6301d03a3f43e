-- id: swap/storm
-- severity: warning
-- title: Pages are swapped out and straight back in (swap storm)
-- explain: From /proc/vmstat pswpin and pswpout (pages read from and
--   written to swap devices), per interval between two samples. An
--   interval counts when both rates are at least min_pages (256 pages/s,
--   1 MiB/s each way with 4 KiB pages) and the smaller is at least
--   min_balance of the larger: memory is written to swap and read back at
--   the same time, so the pages evicted are the ones needed next (the
--   working set does not fit). One-way swap-out (memory demand, pages
--   parked in swap) or a one-off swap-in after a burst are not a storm. A
--   finding is an episode: runs of at least
--   min_intervals consecutive counting intervals spanning at least
--   min_seconds, those less than merge_gap apart taken together; its
--   window is from the first counting interval to the last, and the
--   message says whether it was still going at the end of the recording
--   or when it ended. For scale: PCP's
--   memory.exhausted fires at 5 swap-outs/s and atop marks 10/s as
--   critical, so 256 pages/s both ways is well past "some swapping".
--
--   Critical when the window's mean memory PSI full reaches psi_full (all
--   non-idle tasks stalled on memory at once, the kernel's definition of
--   thrashing); PSI absent from the bundle is said so. zswap traffic
--   (zswpin/zswpout) is shown but not counted: it is compression in
--   memory, not device I/O. The message names the processes with the
--   most major faults (a swap-in from the device is a major fault) among
--   those with swapped memory, their swap and their memory cgroup.
-- action: The memory the workload touches does not fit in the RAM it is
--   allowed: the processes named are the ones waiting for their pages.
--   Give them (their cgroup: memory.max / memory.limit_in_bytes) more
--   memory, run fewer of them, or reduce their working set; if an
--   unrelated process grew (leak/process), fix that. Adding swap does not
--   help a storm, it only postpones the OOM killer.
-- param: min_pages = 256 pages/s [0, inf) | the smallest swap-in and swap-out rate of an interval
-- param: min_balance = 0.2 [0, 1] | the smallest ratio of the smaller rate to the larger
-- param: min_intervals = 3 [1, inf) | the fewest consecutive counting intervals
-- param: min_seconds = 60 s [0, inf) | the shortest run of counting intervals
-- param: merge_gap = 300 s [0, inf) | runs less than this apart are one episode
-- param: psi_full = 5 % [0, 100] | critical when the window's mean memory PSI full is at least this
-- needs: :min_seconds
-- needs: :min_intervals intervals
-- unit: MiB/s | value, swapin_mib_s, swapout_mib_s
-- unit: pages/s | pswpin_per_s, pswpout_per_s, pswpin_per_s_median, pswpout_per_s_median,
--   pswpin_per_s_max, pswpout_per_s_max
-- unit: 1 | intervals, ongoing
-- unit: pages | pages_in, pages_out, zswpin, zswpout, refault_anon, restore_anon
-- unit: /s | majflt_per_s
-- unit: % | psi_some_pct, psi_full_pct
-- unit: MiB | swap_mib, swap_used_mib
-- unit: text | top_processes
-- chart: swap-io
WITH
pg AS (
  SELECT (SELECT page_size FROM host_last) AS page
),
seq AS (
  SELECT id AS sample, t, mono, row_number() OVER (ORDER BY id) AS n FROM sample
),
vm AS (
  SELECT sample,
    max(CASE WHEN key = 'pswpin' THEN value END) AS sin,
    max(CASE WHEN key = 'pswpout' THEN value END) AS sout,
    max(CASE WHEN key = 'zswpin' THEN value END) AS zin,
    max(CASE WHEN key = 'zswpout' THEN value END) AS zout,
    max(CASE WHEN key = 'workingset_refault_anon' THEN value END) AS rfa,
    max(CASE WHEN key = 'workingset_restore_anon' THEN value END) AS rsa,
    max(CASE WHEN key = 'pgmajfault' THEN value END) AS majflt
  FROM vmstat
  WHERE key IN ('pswpin', 'pswpout', 'zswpin', 'zswpout', 'workingset_refault_anon',
                'workingset_restore_anon', 'pgmajfault')
  GROUP BY sample
),
lagged AS (
  SELECT v.*, s.n, s.t, s.mono,
    lag(s.n) OVER w AS n_prev, lag(s.t) OVER w AS t_prev, lag(s.mono) OVER w AS mono_prev,
    lag(v.sample) OVER w AS sample_prev,
    lag(v.sin) OVER w AS sin_prev, lag(v.sout) OVER w AS sout_prev,
    lag(v.zin) OVER w AS zin_prev, lag(v.zout) OVER w AS zout_prev,
    lag(v.rfa) OVER w AS rfa_prev, lag(v.rsa) OVER w AS rsa_prev,
    lag(v.majflt) OVER w AS majflt_prev
  FROM vm v JOIN seq s ON s.sample = v.sample
  WINDOW w AS (ORDER BY v.sample)
),
iv AS (
  SELECT sample, sample_prev, n, t, t_prev, mono - mono_prev AS dt,
    CASE WHEN sin >= sin_prev THEN (sin - sin_prev) / (mono - mono_prev) END AS in_s,
    CASE WHEN sout >= sout_prev THEN (sout - sout_prev) / (mono - mono_prev) END AS out_s,
    CASE WHEN zin >= zin_prev THEN zin - zin_prev END AS d_zin,
    CASE WHEN zout >= zout_prev THEN zout - zout_prev END AS d_zout,
    CASE WHEN rfa >= rfa_prev THEN rfa - rfa_prev END AS d_rfa,
    CASE WHEN rsa >= rsa_prev THEN rsa - rsa_prev END AS d_rsa,
    CASE WHEN majflt >= majflt_prev THEN majflt - majflt_prev END AS d_majflt
  FROM lagged
  WHERE n_prev = n - 1 AND mono > mono_prev
),
flag AS (
  SELECT * FROM iv
  WHERE in_s >= :min_pages AND out_s >= :min_pages
    AND min(in_s, out_s) >= :min_balance * max(in_s, out_s)
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
    sum(in_s * dt) AS pages_in, sum(out_s * dt) AS pages_out,
    median(in_s) AS in_med, median(out_s) AS out_med, max(in_s) AS in_max, max(out_s) AS out_max,
    sum(d_zin) AS zins, sum(d_zout) AS zouts, sum(d_rfa) AS rfas, sum(d_rsa) AS rsas,
    sum(d_majflt) AS majflts
  FROM episodes
  GROUP BY grp
),
psi_win AS (   -- memory PSI over the window (psi_between)
  SELECT f.grp, p.kind, p.stall_share AS share
  FROM found f JOIN psi_between p ON p.s_from = f.s_start AND p.s_to = f.s_end
  WHERE p.scope = 'system' AND p.stall_share IS NOT NULL
),
-- swap devices at the last sample of the window that lists any
dev AS (
  SELECT f.grp, sum(w.size) AS size, sum(w.used) AS used, count(*) AS n_dev
  FROM found f
  JOIN swaps w ON w.sample = (SELECT max(sample) FROM swaps WHERE sample <= f.s_end)
  GROUP BY f.grp
),
-- processes with memory in swap at the start or the end of the window,
-- by major-fault rate: each process's first and last sample inside it
-- (two primary-key seeks per process)
span AS (
  SELECT f.grp, p.id AS process_id,
    (SELECT ps.sample FROM proc_sample ps WHERE ps.process_id = p.id AND ps.sample >= f.s_start
     ORDER BY ps.sample LIMIT 1) AS sa,
    (SELECT ps.sample FROM proc_sample ps WHERE ps.process_id = p.id AND ps.sample <= f.s_end
     ORDER BY ps.sample DESC LIMIT 1) AS sb
  FROM found f JOIN process p ON p.first_sample <= f.s_end AND p.last_sample >= f.s_start
),
per_proc AS (
  SELECT sp.grp, sp.process_id, b.majflt - a.majflt AS d_majflt, tb.mono - ta.mono AS span,
    max(coalesce(a.vm_swap, 0), coalesce(b.vm_swap, 0)) AS swap_max
  FROM span sp
  JOIN proc_sample a ON a.process_id = sp.process_id AND a.sample = sp.sa
  JOIN proc_sample b ON b.process_id = sp.process_id AND b.sample = sp.sb
  JOIN sample ta ON ta.id = sp.sa
  JOIN sample tb ON tb.id = sp.sb
  WHERE tb.mono > ta.mono AND b.majflt >= a.majflt AND max(coalesce(a.vm_swap, 0), coalesce(b.vm_swap, 0)) > 0
),
ranked AS (
  SELECT pp.*, p.pid, p.comm, pp.d_majflt / pp.span AS majflt_s,
    (SELECT pc.path FROM proc_cgroup pc
     WHERE pc.process_id = pp.process_id
       AND (pc.hierarchy = 0 OR (',' || pc.controllers || ',') LIKE '%,memory,%')
     ORDER BY pc.hierarchy DESC, pc.last_sample DESC LIMIT 1) AS cg,
    row_number() OVER (PARTITION BY pp.grp ORDER BY pp.d_majflt / pp.span DESC, pp.swap_max DESC, p.pid) AS rk
  FROM per_proc pp JOIN process p ON p.id = pp.process_id
),
procs AS (
  SELECT grp,
    group_concat(pid || ' (' || comm || ') '
      || fmt_rate(majflt_s, 1)
      || printf(' major faults/s, %.0f MiB in swap', swap_max / 1048576.0)
      || CASE WHEN cg IS NOT NULL AND cg <> '/' THEN ', cgroup ' || cg ELSE '' END, '; ') AS top_txt,
    json_group_array(json_object('pid', pid, 'comm', comm, 'majflt_per_s', round(majflt_s, 2),
      'swap_mib', round(swap_max / 1048576.0, 1), 'cgroup', cg)) AS procs_json
  FROM (SELECT * FROM ranked WHERE rk <= 3 ORDER BY grp, rk)
  GROUP BY grp
),
fin AS (
  SELECT f.*,
    (SELECT share FROM psi_win w WHERE w.grp = f.grp AND w.kind = 'some') AS some,
    (SELECT share FROM psi_win w WHERE w.grp = f.grp AND w.kind = 'full') AS full,
    (SELECT count(*) FROM psi WHERE scope = 'system') AS psi_rows,
    d.size AS dev_size, d.used AS dev_used, d.n_dev,
    pr.top_txt, pr.procs_json,
    f.pages_in / f.secs AS in_avg, f.pages_out / f.secs AS out_avg,
    (SELECT page FROM pg) AS page
  FROM found f
  LEFT JOIN dev d ON d.grp = f.grp
  LEFT JOIN procs pr ON pr.grp = f.grp
)
SELECT 'system' AS entity_kind, 'system' AS entity, t_start, t_end,
  round((in_avg + out_avg) * page / 1048576.0, 2) AS value,
  CASE WHEN full >= :psi_full / 100.0 THEN 'critical' ELSE 'warning' END AS severity,
  'Swap storm for '
  || fmt_duration(t_end - t_start, 'min-h')
  || printf(': %.0f pages/s swapped in and %.0f out (%.1f and %.1f MiB/s)',
            in_avg, out_avg, in_avg * page / 1048576.0, out_avg * page / 1048576.0)
  || CASE WHEN dev_size > 0 THEN printf(', swap %.0f %% used (%.0f of %.0f MiB)',
                                         100.0 * dev_used / dev_size, dev_used / 1048576.0,
                                         dev_size / 1048576.0) ELSE '' END
  || CASE WHEN full IS NULL AND psi_rows = 0 THEN '; memory PSI not recorded'
          WHEN full IS NULL THEN '; memory PSI not available for the window'
          ELSE printf('; memory PSI some %.1f %%, full %.1f %%', 100 * coalesce(some, 0), 100 * full) END
  || CASE WHEN top_txt IS NOT NULL THEN '; most major faults: ' || top_txt
          ELSE '; no process was seen with swapped memory' END
  || CASE WHEN (SELECT max(t) FROM sample) - t_end <= :merge_gap
          THEN '; still going at the end of the recording'
          ELSE '; it ended ' || fmt_duration((SELECT max(t) FROM sample) - t_end)
               || ' before the end of the recording' END
  || '.' AS message,
  CASE WHEN (SELECT max(t) FROM sample) - t_end <= :merge_gap THEN 1 ELSE 0 END AS ongoing,
  round(in_avg, 1) AS pswpin_per_s, round(out_avg, 1) AS pswpout_per_s,
  round(in_med, 1) AS pswpin_per_s_median, round(out_med, 1) AS pswpout_per_s_median,
  round(in_max, 1) AS pswpin_per_s_max, round(out_max, 1) AS pswpout_per_s_max,
  round(in_avg * page / 1048576.0, 2) AS swapin_mib_s, round(out_avg * page / 1048576.0, 2) AS swapout_mib_s,
  intervals, round(pages_in) AS pages_in, round(pages_out) AS pages_out,
  zins AS zswpin, zouts AS zswpout, rfas AS refault_anon, rsas AS restore_anon,
  round(1.0 * majflts / secs, 1) AS majflt_per_s,
  round(100 * some, 2) AS psi_some_pct, round(100 * full, 2) AS psi_full_pct,
  round(dev_size / 1048576.0, 1) AS swap_mib, round(dev_used / 1048576.0, 1) AS swap_used_mib,
  procs_json AS top_processes
FROM fin
ORDER BY t_start
