/*
 * report_fleet.c - the analysis of many hosts as text, JSON and TSV.
 *
 *   memsnap fleet: 40 hosts (39 analyzed, 1 failed), 2026-12-01 13:55 to 14:25 UTC
 *
 *   CRITICAL  leak/process orders-svc on 37 of 40 hosts, onset 14:02-14:09 UTC
 *               web-01, web-02, ... and 29 more
 *   ...
 *   host       findings  critical  warning  info  samples  window (UTC)
 *   ...
 *   largest process anon growth (RssAnon + VmSwap, first to last sample):
 *   ...
 *   not analyzed:
 *     web-40.tar.zst: ...
 *   summary: ...
 *
 * Times are in the zone the times are shown in (--tz, TZ, else UTC:
 * report_local), named after each; times of day are printed alone when
 * every host's window lies in one day there (the header says which), with
 * the date otherwise.
 */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#define FLEET_FORMAT_VERSION 1
#define HOSTS_LISTED 8  /* a group names at most this many hosts in text */

struct span {
	double t0, t1;
	int one_day;        /* every time falls on the day of t0 */
	char zone[16];      /* the zone's abbreviation at t0 ("UTC", "CET") */
};

static struct span fleet_span(const struct fleet *f)
{
	struct span s = { NAN, NAN, 1, "UTC" };
	if (fleet_window(f, &s.t0, &s.t1) < 0)
		return s;
	char d0[32], d1[32];
	report_local(s.t0, d0, sizeof(d0));
	report_local(s.t1, d1, sizeof(d1));
	s.one_day = !strncmp(d0, d1, 10);
	report_zone(s.t0, s.zone, sizeof(s.zone));
	return s;
}

/* "14:02" or "2026-12-01 14:02" */
static void when(const struct span *s, double t, char *buf, size_t size)
{
	char full[32];
	report_local(t, full, sizeof(full));
	full[16] = '\0';
	snprintf(buf, size, "%s", s->one_day ? full + 11 : full);
}

static void group_text(FILE *out, const struct fleet *f, const struct fleet_group *g,
		       const struct span *s, int color)
{
	char a[32], b[32];
	when(s, g->onset_first, a, sizeof(a));
	when(s, g->onset_last, b, sizeof(b));
	fprintf(out, "%s%-8s%s  %s %s on %zu of %zu hosts, onset %s%s%s %s\n",
		color ? report_sev_color[g->worst] : "", report_sev_label[g->worst], color ? "\033[0m" : "",
		g->rule->id, g->identity, g->nhosts, f->n, a, strcmp(a, b) ? "-" : "", strcmp(a, b) ? b : "",
		s->zone);
	fputs("           ", out);
	for (size_t i = 0; i < g->nhosts && i < HOSTS_LISTED; i++)
		fprintf(out, "%s%s", i ? ", " : "", f->h[g->hosts[i]].label);
	if (g->nhosts > HOSTS_LISTED)
		fprintf(out, " and %zu more", g->nhosts - HOSTS_LISTED);
	fputc('\n', out);
}

/* The width of the hosts' column: the longest label of a host that ran. */
static int label_width(const struct fleet *f)
{
	size_t w = 4;
	for (size_t i = 0; i < f->n; i++)
		if (f->h[i].ran && strlen(f->h[i].label) > w)
			w = strlen(f->h[i].label);
	return (int)(w > 40 ? 40 : w);
}

static void hosts_text(FILE *out, const struct fleet *f, const struct span *s)
{
	int w = label_width(f);
	fprintf(out, "\n%-*s  findings  critical  warning  info  samples  window (%s)\n", w, "host", s->zone);
	for (size_t i = 0; i < f->n; i++) {
		const struct fleet_host *h = &f->h[i];
		if (!h->ran)
			continue;
		const struct finding_list *l = &h->a.findings;
		char a[32], b[32];
		when(s, h->a.facts.t_first, a, sizeof(a));
		when(s, h->a.facts.t_last, b, sizeof(b));
		fprintf(out, "%-*s  %8zu  %8zu  %7zu  %4zu  %7lld  %s to %s%s\n", w, h->label, l->n,
			finding_list_count(l, RULE_CRITICAL), finding_list_count(l, RULE_WARNING),
			finding_list_count(l, RULE_INFO), h->a.facts.samples, a, b,
			h->a.failed ? " (rules failed)" : "");
	}
}

static void growth_text(FILE *out, const struct fleet *f)
{
	size_t n;
	const struct fleet_host **v = fleet_by_growth(f, &n);
	if (v && n) {
		int w = label_width(f);
		fputs("\nlargest process anon growth (RssAnon + VmSwap, its first to its last sample):\n", out);
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%-*s  %12s  %lld (%s)\n", w, v[i]->label, v[i]->growth.text, v[i]->growth.pid,
				v[i]->growth.comm);
	}
	free(v);
}

