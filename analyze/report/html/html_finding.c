/*
 * html_finding.c - the chart that backs a finding, chosen by what the
 * finding is about: a process's memory with the fitted trend and its
 * extrapolation (leaks), a cgroup's usage against its limit and its
 * refault rate (thrash, OOM), a node's memory and remote allocations
 * (NUMA), and for the system the counters of the rule's folder.  Entities
 * are read as the rules write them: "PID (comm)", a cgroup path, "node N".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_scale.h"
#include "chart_series.h"
#include "html_report.h"
#include "svg_chart.h"

#define PROC(expr) "SELECT s.t, " expr " FROM proc_sample ps JOIN sample s ON s.id = ps.sample" \
		   " WHERE ps.process_id = ?1 ORDER BY ps.sample"
#define CG(keys) "SELECT s.t, v.value FROM cgroup_value v JOIN cgroup c ON c.id = v.cgroup_id" \
		 " JOIN sample s ON s.id = v.sample WHERE c.rel = ?2 AND v.key IN (" keys ")" \
		 " ORDER BY s.id"
#define CG_RATE(keys) "SELECT t, (v - lag(v) OVER w) / (t - lag(t) OVER w) FROM (SELECT s.id," \
		      " s.t, v.value AS v FROM cgroup_value v JOIN cgroup c ON c.id = v.cgroup_id" \
		      " JOIN sample s ON s.id = v.sample WHERE c.rel = ?2 AND v.key IN (" keys "))" \
		      " WINDOW w AS (ORDER BY id)"

/* the host's page size, from the bundle (4096 when it is not recorded) */
#define PAGE_SIZE "(SELECT page_size FROM host_last)"

static double num(sqlite3 *db, const char *sql, long long a1, const char *a2, double t0, double t1)
{
	sqlite3_stmt *st;
	double r = NAN;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return NAN;
	sqlite3_bind_int64(st, 1, a1);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_text(st, 2, a2 ? a2 : "", -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 4) {
		sqlite3_bind_double(st, 3, t0);
		sqlite3_bind_double(st, 4, t1);
	}
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		r = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return r;
}

/* The process with this PID alive during finding X's window (0 if none). */
static long long process_at(sqlite3 *db, long long pid, const struct finding *x)
{
	double id = num(db, "SELECT p.id FROM process p JOIN sample a ON a.id = p.first_sample"
			" JOIN sample b ON b.id = p.last_sample WHERE p.pid = ?1 AND ?2 = ?2"
			" AND a.t <= ?4 AND b.t >= ?3 ORDER BY p.id LIMIT 1", pid, "", x->t_start, x->t_end);
	return isfinite(id) ? (long long)id : 0;
}

/* An evidence value by name, as a number (NaN when absent). */
static double evidence(const struct finding *x, const char *name)
{
	for (size_t i = 0; i < x->nev; i++)
		if (!strcmp(x->ev[i].name, name))
			return x->ev[i].type == EV_INT ? (double)x->ev[i].i
			       : x->ev[i].type == EV_REAL ? x->ev[i].r : NAN;
	return NAN;
}

/* A process: its memory; for leaks the Theil-Sen fit over the finding's
 * window, extended towards exhaustion. */
