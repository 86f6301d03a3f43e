/*
 * fuzz_rule.c - the rule file header parser (analyze/rule/rule.c) and the
 * --set override of a parsed rule's parameters (rule_set.c).
 *
 * Input: a rule file, then optionally a NUL and NUL-separated "--set"
 * assignments (a rule file may not hold a NUL, so the split is
 * unambiguous).  A rule that parses has every string set, a valid id, its
 * parameters' values valid, its charts complete and within their limits;
 * an override that succeeds leaves a valid value (see fuzz.h).
 */
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
		FUZZ_CHECK(p->name && p->value && p->unit && p->doc);
		FUZZ_CHECK(rule_value_check(p->value) == 0);
		FUZZ_CHECK(literal_ok(p->value));
		FUZZ_CHECK(rule_find_param(r, p->name, strlen(p->name)) == p);
		fuzz_touch(p->doc);
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
			if (rule_set_override(&set, p, &err) == 0)
				check_rule(&e.rule);
			else
				FUZZ_CHECK(err.msg && !strncmp(err.msg, "--set '", 7));
			ms_err_release(&err);
		}
		free(a);
		r = e.rule;
	}
	rule_release(&r);
	FUZZ_CHECK(r.id == NULL);
	return 0;
}
