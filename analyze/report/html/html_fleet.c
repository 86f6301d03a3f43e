/*
 * html_fleet.c - the fleet page (see html_report.h): what the text fleet
 * summary says, with the hosts x findings table; each host's name links
 * its own report, a file next to this one, and each cell that host's
 * findings.  Self-contained like the host pages (html_head's policy).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html_report.h"
#include "report.h"

/* Columns of the hosts x findings table at most (the groups table lists all). */
#define MAX_COLUMNS 60

static int esc(struct ms_buf *o, const char *s)
{
	return svg_escape(o, s ? s : "");
}

/* "2026-12-01 14:02", in the zone the times are shown in */
static int minute(struct ms_buf *o, double t)
{
	char b[32];
	report_local(t, b, sizeof(b));
	b[16] = '\0';
	return ms_buf_addstr(o, b);
}

/* HOST's name, linked to its page when it has one (#ANCHOR in it). */
static int host_link(struct ms_buf *o, const struct fleet_host *h, const char *anchor, const char *text)
{
	if (!h->report)
		return esc(o, text);
	return ms_buf_addstr(o, "<a href=\"") < 0 || esc(o, h->report) < 0 || ms_buf_addstr(o, anchor) < 0 ||
	       ms_buf_addstr(o, "\">") < 0 || esc(o, text) < 0 || ms_buf_addstr(o, "</a>") < 0 ? -1 : 0;
}

static int header(struct ms_buf *o, const struct fleet *f)
{
	size_t ran = fleet_ran(f);
	double t0, t1;
	char span[80];
	if (ms_buf_addf(o, "<h1>memsnap fleet: %zu hosts</h1>\n<dl class=\"meta\"><dt>hosts</dt><dd>%zu analyzed, "
			"%zu failed</dd>", f->n, ran, f->n - ran) < 0)
		return -1;
	if (fleet_window(f, &t0, &t1) == 0 &&
	    (report_span(t0, t1, span, sizeof(span)), ms_buf_addf(o, "<dt>window</dt><dd>%s</dd>", span) < 0))
		return -1;
	return ms_buf_addf(o, "<dt>findings</dt><dd>%zu (%zu critical, %zu warning, %zu info) in %zu groups of "
			   "a rule and an entity</dd></dl>\n", fleet_findings(f, -1), fleet_findings(f, RULE_CRITICAL),
			   fleet_findings(f, RULE_WARNING), fleet_findings(f, RULE_INFO), f->ng);
}

static int group_row(struct ms_buf *o, const struct fleet *f, const struct fleet_group *g, size_t i)
{
	const char *sev = rule_severity_name(g->worst);
	if (ms_buf_addf(o, "<tr data-rule=\"") < 0 || esc(o, g->rule->id) < 0 ||
	    ms_buf_addf(o, "\"><td data-v=\"%zu\">%zu</td><td data-v=\"%d\"><span class=\"badge b-%s\">%s</span>"
			"</td><td class=\"ent l\">", i + 1, i + 1, (int)g->worst, sev, sev) < 0 ||
	    esc(o, g->rule->id) < 0 || ms_buf_addstr(o, " ") < 0 || esc(o, g->identity) < 0 ||
	    ms_buf_addstr(o, "<br>") < 0)
		return -1;
	for (size_t k = 0; k < g->nhosts; k++) {
		const struct fleet_host *h = &f->h[g->hosts[k]];
		if ((k && ms_buf_addstr(o, ", ") < 0) || host_link(o, h, "#findings", h->label) < 0)
			return -1;
	}
	return ms_buf_addf(o, "</td><td data-v=\"%zu\">%zu of %zu</td><td>", g->nhosts, g->nhosts, f->n) < 0 ||
	       minute(o, g->onset_first) < 0 ||
	       (g->onset_last > g->onset_first && (ms_buf_addstr(o, " to ") < 0 || minute(o, g->onset_last) < 0)) ||
	       ms_buf_addstr(o, "</td></tr>\n") < 0 ? -1 : 0;
}

static int groups(struct ms_buf *o, const struct fleet *f)
{
	if (ms_buf_addstr(o, "<section id=\"groups\"><h2>Findings across hosts</h2>\n") < 0)
		return -1;
	if (!f->ng)
		return ms_buf_addstr(o, "<p>No rule found a problem on any host.</p></section>\n");
	if (ms_buf_addstr(o, "<table class=\"sortable\"><thead><tr><th>#</th><th>severity</th><th class=\"l\">rule "
			  "and entity, hosts</th><th>hosts</th><th>onset</th></tr></thead><tbody>\n") < 0)
		return -1;
	for (size_t i = 0; i < f->ng; i++)
		if (group_row(o, f, &f->g[i], i) < 0)
			return -1;
	return ms_buf_addstr(o, "</tbody></table></section>\n");
}

/* The worst severity of host H in group G, or -1. */
static int cell(const struct fleet_group *g, size_t h)
{
	for (size_t k = 0; k < g->nhosts; k++)
		if (g->hosts[k] == h)
			return (int)g->worst_on[k];
	return -1;
}

