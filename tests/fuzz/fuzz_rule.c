/*
 * fuzz_rule.c - the rule file header parser (analyze/rule/rule.c) and the
 * --set override of a parsed rule's parameters (rule_set.c).
 *
 * Input: a rule file, then optionally a NUL and NUL-separated "--set"
 * assignments (a rule file may not hold a NUL, so the split is
 * unambiguous).  A rule that parses has every string set, a valid id, its
 * parameters' values valid, in their declared unit and range, its unit:
 * and needs: lines complete, its charts complete and within their limits;
 * an override that succeeds leaves a valid value inside the range, and one
 * that fails leaves the value as it was (see fuzz.h).
 */
#include <math.h>
#include <stdlib.h>

#include "fuzz.h"
#include "rule.h"
#include "rule_set.h"

/* V is a number, or exactly one SQL string literal: 'text' with '' for a
 * quote (what bind_params() in rule_run.c unquotes) */
static int literal_ok(const char *v)
{
	if (v[0] != '\'')
		return 1;
	size_t i = 1;
	for (;;) {
		if (v[i] == '\0')
			return 0; /* unterminated */
		if (v[i] == '\'') {
			if (v[i + 1] != '\'')
				return v[i + 1] == '\0';
			i++;
		}
		i++;
	}
}

static void check_rule(const struct rule *r)
{
	FUZZ_CHECK(r->origin && r->id && r->title && r->explain && r->action && r->sql);
	FUZZ_CHECK(r->severity >= RULE_INFO && r->severity <= RULE_CRITICAL);
	FUZZ_CHECK(rule_severity_parse(rule_severity_name(r->severity),
				       strlen(rule_severity_name(r->severity))) == (int)r->severity);
	size_t idl = strlen(r->id);
	FUZZ_CHECK(idl > 0 && r->id[0] != '/' && r->id[idl - 1] != '/' && !strstr(r->id, "//"));
	FUZZ_CHECK(r->sql_line >= 1 && r->sql[0] != '\0');
	for (size_t i = 0; i < r->nparams; i++) {
		const struct rule_param *p = &r->params[i];
		FUZZ_CHECK(p->name && p->value && p->def && p->unit && p->doc && p->u.name);
		FUZZ_CHECK(rule_value_check(p->value) == 0);
		FUZZ_CHECK(literal_ok(p->value));
		FUZZ_CHECK(rule_find_param(r, p->name, strlen(p->name)) == p);
		FUZZ_CHECK(p->text == (p->value[0] == '\''));
		if (p->text) {
			FUZZ_CHECK(!p->has_range && !p->unit[0]);
		} else {
			struct rule_unit u;
			FUZZ_CHECK(rule_unit_parse(p->unit, 0, &u) == 0 && u.kind == p->u.kind);
			FUZZ_CHECK(rule_param_in_range(p, strtod(p->value, NULL)));
			FUZZ_CHECK(p->lo <= p->hi && !isnan(p->lo) && !isnan(p->hi));
		}
		fuzz_touch(p->doc);
	}
	for (size_t i = 0; i < r->nunits; i++) {
		const struct rule_column_unit *c = &r->units[i];
		FUZZ_CHECK(c->column[0] && c->unit && c->u.name == c->unit);
		FUZZ_CHECK(rule_column_unit(r, c->column) == c);  /* named once */
	}
	for (size_t i = 0; i < r->nneeds; i++) {
		const struct rule_need *n = &r->needs[i];
		FUZZ_CHECK(n->nfactors >= 1 && n->nfactors <= RULE_NEED_MAX_FACTORS);
		for (size_t k = 0; k < n->nfactors; k++)
			FUZZ_CHECK(!n->param[k] || rule_find_param(r, n->param[k], strlen(n->param[k])));
		FUZZ_CHECK(!isnan(rule_need_amount(r, n)));
	}
	/* charts: complete, within the limits, every string set */
	for (size_t i = 0; i < r->charts.n; i++) {
		const struct rule_chart *c = &r->charts.c[i];
		size_t refs = 0;
		FUZZ_CHECK(c->title && c->line >= 1 && c->nseries >= 1);
		FUZZ_CHECK(!c->when || c->when_line >= c->line);
		for (size_t k = 0; k < c->nseries; k++) {
			FUZZ_CHECK(c->series[k].name[0] && c->series[k].sql[0]);
			refs += c->series[k].kind == RULE_REF;
		}
		FUZZ_CHECK(refs < c->nseries && refs <= RULE_CHART_MAX_REFS);
		FUZZ_CHECK(c->nseries - refs <= RULE_CHART_MAX_SERIES);
		fuzz_touch(c->title);
	}
	FUZZ_CHECK(r->charts.more == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t tlen = nul ? (size_t)(nul - text) : size;
	struct ms_err err = MS_ERR_INIT;
	struct rule r;
	int rc = rule_parse("f.sql", text, tlen, &r, &err);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc < 0) {
		FUZZ_CHECK(err.msg && !strncmp(err.msg, "f.sql:", 6));
		FUZZ_CHECK(r.id == NULL && r.params == NULL && r.sql == NULL && r.charts.c == NULL);
		ms_err_release(&err);
		return 0;
	}
	FUZZ_CHECK(err.msg == NULL);
	check_rule(&r);
	if (nul) {
		struct rule_entry e = { 0 };
		e.rule = r;
		struct rule_set set = { &e, 1 };
		/* the assignments: NUL-separated, each a C string */
		size_t rest = size - tlen - 1;
		char *a = malloc(rest + 1);
		FUZZ_CHECK(a != NULL);
		memcpy(a, nul + 1, rest);
		a[rest] = '\0';
		for (char *p = a; p <= a + rest; p += strlen(p) + 1) {
			/* every value before, to see that a refusal changes none */
			char **before = calloc(e.rule.nparams + 1, sizeof(*before));
			FUZZ_CHECK(before != NULL);
			for (size_t k = 0; k < e.rule.nparams; k++)
				FUZZ_CHECK((before[k] = strdup(e.rule.params[k].value)) != NULL);
			if (rule_set_override(&set, p, &err) == 0) {
				check_rule(&e.rule);
			} else {
				FUZZ_CHECK(err.msg && !strncmp(err.msg, "--set '", 7));
				FUZZ_CHECK(!strchr(err.msg, '\n'));  /* one line */
				for (size_t k = 0; k < e.rule.nparams; k++)
					FUZZ_CHECK(!strcmp(before[k], e.rule.params[k].value));
			}
			for (size_t k = 0; k < e.rule.nparams; k++)
				free(before[k]);
			free(before);
			ms_err_release(&err);
		}
		free(a);
		r = e.rule;
	}
	rule_release(&r);
	FUZZ_CHECK(r.id == NULL);
	return 0;
}