static int process_chart(sqlite3 *db, struct ms_buf *o, const struct finding *x, const char *id,
			 const char *folder)
{
	char *end;
	long long pid = strtoll(x->entity, &end, 10);
	if (end == x->entity)
		return 0;
	long long pidx = process_at(db, pid, x);
	if (pidx <= 0)
		return 0;
	struct html_query q[] = {
		{ "anon + swap", PROC("ps.rss_anon + coalesce(ps.vm_swap, 0)"), SVG_LINE, 0 },
		{ "RSS", PROC("ps.vm_rss"), SVG_LINE, 0 },
		{ "swap", PROC("ps.vm_swap"), SVG_LINE, 0 },
	};
	char title[160];
	snprintf(title, sizeof(title), "Process %s: memory", x->entity);
	double t_last = num(db, "SELECT max(t) FROM sample WHERE ?1 = ?1", 0, NULL, 0, 0);
	double t_first = num(db, "SELECT min(t) FROM sample WHERE ?1 = ?1", 0, NULL, 0, 0);
	if (strcmp(folder, "leak") != 0)
		return html_chart(db, o, id, title, UNIT_BYTES, q, 3, pidx, NULL, 0, 0, NULL, NULL, 0);
	/* the fit: slope and a point on the line, over the finding's window */
	static const char fit_base[] = " FROM proc_sample ps JOIN sample s ON s.id = ps.sample"
				       " WHERE ps.process_id = ?1 AND ?2 = ?2 AND s.t BETWEEN ?3 AND ?4";
	char sql[512];
	snprintf(sql, sizeof(sql), "SELECT ts_slope(s.t, ps.rss_anon + coalesce(ps.vm_swap, 0))%s", fit_base);
	double slope = num(db, sql, pidx, "", x->t_start, x->t_end);
	snprintf(sql, sizeof(sql), "SELECT median(ps.rss_anon + coalesce(ps.vm_swap, 0))%s", fit_base);
	double ymid = num(db, sql, pidx, "", x->t_start, x->t_end);
	snprintf(sql, sizeof(sql), "SELECT median(s.t)%s", fit_base);
	double tmid = num(db, sql, pidx, "", x->t_start, x->t_end);
	if (!isfinite(slope) || !isfinite(ymid) || !isfinite(tmid))
		return html_chart(db, o, id, title, UNIT_BYTES, q, 3, pidx, NULL, 0, 0, NULL, NULL, 0);
	double window = x->t_end - x->t_start;
	double tte = evidence(x, "tte_s");
	if (!isfinite(tte))
		tte = evidence(x, "tte_h") * 3600;
	double ext = isfinite(tte) && tte > 0 ? fmin(tte, 2 * window) : 0.5 * window;
	double ft[2] = { x->t_start, x->t_end + ext };
	double fy[2] = { ymid + slope * (ft[0] - tmid), ymid + slope * (ft[1] - tmid) };
	/* html_chart draws queried series; the fit is two known points, drawn
	 * through a VALUES query */
	char fitsql[256];
	snprintf(fitsql, sizeof(fitsql), "SELECT column1, column2 FROM (VALUES (%.3f, %.1f), (%.3f, %.1f))"
		 " WHERE ?1 = ?1", ft[0], fy[0], ft[1], fy[1]);
	struct html_query q2[] = { q[0], q[1], q[2], { "trend and extrapolation", fitsql, SVG_DASHED, 0 } };
	return html_chart(db, o, id, title, UNIT_BYTES, q2, 4, pidx, NULL, t_first,
			  fmax(t_last, ft[1]), NULL, NULL, 0);
}

/* A mapping, "PID (comm) START-END ...": its resident and swapped size
 * over the samples that read smaps, followed by its start address, or by
 * its end when the rule followed it that way (a region growing downwards). */
static int mapping_chart(sqlite3 *db, struct ms_buf *o, const struct finding *x, const char *id)
{
	char *end;
	long long pid = strtoll(x->entity, &end, 10);
	const char *paren = strrchr(x->entity, ')');
	if (end == x->entity || !paren)
		return 0;
	unsigned long long start = strtoull(paren + 1, &end, 16);
	if (end == paren + 1 || *end != '-')
		return 0;
	unsigned long long stop = strtoull(end + 1, NULL, 16);
	int by_end = 0;
	for (size_t i = 0; i < x->nev; i++)
		if (!strcmp(x->ev[i].name, "followed_by") && x->ev[i].type == EV_TEXT)
			by_end = !strcmp(x->ev[i].text, "end");
	long long pidx = process_at(db, pid, x);
	if (pidx <= 0)
		return 0;
	char sql[2][256], title[200];
	for (int k = 0; k < 2; k++)
		snprintf(sql[k], sizeof(sql[k]), "SELECT s.t, m.%s FROM mapping m JOIN sample s ON s.id = m.sample"
			 " WHERE m.process_id = ?1 AND m.%s = %llu ORDER BY s.id", k ? "swap" : "rss",
			 by_end ? "end" : "start", by_end ? stop : start);
	struct html_query q[] = {
		{ "resident", sql[0], SVG_LINE, 0 },
		{ "swapped", sql[1], SVG_LINE, 0 },
	};
	snprintf(title, sizeof(title), "Mapping %s: size in memory and in swap", x->entity);
	return html_chart(db, o, id, title, UNIT_BYTES, q, 2, pidx, NULL, 0, 0, NULL, NULL, 0);
}

