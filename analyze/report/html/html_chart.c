/*
 * html_chart.c - a chart in its figure, from loaded series or from queries
 * (see html_report.h: html_figure(), html_chart()).
 */
#include "html_report.h"
#include "chart_series.h"

#define MAX_SERIES 8

int html_figure(struct ms_buf *out, const struct html_charts *hc, struct svg_chart *c)
{
	c->markers = hc->mk.m;
	c->nmarkers = hc->mk.n;
	c->tz = hc->tz;
	return ms_buf_addstr(out, "<figure class=\"fig\">") < 0 || svg_chart_render(c, out) < 0 ||
	       ms_buf_addstr(out, "</figure>\n") < 0 ? -1 : 1;
}

int html_chart(sqlite3 *db, struct ms_buf *out, const struct html_charts *hc, const char *id,
	       const char *title, int unit, const struct html_query *q, size_t nq, long long a1,
	       const char *a2, const double *refs, const char *const *ref_names, size_t nrefs)
{
	struct chart_series s[MAX_SERIES] = { { NULL, NULL, 0, 0 } };
	struct svg_series ss[MAX_SERIES];
	struct svg_ref rr[4];
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
		for (size_t k = 0; k < s[i].n && q[i].scale != 0; k++)
			s[i].y[k] *= q[i].scale;
		ss[i] = (struct svg_series){ q[i].name, s[i].t, s[i].y, s[i].n, (enum svg_kind)q[i].kind };
	}
	for (size_t i = 0; i < nrefs; i++)
		rr[i] = (struct svg_ref){ ref_names[i], refs[i] };
	if (rc == 0) {
		struct svg_chart c = { .id = id, .title = title, .unit = (enum chart_unit)unit,
				       .series = ss, .nseries = nq, .refs = rr, .nrefs = nrefs };
		rc = html_figure(out, hc, &c) < 0 ? -1 : 0;
	}
	for (size_t i = 0; i < nq; i++)
		chart_series_release(&s[i]);
	return rc;
}
