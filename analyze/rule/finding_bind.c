/*
 * finding_bind.c - a finding's columns as the parameters of its rule's
 * chart queries and titles (see finding.h, docs/rules.md "Charts").
 */
#include "finding.h"

#include <stdio.h>
#include <string.h>

#include "ms_buf.h"
#include "rule_chart.h"

/* Column NAME (LEN bytes) of F as a typed value (text borrowed); 0, or -1
 * when F has no such column. */
static int column(const struct finding *f, const char *name, size_t len, struct evidence *v)
{
#define IS(s) (len == strlen(s) && !memcmp(name, s, len))
	memset(v, 0, sizeof(*v));
	if (IS("entity_kind") || IS("entity") || IS("message") || IS("severity")) {
		v->type = EV_TEXT;
		v->text = IS("entity_kind") ? f->entity_kind : IS("entity") ? f->entity
			  : IS("message") ? f->message : (char *)rule_severity_name(f->severity);
	} else if (IS("t_start") || IS("t_end") || IS("value")) {
		v->type = IS("value") && !f->has_value ? EV_NULL : EV_REAL;
		v->r = IS("t_start") ? f->t_start : IS("t_end") ? f->t_end : f->value;
	} else if (IS("process_id") || IS("cgroup_id") || IS("node") || IS("mapping_start") ||
		   IS("mapping_end")) {
		const struct finding_subject *sj = &f->subject;
		int has = IS("process_id") ? sj->has_process : IS("cgroup_id") ? sj->has_cgroup
			  : IS("node") ? sj->has_node : sj->has_mapping;
		v->type = has ? EV_INT : EV_NULL;
		v->i = IS("process_id") ? sj->process_id : IS("cgroup_id") ? sj->cgroup_id
		       : IS("node") ? sj->node : IS("mapping_start") ? (int64_t)sj->mapping_start
		       : (int64_t)sj->mapping_end;
	} else if (IS("zone")) {
		v->type = f->subject.zone ? EV_TEXT : EV_NULL;
		v->text = f->subject.zone;
	} else {
		for (size_t i = 0; i < f->nev; i++)
			if (strlen(f->ev[i].name) == len && !memcmp(f->ev[i].name, name, len)) {
				*v = f->ev[i];
				return 0;
			}
		return -1;
	}
	return 0;
#undef IS
}

int finding_bind(sqlite3_stmt *st, const struct finding *f)
{
	for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		struct evidence v;
		if (!name || name[0] != ':' || column(f, name + 1, strlen(name + 1), &v) < 0)
			return -1;
		int rc = v.type == EV_INT ? sqlite3_bind_int64(st, i, v.i)
			 : v.type == EV_REAL ? sqlite3_bind_double(st, i, v.r)
			 : v.type == EV_TEXT ? sqlite3_bind_text(st, i, v.text, -1, SQLITE_STATIC)
			 : sqlite3_bind_null(st, i);
		if (rc != SQLITE_OK)
			return -1;
	}
	return 0;
}

char *finding_subst(const char *text, const struct finding *f)
{
	struct ms_buf b;
	if (ms_buf_init(&b, 64) < 0)
		return NULL;
	const char *s = text, *at;
	size_t len;
	int rc = 0;
	while (rc == 0 && (at = rule_chart_next_param(s, &len)) != NULL) {
		struct evidence v;
		rc = ms_buf_add(&b, s, (size_t)(at - s));
		if (rc == 0 && column(f, at + 1, len, &v) < 0)
			rc = ms_buf_add(&b, at, len + 1);  /* not a column: as written */
		else if (rc == 0)
			rc = v.type == EV_INT ? ms_buf_addf(&b, "%lld", (long long)v.i)
			     : v.type == EV_REAL ? ms_buf_addf(&b, "%g", v.r)
			     : v.type == EV_TEXT ? ms_buf_addstr(&b, v.text) : 0;
		s = at + 1 + len;
	}
	if (rc < 0 || ms_buf_addstr(&b, s) < 0) {
		ms_buf_release(&b);
		return NULL;
	}
	return b.data;  /* ms_buf keeps its text NUL-terminated */
}
