/*
 * html_page.c - the report page: head (CSS, a Content-Security-Policy that
 * allows no request), the bundle header with the collector's cost and what
 * was not seen, the findings by severity each with its chart, the system
 * timeline, the top processes, NUMA, and a footer (see html_report.h).
 *
 * The page is built in memory and written at the end, so a failed query
 * never leaves half a report behind.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "chart_scale.h"
#include "html_report.h"
#include "report.h"
#include "svg_chart.h"
#include "version.h"

/* Charts drawn for findings at most; the rest are listed without one. */
#define MAX_FINDING_CHARTS 40

static const char css[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1d2330;"
	"background:#f6f7f9}main{max-width:1200px;margin:0 auto;padding:16px 20px 40px}"
	"h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d5d9e0}"
	"h3{font-size:15px;margin:0 0 4px}.meta{display:grid;grid-template-columns:max-content 1fr;"
	"gap:2px 14px;background:#fff;padding:10px 14px;border-radius:6px;border:1px solid #dde1e7}"
	".meta dt{color:#5a6272}.meta dd{margin:0}.finding{background:#fff;border:1px solid #dde1e7;"
	"border-left:6px solid #888;border-radius:6px;padding:10px 14px;margin:10px 0}"
	".sev-critical{border-left-color:#c62828}.sev-warning{border-left-color:#e39b00}"
	".sev-info{border-left-color:#2b78c5}.badge{display:inline-block;font-size:11px;font-weight:700;"
	"padding:1px 7px;border-radius:9px;color:#fff;margin-right:6px;vertical-align:1px}"
	".b-critical{background:#c62828}.b-warning{background:#e39b00}.b-info{background:#2b78c5}"
	".ent{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}.msg{margin:6px 0}"
	".ev{font-size:12px;color:#3b4252;margin:4px 0;display:grid;grid-template-columns:repeat(auto-fill,"
	"minmax(210px,1fr));gap:0 12px}.ev div{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}"
	".ev b{font-weight:400;color:#6b7384}"
	".why,.do{font-size:13px;color:#3b4252;margin:4px 0}.why summary{cursor:pointer;color:#2b5d9c}"
	".why p{white-space:pre-line}.note{color:#5a6272;font-size:13px}"
	"table.sortable{"
	"border-collapse:collapse;background:#fff;width:100%;font-size:13px}table.sortable th,"
	"table.sortable td{padding:3px 8px;border-bottom:1px solid #eceef2;text-align:right}"
	"table.sortable td:nth-child(2),table.sortable th:nth-child(2){text-align:left}"
	"table.sortable th{cursor:pointer;background:#eef1f5;user-select:none}"
	".ok{color:#2e7d32}.bad{color:#c62828}table.sortable .l{text-align:left}.badge a{color:#fff;"
	"text-decoration:none}";

/* Click a heading to sort by its data-v values (numbers) or text. */
static const char js[] =
	"document.querySelectorAll('table.sortable th').forEach(function(th,i){th.addEventListener("
	"'click',function(){var tb=th.closest('table').tBodies[0],rows=Array.from(tb.rows),"
	"d=th.dataset.dir==='a'?-1:1;th.dataset.dir=d>0?'a':'d';rows.sort(function(a,b){"
	"var x=a.cells[i],y=b.cells[i],p=parseFloat(x.dataset.v),q=parseFloat(y.dataset.v);"
	"if(!isNaN(p)&&!isNaN(q))return d*(q-p);return d*x.textContent.localeCompare(y.textContent);});"
	"rows.forEach(function(r){tb.appendChild(r);});});});";

static int esc(struct ms_buf *o, const char *s)
{
	return svg_escape(o, s ? s : "");
}

/* "2026-12-01 06:41:05 to 06:51:00 UTC" (report_span()) */
static int add_span(struct ms_buf *o, double t0, double t1)
{
	char b[96];
	report_span(t0, t1, b, sizeof(b));
	return ms_buf_addstr(o, b);
}

/* "2026-12-01 06:41:05 UTC" (report_instant()) */
static int add_time(struct ms_buf *o, double t)
{
	char b[48];
	report_instant(t, b, sizeof(b));
	return ms_buf_addstr(o, b);
}

/* The recording's parts, the incident, the recorder's triggers (marked on
 * every chart), when there are any */
static int recording(struct ms_buf *o, const struct bundle_facts *f)
{
	if (f->parts > 1 &&
	    ms_buf_addf(o, "<dt>recording</dt><dd>%lld bundles; %lld gaps (%.0f s without samples);"
			" %lld samples held twice, loaded once</dd>", f->parts, f->part_gaps, f->gap_s,
			f->overlap) < 0)
		return -1;
	if (f->incident_trigger &&
	    (ms_buf_addstr(o, "<dt>incident</dt><dd>") < 0 || esc(o, f->incident_trigger) < 0 ||
	     ms_buf_addstr(o, " at ") < 0 || add_time(o, f->incident_time) < 0 ||
	     ms_buf_addstr(o, "</dd>") < 0))
		return -1;
	if (!f->triggers_total)
		return 0;
	if (ms_buf_addf(o, "<dt>triggers</dt><dd class=\"triggers\">%lld, in the order they fired"
			" (each marked on the charts)", f->triggers_total) < 0)
		return -1;
	for (size_t i = 0; i < f->ntriggers; i++)
		if (ms_buf_addstr(o, "<br>") < 0 || add_time(o, f->triggers[i].t) < 0 ||
		    ms_buf_addstr(o, " <b>") < 0 || esc(o, f->triggers[i].kind) < 0 ||
		    ms_buf_addstr(o, "</b> ") < 0 || esc(o, f->triggers[i].detail) < 0)
			return -1;
	return ms_buf_addstr(o, "</dd>");
}

static int header(sqlite3 *db, struct ms_buf *o, const struct analysis *a)
{
	const struct bundle_facts *f = &a->facts;
	if (ms_buf_addstr(o, "<h1>memsnap report: ") < 0 || esc(o, f->host) < 0 ||
	    ms_buf_addstr(o, "</h1>\n<dl class=\"meta\"><dt>bundle</dt><dd>") < 0 || esc(o, f->path) < 0 ||
	    ms_buf_addf(o, " (%lld bytes)</dd><dt>host</dt><dd>", f->size) < 0 || esc(o, f->host) < 0 ||
	    ms_buf_addstr(o, ", Linux ") < 0 || esc(o, f->kernel) < 0 ||
	    ms_buf_addf(o, ", %lld CPUs, %lld NUMA node%s</dd><dt>window</dt><dd>", f->cpus,
			f->nodes ? f->nodes : 1, f->nodes > 1 ? "s" : "") < 0 ||
	    add_span(o, f->t_first, f->t_last) < 0 ||
	    ms_buf_addf(o, " (%.0f minutes; host time zone ", (f->t_last - f->t_first) / 60) < 0 ||
	    esc(o, f->tz ? f->tz : "unknown") < 0 || ms_buf_addstr(o, ")</dd>") < 0 ||
	    (f->windowed && (ms_buf_addstr(o, "<dt>selected</dt><dd>") < 0 ||
			     add_span(o, f->win_from, f->win_to) < 0 ||
			     ms_buf_addstr(o, " (--from/--to), of the recording ") < 0 ||
			     add_span(o, f->rec_first, f->rec_last) < 0 || ms_buf_addstr(o, "</dd>") < 0)) ||
	    ms_buf_addf(o, "<dt>samples</dt><dd>%lld, %lld processes seen</dd>", f->samples,
			f->processes) < 0)
		return -1;
	/* the collector's own cost, as the bundle recorded it */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT sum(cpu_us), max(cpu_us), median(cpu_us), sum(missed_ticks),"
			       " max(t) - min(t) FROM sample", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
			double span = sqlite3_column_double(st, 4);
			if (ms_buf_addf(o, "<dt>collector cost</dt><dd>CPU %.2f s in all (%.2f %% of one core),"
					" per sample median %.1f ms, max %.1f ms; %lld missed ticks</dd>",
					sqlite3_column_double(st, 0) / 1e6,
					span > 0 ? sqlite3_column_double(st, 0) / 1e4 / span : 0,
					sqlite3_column_double(st, 2) / 1e3, sqlite3_column_double(st, 1) / 1e3,
					sqlite3_column_int64(st, 3)) < 0) {
				sqlite3_finalize(st);
				return -1;
			}
		}
		sqlite3_finalize(st);
	}
	if (ms_buf_addstr(o, "<dt>bundle end</dt><dd>") < 0 ||
	    (f->corrupt ? ms_buf_addstr(o, "<span class=\"bad\">corrupt</span>: ") < 0 || esc(o, f->damage) < 0
	     : f->truncated ? ms_buf_addstr(o, "<span class=\"bad\">truncated</span> (") < 0 ||
			      esc(o, f->damage ? f->damage : "no trailer") < 0 ||
			      ms_buf_addf(o, "): %lld complete samples", f->samples) < 0
	     : f->clean_end ? ms_buf_addstr(o, "<span class=\"ok\">complete</span> (") < 0 ||
			      esc(o, f->end_reason) < 0 || ms_buf_addstr(o, ")") < 0
	     : ms_buf_addstr(o, "not read (the window ends before it)") < 0) ||
	    ms_buf_addstr(o, "</dd><dt>not seen</dt><dd>") < 0)
		return -1;
	for (size_t i = 0; i < f->ngaps; i++)
		if (esc(o, f->gaps[i]) < 0 || ms_buf_addstr(o, "<br>") < 0)
			return -1;
	if (f->load_errors && ms_buf_addf(o, "%lld lines or records could not be parsed (table load_error)<br>",
					  f->load_errors) < 0)
		return -1;
	if (!f->ngaps && !f->load_errors && ms_buf_addstr(o, "nothing: every read succeeded") < 0)
		return -1;
	return ms_buf_addstr(o, "</dd>") < 0 || recording(o, f) < 0 ? -1 : ms_buf_addstr(o, "</dl>\n");
}