void report_fleet_text(FILE *out, const struct fleet *f, int color)
{
	struct span s = fleet_span(f);
	size_t ran = fleet_ran(f);
	char a[32], b[32];
	fprintf(out, "memsnap fleet: %zu host%s (%zu analyzed, %zu failed)", f->n, f->n == 1 ? "" : "s", ran,
		f->n - ran);
	if (ran) {
		report_local(s.t0, a, sizeof(a));
		report_local(s.t1, b, sizeof(b));
		a[16] = b[16] = '\0';
		fprintf(out, ", %s to %s %s", a, s.one_day ? b + 11 : b, s.zone);
	}
	fputc('\n', out);
	if (f->ng)
		fputc('\n', out);
	for (size_t i = 0; i < f->ng; i++)
		group_text(out, f, &f->g[i], &s, color);
	if (ran && !f->ng)
		fputs("\nno findings on any host\n", out);
	if (ran)
		hosts_text(out, f, &s);
	growth_text(out, f);
	if (ran < f->n) {
		fputs("\nnot analyzed:\n", out);
		for (size_t i = 0; i < f->n; i++)
			if (!f->h[i].ran)
				fprintf(out, "  %s\n", f->h[i].error ? f->h[i].error : "out of memory");
	}
	fprintf(out, "\nsummary: %zu finding%s (%zu critical, %zu warning, %zu info) in %zu group%s on %zu of %zu "
		"hosts; 'memsnap analyze BUNDLE' for a host's own findings\n", fleet_findings(f, -1),
		fleet_findings(f, -1) == 1 ? "" : "s", fleet_findings(f, RULE_CRITICAL),
		fleet_findings(f, RULE_WARNING), fleet_findings(f, RULE_INFO), f->ng, f->ng == 1 ? "" : "s", ran, f->n);
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

static cJSON *growth_json(const struct fleet_growth *g)
{
	if (!g->has)
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "pid", (double)g->pid);
	cJSON_AddStringToObject(o, "comm", g->comm);
	cJSON_AddNumberToObject(o, "bytes", g->bytes);
	cJSON_AddNumberToObject(o, "t_first", g->t0);
	cJSON_AddNumberToObject(o, "t_last", g->t1);
	return o;
}

static cJSON *host_json(const struct fleet_host *h)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "host", h->label);
	add_str(o, "hostname", h->hostname);
	add_str(o, "boot_id", h->boot_id);
	add_str(o, "source", h->source);
	cJSON_AddStringToObject(o, "status", h->ran ? "ok" : "failed");
	add_str(o, "error", h->error);
	add_str(o, "report", h->report);
	if (!h->ran)
		return o;
	cJSON_AddItemToObject(o, "bundle", report_json_bundle(&h->a.facts));
	cJSON_AddItemToObject(o, "growth", growth_json(&h->growth));
	cJSON_AddItemToObject(o, "summary", report_json_summary(&h->a));
	cJSON *errs = cJSON_AddArrayToObject(o, "rule_errors");
	for (size_t i = 0; errs && i < h->a.noutcomes; i++)
		if (h->a.outcomes[i].error)
			cJSON_AddItemToArray(errs, cJSON_CreateString(h->a.outcomes[i].error));
	return o;
}

static cJSON *group_json(const struct fleet *f, const struct fleet_group *g)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "rule", g->rule->id);
	cJSON_AddStringToObject(o, "severity", rule_severity_name(g->worst));
	cJSON_AddStringToObject(o, "entity_kind", g->entity_kind);
	cJSON_AddStringToObject(o, "identity", g->identity);
	cJSON_AddNumberToObject(o, "hosts", (double)g->nhosts);
	cJSON_AddNumberToObject(o, "of", (double)f->n);
	cJSON_AddNumberToObject(o, "findings", (double)g->findings);
	cJSON_AddNumberToObject(o, "t_onset_first", g->onset_first);
	cJSON_AddNumberToObject(o, "t_onset_last", g->onset_last);
	report_json_utc(o, "onset_first_utc", g->onset_first);
	report_json_utc(o, "onset_last_utc", g->onset_last);
	cJSON *hs = cJSON_AddArrayToObject(o, "host_names");
	for (size_t i = 0; hs && i < g->nhosts; i++)
		cJSON_AddItemToArray(hs, cJSON_CreateString(f->h[g->hosts[i]].label));
	return o;
}

