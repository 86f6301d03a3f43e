/*
 * report_json.c - `memsnap analyze --format json` (docs/report-json.md).
 *
 * One object: format and version, the analyzer's version, the bundle's
 * identity and gaps, every rule selected with its outcome and typed
 * parameters, every finding with its subject (the entity, typed), its
 * evidence (typed as the query returned it) and units, and the counts.
 * The structure is stable: fields are added, never renamed or removed,
 * within a version; docs/report-json.schema.json describes it.
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "version.h"

#define FINDINGS_FORMAT_VERSION 1

static cJSON *window_json(const struct bundle_facts *f);
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
		report_json_utc(i, "utc", f->incident_time);
	}
	if (!f->triggers_total)
		return;
	cJSON_AddNumberToObject(b, "triggers_total", (double)f->triggers_total);
	cJSON *a = cJSON_AddArrayToObject(b, "triggers");
	for (size_t k = 0; a && k < f->ntriggers; k++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "t", f->triggers[k].t);
		report_json_utc(o, "utc", f->triggers[k].t);
		cJSON_AddStringToObject(o, "kind", f->triggers[k].kind);
		add_str(o, "cgroup", f->triggers[k].cgroup);
		cJSON_AddStringToObject(o, "detail", f->triggers[k].detail);
		cJSON_AddItemToArray(a, o);
	}
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
	cJSON_AddItemToObject(b, "window", window_json(f));
	cJSON *g = cJSON_AddArrayToObject(b, "not_seen");
	for (size_t i = 0; g && i < f->ngaps; i++)
		cJSON_AddItemToArray(g, cJSON_CreateString(f->gaps[i]));
	recording_json(b, f);
	return b;
}

/* the --from/--to the load was cut to, and the whole bundle's first and
 * last sample; null for the whole bundle */
static cJSON *window_json(const struct bundle_facts *f)
{
	if (!f->windowed)
		return cJSON_CreateNull();
	static const char *const keys[] = { "from", "to", "recording_first", "recording_last" };
	const double t[] = { f->win_from, f->win_to, f->rec_first, f->rec_last };
	cJSON *w = cJSON_CreateObject();
	for (size_t i = 0; i < 4; i++)
		cJSON_AddNumberToObject(w, keys[i], t[i]);
	for (size_t i = 0; i < 4; i++) {
		char k[32];
		snprintf(k, sizeof(k), "%s_utc", keys[i]);
		report_json_utc(w, k, t[i]);
	}
	return w;
}

/* A unit's name, or null when none is declared. */
static void add_unit(cJSON *o, const char *k, const struct rule_unit *u)
{
	add_str(o, k, u ? u->name : NULL);
}

static void add_num(cJSON *o, const char *k, int has, double v)
{
	if (has && isfinite(v))
		cJSON_AddNumberToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

/* "0x7f3a2c000000" */
static void add_addr(cJSON *o, const char *k, int has, uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	add_str(o, k, has ? buf : NULL);
}

/* What the finding is about: every key present, null where it does not apply. */
static cJSON *subject_json(const struct finding *x)
{
	const struct finding_subject *sj = &x->subject;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "kind", x->entity_kind);
	add_num(o, "process_id", sj->has_process, (double)sj->process_id);
	add_num(o, "pid", sj->has_process, (double)sj->pid);
	add_num(o, "start_ticks", sj->has_process, (double)sj->start_ticks);
	add_num(o, "start_time", sj->has_start_time, sj->start_time);
	if (sj->has_start_time)
		report_json_utc(o, "start_utc", sj->start_time);
	else
		cJSON_AddNullToObject(o, "start_utc");
	add_str(o, "comm", sj->comm);
	add_num(o, "cgroup_id", sj->has_cgroup, (double)sj->cgroup_id);
	add_str(o, "cgroup", sj->cgroup);
	add_num(o, "node", sj->has_node, (double)sj->node);
	add_str(o, "zone", sj->zone);
	add_addr(o, "mapping_start", sj->has_mapping, sj->mapping_start);
	add_addr(o, "mapping_end", sj->has_mapping, sj->mapping_end);
	return o;
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
	add_unit(o, "value_unit", finding_value_unit(x));
	cJSON_AddStringToObject(o, "message", x->message);
	cJSON_AddItemToObject(o, "subject", subject_json(x));
	cJSON *units = cJSON_AddObjectToObject(o, "evidence_units");
	for (size_t i = 0; units && i < x->nev; i++)
		add_unit(units, x->ev[i].name, x->ev[i].unit);
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

/* One parameter: its value typed (a number in its unit, or text), its
 * default, unit and range. */
static cJSON *param_json(const struct rule_param *p)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", p->name);
	for (int k = 0; k < 2; k++) {
		const char *v = k ? p->def : p->value, *key = k ? "default" : "value";
		if (!p->text) {
			cJSON_AddNumberToObject(o, key, strtod(v, NULL));
			continue;
		}
		size_t n = strlen(v);  /* 'it''s' -> it's */
		char *t = malloc(n);
		size_t m = 0;
		for (size_t i = 1; t && i + 1 < n; i++) {
			t[m++] = v[i];
			i += v[i] == '\'';
		}
		if (t)
			t[m] = '\0';
		add_str(o, key, t);
		free(t);
	}
	cJSON_AddBoolToObject(o, "set", strcmp(p->value, p->def) != 0);
	add_str(o, "unit", p->text ? NULL : p->u.name[0] ? p->u.name : "1");
	add_num(o, "min", p->has_range, p->lo);
	add_num(o, "max", p->has_range, p->hi);
	cJSON_AddBoolToObject(o, "min_included", p->has_range && isfinite(p->lo) && !p->lo_open);
	cJSON_AddBoolToObject(o, "max_included", p->has_range && isfinite(p->hi) && !p->hi_open);
	return o;
}

