/*
 * report_json.c - `memsnap analyze --format json` (docs/report-json.md).
 *
 * One object: format and version, the analyzer's version, the bundle's
 * identity and gaps, every rule selected with its outcome, every finding
 * with its evidence (typed as the query returned it), and the counts.  The
 * structure is stable: fields are added, never renamed or removed, within
 * a version.
 */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "version.h"

#define FINDINGS_FORMAT_VERSION 1

static cJSON *bundle_json(const struct bundle_facts *f);
static cJSON *finding_json(const struct finding *x);
static void add_str(cJSON *o, const char *k, const char *v);
static void add_utc(cJSON *o, const char *k, double t);

/* "2026-12-01T06:41:05Z" */
static void add_utc(cJSON *o, const char *k, double t)
{
	char buf[32];
	report_utc(t, buf, sizeof(buf) - 1);
	buf[10] = 'T';
	size_t n = strlen(buf);
	buf[n] = 'Z';
	buf[n + 1] = '\0';
	cJSON_AddStringToObject(o, k, buf);
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

/* Present only when there is something to say: a recording of several
 * bundles, an incident, triggers */
static void recording_json(cJSON *b, const struct bundle_facts *f)
{
	if (f->parts > 1) {
		cJSON *r = cJSON_AddObjectToObject(b, "recording");
		cJSON_AddNumberToObject(r, "bundles", (double)f->parts);
		cJSON_AddNumberToObject(r, "gaps", (double)f->part_gaps);
		cJSON_AddNumberToObject(r, "gap_seconds", f->gap_s);
		cJSON_AddNumberToObject(r, "overlap_samples", (double)f->overlap);
	}
	if (f->incident_trigger) {
		cJSON *i = cJSON_AddObjectToObject(b, "incident");
		cJSON_AddStringToObject(i, "trigger", f->incident_trigger);
		cJSON_AddNumberToObject(i, "t", f->incident_time);
		add_utc(i, "utc", f->incident_time);
	}
	if (!f->triggers_total)
		return;
	cJSON_AddNumberToObject(b, "triggers_total", (double)f->triggers_total);
	cJSON *a = cJSON_AddArrayToObject(b, "triggers");
	for (size_t k = 0; a && k < f->ntriggers; k++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "t", f->triggers[k].t);
		add_utc(o, "utc", f->triggers[k].t);
		cJSON_AddStringToObject(o, "kind", f->triggers[k].kind);
		add_str(o, "cgroup", f->triggers[k].cgroup);
		cJSON_AddStringToObject(o, "detail", f->triggers[k].detail);
		cJSON_AddItemToArray(a, o);
	}
}

static cJSON *bundle_json(const struct bundle_facts *f)
{
	cJSON *b = cJSON_CreateObject();
	add_str(b, "path", f->path);
	add_str(b, "hash", f->hash);
	cJSON_AddNumberToObject(b, "size", (double)f->size);
	add_str(b, "host", f->host);
	add_str(b, "kernel", f->kernel);
	add_str(b, "timezone", f->tz);
	cJSON_AddNumberToObject(b, "cpus", (double)f->cpus);
	cJSON_AddNumberToObject(b, "nodes", (double)(f->nodes ? f->nodes : 1));
	cJSON_AddNumberToObject(b, "t_first", f->t_first);
	cJSON_AddNumberToObject(b, "t_last", f->t_last);
	add_utc(b, "first_utc", f->t_first);
	add_utc(b, "last_utc", f->t_last);
	cJSON_AddNumberToObject(b, "samples", (double)f->samples);
	cJSON_AddNumberToObject(b, "processes", (double)f->processes);
	cJSON_AddBoolToObject(b, "truncated", f->truncated);
	cJSON_AddBoolToObject(b, "corrupt", f->corrupt);
	add_str(b, "damage", f->damage);
	add_str(b, "end_reason", f->end_reason);
	cJSON_AddNumberToObject(b, "load_errors", (double)f->load_errors);
	cJSON *g = cJSON_AddArrayToObject(b, "not_seen");
	for (size_t i = 0; g && i < f->ngaps; i++)
		cJSON_AddItemToArray(g, cJSON_CreateString(f->gaps[i]));
	recording_json(b, f);
	return b;
}