/* The rules as the first host that ran had them, over the hosts: the
 * findings and seconds summed, "failed" when a host's run failed (its
 * error the first), "insufficient-data" when no host could judge (its
 * reason the first), else "ok"; how many hosts failed and could not judge. */
static cJSON *rules_json(const struct fleet *f)
{
	cJSON *rules = cJSON_CreateArray();
	const struct fleet_host *first = NULL;
	for (size_t i = 0; i < f->n && !first; i++)
		first = f->h[i].ran ? &f->h[i] : NULL;
	for (size_t r = 0; rules && first && r < first->a.noutcomes; r++) {
		struct rule_outcome sum = { first->a.outcomes[r].entry, NULL, NULL, 0, 0 };
		size_t failed = 0, insufficient = 0, judged = 0;
		const char *reason = NULL;
		for (size_t i = 0; i < f->n; i++) {
			const struct analysis *a = &f->h[i].a;
			if (!f->h[i].ran || r >= a->noutcomes)
				continue;
			const struct rule_outcome *o = &a->outcomes[r];
			sum.findings += o->findings;
			sum.seconds += o->seconds;
			failed += o->error != NULL;
			insufficient += !o->error && o->insufficient;
			judged += !o->error && !o->insufficient;
			sum.error = sum.error ? sum.error : o->error;
			reason = reason ? reason : o->insufficient;
		}
		/* borrowed: report_json_rule() copies what it prints */
		sum.insufficient = !failed && !judged ? (char *)reason : NULL;
		cJSON *o = report_json_rule(&sum);
		cJSON_AddNumberToObject(o, "hosts_failed", (double)failed);
		cJSON_AddNumberToObject(o, "hosts_insufficient", (double)insufficient);
		cJSON_AddItemToArray(rules, o);
	}
	return rules;
}

int report_fleet_json(FILE *out, const struct fleet *f, struct ms_err *err)
{
	cJSON *root = report_json_root("memsnap-fleet", FLEET_FORMAT_VERSION);
	if (!root)
		return ms_err_set(err, ENOMEM, "out of memory");
	cJSON *hosts = cJSON_AddArrayToObject(root, "hosts");
	for (size_t i = 0; hosts && i < f->n; i++)
		cJSON_AddItemToArray(hosts, host_json(&f->h[i]));
	cJSON_AddItemToObject(root, "rules", rules_json(f));
	cJSON *groups = cJSON_AddArrayToObject(root, "groups");
	for (size_t i = 0; groups && i < f->ng; i++)
		cJSON_AddItemToArray(groups, group_json(f, &f->g[i]));
	cJSON *fs = cJSON_AddArrayToObject(root, "findings");
	for (size_t i = 0; fs && i < f->n; i++)
		for (size_t k = 0; f->h[i].ran && k < f->h[i].a.findings.n; k++) {
			cJSON *o = report_json_finding(&f->h[i].a.findings.f[k]);
			cJSON_AddItemToArray(fs, o);
			cJSON_AddStringToObject(o, "host", f->h[i].label);
		}
	size_t ran = fleet_ran(f), failed_rules = 0, insufficient = 0;
	for (size_t i = 0; i < f->n; i++) {
		failed_rules += f->h[i].ran ? f->h[i].a.failed : 0;
		insufficient += f->h[i].ran ? f->h[i].a.insufficient : 0;
	}
	cJSON *sum = cJSON_AddObjectToObject(root, "summary");
	if (sum) {
		cJSON_AddNumberToObject(sum, "hosts", (double)f->n);
		cJSON_AddNumberToObject(sum, "analyzed", (double)ran);
		cJSON_AddNumberToObject(sum, "failed", (double)(f->n - ran));
		cJSON_AddNumberToObject(sum, "groups", (double)f->ng);
		cJSON_AddNumberToObject(sum, "findings", (double)fleet_findings(f, -1));
		cJSON_AddNumberToObject(sum, "critical", (double)fleet_findings(f, RULE_CRITICAL));
		cJSON_AddNumberToObject(sum, "warning", (double)fleet_findings(f, RULE_WARNING));
		cJSON_AddNumberToObject(sum, "info", (double)fleet_findings(f, RULE_INFO));
		cJSON_AddNumberToObject(sum, "rules_failed", (double)failed_rules);
		cJSON_AddNumberToObject(sum, "rules_insufficient", (double)insufficient);
	}
	return report_json_print(out, root, err);
}

void report_fleet_tsv(FILE *out, const struct fleet *f)
{
	fprintf(out, "host\t%s", report_tsv_header);
	for (size_t i = 0; i < f->n; i++)
		if (f->h[i].ran)
			report_tsv_rows(out, &f->h[i].a, f->h[i].label);
}
