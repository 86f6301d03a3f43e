/*
 * report_text.c - the terminal report of `memsnap analyze`.
 *
 *   memsnap analyze: HOST, Linux KERNEL, N CPUs, N nodes
 *   window: START to END UTC (DURATION, N samples, N processes)
 *
 *   CRITICAL  leak/process: A process's anonymous memory grows steadily
 *     process 4242 (ms-leak1m)    06:41:05 to 06:51:00
 *       MESSAGE
 *       evidence: name value, name value ...
 *     why: EXPLANATION (wrapped)
 *     do:  ACTION
 *
 *   FAILED    leak/mapping
 *       rules/leak/mapping.sql:40: no such column: ...
 *
 *   could not judge (insufficient data, not a clean bill of health):
 *     leak/ *: needs 5 min, this recording has 20 s
 *
 *   not seen: EACCES smaps_rollup: 12 reads in 12 samples
 *   summary: 3 findings (1 critical, 2 warning, 0 info) ...
 *
 * Findings come sorted (finding_list_sort); a rule's why/do follows its
 * last finding of a severity group.
 */
#include "report.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "ms_buf.h"

#define WIDTH 78

const char *const report_sev_label[3] = { "INFO", "WARNING", "CRITICAL" };
const char *const report_sev_color[3] = { "\033[36m", "\033[33m", "\033[1;31m" };

static void wrap(FILE *out, const char *first, int indent, const char *text);
static void duration(double s, char *buf, size_t size);

static void duration(double s, char *buf, size_t size)
{
	long v = lround(s);
	if (v >= 3600)
		snprintf(buf, size, "%ldh%02ldm", v / 3600, v % 3600 / 60);
	else if (v >= 60)
		snprintf(buf, size, "%ldm%02lds", v / 60, v % 60);
	else
		snprintf(buf, size, "%lds", v);
}

/* Print FIRST, then TEXT wrapped at WIDTH with continuation lines indented
 * by INDENT; paragraphs (blank lines in TEXT) are kept. */
static void wrap(FILE *out, const char *first, int indent, const char *text)
{
	int col = fprintf(out, "%s", first);
	const char *p = text;
	int at_start = 1;
	while (*p) {
		if (p[0] == '\n' && p[1] == '\n') {
			fprintf(out, "\n\n%*s", indent, "");
			col = indent;
			at_start = 1;
			p += 2;
			continue;
		}
		while (*p == ' ' || *p == '\n')
			p++;
		size_t n = strcspn(p, " \n");
		if (n == 0)
			break;
		if (!at_start && col + 1 + (int)n > WIDTH) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
			at_start = 1;
		}
		col += fprintf(out, "%s%.*s", at_start ? "" : " ", (int)n, p);
		at_start = 0;
		p += n;
	}
	fputc('\n', out);
}

void report_recording(FILE *out, const struct bundle_facts *f)
{
	char t[48], span[32];
	if (f->parts > 1) {
		duration(f->gap_s, span, sizeof(span));
		fprintf(out, "recording: %lld bundles; %lld gap%s (%s without samples); %lld samples held "
			"twice, loaded once (table recording_part)\n", f->parts, f->part_gaps,
			f->part_gaps == 1 ? "" : "s", span, f->overlap);
	}
	if (f->incident_trigger) {
		report_instant(f->incident_time, t, sizeof(t));
		fprintf(out, "incident: %s at %s\n", f->incident_trigger, t);
	}
	if (!f->triggers_total)
		return;
	fprintf(out, "triggers: %lld, in the order they fired%s\n", f->triggers_total,
		(size_t)f->triggers_total > f->ntriggers ? " (the first ones)" : "");
	for (size_t i = 0; i < f->ntriggers; i++) {
		report_instant(f->triggers[i].t, t, sizeof(t));
		fprintf(out, "  %s  %-12s %s\n", t, f->triggers[i].kind, f->triggers[i].detail);
	}
}

/* The rules that failed, with their errors, and those that could not judge. */
static void not_judged(FILE *out, const struct analysis *a, int color)
{
	int first = 1;
	for (size_t i = 0; i < a->noutcomes; i++) {
		const struct rule_outcome *o = &a->outcomes[i];
		if (!o->error)
			continue;
		fprintf(out, "%s%s%-8s%s  %s\n", first ? "\n" : "", color ? report_sev_color[RULE_CRITICAL] : "",
			"FAILED", color ? "\033[0m" : "", o->entry->error ? o->entry->origin : o->entry->rule.id);
		first = 0;
		fprintf(out, "    %s\n", o->error);  /* whole: FILE:LINE and the text as they are */
	}
	struct ms_buf b;
	if (!a->insufficient || ms_buf_init(&b, 256) < 0)
		return;
	if (analysis_not_judged(a, &b) == 0) {
		fputs("\ncould not judge (insufficient data, not a clean bill of health):\n", out);
		for (char *line = b.data, *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
			*nl = '\0';
			wrap(out, "  ", 4, line);
		}
	}
	ms_buf_release(&b);
}