static cJSON *finding_json(const struct finding *x)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "rule", x->rule->id);
	cJSON_AddStringToObject(o, "severity", rule_severity_name(x->severity));
	cJSON_AddStringToObject(o, "title", x->rule->title);
	cJSON_AddStringToObject(o, "entity_kind", x->entity_kind);
	cJSON_AddStringToObject(o, "entity", x->entity);
	cJSON_AddNumberToObject(o, "t_start", x->t_start);
	cJSON_AddNumberToObject(o, "t_end", x->t_end);
	add_utc(o, "start_utc", x->t_start);
	add_utc(o, "end_utc", x->t_end);
	if (x->has_value)
		cJSON_AddNumberToObject(o, "value", x->value);
	else
		cJSON_AddNullToObject(o, "value");
	cJSON_AddStringToObject(o, "message", x->message);
	cJSON *ev = cJSON_AddObjectToObject(o, "evidence");
	for (size_t i = 0; ev && i < x->nev; i++) {
		const struct evidence *e = &x->ev[i];
		switch (e->type) {
		case EV_INT: cJSON_AddNumberToObject(ev, e->name, (double)e->i); break;
		case EV_REAL: cJSON_AddNumberToObject(ev, e->name, e->r); break;
		case EV_TEXT: cJSON_AddStringToObject(ev, e->name, e->text); break;
		default: cJSON_AddNullToObject(ev, e->name);
		}
	}
	return o;
}

int report_json(FILE *out, const struct analysis *a, struct ms_err *err)
{
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return ms_err_set(err, ENOMEM, "out of memory");
	cJSON_AddStringToObject(root, "format", "memsnap-findings");
	cJSON_AddNumberToObject(root, "version", FINDINGS_FORMAT_VERSION);
	cJSON_AddStringToObject(root, "memsnap_version", MEMSNAP_VERSION);
	cJSON_AddItemToObject(root, "bundle", bundle_json(&a->facts));
	cJSON *rules = cJSON_AddArrayToObject(root, "rules");
	for (size_t i = 0; rules && i < a->noutcomes; i++) {
		const struct rule_outcome *o = &a->outcomes[i];
		cJSON *r = cJSON_CreateObject();
		const struct rule *ru = &o->entry->rule;
		add_str(r, "id", o->entry->error ? NULL : ru->id);
		cJSON_AddStringToObject(r, "origin", o->entry->origin);
		if (!o->entry->error) {
			cJSON_AddStringToObject(r, "severity", rule_severity_name(ru->severity));
			cJSON_AddStringToObject(r, "title", ru->title);
			cJSON_AddStringToObject(r, "explain", ru->explain);
			cJSON_AddStringToObject(r, "action", ru->action);
			cJSON *ps = cJSON_AddObjectToObject(r, "params");
			for (size_t k = 0; ps && k < ru->nparams; k++)
				cJSON_AddStringToObject(ps, ru->params[k].name, ru->params[k].value);
		}
		cJSON_AddStringToObject(r, "status", o->error ? "failed" : "ok");
		add_str(r, "error", o->error);
		cJSON_AddNumberToObject(r, "findings", (double)o->findings);
		cJSON_AddNumberToObject(r, "seconds", o->seconds);
		cJSON_AddItemToArray(rules, r);
	}
	cJSON *fs = cJSON_AddArrayToObject(root, "findings");
	for (size_t i = 0; fs && i < a->findings.n; i++)
		cJSON_AddItemToArray(fs, finding_json(&a->findings.f[i]));
	cJSON *sum = cJSON_AddObjectToObject(root, "summary");
	if (sum) {
		cJSON_AddNumberToObject(sum, "findings", (double)a->findings.n);
		cJSON_AddNumberToObject(sum, "critical", (double)finding_list_count(&a->findings, RULE_CRITICAL));
		cJSON_AddNumberToObject(sum, "warning", (double)finding_list_count(&a->findings, RULE_WARNING));
		cJSON_AddNumberToObject(sum, "info", (double)finding_list_count(&a->findings, RULE_INFO));
		cJSON_AddNumberToObject(sum, "rules", (double)a->noutcomes);
		cJSON_AddNumberToObject(sum, "rules_failed", (double)a->failed);
	}
	char *text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		return ms_err_set(err, ENOMEM, "out of memory");
	fputs(text, out);
	fputc('\n', out);
	cJSON_free(text);
	return 0;
}
