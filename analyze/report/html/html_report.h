/*
 * html_report.h - the self-contained HTML report (`memsnap report`,
 * `memsnap analyze --html FILE`): one file with inline CSS, inline SVG
 * charts drawn by memsnap and inline JavaScript (table sorting; the charts
 * fitted to their card, the values under the pointer: chart.js); a
 * Content-Security-Policy forbids every network request, so it opens from a
 * laptop's disk or an email attachment exactly as written.
 */
#ifndef HTML_REPORT_H
#define HTML_REPORT_H

#include <sqlite3.h>
#include <stdio.h>

#include "analysis.h"
#include "fleet.h"
#include "ms_buf.h"
#include "ms_err.h"
#include "chart_series.h"
#include "svg_chart.h"

/* How the page shows what it shows. */
struct html_options {
	const char *tz;   /* the zone of the charts' times (chart_tz.h); NULL: UTC */
};

/* Write the report of analysis A on database DB (opened for rules) to OUT;
 * OPT may be NULL (the defaults). */
int html_report(FILE *out, sqlite3 *db, const struct analysis *a, const struct html_options *opt,
		struct ms_err *err);

/* The times marked on every chart: rows (t, label), t in UTC seconds (as
 * sample.t), in time order.  The kernel's OOM kills: vmstat's oom_kill
 * going up, marked at the sample that saw it; and a recorder's triggers
 * (trigger_event), at the time each condition was seen. */
#define HTML_MARKERS_SQL \
	"SELECT t, CASE WHEN delta = 1 THEN 'OOM kill' ELSE delta || ' OOM kills' END" \
	" FROM vmstat_rate WHERE key = 'oom_kill' AND delta > 0" \
	" UNION ALL SELECT t, 'trigger: ' || kind FROM trigger_event ORDER BY 1"
#define HTML_MAX_MARKERS 64

/* The fleet page (html_fleet.c): the findings grouped across hosts, hosts
 * x findings with a link to each host's page (fleet_host.report, a file
 * next to it), the largest process growth per host, the hosts that failed. */
int html_fleet(FILE *out, const struct fleet *f, struct ms_err *err);

/* --- shared by the html_*.c files --- */

/* The page's head (title TITLE, the CSS, the policy) up to <main>; its
 * end (a footer with NOTE, the script); OUT written to FILE and released. */
int html_head(struct ms_buf *o, const char *title);
int html_tail(struct ms_buf *o, const char *note);
int html_write(FILE *out, struct ms_buf *o, struct ms_err *err);

/* What every chart of the page shares. */
struct html_charts {
	struct chart_markers mk;   /* HTML_MARKERS_SQL's */
	const char *tz;
};

/* A chart of one or more series, each from its own query (t, y columns,
 * ?1 = A1, ?2 = A2), appended to OUT. */
struct html_query {
	const char *name;
	const char *sql;
	int kind;        /* enum svg_kind */
	double scale;    /* y multiplier (0 = 1) */
};
int html_chart(sqlite3 *db, struct ms_buf *out, const struct html_charts *hc, const char *id,
	       const char *title, int unit, const struct html_query *q, size_t nq, long long a1,
	       const char *a2, const double *refs, const char *const *ref_names, size_t nrefs);

/* Chart C in a figure, with the page's markers and clock.  1 (drawn), or
 * -1 on ENOMEM. */
int html_figure(struct ms_buf *out, const struct html_charts *hc, struct svg_chart *c);

/* The system timeline, the top processes and the NUMA sections. */
int html_system(sqlite3 *db, struct ms_buf *out, const struct html_charts *hc,
		const struct bundle_facts *f);
int html_processes(sqlite3 *db, struct ms_buf *out);

/* The charts finding X's rule declares (docs/rules.md, "Charts"), their
 * queries bound to X's columns and limited to TIMEOUT_S seconds each, X's
 * window shaded; a chart whose query fails is a note instead.  -1 only on
 * ENOMEM. */
int html_finding_charts(sqlite3 *db, struct ms_buf *out, const struct html_charts *hc,
			const struct finding *x, size_t index, double timeout_s);

#endif
