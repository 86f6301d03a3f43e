/*
 * html_system.c - the report's system sections: the memory breakdown over
 * time (stacked), MemAvailable, swap, PSI, per-node memory; and the table of
 * the top processes with a sparkline each.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_scale.h"
#include "html_report.h"
#include "chart_series.h"
#include "svg_chart.h"

#define TOP_PROCESSES 25

static const struct html_query breakdown[] = {
	{ "anon", SERIES_MEM("anon_bytes"), SVG_AREA, 0 },
	{ "file cache, active", SERIES_MEM("active_file_bytes"), SVG_AREA, 0 },
	{ "file cache, inactive", SERIES_MEM("inactive_file_bytes"), SVG_AREA, 0 },
	{ "shmem", SERIES_MEM("shmem_bytes"), SVG_AREA, 0 },
	{ "slab, reclaimable", SERIES_MEM("s_reclaimable_bytes"), SVG_AREA, 0 },
	{ "slab, unreclaimable", SERIES_MEM("s_unreclaim_bytes"), SVG_AREA, 0 },
	{ "free", SERIES_MEM("mem_free_bytes"), SVG_AREA, 0 },
	{ "kernel, other", SERIES_MEM("max(0, mem_total_bytes - mem_free_bytes - anon_bytes"
	  " - active_file_bytes - inactive_file_bytes - shmem_bytes - s_reclaimable_bytes"
	  " - s_unreclaim_bytes)"), SVG_AREA, 0 },
};
static const struct html_query avail[] = {
	{ "MemAvailable", SERIES_MEM("mem_available_bytes"), SVG_LINE, 0 },
	{ "MemFree", SERIES_MEM("mem_free_bytes"), SVG_LINE, 0 },
};
static const struct html_query swap[] = {
	{ "swap used", SERIES_MEM("swap_total_bytes - swap_free_bytes"), SVG_LINE, 0 },
};
static const struct html_query swap_io[] = {
	{ "swap-in", SERIES_RATE("pswpin"), SVG_LINE, 0 },
	{ "swap-out", SERIES_RATE("pswpout"), SVG_LINE, 0 },
};
static const struct html_query faults[] = {
	{ "refaults (file)", SERIES_RATE("workingset_refault_file"), SVG_LINE, 0 },
	{ "major faults", SERIES_RATE("pgmajfault"), SVG_LINE, 0 },
};
static const struct html_query psi[] = {
	{ "some", "SELECT t, 100 * stall_share FROM psi_rate WHERE scope = 'system' AND kind = 'some'"
	  " ORDER BY sample", SVG_LINE, 0 },
	{ "full", "SELECT t, 100 * stall_share FROM psi_rate WHERE scope = 'system' AND kind = 'full'"
	  " ORDER BY sample", SVG_LINE, 0 },
};
static const struct html_query nq[] = {
	{ "used", "SELECT s.t, t.value - f.value FROM node_meminfo t JOIN node_meminfo f ON"
	  " f.sample = t.sample AND f.node = t.node AND f.key = 'MemFree' JOIN sample s ON"
	  " s.id = t.sample WHERE t.node = ?1 AND t.key = 'MemTotal' ORDER BY s.id", SVG_LINE, 0 },
	{ "file pages", "SELECT s.t, n.value FROM node_meminfo n JOIN sample s ON s.id = n.sample"
	  " WHERE n.node = ?1 AND n.key = 'FilePages' ORDER BY s.id", SVG_LINE, 0 },
};
static const struct html_query rq[] = {
	{ "local_node", "SELECT t, pages_per_s FROM numastat_rate WHERE node = ?1 AND key = 'local_node'"
	  " ORDER BY sample", SVG_LINE, 0 },
	{ "other_node", "SELECT t, pages_per_s FROM numastat_rate WHERE node = ?1 AND key = 'other_node'"
	  " ORDER BY sample", SVG_LINE, 0 },
	{ "numa_miss", "SELECT t, pages_per_s FROM numastat_rate WHERE node = ?1 AND key = 'numa_miss'"
	  " ORDER BY sample", SVG_LINE, 0 },
};

/* The last value of the series SQL (?1 = NODE), or 0 when it has none */
static double last_value(sqlite3 *db, const char *sql, long long node)
{
	double v = 0;
	struct chart_series s = { NULL, NULL, 0, 0 };
	if (chart_series_load(db, sql, node, NULL, &s) == 0 && s.n)
		v = s.y[s.n - 1];
	chart_series_release(&s);
	return v;
}