/* A rule's needs: lines, with the parameters' values: a span in seconds. */
static cJSON *needs_json(const struct rule *r)
{
	static const char *const what[] = {
		[RULE_NEED_SPAN] = "span_s", [RULE_NEED_SAMPLES] = "samples",
		[RULE_NEED_INTERVALS] = "intervals", [RULE_NEED_ROLLUP] = "rollup_samples",
		[RULE_NEED_SMAPS] = "smaps_samples",
	};
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; o && i < r->nneeds; i++) {
		const struct rule_need *n = &r->needs[i];
		double v = rule_need_amount(r, n);
		cJSON *prev = cJSON_GetObjectItemCaseSensitive(o, what[n->kind]);
		if (!prev)
			cJSON_AddNumberToObject(o, what[n->kind], v);
		else if (v > prev->valuedouble)
			cJSON_SetNumberValue(prev, v);
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
		cJSON *pa = cJSON_AddArrayToObject(r, "parameters");
		for (size_t k = 0; pa && k < ru->nparams; k++)
			cJSON_AddItemToArray(pa, param_json(&ru->params[k]));
		cJSON_AddItemToObject(r, "needs", needs_json(ru));
	}
	cJSON_AddStringToObject(r, "status", o->error ? "failed" : o->insufficient ? "insufficient-data"
				: "ok");
	add_str(r, "error", o->error);
	add_str(r, "reason", o->insufficient);
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

cJSON *report_json_summary(const struct analysis *a)
{
	cJSON *sum = cJSON_CreateObject();
	cJSON_AddNumberToObject(sum, "findings", (double)a->findings.n);
	cJSON_AddNumberToObject(sum, "critical", (double)finding_list_count(&a->findings, RULE_CRITICAL));
	cJSON_AddNumberToObject(sum, "warning", (double)finding_list_count(&a->findings, RULE_WARNING));
	cJSON_AddNumberToObject(sum, "info", (double)finding_list_count(&a->findings, RULE_INFO));
	cJSON_AddNumberToObject(sum, "rules", (double)a->noutcomes);
	cJSON_AddNumberToObject(sum, "rules_failed", (double)a->failed);
	cJSON_AddNumberToObject(sum, "rules_insufficient", (double)a->insufficient);
	return sum;
}

cJSON *report_json_root(const char *format, int version)
{
	cJSON *root = cJSON_CreateObject();
	if (root) {
		cJSON_AddStringToObject(root, "format", format);
		cJSON_AddNumberToObject(root, "version", version);
		cJSON_AddStringToObject(root, "memsnap_version", MEMSNAP_VERSION);
	}
	return root;
}

int report_json(FILE *out, const struct analysis *a, struct ms_err *err)
{
	cJSON *root = report_json_root("memsnap-findings", FINDINGS_FORMAT_VERSION);
	if (!root)
		return ms_err_set(err, ENOMEM, "out of memory");
	cJSON_AddItemToObject(root, "bundle", report_json_bundle(&a->facts));
	cJSON *rules = cJSON_AddArrayToObject(root, "rules");
	for (size_t i = 0; rules && i < a->noutcomes; i++)
		cJSON_AddItemToArray(rules, report_json_rule(&a->outcomes[i]));
	cJSON *fs = cJSON_AddArrayToObject(root, "findings");
	for (size_t i = 0; fs && i < a->findings.n; i++)
		cJSON_AddItemToArray(fs, report_json_finding(&a->findings.f[i]));
	cJSON_AddItemToObject(root, "summary", report_json_summary(a));
	return report_json_print(out, root, err);
}
