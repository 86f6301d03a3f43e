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

static void add_str(cJSON *o, const char *k, const char *v);

/* "2026-12-01T06:41:05Z" */
void report_json_utc(cJSON *o, const char *k, double t)
{
	char buf[32];
	report_iso_utc(t, buf, sizeof(buf));
	cJSON_AddStringToObject(o, k, buf);
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

cJSON *report_json_bundle(const struct bundle_facts *f)
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
	report_json_utc(b, "first_utc", f->t_first);
	report_json_utc(b, "last_utc", f->t_last);
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
	return b;
}

cJSON *report_json_finding(const struct finding *x)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "rule", x->rule->id);
	cJSON_AddStringToObject(o, "severity", rule_severity_name(x->severity));
	cJSON_AddStringToObject(o, "title", x->rule->title);
	cJSON_AddStringToObject(o, "entity_kind", x->entity_kind);
	cJSON_AddStringToObject(o, "entity", x->entity);
	cJSON_AddNumberToObject(o, "t_start", x->t_start);
	cJSON_AddNumberToObject(o, "t_end", x->t_end);
	report_json_utc(o, "start_utc", x->t_start);
	report_json_utc(o, "end_utc", x->t_end);
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

cJSON *report_json_rule(const struct rule_outcome *o)
{
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
	return r;
}

int report_json_print(FILE *out, cJSON *root, struct ms_err *err)
{
	char *text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		return ms_err_set(err, ENOMEM, "out of memory");
	fputs(text, out);
	fputc('\n', out);
	cJSON_free(text);
	return 0;
}

int report_json(FILE *out, const struct analysis *a, struct ms_err *err)
{
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return ms_err_set(err, ENOMEM, "out of memory");
	cJSON_AddStringToObject(root, "format", "memsnap-findings");
	cJSON_AddNumberToObject(root, "version", FINDINGS_FORMAT_VERSION);
	cJSON_AddStringToObject(root, "memsnap_version", MEMSNAP_VERSION);
	cJSON_AddItemToObject(root, "bundle", report_json_bundle(&a->facts));
	cJSON *rules = cJSON_AddArrayToObject(root, "rules");
	for (size_t i = 0; rules && i < a->noutcomes; i++)
		cJSON_AddItemToArray(rules, report_json_rule(&a->outcomes[i]));
	cJSON *fs = cJSON_AddArrayToObject(root, "findings");
	for (size_t i = 0; fs && i < a->findings.n; i++)
		cJSON_AddItemToArray(fs, report_json_finding(&a->findings.f[i]));
	cJSON *sum = cJSON_AddObjectToObject(root, "summary");
	if (sum) {
		cJSON_AddNumberToObject(sum, "findings", (double)a->findings.n);
		cJSON_AddNumberToObject(sum, "critical", (double)finding_list_count(&a->findings, RULE_CRITICAL));
		cJSON_AddNumberToObject(sum, "warning", (double)finding_list_count(&a->findings, RULE_WARNING));
		cJSON_AddNumberToObject(sum, "info", (double)finding_list_count(&a->findings, RULE_INFO));
		cJSON_AddNumberToObject(sum, "rules", (double)a->noutcomes);
		cJSON_AddNumberToObject(sum, "rules_failed", (double)a->failed);
	}
	return report_json_print(out, root, err);
}