static int finding(sqlite3 *db, struct ms_buf *o, const struct html_charts *hc,
		   const struct finding *x, size_t i, double timeout_s)
{
	const char *sev = rule_severity_name(x->severity);
	char when[96];
	int same = finding_entity_has_kind(x);
	report_span(x->t_start, x->t_end, when, sizeof(when));
	if (ms_buf_addf(o, "<section class=\"finding sev-%s\" data-rule=\"", sev) < 0 || esc(o, x->rule->id) < 0 ||
	    ms_buf_addf(o, "\"><h3><span class=\"badge b-%s\">%s</span>", sev, sev) < 0 ||
	    esc(o, x->rule->title) < 0 || ms_buf_addstr(o, "</h3>\n<div class=\"ent\">") < 0 ||
	    esc(o, x->rule->id) < 0 || ms_buf_addstr(o, " &middot; ") < 0 ||
	    (!same && (esc(o, x->entity_kind) < 0 || ms_buf_addstr(o, " ") < 0)) || esc(o, x->entity) < 0 ||
	    ms_buf_addstr(o, " &middot; ") < 0 || esc(o, when) < 0 ||
	    ms_buf_addstr(o, "</div>\n<p class=\"msg\">") < 0 ||
	    esc(o, x->message) < 0 || ms_buf_addstr(o, "</p>\n") < 0)
		return -1;
	if (x->nev && ms_buf_addstr(o, "<div class=\"ev\">") < 0)
		return -1;
	for (size_t k = 0; k < x->nev; k++) {
		const struct evidence *e = &x->ev[k];
		if (ms_buf_addstr(o, "<div><b>") < 0 || esc(o, e->name) < 0 || ms_buf_addstr(o, "</b> ") < 0)
			return -1;
		int rc = e->type == EV_INT ? ms_buf_addf(o, "%lld", (long long)e->i)
			 : e->type == EV_REAL ? ms_buf_addf(o, "%.4g", e->r)
			 : e->type == EV_TEXT ? esc(o, e->text) : ms_buf_addstr(o, "-");
		if (rc < 0 || ms_buf_addstr(o, "</div>") < 0)
			return -1;
	}
	if (x->nev && ms_buf_addstr(o, "</div>\n") < 0)
		return -1;
	if (i < MAX_FINDING_CHARTS ? html_finding_charts(db, o, hc, x, i, timeout_s) < 0
	    : ms_buf_addstr(o, "<p class=\"note\">(no chart: only the first 40 findings get one)</p>") < 0)
		return -1;
	return ms_buf_addstr(o, "<p class=\"do\"><b>What to do:</b> ") < 0 || esc(o, x->rule->action) < 0 ||
	       ms_buf_addstr(o, "</p>\n<details class=\"why\"><summary>What the rule measures, and why it"
			     " fired</summary><p>") < 0 || esc(o, x->rule->explain) < 0 ||
	       ms_buf_addstr(o, "</p></details></section>\n") < 0 ? -1 : 0;
}