static int cgroup_chart(sqlite3 *db, struct ms_buf *o, const struct finding *x, const char *id)
{
	static const struct html_query use[] = {
		{ "usage", CG("'memory.usage_in_bytes', 'memory.current'"), SVG_LINE, 0 },
		{ "page cache", CG("'memory.stat:total_cache', 'memory.stat:file'"), SVG_LINE, 0 },
		{ "swap", CG("'memory.swap.current'"), SVG_LINE, 0 },
	};
	static const struct html_query refaults[] = {
		{ "refaults (file pages)", CG_RATE("'memory.stat:workingset_refault_file',"
						   " 'memory.stat:workingset_refault'"), SVG_LINE, 0 },
		{ "major faults", CG_RATE("'memory.stat:pgmajfault'"), SVG_LINE, 0 },
	};
	double limit = num(db, "SELECT v.value FROM cgroup_value v JOIN cgroup c ON c.id = v.cgroup_id"
			   " WHERE ?1 = ?1 AND c.rel = ?2 AND v.key IN ('memory.limit_in_bytes', 'memory.max')"
			   " AND v.unlimited = 0 AND v.value < 4611686018427387904 ORDER BY v.sample DESC LIMIT 1",
			   0, x->entity, 0, 0);
	const char *ln[] = { "limit" };
	char title[200], rid[48];
	snprintf(title, sizeof(title), "Cgroup %s: memory", x->entity);
	if (html_chart(db, o, id, title, UNIT_BYTES, use, 3, 0, x->entity, 0, 0, &limit, ln,
		       isfinite(limit)) < 0)
		return -1;
	snprintf(title, sizeof(title), "Cgroup %s: refaults and major faults (per second)", x->entity);
	snprintf(rid, sizeof(rid), "%s-faults", id);
	return html_chart(db, o, rid, title, UNIT_PER_S, refaults, 2, 0, x->entity, 0, 0, NULL, NULL, 0);
}

static int node_chart(sqlite3 *db, struct ms_buf *o, const struct finding *x, const char *id)
{
	static const struct html_query q[] = {
		{ "used", "SELECT s.t, t.value - f.value FROM node_meminfo t JOIN node_meminfo f ON"
		  " f.sample = t.sample AND f.node = t.node AND f.key = 'MemFree' JOIN sample s ON"
		  " s.id = t.sample WHERE t.node = ?1 AND t.key = 'MemTotal' ORDER BY s.id", SVG_LINE, 0 },
		{ "remote allocations (other_node, pages/s)", "SELECT t, per_s FROM numastat_rate WHERE"
		  " node = ?1 AND key = 'other_node' ORDER BY sample", SVG_LINE, 0 },
	};
	const char *p = strstr(x->entity, "node ");
	if (!p)
		return 0;
	long long node = strtoll(p + 5, NULL, 10);
	double total = num(db, "SELECT value FROM node_meminfo WHERE node = ?1 AND key = 'MemTotal'"
			   " ORDER BY sample DESC LIMIT 1", node, NULL, 0, 0);
	const char *tn[] = { "MemTotal" };
	char title[96], rid[48];
	snprintf(title, sizeof(title), "Node %lld: memory used", node);
	if (html_chart(db, o, id, title, UNIT_BYTES, q, 1, node, NULL, 0, 0, &total, tn, isfinite(total)) < 0)
		return -1;
	snprintf(title, sizeof(title), "Node %lld: remote allocations (pages per second)", node);
	snprintf(rid, sizeof(rid), "%s-remote", id);
	return html_chart(db, o, rid, title, UNIT_PER_S, q + 1, 1, node, NULL, 0, 0, NULL, NULL, 0);
}