static const char *const memtotal[] = { "MemTotal" };

/* The system's memory over time: by kind, available, swap, faults, PSI */
static int timeline(sqlite3 *db, struct ms_buf *o, const struct html_charts *hc)
{
	double total = last_value(db, SERIES_MEM("mem_total_bytes"), 0);
	if (ms_buf_addstr(o, "<section id=\"timeline\"><h2>System memory over time</h2>\n") < 0 ||
	    html_chart(db, o, hc, "mem-breakdown", "Memory by kind (stacked)", UNIT_BYTES, breakdown, 8, 0, NULL,
		       NULL, NULL, 0) < 0 ||
	    html_chart(db, o, hc, "mem-available", "Available and free memory", UNIT_BYTES, avail, 2, 0, NULL,
		       &total, memtotal, total > 0) < 0 ||
	    html_chart(db, o, hc, "swap-used", "Swap used", UNIT_BYTES, swap, 1, 0, NULL, NULL, NULL, 0) < 0 ||
	    html_chart(db, o, hc, "swap-io", "Swap-in and swap-out (pages per second)", UNIT_PER_S, swap_io, 2, 0,
		       NULL, NULL, NULL, 0) < 0 ||
	    html_chart(db, o, hc, "faults", "Page-cache refaults and major faults (per second)", UNIT_PER_S,
		       faults, 2, 0, NULL, NULL, NULL, 0) < 0 ||
	    html_chart(db, o, hc, "psi", "Memory pressure (PSI): share of time stalled", UNIT_PERCENT, psi, 2, 0,
		       NULL, NULL, NULL, 0) < 0)
		return -1;
	return ms_buf_addstr(o, "</section>\n");
}

/* NODE's memory used and its allocations, local and remote */
static int node_charts(sqlite3 *db, struct ms_buf *o, const struct html_charts *hc, long long node)
{
	char id[32], title[64], rid[32], rtitle[96];
	snprintf(id, sizeof(id), "node%lld", node);
	snprintf(title, sizeof(title), "Node %lld: memory used", node);
	snprintf(rid, sizeof(rid), "node%lld-alloc", node);
	snprintf(rtitle, sizeof(rtitle), "Node %lld: allocations, local and remote (pages per second)", node);
	double nt = last_value(db, "SELECT s.t, n.value FROM node_meminfo n JOIN sample s ON s.id = n.sample"
			       " WHERE n.node = ?1 AND n.key = 'MemTotal' ORDER BY s.id", node);
	if (html_chart(db, o, hc, id, title, UNIT_BYTES, nq, 2, node, NULL, &nt, memtotal, nt > 0) < 0 ||
	    html_chart(db, o, hc, rid, rtitle, UNIT_PER_S, rq, 3, node, NULL, NULL, NULL, 0) < 0)
		return -1;
	return 0;
}

int html_system(sqlite3 *db, struct ms_buf *o, const struct html_charts *hc,
		const struct bundle_facts *f)
{
	if (timeline(db, o, hc) < 0)
		return -1;
	if (f->nodes <= 1)
		return 0;
	if (ms_buf_addstr(o, "<section id=\"numa\"><h2>NUMA nodes</h2>\n") < 0)
		return -1;
	for (long long node = 0; node < f->nodes && node < 64; node++)
		if (node_charts(db, o, hc, node) < 0)
			return -1;
	return ms_buf_addstr(o, "</section>\n");
}

