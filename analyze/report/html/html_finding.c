/*
 * html_finding.c - a finding's charts, as its rule declares them
 * (docs/rules.md, "Charts"; rule_chart.h).  Every query of a chart (its
 * when:, series and refs) is bound to the finding's columns (:entity,
 * :t_start, an evidence column ...) and runs on the rules' sandboxed
 * connection under the rules' time limit.  The report knows no rule and no
 * entity: what a chart shows is the rule's to say.
 *
 * A chart whose query fails (a runtime error, the time limit) becomes a
 * note in the finding; the report goes on.  rule_run() has checked the
 * SQL already, so this is rare.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_scale.h"
#include "chart_series.h"
#include "html_report.h"
#include "rule_run.h"
#include "svg_chart.h"

/* A chart's data, loaded. */
struct plot {
	struct chart_series s[RULE_CHART_MAX_SERIES];
	struct svg_series ss[RULE_CHART_MAX_SERIES];
	struct svg_ref refs[RULE_CHART_MAX_REFS];
	size_t n, nrefs;
};

static const enum chart_unit units[] = {
	[RULE_UNIT_NUMBER] = UNIT_NONE, [RULE_UNIT_BYTES] = UNIT_BYTES,
	[RULE_UNIT_PERCENT] = UNIT_PERCENT, [RULE_UNIT_PER_S] = UNIT_PER_S,
};
static const enum svg_kind kinds[] = {
	[RULE_LINE] = SVG_LINE, [RULE_DASHED] = SVG_DASHED, [RULE_AREA] = SVG_AREA,
};

/* SQL prepared and bound to X's columns into *ST (finalize it even on
 * failure).  0, or -1 with the message in DB. */
static int prepare(sqlite3 *db, const char *sql, const struct finding *x, sqlite3_stmt **st)
{
	*st = NULL;
	return sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK && finding_bind(*st, x) == 0
	       ? 0 : -1;
}

/* The first value SQL gives for X: 1 and *V when it is a number, 0 when
 * there is no row or it is NULL or text, -1 on an error (message in DB). */
static int scalar(sqlite3 *db, const char *sql, const struct finding *x, double *v)
{
	sqlite3_stmt *st;
	int r = prepare(db, sql, x, &st);
	if (r == 0) {
		int rc = sqlite3_step(st);
		int type = rc == SQLITE_ROW ? sqlite3_column_type(st, 0) : SQLITE_NULL;
		if (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
			*v = sqlite3_column_double(st, 0);
		r = rc != SQLITE_ROW && rc != SQLITE_DONE ? -1
		    : type == SQLITE_INTEGER || type == SQLITE_FLOAT;
	}
	sqlite3_finalize(st);
	return r;
}

/* Chart C's condition for X: 1 true, 0 false, -1 an error (message in DB). */
static int when(sqlite3 *db, const struct rule_chart *c, const struct finding *x)
{
	double v = 0;
	if (!c->when)
		return 1;
	char *sql = sqlite3_mprintf("SELECT (%s\n)", c->when);
	int r = sql ? scalar(db, sql, x, &v) : -1;
	sqlite3_free(sql);
	return r == 1 ? v != 0 : r;
}

/* Chart C's series and refs for X into *P.  0, or -1 on an error (message
 * in DB; SQLITE_OK there means ENOMEM). */
static int load(sqlite3 *db, const struct rule_chart *c, const struct finding *x, struct plot *p)
{
	for (size_t i = 0; i < c->nseries; i++) {
		const struct rule_series *rs = &c->series[i];
		if (rs->kind == RULE_REF) {
			double v;
			int r = scalar(db, rs->sql, x, &v);
			if (r < 0)
				return -1;
			if (r && isfinite(v))
				p->refs[p->nrefs++] = (struct svg_ref){ rs->name, v };
			continue;
		}
		sqlite3_stmt *st;
		struct chart_series *s = &p->s[p->n];
		int r = prepare(db, rs->sql, x, &st) < 0 ? -1 : chart_series_read(st, s);
		sqlite3_finalize(st);
		if (r < 0)
			return -1;
		p->ss[p->n++] = (struct svg_series){ rs->name, s->t, s->y, s->n, kinds[rs->kind] };
	}
	return 0;
}

/* The time axis of a "capture" chart: the whole capture, and any point of
 * P beyond it (an extrapolation). */
static void capture_axis(sqlite3 *db, const struct plot *p, const struct finding *x, double *t0,
			 double *t1)
{
	if (scalar(db, "SELECT min(t) FROM sample", x, t0) != 1 ||
	    scalar(db, "SELECT max(t) FROM sample", x, t1) != 1) {
		*t0 = *t1 = 0;  /* from the data */
		return;
	}
	for (size_t i = 0; i < p->n; i++)
		if (p->ss[i].n) {
			*t0 = fmin(*t0, p->ss[i].t[0]);
			*t1 = fmax(*t1, p->ss[i].t[p->ss[i].n - 1]);
		}
}

/* Chart C for finding X as ID, X's window shaded: 1 drawn (with data or
 * saying it has none), 0 not (its when: is false, or a note says why), -1
 * on ENOMEM. */
static int one_chart(sqlite3 *db, struct ms_buf *o, const struct html_charts *hc,
		     const struct finding *x, const struct rule_chart *c, const char *id, double timeout_s)
{
	struct plot p;
	struct rule_deadline d;
	memset(&p, 0, sizeof(p));
	char *title = finding_subst(c->title, x);
	if (!title)
		return -1;
	title[0] = (char)toupper((unsigned char)title[0]);  /* a title reads as a sentence */
	rule_deadline_start(db, &d, timeout_s);
	int r = when(db, c, x);
	if (r == 1)
		r = load(db, c, x, &p) < 0 ? -1 : 1;
	struct svg_chart chart = { .id = id, .title = title, .unit = units[c->unit],
				   .series = p.ss, .nseries = p.n, .refs = p.refs, .nrefs = p.nrefs,
				   .window = 1, .w0 = x->t_start, .w1 = x->t_end };
	if (r == 1 && c->capture)
		capture_axis(db, &p, x, &chart.t0, &chart.t1);
	rule_deadline_stop(db);
	if (r == 1) {
		r = html_figure(o, hc, &chart);
	} else if (r < 0 && sqlite3_errcode(db) != SQLITE_OK && sqlite3_errcode(db) != SQLITE_NOMEM) {
		r = ms_buf_addstr(o, "<p class=\"note\">(chart &ldquo;") < 0 || svg_escape(o, title) < 0 ||
		    ms_buf_addstr(o, "&rdquo; not drawn: ") < 0 ||
		    (d.fired ? ms_buf_addf(o, "stopped after %.0f s, the rule time limit", timeout_s)
			     : svg_escape(o, sqlite3_errmsg(db))) < 0 ||
		    ms_buf_addstr(o, ")</p>\n") < 0 ? -1 : 0;
	}
	for (size_t i = 0; i < p.n; i++)
		chart_series_release(&p.s[i]);
	free(title);
	return r;
}

int html_finding_charts(sqlite3 *db, struct ms_buf *o, const struct html_charts *hc,
			const struct finding *x, size_t index, double timeout_s)
{
	int drawn = 0;
	for (size_t i = 0; i < x->rule->charts.n; i++) {
		char id[48];
		if (drawn)
			snprintf(id, sizeof(id), "finding-%zu-%d", index, drawn + 1);
		else
			snprintf(id, sizeof(id), "finding-%zu", index);
		int r = one_chart(db, o, hc, x, &x->rule->charts.c[i], id, timeout_s);
		if (r < 0)
			return -1;
		drawn += r;
	}
	return 0;
}