static int system_chart(sqlite3 *db, struct ms_buf *o, const struct finding *x, const char *id,
			const char *folder)
{
	static const struct html_query thrash[] = {
		{ "refaults (file)", SERIES_RATE("workingset_refault_file"), SVG_LINE, 0 },
		{ "major faults", SERIES_RATE("pgmajfault"), SVG_LINE, 0 },
		{ "pages scanned (kswapd)", SERIES_RATE("pgscan_kswapd"), SVG_LINE, 0 },
	};
	static const struct html_query swap[] = {
		{ "swap-in", SERIES_RATE("pswpin"), SVG_LINE, 0 },
		{ "swap-out", SERIES_RATE("pswpout"), SVG_LINE, 0 },
	};
	static const struct html_query avail[] = {
		{ "MemAvailable", SERIES_MEM("mem_available"), SVG_LINE, 0 },
		{ "SwapFree", SERIES_MEM("swap_free"), SVG_LINE, 0 },
	};
	static const struct html_query shmem[] = { { "Shmem", SERIES_MEM("shmem"), SVG_LINE, 0 } };
	static const struct html_query slab[] = {
		{ "SUnreclaim", SERIES_MEM("s_unreclaim"), SVG_LINE, 0 },
		{ "SReclaimable", SERIES_MEM("s_reclaimable"), SVG_LINE, 0 },
	};
	static const struct html_query frag[] = {
		{ "free", "SELECT s.t, sum(b.free * (1 << b.ord)) * " PAGE_SIZE " FROM buddyinfo b JOIN"
		  " sample s ON s.id = b.sample GROUP BY b.sample ORDER BY b.sample", SVG_LINE, 0 },
		{ "free in blocks of 2 MiB or more", "SELECT s.t, sum(CASE WHEN (1 << b.ord) * " PAGE_SIZE
		  " >= 2097152 THEN b.free * (1 << b.ord) ELSE 0 END) * " PAGE_SIZE " FROM buddyinfo b"
		  " JOIN sample s ON s.id = b.sample GROUP BY b.sample ORDER BY b.sample", SVG_LINE, 0 },
	};
	double total = num(db, "SELECT mem_total FROM mem WHERE ?1 = ?1 ORDER BY sample DESC LIMIT 1", 0,
			   NULL, 0, 0);
	const char *tn[] = { "MemTotal" };
	static const struct html_query cache[] = {
		{ "page cache (active + inactive file)", "SELECT s.t, m.active_file + m.inactive_file FROM mem m"
		  " JOIN sample s ON s.id = m.sample ORDER BY s.id", SVG_LINE, 0 },
	};
	char id2[48];
	snprintf(id2, sizeof(id2), "%s-cache", id);
	if (!strcmp(folder, "thrash"))
		return html_chart(db, o, id, "Refaults, major faults and scanning (per second)", UNIT_PER_S,
				  thrash, 3, 0, NULL, 0, 0, NULL, NULL, 0) < 0 ||
		       html_chart(db, o, id2, "The page cache those refaults are against", UNIT_BYTES, cache, 1,
				  0, NULL, 0, 0, NULL, NULL, 0) < 0 ? -1 : 0;
	if (!strcmp(folder, "oom") && isfinite(evidence(x, "tte_s")) && evidence(x, "tte_s") > 0) {
		/* MemAvailable's trend to zero, drawn as far as twice the window */
		double tte = evidence(x, "tte_s"), window = fmax(x->t_end - x->t_start, 60);
		double now = num(db, "SELECT m.mem_available FROM mem m JOIN sample s ON s.id = m.sample"
				 " WHERE ?1 = ?1 AND s.t <= ?4 AND ?3 = ?3 AND ?2 = ?2 ORDER BY s.t DESC LIMIT 1",
				 0, "", x->t_start, x->t_end);
		double ext = fmin(tte, 2 * window);
		if (isfinite(now)) {
			char fit[256];
			snprintf(fit, sizeof(fit), "SELECT column1, column2 FROM (VALUES (%.3f, %.1f), (%.3f, %.1f))"
				 " WHERE ?1 = ?1", x->t_end, now, x->t_end + ext, now * (1 - ext / tte));
			struct html_query q[] = { avail[0], avail[1], { "trend to exhaustion", fit, SVG_DASHED, 0 } };
			double t_first = num(db, "SELECT min(t) FROM sample WHERE ?1 = ?1", 0, NULL, 0, 0);
			return html_chart(db, o, id, "Available memory, free swap, and the trend to exhaustion",
					  UNIT_BYTES, q, 3, 0, NULL, t_first, x->t_end + ext, &total, tn,
					  isfinite(total));
		}
	}
	if (!strcmp(folder, "swap"))
		return html_chart(db, o, id, "Swap-in and swap-out (pages per second)", UNIT_PER_S, swap, 2,
				  0, NULL, 0, 0, NULL, NULL, 0);
	if (!strcmp(folder, "oom"))
		return html_chart(db, o, id, "Available memory and free swap", UNIT_BYTES, avail, 2, 0, NULL,
				  0, 0, &total, tn, isfinite(total));
	if (!strcmp(folder, "fragmentation"))
		return html_chart(db, o, id, "Free memory, and how much of it is in large blocks", UNIT_BYTES,
				  frag, 2, 0, NULL, 0, 0, NULL, NULL, 0);
	if (!strcmp(folder, "leak") && strstr(x->rule->id, "slab"))
		return html_chart(db, o, id, "Kernel slab", UNIT_BYTES, slab, 2, 0, NULL, 0, 0, NULL, NULL, 0);
	if (!strcmp(folder, "leak"))
		return html_chart(db, o, id, "Shared memory (tmpfs, shm)", UNIT_BYTES, shmem, 1, 0, NULL, 0, 0,
				  NULL, NULL, 0);
	return 0;
}

int html_finding_chart(sqlite3 *db, struct ms_buf *o, const struct finding *x, size_t index)
{
	char folder[64], id[32];
	size_t fl = rule_folder_len(x->rule->id);
	snprintf(folder, sizeof(folder), "%.*s", (int)(fl < sizeof(folder) ? fl : sizeof(folder) - 1),
		 x->rule->id);
	snprintf(id, sizeof(id), "finding-%zu", index);
	if (!strcmp(x->entity_kind, "process"))
		return process_chart(db, o, x, id, folder);
	if (!strcmp(x->entity_kind, "mapping"))
		return mapping_chart(db, o, x, id);
	if (!strcmp(x->entity_kind, "cgroup"))
		return cgroup_chart(db, o, x, id);
	if (!strcmp(x->entity_kind, "node"))
		return node_chart(db, o, x, id);
	if (!strcmp(x->entity_kind, "system"))
		return system_chart(db, o, x, id, folder);
	return 0;
}
