/*
 * html_chart.c - a chart from queries (see html_report.h, html_chart()).
 */
#include <math.h>
#include <stdlib.h>

#include <stdio.h>

#include "html_report.h"
#include "report.h"
#include "chart_series.h"
#include "svg_chart.h"

#define MAX_SERIES 8
#define MAX_MARKERS 64

struct markers {
	struct svg_marker m[MAX_MARKERS];
	char name[MAX_MARKERS][48];
	size_t n;
};

/* The recorder's triggers, marked on every chart: "oom-kill 15:35:46" */
static void load_markers(sqlite3 *db, struct markers *mk)
{
	sqlite3_stmt *st;
	mk->n = 0;
	if (sqlite3_prepare_v2(db, "SELECT t, kind FROM trigger_event ORDER BY t, rowid LIMIT ?", -1, &st,
			       NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int(st, 1, MAX_MARKERS);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char t[32];
		double v = sqlite3_column_double(st, 0);
		report_utc(v, t, sizeof(t));
		snprintf(mk->name[mk->n], sizeof(mk->name[0]), "%.20s %s",
			 (const char *)sqlite3_column_text(st, 1), t + 11);
		mk->m[mk->n] = (struct svg_marker){ mk->name[mk->n], v };
		mk->n++;
	}
	sqlite3_finalize(st);
}

int html_chart(sqlite3 *db, struct ms_buf *out, const char *id, const char *title, int unit,
	       const struct html_query *q, size_t nq, long long a1, const char *a2,
	       double t0, double t1, const double *refs, const char *const *ref_names,
	       size_t nrefs)
{
	struct chart_series s[MAX_SERIES] = { { NULL, NULL, 0, 0 } };
	struct svg_series ss[MAX_SERIES];
	struct svg_ref rr[4];
	size_t n = 0;
	int rc = 0;
	if (nq > MAX_SERIES)
		nq = MAX_SERIES;
	if (nrefs > 4)
		nrefs = 4;
	for (size_t i = 0; i < nq && rc == 0; i++) {
		if (chart_series_load(db, q[i].sql, a1, a2, &s[i]) < 0) {
			rc = -1;
			break;
		}
		size_t real = 0;
		for (size_t k = 0; k < s[i].n; k++) {
			if (q[i].scale != 0)
				s[i].y[k] *= q[i].scale;
			real += !isnan(s[i].y[k]);
		}
		if (real == 0)
			continue;
		ss[n] = (struct svg_series){ q[i].name, s[i].t, s[i].y, s[i].n, (enum svg_kind)q[i].kind };
		n++;
	}
	for (size_t i = 0; i < nrefs; i++)
		rr[i] = (struct svg_ref){ ref_names[i], refs[i] };
	struct markers mk;
	if (rc == 0 && n > 0)
		load_markers(db, &mk);
	if (rc == 0 && n > 0) {
		struct svg_chart c = { .id = id, .title = title, .unit = (enum chart_unit)unit,
				       .t0 = t0, .t1 = t1, .series = ss, .nseries = n,
				       .refs = rr, .nrefs = nrefs, .markers = mk.m, .nmarkers = mk.n };
		rc = ms_buf_addstr(out, "<div class=\"fig\">") < 0 || svg_chart_render(&c, out) < 0 ||
		     ms_buf_addstr(out, "</div>\n") < 0 ? -1 : 0;
	}
	for (size_t i = 0; i < nq; i++)
		chart_series_release(&s[i]);
	return rc;
}