int html_head(struct ms_buf *o, const char *title)
{
	return ms_buf_addstr(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
			     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
			     " style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
			     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			     "<meta name=\"generator\" content=\"memsnap " MEMSNAP_VERSION "\">\n<title>memsnap: ") < 0 ||
	       esc(o, title) < 0 ||
	       ms_buf_addf(o, "</title>\n<style>%s%s</style></head>\n<body><main>\n", css, SVG_CHART_CSS) < 0
	       ? -1 : 0;
}

int html_tail(struct ms_buf *o, const char *note)
{
	return ms_buf_addf(o, "<footer class=\"note\"><p>memsnap %s, %s</p></footer>\n</main>\n"
			   "<script>%s</script>\n</body></html>\n", MEMSNAP_VERSION, note, js);
}

int html_write(FILE *out, struct ms_buf *o, struct ms_err *err)
{
	size_t len = o->len, w = fwrite(o->data, 1, len, out);
	ms_buf_release(o);
	if (w != len || fflush(out) != 0)
		return ms_err_set(err, errno, "writing the report: %s", strerror(errno));
	return 0;
}

/* The rules that could not judge the bundle, and why. */
static int not_judged(struct ms_buf *o, const struct analysis *a)
{
	struct ms_buf b;
	if (ms_buf_init(&b, 256) < 0 || analysis_not_judged(a, &b) < 0 ||
	    ms_buf_addf(o, "<p class=\"bad\" id=\"not-judged\">%zu rule%s could not judge this bundle"
			" (insufficient data):</p><ul>", a->insufficient, a->insufficient == 1 ? "" : "s") < 0) {
		ms_buf_release(&b);
		return -1;
	}
	int rc = 0;
	for (char *line = b.data, *nl; rc == 0 && (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		*nl = '\0';
		rc = ms_buf_addstr(o, "<li>") < 0 || esc(o, line) < 0 || ms_buf_addstr(o, "</li>") < 0 ? -1 : 0;
	}
	ms_buf_release(&b);
	return rc < 0 ? -1 : ms_buf_addstr(o, "</ul>\n");
}

/* The footer and the scripts.  The page's times are in the zone the times
 * are shown in (the process's TZ: cli/display_zone.c), its charts' in
 * hc->tz, which memsnap's commands make the same zone. */
static int footer(struct ms_buf *o, const struct analysis *a, const struct html_charts *hc)
{
	char zone[16];
	report_zone(a->facts.t_first, zone, sizeof(zone));
	return ms_buf_addf(o, "<footer class=\"note\"><p>memsnap %s, %zu rules run. Times are %s",
			   MEMSNAP_VERSION, a->noutcomes, zone) < 0 ||
	       (!hc->tz && strcmp(zone, "UTC") && ms_buf_addstr(o, "; on the charts, UTC") < 0) ||
	       ms_buf_addf(o, ". Charts are downsampled for drawing: each of %d spans of time keeps its"
			   " minimum and maximum. Point at a chart, or focus it and use the arrow keys, for"
			   " the time and the values there.</p></footer>\n</main>\n<script>%s%s</script>\n"
			   "</body></html>\n", SVG_CHART_BUCKETS, js, SVG_CHART_JS) < 0 ? -1 : 0;
}

int html_report(FILE *out, sqlite3 *db, const struct analysis *a, const struct html_options *opt,
		struct ms_err *err)
{
	struct ms_buf o;
	struct html_charts hc = { .tz = opt ? opt->tz : NULL };
	if (ms_buf_init(&o, 1 << 16) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	int rc = html_head(&o, a->facts.host) < 0 || header(db, &o, a) < 0 ? -1 : 0;
	if (rc == 0)
		rc = chart_markers_load(db, HTML_MARKERS_SQL, HTML_MAX_MARKERS, &hc.mk);
	if (rc == 0)
		rc = ms_buf_addf(&o, "<section id=\"findings\"><h2>Findings: %zu (%zu critical, %zu warning, %zu"
				 " info)</h2>\n", a->findings.n, finding_list_count(&a->findings, RULE_CRITICAL),
				 finding_list_count(&a->findings, RULE_WARNING),
				 finding_list_count(&a->findings, RULE_INFO));
	size_t judged = a->noutcomes - a->failed - a->insufficient;
	if (rc == 0 && a->findings.n == 0)
		rc = judged == a->noutcomes ? ms_buf_addstr(&o, "<p>No rule found a problem in this bundle.</p>\n")
		     : ms_buf_addf(&o, "<p class=\"bad\">No finding from the %zu rule%s that judged this bundle;"
				   " the others did not judge it (below): this is not a clean bill of health."
				   "</p>\n", judged, judged == 1 ? "" : "s");
	for (size_t i = 0; rc == 0 && i < a->findings.n; i++)
		rc = finding(db, &o, &hc, &a->findings.f[i], i, a->timeout_s);
	if (rc == 0 && a->failed) {
		rc = ms_buf_addf(&o, "<p class=\"bad\">%zu rule%s failed and could not report:</p><ul>", a->failed,
				 a->failed == 1 ? "" : "s");
		for (size_t i = 0; rc == 0 && i < a->noutcomes; i++)
			if (a->outcomes[i].error)
				rc = ms_buf_addstr(&o, "<li>") < 0 || esc(&o, a->outcomes[i].error) < 0 ||
				     ms_buf_addstr(&o, "</li>") < 0 ? -1 : 0;
		if (rc == 0)
			rc = ms_buf_addstr(&o, "</ul>\n");
	}
	if (rc == 0 && a->insufficient)
		rc = not_judged(&o, a);
	if (rc == 0)
		rc = ms_buf_addstr(&o, "</section>\n") < 0 || html_system(db, &o, &hc, &a->facts) < 0 ||
		     html_processes(db, &o) < 0 ? -1 : 0;
	if (rc == 0)
		rc = footer(&o, a, &hc);
	chart_markers_release(&hc.mk);
	if (rc < 0) {
		ms_err_set(err, errno == ENOMEM ? ENOMEM : EIO, "writing the report: %s",
			   errno == ENOMEM ? "out of memory" : sqlite3_errmsg(db));
		ms_buf_release(&o);
		return -1;
	}
	return html_write(out, &o, err);
}