void report_text(FILE *out, const struct analysis *a, sqlite3 *db, int color, int use_ascii)
{
	const struct bundle_facts *f = &a->facts;
	char t0[32], t1[32], span[32], win[96];
	report_span(f->t_first, f->t_last, win, sizeof(win));
	duration(f->t_last - f->t_first, span, sizeof(span));
	fprintf(out, "memsnap analyze: %s, Linux %s, %lld CPUs, %lld NUMA node%s\n",
		f->host ? f->host : "?", f->kernel ? f->kernel : "?", f->cpus,
		f->nodes ? f->nodes : 1, f->nodes > 1 ? "s" : "");
	fprintf(out, "window: %s (%s, %lld samples, %lld processes)\n", win, span, f->samples,
		f->processes);
	if (f->windowed) {
		char sel[96], rec[96], line[240];
		report_span(f->win_from, f->win_to, sel, sizeof(sel));
		report_span(f->rec_first, f->rec_last, rec, sizeof(rec));
		snprintf(line, sizeof(line), "%s (--from/--to), of the recording %s", sel, rec);
		wrap(out, "selected: ", 2, line);
	}
	if (f->truncated || f->corrupt)
		fprintf(out, "bundle: %s (%s): the findings cover the %lld complete samples only\n",
			f->corrupt ? "CORRUPT" : "truncated", f->damage ? f->damage : "no trailer",
			f->samples);
	report_recording(out, f);
	if (db)
		report_timeline(out, db, use_ascii);

	const char *reset = color ? "\033[0m" : "";
	for (size_t i = 0; i < a->findings.n; i++) {
		const struct finding *x = &a->findings.f[i];
		int first = i == 0 || a->findings.f[i - 1].rule != x->rule ||
			    a->findings.f[i - 1].severity != x->severity;
		int last = i + 1 == a->findings.n || a->findings.f[i + 1].rule != x->rule ||
			   a->findings.f[i + 1].severity != x->severity;
		if (first)
			fprintf(out, "\n%s%-8s%s  %s: %s\n", color ? report_sev_color[x->severity] : "",
				report_sev_label[x->severity], reset, x->rule->id, x->rule->title);
		report_local(x->t_start, t0, sizeof(t0));
		report_local(x->t_end, t1, sizeof(t1));
		duration(x->t_end - x->t_start, span, sizeof(span));
		int same = finding_entity_has_kind(x);
		fprintf(out, "  %s%s%s    ", x->entity_kind, same ? "" : " ", same ? "" : x->entity);
		if (x->t_end > x->t_start)
			fprintf(out, "%s to %s (%s)\n", t0 + 11, t1 + 11, span);
		else
			fprintf(out, "at %s\n", t0 + 11);
		wrap(out, "    ", 4, x->message);
		if (x->nev) {
			char line[96];
			int w = snprintf(line, sizeof(line), "    evidence:");
			fputs(line, out);
			int col = w;
			for (size_t k = 0; k < x->nev; k++) {
				const struct evidence *e = &x->ev[k];
				char val[64];
				if (e->type == EV_INT)
					snprintf(val, sizeof(val), "%lld", (long long)e->i);
				else if (e->type == EV_REAL)
					snprintf(val, sizeof(val), "%.4g", e->r);
				else if (e->type == EV_NULL)
					snprintf(val, sizeof(val), "-");
				int n = (int)strlen(e->name) + 1 +
					(int)(e->type == EV_TEXT ? strlen(e->text) : strlen(val));
				if (col + 1 + n > WIDTH && col > w) {
					fprintf(out, "\n%*s", w, "");
					col = w;
				}
				col += fprintf(out, " %s=%s", e->name, e->type == EV_TEXT ? e->text : val);
			}
			fputc('\n', out);
		}
		if (last) {
			wrap(out, "  why: ", 7, x->rule->explain);
			wrap(out, "  do:  ", 7, x->rule->action);
		}
	}
	size_t judged = a->noutcomes - a->failed - a->insufficient;
	if (a->findings.n == 0 && judged == a->noutcomes)
		fputs("\nno findings\n", out);
	else if (a->findings.n == 0 && judged)
		fprintf(out, "\nno findings from the %zu rule%s that judged this recording (not the "
			"others: below)\n", judged, judged == 1 ? "" : "s");
	else if (a->findings.n == 0)
		fputs("\nno findings, and no rule could judge this recording (below): this is not a "
		      "clean bill of health\n", out);
	not_judged(out, a, color);

	fputc('\n', out);
	for (size_t i = 0; i < f->ngaps; i++)
		fprintf(out, "not seen: %s\n", f->gaps[i]);
	if (f->load_errors)
		fprintf(out, "not seen: %lld lines or records could not be parsed (table load_error)\n",
			f->load_errors);
	fprintf(out, "summary: %zu finding%s (%zu critical, %zu warning, %zu info) from %zu rule%s",
		a->findings.n, a->findings.n == 1 ? "" : "s",
		finding_list_count(&a->findings, RULE_CRITICAL),
		finding_list_count(&a->findings, RULE_WARNING),
		finding_list_count(&a->findings, RULE_INFO), a->noutcomes,
		a->noutcomes == 1 ? "" : "s");
	if (a->insufficient)
		fprintf(out, ", %zu could not judge (insufficient data)", a->insufficient);
	if (a->failed)
		fprintf(out, ", %s%zu FAILED%s (see the errors above)", color ? report_sev_color[RULE_CRITICAL] : "",
			a->failed, reset);
	fprintf(out, "; bundle %s\n", f->corrupt ? "corrupt" : f->truncated ? "truncated" : "complete");
}