static int cell_bytes(struct ms_buf *o, sqlite3_stmt *st, int col)
{
	char b[32];
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return ms_buf_addstr(o, "<td data-v=\"-1\">-</td>");
	double v = sqlite3_column_double(st, col);
	chart_bytes(v, b, sizeof(b));
	return ms_buf_addf(o, "<td data-v=\"%.0f\">%s</td>", v, b);
}

int html_processes(sqlite3 *db, struct ms_buf *o)
{
	/* the largest processes by peak RSS, with their last values */
	static const char sql[] =
		"WITH top AS (SELECT process_id, max(vm_rss) AS peak FROM proc_sample GROUP BY process_id"
		"   ORDER BY peak DESC LIMIT 25)"
		" SELECT p.id, p.pid, p.comm, last.vm_rss, r.pss, r.uss, last.vm_swap,"
		"   (last.rss_anon + coalesce(last.vm_swap, 0)) - (first.rss_anon + coalesce(first.vm_swap, 0)),"
		"   top.peak, coalesce(p.cmdline, '')"
		" FROM top JOIN process p ON p.id = top.process_id"
		" JOIN proc_sample last ON last.process_id = p.id AND last.sample = p.last_sample"
		" JOIN proc_sample first ON first.process_id = p.id AND first.sample = p.first_sample"
		" LEFT JOIN proc_rollup r ON r.process_id = p.id AND r.sample ="
		"   (SELECT max(sample) FROM proc_rollup WHERE process_id = p.id)"
		" ORDER BY top.peak DESC";
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = ms_buf_addf(o, "<section id=\"processes\"><h2>Top processes</h2>\n<p class=\"note\">The %d"
			     " largest by peak RSS; the last value of each column (PSS and USS from the last"
			     " smaps_rollup); growth is anonymous memory plus swap, last minus first. Click a"
			     " heading to sort.</p>\n<table class=\"sortable\" id=\"proc-table\"><thead><tr>"
			     "<th>PID</th><th>command</th><th>RSS</th><th>PSS</th><th>USS</th><th>swap</th>"
			     "<th>growth</th><th>peak RSS</th><th>RSS over time</th></tr></thead><tbody>\n",
			     TOP_PROCESSES);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		struct chart_series s = { NULL, NULL, 0, 0 };
		const char *comm = (const char *)sqlite3_column_text(st, 2);
		const char *cmd = (const char *)sqlite3_column_text(st, 9);
		rc = ms_buf_addf(o, "<tr><td data-v=\"%lld\">%lld</td><td title=\"", sqlite3_column_int64(st, 1),
				 sqlite3_column_int64(st, 1)) < 0 || svg_escape(o, cmd ? cmd : "") < 0 ||
		     ms_buf_addstr(o, "\">") < 0 || svg_escape(o, comm ? comm : "?") < 0 ||
		     ms_buf_addstr(o, "</td>") < 0 ? -1 : 0;
		for (int c = 3; rc == 0 && c <= 8; c++)
			rc = cell_bytes(o, st, c);
		if (rc == 0 && chart_series_load(db, "SELECT s.t, ps.vm_rss FROM proc_sample ps JOIN sample s ON"
						" s.id = ps.sample WHERE ps.process_id = ?1 ORDER BY ps.sample",
						sqlite3_column_int64(st, 0), NULL, &s) < 0)
			rc = -1;
		if (rc == 0)
			rc = ms_buf_addstr(o, "<td>") < 0 || svg_sparkline(s.t, s.y, s.n, 140, 24, o) < 0 ||
			     ms_buf_addstr(o, "</td></tr>\n") < 0 ? -1 : 0;
		chart_series_release(&s);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : ms_buf_addstr(o, "</tbody></table></section>\n");
}