static int matrix_row(struct ms_buf *o, const struct fleet *f, size_t h, size_t cols)
{
	const struct fleet_host *x = &f->h[h];
	if (ms_buf_addstr(o, "<tr><td class=\"l\">") < 0 || host_link(o, x, "", x->label) < 0 ||
	    ms_buf_addf(o, "</td><td data-v=\"%zu\">%zu</td>", x->a.findings.n, x->a.findings.n) < 0)
		return -1;
	for (size_t i = 0; i < cols; i++) {
		int s = cell(&f->g[i], h);
		if (s < 0 ? ms_buf_addstr(o, "<td data-v=\"-1\"></td>") < 0
			  : ms_buf_addf(o, "<td data-v=\"%d\">", s) < 0 ||
			    ms_buf_addf(o, "<span class=\"badge b-%s\">", rule_severity_name((enum rule_severity)s)) < 0 ||
			    host_link(o, x, "#findings", rule_severity_name((enum rule_severity)s)) < 0 ||
			    ms_buf_addstr(o, "</span></td>") < 0)
			return -1;
	}
	return ms_buf_addstr(o, "</tr>\n");
}

static int matrix(struct ms_buf *o, const struct fleet *f)
{
	size_t cols = f->ng < MAX_COLUMNS ? f->ng : MAX_COLUMNS;
	if (!fleet_ran(f))
		return 0;
	if (ms_buf_addstr(o, "<section id=\"matrix\"><h2>Hosts &times; findings</h2>\n<p class=\"note\">A column "
			  "is a group of the table above (its number); a cell, the worst severity of the host's "
			  "findings in it. A host's name opens its own report.</p>\n<div class=\"fig\"><table "
			  "class=\"sortable\"><thead><tr><th class=\"l\">host</th><th>findings</th>") < 0)
		return -1;
	for (size_t i = 0; i < cols; i++)
		if (ms_buf_addf(o, "<th title=\"") < 0 || esc(o, f->g[i].rule->id) < 0 || ms_buf_addstr(o, " ") < 0 ||
		    esc(o, f->g[i].identity) < 0 || ms_buf_addf(o, "\">%zu</th>", i + 1) < 0)
			return -1;
	if (ms_buf_addstr(o, "</tr></thead><tbody>\n") < 0)
		return -1;
	for (size_t h = 0; h < f->n; h++)
		if (f->h[h].ran && matrix_row(o, f, h, cols) < 0)
			return -1;
	if (ms_buf_addstr(o, "</tbody></table></div>\n") < 0 ||
	    (f->ng > cols && ms_buf_addf(o, "<p class=\"note\">Groups %zu to %zu are in the table above only.</p>\n",
					 cols + 1, f->ng) < 0))
		return -1;
	return ms_buf_addstr(o, "</section>\n");
}

static int growth(struct ms_buf *o, const struct fleet *f)
{
	size_t n;
	const struct fleet_host **v = fleet_by_growth(f, &n);
	int rc = v && ms_buf_addstr(o, "<section id=\"growth\"><h2>Largest process anon growth</h2>\n<p class=\"note\">"
				    "Per host, the process whose RssAnon + VmSwap grew the most from its first "
				    "sample to its last.</p>\n<table class=\"sortable\"><thead><tr><th>growth</th>"
				    "<th class=\"l\">host</th><th class=\"l\">process</th></tr></thead><tbody>\n") == 0
		 ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct fleet_host *h = v[i];
		rc = ms_buf_addf(o, "<tr><td data-v=\"%.0f\">", h->growth.bytes) < 0 || esc(o, h->growth.text) < 0 ||
		     ms_buf_addstr(o, "</td><td class=\"l\">") < 0 || host_link(o, h, "", h->label) < 0 ||
		     ms_buf_addf(o, "</td><td class=\"ent l\">%lld (", h->growth.pid) < 0 ||
		     esc(o, h->growth.comm) < 0 || ms_buf_addstr(o, ")</td></tr>\n") < 0 ? -1 : 0;
	}
	free(v);
	return rc < 0 ? -1 : ms_buf_addstr(o, "</tbody></table></section>\n");
}

static int failed(struct ms_buf *o, const struct fleet *f)
{
	if (fleet_ran(f) == f->n)
		return 0;
	if (ms_buf_addstr(o, "<section id=\"failed\"><h2>Not analyzed</h2><ul>\n") < 0)
		return -1;
	for (size_t i = 0; i < f->n; i++)
		if (!f->h[i].ran && (ms_buf_addstr(o, "<li class=\"bad\">") < 0 || esc(o, f->h[i].error ? f->h[i].error : "out of memory") < 0 ||
				     ms_buf_addstr(o, "</li>\n") < 0))
			return -1;
	return ms_buf_addstr(o, "</ul></section>\n");
}

int html_fleet(FILE *out, const struct fleet *f, struct ms_err *err)
{
	/* the onsets are in the zone of the window's start */
	double t0 = 0, t1;
	char zone[16], note[128];
	fleet_window(f, &t0, &t1);
	report_zone(t0, zone, sizeof(zone));
	snprintf(note, sizeof(note), "the fleet page. Times are %s. Each host's report is a file next to this one.",
		 zone);
	struct ms_buf o;
	if (ms_buf_init(&o, 1 << 16) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	int rc = html_head(&o, "fleet") < 0 || header(&o, f) < 0 || groups(&o, f) < 0 || matrix(&o, f) < 0 ||
		 growth(&o, f) < 0 || failed(&o, f) < 0 ||
		 html_tail(&o, note) < 0
		 ? -1 : 0;
	if (rc < 0) {
		ms_buf_release(&o);
		return ms_err_set(err, ENOMEM, "out of memory");
	}
	return html_write(out, &o, err);
}