void report_tsv_field(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, out);
}

/* A field that may be missing: "-" then. */
static void tsv_opt(FILE *out, const char *s)
{
	fputc('\t', out);
	if (s)
		report_tsv_field(out, s);
	else
		fputc('-', out);
}

static void tsv_finding(FILE *out, const struct finding *x)
{
	const struct finding_subject *sj = &x->subject;
	char t0[32], t1[32];
	report_utc(x->t_start, t0, sizeof(t0));
	report_utc(x->t_end, t1, sizeof(t1));
	t0[10] = t1[10] = 'T';
	fprintf(out, "%s\t%s\t", rule_severity_name(x->severity), x->rule->id);
	report_tsv_field(out, x->entity_kind);
	fputc('\t', out);
	report_tsv_field(out, x->entity);
	fprintf(out, "\t%sZ\t%sZ\t", t0, t1);
	if (x->has_value)
		fprintf(out, "%.6g", x->value);
	else
		fputc('-', out);
	fputc('\t', out);
	report_tsv_field(out, x->message);
	tsv_opt(out, finding_value_unit(x) ? finding_value_unit(x)->name : NULL);
	if (sj->has_process)
		fprintf(out, "\t%" PRId64, sj->pid);
	else
		fputs("\t-", out);
	tsv_opt(out, sj->comm);
	tsv_opt(out, sj->cgroup);
	if (sj->has_node)
		fprintf(out, "\t%" PRId64, sj->node);
	else
		fputs("\t-", out);
	tsv_opt(out, sj->zone);
	if (sj->has_mapping)
		fprintf(out, "\t0x%" PRIx64 "\t0x%" PRIx64 "\n", sj->mapping_start, sj->mapping_end);
	else
		fputs("\t-\t-\n", out);
}

const char report_tsv_header[] = "severity\trule\tentity_kind\tentity\tstart_utc\tend_utc\tvalue\tmessage\t"
				 "value_unit\tpid\tcomm\tcgroup\tnode\tzone\tmapping_start\tmapping_end\n";

/* The fleet's first column: HOST and a tab (nothing for one host). */
static void tsv_host(FILE *out, const char *host)
{
	if (host) {
		report_tsv_field(out, host);
		fputc('\t', out);
	}
}

void report_tsv_rows(FILE *out, const struct analysis *a, const char *host)
{
	for (size_t i = 0; i < a->findings.n; i++) {
		tsv_host(out, host);
		tsv_finding(out, &a->findings.f[i]);
	}
	/* the rules that did not judge: failed (the message is the error) or
	 * could not (the message says why) */
	for (size_t i = 0; i < a->noutcomes; i++) {
		const struct rule_outcome *o = &a->outcomes[i];
		const char *why = o->error ? o->error : o->insufficient;
		if (!why)
			continue;
		tsv_host(out, host);
		fprintf(out, "%s\t", o->error ? "failed" : "insufficient");
		report_tsv_field(out, o->entry->error ? o->entry->origin : o->entry->rule.id);
		fputs("\t-\t-\t-\t-\t-\t", out);
		report_tsv_field(out, why);
		fputs("\t-\t-\t-\t-\t-\t-\t-\t-\n", out);
	}
	/* a recorder's triggers: kind, the cgroup named (the entity), time,
	 * the line's fields as the message */
	const struct bundle_facts *f = &a->facts;
	for (size_t i = 0; i < f->ntriggers; i++) {
		const struct fact_trigger *t = &f->triggers[i];
		char ts[32];
		report_utc(t->t, ts, sizeof(ts));
		tsv_host(out, host);
		fputs("trigger\t", out);
		report_tsv_field(out, t->kind);
		fputs(t->cgroup ? "\tcgroup\t" : "\tsystem\t", out);
		report_tsv_field(out, t->cgroup ? t->cgroup : "-");
		fprintf(out, "\t%s\t%s\t-\t", ts, ts);
		report_tsv_field(out, t->detail);
		fputs("\t-\t-\t-\t", out);
		report_tsv_field(out, t->cgroup ? t->cgroup : "-");
		fputs("\t-\t-\t-\t-\n", out);
	}
}

void report_tsv(FILE *out, const struct analysis *a)
{
	fputs(report_tsv_header, out);
	report_tsv_rows(out, a, NULL);
}
