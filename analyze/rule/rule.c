/*
 * rule.c - the rule file parser (see rule.h and docs/rules.md).
 *
 * A line walk over the header block: every "--" line is a "key: value"
 * line, an indented continuation of the previous text field, an empty
 * paragraph break, or a ruler of dashes; anything else is an error naming
 * the line.  The chart keys (chart, when, line, dashed, area, ref) and the
 * continuations of their SQL go to rule_chart.c.  The first line that does
 * not start with "--" ends the header; the query starts at the first
 * non-blank line from there.
 *
 * Invariants: the text may hold anything but NUL; on success every string
 * in *OUT is allocated and owned by it; on failure *OUT is zeroed.
 */
#include "rule.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms_buf.h"

enum field { F_NONE, F_ID, F_SEVERITY, F_TITLE, F_EXPLAIN, F_ACTION, F_PARAM, F_CHART, F_UNIT,
	     F_NEEDS };

static const struct {
	const char *key;
	enum field f;
} header_keys[] = {  /* id .. param in the order of enum field */
	{ "id", F_ID }, { "severity", F_SEVERITY }, { "title", F_TITLE },
	{ "explain", F_EXPLAIN }, { "action", F_ACTION }, { "param", F_PARAM },
	{ "unit", F_UNIT }, { "needs", F_NEEDS },
};

struct parser {
	const char *origin;
	struct rule *r;
	struct ms_buf text[F_PARAM + 1];  /* id .. action as they accumulate */
	int seen[F_PARAM + 1];            /* line of each key; 0 = not yet */
	enum field last;                  /* the field a continuation extends */
	struct ms_buf param_doc;          /* the doc of the param being read */
	struct ms_buf unit_cols;          /* the columns of the unit: line being read */
	char *unit_name;                  /* ... and its unit */
	int unit_line;
	int paragraph;                    /* an empty "--" line came before */
	struct ms_err *err;
};

static int perr(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int is_blank(const char *s, const char *e);
static int finish_param(struct parser *p);
static int parse_param(struct parser *p, const char *s, const char *e, int line);
static int parse_range(struct parser *p, struct rule_param *pm, const char *s, const char *e,
		       int line);
static int finish_unit(struct parser *p);
static int parse_unit(struct parser *p, const char *s, const char *e, int line);
static int parse_needs(struct parser *p, const char *s, const char *e, int line);
static int check_needs(struct parser *p);
static int header_line(struct parser *p, const char *s, const char *e, int line);

static int perr(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *m = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (!m)
		return ms_err_set(p->err, ENOMEM, "%s:%d: out of memory", p->origin, line);
	va_start(ap, fmt);
	vsnprintf(m, (size_t)n + 1, fmt, ap);
	va_end(ap);
	ms_err_set(p->err, EINVAL, "%s:%d: %s", p->origin, line, m);
	free(m);
	return -1;
}

static int is_blank(const char *s, const char *e)
{
	return rule_skip_blank(s, e) == e;
}

const char *rule_skip_blank(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	return s;
}

/* The length of S..E's first run of characters in SET */
static size_t strspn_range(const char *s, const char *e, const char *set)
{
	const char *q = s;
	while (q < e && strchr(set, *q))
		q++;
	return (size_t)(q - s);
}

/* The length of S..E's first run of characters not in SET */
static size_t strcspn_range(const char *s, const char *e, const char *set)
{
	const char *q = s;
	while (q < e && !strchr(set, *q))
		q++;
	return (size_t)(q - s);
}

char *rule_dup_range(const char *s, const char *e)
{
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	char *d = malloc((size_t)(e - s) + 1);
	if (d) {
		memcpy(d, s, (size_t)(e - s));
		d[e - s] = '\0';
	}
	return d;
}

int rule_value_check(const char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && v[0] == '\'' && v[n - 1] == '\'') {
		/* inside the outer quotes every quote is doubled: in "'''" the
		 * last quote is the second of a pair, and the text never ends */
		for (size_t i = 1; i + 1 < n; i++)
			if (v[i] == '\'' && (i + 2 >= n || v[++i] != '\''))
				return -1;
		return 0;
	}
	if (n == 0)
		return -1;
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	return (*end || errno == ERANGE || !isfinite(d) || v[0] == ' ') ? -1 : 0;
}

/* The param line being read is complete: store its doc. */
static int finish_param(struct parser *p)
{
	if (p->last != F_PARAM)
		return 0;
	struct rule_param *pm = &p->r->params[p->r->nparams - 1];
	pm->doc = rule_dup_range(p->param_doc.data, p->param_doc.data + p->param_doc.len);
	ms_buf_reset(&p->param_doc);
	if (!pm->doc)
		return ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin);
	return 0;
}

/* The parts of a "param:" line, as ranges of it */
struct param_text {
	const char *name, *name_end, *val, *val_end, *unit, *unit_end, *range, *range_end, *doc;
};

/* S..E past a value: 'quoted text' ('' for a quote) or a word; NULL when
 * the quote does not end */
static const char *skip_value(const char *s, const char *e)
{
	if (s == e || *s != '\'')
		return s + strcspn_range(s, e, " \t|");
	for (s++; s < e; s++)
		if (*s == '\'') {
			if (s + 1 < e && s[1] == '\'')
				s++;
			else
				return s + 1;
		}
	return NULL;
}

/* "NAME = VALUE [UNIT] [RANGE] | DOC" (S..E, after "param:") into T */
static int split_param(struct parser *p, const char *s, const char *e, int line,
		       struct param_text *t)
{
	s = rule_skip_blank(s, e);
	t->name = s;
	if (s < e && ((*s >= 'a' && *s <= 'z') || *s == '_'))
		while (s < e && ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			s++;
	if (s == t->name)
		return perr(p, line, "expected 'param: NAME = VALUE [UNIT] | description' "
			    "(NAME in lower case letters, digits and _)");
	t->name_end = s;
	s = rule_skip_blank(s, e);
	if (s == e || *s != '=')
		return perr(p, line, "expected '=' after the parameter name");
	t->val = rule_skip_blank(s + 1, e);
	if (!(t->val_end = skip_value(t->val, e)))
		return perr(p, line, "unterminated quoted value");
	t->unit = rule_skip_blank(t->val_end, e);
	t->unit_end = t->unit + strcspn_range(t->unit, e, " \t|[(");
	s = t->range = rule_skip_blank(t->unit_end, e);
	if (s < e && (*s == '[' || *s == '('))
		s += strcspn_range(s, e, "])|");
	if (s < e && (*s == ']' || *s == ')'))
		s++;
	t->range_end = s;
	s = rule_skip_blank(s, e);
	if (s == e || *s != '|')
		return perr(p, line, "expected '| description' after the value, unit and range");
	t->doc = rule_skip_blank(s + 1, e);
	if (is_blank(t->doc, e))
		return perr(p, line, "the parameter needs a description after '|'");
	return 0;
}

/* A numeric parameter's unit and range, and its default within it */
static int check_param(struct parser *p, struct rule_param *pm, const struct param_text *t,
		       int line)
{
	if (rule_unit_parse(pm->unit, 0, &pm->u) < 0)
		return perr(p, line, "unknown unit '%s' (%s)", pm->unit, rule_unit_vocabulary());
	if (t->range_end > t->range && parse_range(p, pm, t->range, t->range_end, line) < 0)
		return -1;
	if (rule_param_in_range(pm, strtod(pm->value, NULL)))
		return 0;
	struct ms_buf b;
	int rc = ms_buf_init(&b, 64) < 0 || rule_param_say_range(pm, &b) < 0
		 ? ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin)
		 : perr(p, line, "the default %s is out of its range (%s)", pm->value, b.data);
	ms_buf_release(&b);
	return rc;
}

/* A "param:" line (S..E, after "param:"): a new parameter of the rule */
static int parse_param(struct parser *p, const char *s, const char *e, int line)
{
	struct rule *r = p->r;
	struct param_text t;
	memset(&t, 0, sizeof(t));
	if (split_param(p, s, e, line, &t) < 0)
		return -1;
	if (rule_find_param(r, t.name, (size_t)(t.name_end - t.name)))
		return perr(p, line, "parameter '%.*s' is declared twice", (int)(t.name_end - t.name),
			    t.name);
	struct rule_param *np = realloc(r->params, (r->nparams + 1) * sizeof(*np));
	if (!np)
		return ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin);
	r->params = np;
	struct rule_param *pm = &np[r->nparams++];
	memset(pm, 0, sizeof(*pm));
	pm->line = line;
	pm->name = rule_dup_range(t.name, t.name_end);
	pm->value = rule_dup_range(t.val, t.val_end);
	pm->def = rule_dup_range(t.val, t.val_end);
	pm->unit = rule_dup_range(t.unit, t.unit_end);
	pm->lo = -INFINITY;
	pm->hi = INFINITY;
	rule_unit_parse("", 0, &pm->u);
	if (!pm->name || !pm->value || !pm->def || !pm->unit ||
	    ms_buf_add(&p->param_doc, t.doc, (size_t)(e - t.doc)) < 0)
		return ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin);
	p->last = F_PARAM;
	p->paragraph = 0;
	if (rule_value_check(pm->value) < 0)
		return perr(p, line, "parameter value '%s' is neither a number nor 'quoted text'",
			    pm->value);
	pm->text = pm->value[0] == '\'';
	if (pm->text && (t.unit_end > t.unit || t.range_end > t.range))
		return perr(p, line, "a text parameter has no unit and no range");
	return pm->text ? 0 : check_param(p, pm, &t, line);
}

/* One bound of a range: a number, or -inf / inf (an open end). */
static int range_bound(const char *s, const char *e, double *v)
{
	char buf[64];
	s = rule_skip_blank(s, e);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e - s <= 0 || (size_t)(e - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, (size_t)(e - s));
	buf[e - s] = '\0';
	if (!strcmp(buf, "inf") || !strcmp(buf, "-inf")) {
		*v = buf[0] == '-' ? -INFINITY : INFINITY;
		return 0;
	}
	if (rule_value_check(buf) < 0 || buf[0] == '\'')
		return -1;
	*v = strtod(buf, NULL);
	return 0;
}

/* "[LO, HI]" (S..E): brackets include the bound, parentheses exclude it. */
static int parse_range(struct parser *p, struct rule_param *pm, const char *s, const char *e,
		       int line)
{
	const char *comma = memchr(s, ',', (size_t)(e - s));
	if (e - s < 2 || (e[-1] != ']' && e[-1] != ')') || !comma ||
	    range_bound(s + 1, comma, &pm->lo) < 0 || range_bound(comma + 1, e - 1, &pm->hi) < 0 ||
	    pm->lo > pm->hi || pm->lo == INFINITY || pm->hi == -INFINITY)
		return perr(p, line, "expected a range '[LO, HI]' after the unit ('(' or ')' leave "
			    "the bound out; -inf and inf for no bound), LO at most HI");
	pm->lo_open = *s == '(' || isinf(pm->lo);
	pm->hi_open = e[-1] == ')' || isinf(pm->hi);
	pm->has_range = 1;
	return 0;
}

int rule_param_say_forms(const struct rule_param *p, struct ms_buf *b)
{
	if (p->text)
		return ms_buf_addstr(b, "any text");
	int rc = rule_unit_forms(&p->u, b);
	if (rc == 0 && p->has_range)
		rc = ms_buf_addstr(b, ", ") < 0 ? -1 : rule_param_say_range(p, b);
	return rc;
}

int rule_param_in_range(const struct rule_param *p, double v)
{
	return isfinite(v) && (p->lo_open ? v > p->lo : v >= p->lo) &&
	       (p->hi_open ? v < p->hi : v <= p->hi);
}

int rule_param_say_range(const struct rule_param *p, struct ms_buf *b)
{
	int rc = 0;
	if (isfinite(p->lo))
		rc = ms_buf_addf(b, "%s %g", p->lo_open ? "more than" : "at least", p->lo);
	if (rc == 0 && isfinite(p->hi))
		rc = ms_buf_addf(b, "%s%s %g", isfinite(p->lo) ? " and " : "",
				 p->hi_open ? "less than" : "at most", p->hi);
	if (rc == 0 && (isfinite(p->lo) || isfinite(p->hi)) && p->u.name[0])
		rc = ms_buf_addf(b, " %s", p->u.name);
	return rc;
}

/* "UNIT | column, column ..." (S..E, after "unit:"); the columns may go on
 * over continuation lines, so they are split in finish_unit(). */
static int parse_unit(struct parser *p, const char *s, const char *e, int line)
{
	const char *bar = memchr(s, '|', (size_t)(e - s));
	if (!bar)
		return perr(p, line, "expected 'unit: UNIT | column, column ...'");
	p->unit_name = rule_dup_range(rule_skip_blank(s, bar), bar);
	if (!p->unit_name || ms_buf_add(&p->unit_cols, bar + 1, (size_t)(e - bar - 1)) < 0)
		return ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin);
	struct rule_unit u;
	if (rule_unit_parse(p->unit_name, 1, &u) < 0)
		return perr(p, line, "unknown unit '%s' (%s; 1 for a number without one, epoch "
			    "for a time, text)", p->unit_name, rule_unit_vocabulary());
	p->unit_line = line;
	p->last = F_UNIT;
	return 0;
}

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* The unit: line being read is complete: one entry per column. */
static int finish_unit(struct parser *p)
{
	if (p->last != F_UNIT || !p->unit_name)
		return 0;
	struct rule *r = p->r;
	const char *s = p->unit_cols.data, *end = s + p->unit_cols.len;
	while (s <= end) {
		const char *c = memchr(s, ',', (size_t)(end - s));
		const char *ce = c ? c : end, *n = rule_skip_blank(s, ce), *ne = n;
		while (ne < ce && is_name_char(*ne))
			ne++;
		if (ne == n || (*n >= '0' && *n <= '9') || rule_skip_blank(ne, ce) != ce)
			return perr(p, p->unit_line, "unit '%s': expected column names, comma-separated "
				    "(lower case letters, digits and _)", p->unit_name);
		for (size_t i = 0; i < r->nunits; i++)
			if (strlen(r->units[i].column) == (size_t)(ne - n) &&
			    !memcmp(r->units[i].column, n, (size_t)(ne - n)))
				return perr(p, p->unit_line, "column '%.*s' has a unit already (line %d)",
					    (int)(ne - n), n, r->units[i].line);
		struct rule_column_unit *nu = realloc(r->units, (r->nunits + 1) * sizeof(*nu));
		if (!nu)
			return ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin);
		r->units = nu;
		struct rule_column_unit *cu = &nu[r->nunits++];
		cu->column = rule_dup_range(n, ne);
		cu->unit = strdup(p->unit_name);
		cu->line = p->unit_line;
		if (!cu->column || !cu->unit)
			return ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin);
		rule_unit_parse(cu->unit, 1, &cu->u);
		s = ce + 1;
	}
	free(p->unit_name);
	p->unit_name = NULL;
	ms_buf_reset(&p->unit_cols);
	return 0;
}

/* "AMOUNT [UNIT]" (S..E, after "needs:"): AMOUNT a number, a :parameter or
 * their product with '*'; UNIT a duration, samples, intervals, rollup
 * samples or smaps samples. */
static int parse_needs(struct parser *p, const char *s, const char *e, int line)
{
	static const struct { const char *name; enum rule_need_kind kind; } counts[] = {
		{ "samples", RULE_NEED_SAMPLES }, { "intervals", RULE_NEED_INTERVALS },
		{ "rollup samples", RULE_NEED_ROLLUP }, { "smaps samples", RULE_NEED_SMAPS },
	};
	struct rule_need n;
	memset(&n, 0, sizeof(n));
	n.line = line;
	for (;;) {
		s = rule_skip_blank(s, e);
		if (n.nfactors == RULE_NEED_MAX_FACTORS)
			goto bad;
		const char *f = s;
		if (s < e && *s == ':') {
			for (s++; s < e && is_name_char(*s); s++)
				;
			if (s == f + 1 || !(n.param[n.nfactors] = rule_dup_range(f + 1, s)))
				goto bad;
		} else {
			while (s < e && (isdigit((unsigned char)*s) || *s == '.' || *s == 'e'))
				s++;
			char *num = rule_dup_range(f, s);
			int wrong = !num || !*num || rule_value_check(num) < 0;
			n.num[n.nfactors] = wrong ? 0 : strtod(num, NULL);
			free(num);
			if (wrong)
				goto bad;
		}
		n.nfactors++;
		s = rule_skip_blank(s, e);
		if (s == e || *s != '*')
			break;
		s++;
	}
	char *unit = rule_dup_range(s, e);
	struct rule_unit u;
	n.kind = RULE_NEED_SPAN;
	int ok = unit != NULL;
	if (ok && unit[0] && rule_unit_parse(unit, 0, &u) == 0 && u.kind == RULE_UNIT_K_TIME && !u.per)
		n.scale = u.scale;
	else if (ok && unit[0]) {
		ok = 0;
		for (size_t i = 0; i < sizeof(counts) / sizeof(*counts); i++)
			if (!strcmp(unit, counts[i].name)) {
				n.kind = counts[i].kind;
				n.scale = 1;
				ok = 1;
			}
	}
	free(unit);
	if (ok) {
		struct rule_need *nn = realloc(p->r->needs, (p->r->nneeds + 1) * sizeof(*nn));
		if (!nn) {
			for (size_t k = 0; k < n.nfactors; k++)
				free(n.param[k]);
			return ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin);
		}
		p->r->needs = nn;
		nn[p->r->nneeds++] = n;
		p->last = F_NEEDS;
		return 0;
	}
bad:
	for (size_t k = 0; k <= n.nfactors && k < RULE_NEED_MAX_FACTORS; k++)
		free(n.param[k]);
	return perr(p, line, "expected 'needs: AMOUNT [UNIT]': AMOUNT a number or a :parameter, or "
		    "up to %d of them multiplied with '*'; UNIT s, min, h, days, samples, intervals, "
		    "rollup samples or smaps samples (none: the parameter's duration)",
		    RULE_NEED_MAX_FACTORS);
}

/* After the header: every parameter a needs: line names is a declared
 * number; a span without a unit takes it from its one parameter. */
static int check_needs(struct parser *p)
{
	struct rule *r = p->r;
	for (size_t i = 0; i < r->nneeds; i++) {
		struct rule_need *n = &r->needs[i];
		size_t nparams = 0;
		const struct rule_param *last = NULL;
		for (size_t k = 0; k < n->nfactors; k++) {
			if (!n->param[k])
				continue;
			last = rule_find_param(r, n->param[k], strlen(n->param[k]));
			if (!last || last->text)
				return perr(p, n->line, "needs: ':%s' is not a number parameter of the rule",
					    n->param[k]);
			nparams++;
		}
		if (n->kind == RULE_NEED_SPAN && n->scale == 0 &&
		    (nparams != 1 || last->u.kind != RULE_UNIT_K_TIME || last->u.per))
			return perr(p, n->line, "needs: say the unit (s, min, h, days, samples ...), or "
				    "name one parameter whose unit is a duration");
	}
	return 0;
}

double rule_need_amount(const struct rule *r, const struct rule_need *n)
{
	double v = 1, scale = n->scale;
	for (size_t k = 0; k < n->nfactors; k++) {
		const struct rule_param *pm = n->param[k]
			? rule_find_param(r, n->param[k], strlen(n->param[k])) : NULL;
		v *= pm ? strtod(pm->value, NULL) : n->num[k];
		if (pm && scale == 0)
			scale = pm->u.scale;
	}
	v *= scale;
	return isnan(v) ? INFINITY : v;  /* 0 x an overflow: no recording has it */
}

const struct rule_column_unit *rule_column_unit(const struct rule *r, const char *name)
{
	for (size_t i = 0; i < r->nunits; i++)
		if (!strcmp(r->units[i].column, name))
			return &r->units[i];
	return NULL;
}

/* One header line S..E (after the leading "--"). */
/* "-- KEY: value" (K..KE the key, E the line's end) */
static int key_line(struct parser *p, const char *k, const char *ke, const char *e, int line)
{
	enum field f = F_NONE;
	for (size_t i = 0; i < sizeof(header_keys) / sizeof(*header_keys); i++)
		if (strlen(header_keys[i].key) == (size_t)(ke - k) &&
		    !memcmp(header_keys[i].key, k, (size_t)(ke - k)))
			f = header_keys[i].f;
	int ck = f == F_NONE ? rule_chart_key(k, (size_t)(ke - k)) : -1;
	if (f == F_NONE && ck < 0)
		return perr(p, line, "unknown header key '%.*s' (id, severity, title, explain, action, "
			    "param, unit, needs, chart, when, line, dashed, area, ref)",
			    (int)(ke - k), k);
	if (finish_param(p) < 0 || finish_unit(p) < 0)
		return -1;
	if (ck >= 0) {
		p->last = F_CHART;
		return rule_chart_parse(&p->r->charts, ck, ke + 1, e, line, p->origin, p->err);
	}
	if (f == F_PARAM)
		return parse_param(p, ke + 1, e, line);
	if (f == F_UNIT)
		return parse_unit(p, ke + 1, e, line);
	if (f == F_NEEDS)
		return parse_needs(p, ke + 1, e, line);
	if (p->seen[f])
		return perr(p, line, "'%s:' appears twice in the header", header_keys[f - 1].key);
	p->seen[f] = line;
	const char *v = rule_skip_blank(ke + 1, e);
	if (v == e)
		return perr(p, line, "'%s:' needs a value", header_keys[f - 1].key);
	p->last = f;
	p->paragraph = 0;
	return ms_buf_add(&p->text[f], v, (size_t)(e - v)) < 0
	       ? ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin) : 0;
}

/* "--   more text" (S..E): continues the field or chart above */
static int continuation_line(struct parser *p, const char *s, const char *e, int line)
{
	const char *v = rule_skip_blank(s, e);
	int more = p->last == F_CHART ? rule_chart_continue(&p->r->charts, v, e) : 0;
	if (more < 0)
		return ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin);
	if (more)
		return 0;
	if (p->last == F_NONE || p->last == F_ID || p->last == F_SEVERITY || p->last == F_CHART ||
	    p->last == F_NEEDS)
		return perr(p, line, "an indented line must continue 'title:', 'explain:', "
			    "'action:', 'param:', 'unit:' or a chart's SQL");
	struct ms_buf *b = p->last == F_PARAM ? &p->param_doc
			   : p->last == F_UNIT ? &p->unit_cols : &p->text[p->last];
	const char *sep = p->paragraph && p->last < F_PARAM ? "\n\n" : " ";
	p->paragraph = 0;
	while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (ms_buf_addstr(b, sep) < 0 || ms_buf_add(b, v, (size_t)(e - v)) < 0)
		return ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin);
	return 0;
}

static int header_line(struct parser *p, const char *s, const char *e, int line)
{
	/* the header is shown on terminals (memsnap rules, analyze): an
	 * escape sequence in a shared rule file must not reach one */
	for (const char *c = s; c < e; c++)
		if (((unsigned char)*c < 0x20 && *c != '\t' && *c != '\r') || *c == 0x7f)
			return perr(p, line, "control character 0x%02x in the header",
				    (unsigned char)*c);
	if (is_blank(s, e)) {
		p->paragraph = 1;
		return 0;
	}
	if (s + strspn_range(s, e, "-= ") == e)
		return 0; /* a ruler */
	if (s[0] == ' ' && s + 1 < e && s[1] != ' ' && s[1] != '\t') {
		const char *k = s + 1, *ke = k;
		while (ke < e && *ke >= 'a' && *ke <= 'z')
			ke++;
		if (ke < e && *ke == ':')
			return key_line(p, k, ke, e, line);
	}
	if ((s[0] == ' ' || s[0] == '\t') && (s + 1 < e && (s[1] == ' ' || s[1] == '\t')))
		return continuation_line(p, s, e, line);
	return perr(p, line, "expected '-- key: value' or an indented continuation "
		    "('--   more text')");
}

/* The header lines of TEXT..END; *SQL the first line after them (NULL:
 * none) and *SQL_LINE its number, *LAST the number of the last line */
static int read_header(struct parser *p, const char *text, const char *end, const char **sql,
		       int *sql_line, int *last)
{
	int line = 1;
	if (memchr(text, '\0', (size_t)(end - text))) {
		for (const char *c = text; *c; c++)
			line += *c == '\n';
		return perr(p, line, "NUL byte in a rule file");
	}
	*sql = NULL;
	int in_header = 1; /* until the first line that is not a comment */
	for (const char *s = text; s < end; line++) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		if (!eol)
			eol = end;
		if (in_header && eol - s >= 2 && s[0] == '-' && s[1] == '-') {
			if (header_line(p, s + 2, eol, line) < 0)
				return -1;
		} else if (in_header = 0, !is_blank(s, eol)) {
			*sql = s;
			*sql_line = line;
			break;
		}
		s = eol < end ? eol + 1 : end;
	}
	*last = line;
	return 0;
}

/* The header complete: every required key, a valid id and severity */
static int check_header(struct parser *p)
{
	if (finish_param(p) < 0 || finish_unit(p) < 0 || check_needs(p) < 0 ||
	    rule_chart_finish(&p->r->charts, p->origin, p->err) < 0)
		return -1;
	for (int f = F_ID; f < F_PARAM; f++)
		if (!p->seen[f])
			return perr(p, 1, "the header has no '%s:' line", header_keys[f - 1].key);
	const char *id = p->text[F_ID].data;
	int ok = id[0] != '\0' && id[0] != '/' && id[strlen(id) - 1] != '/';
	for (const char *c = id; *c; c++)
		ok &= (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' ||
		      *c == '_' || (*c == '/' && c[1] != '/');
	if (!ok)
		return perr(p, p->seen[F_ID], "id '%s': use lower case letters, digits, '-', '_' and "
			    "'/' between folders", id);
	int sev = rule_severity_parse(p->text[F_SEVERITY].data, p->text[F_SEVERITY].len);
	if (sev < 0)
		return perr(p, p->seen[F_SEVERITY], "severity '%s': expected info, warning or "
			    "critical", p->text[F_SEVERITY].data);
	p->r->severity = (enum rule_severity)sev;
	return 0;
}

static char *buf_dup(const struct ms_buf *b)
{
	return rule_dup_range(b->data, b->data + b->len);
}

int rule_parse(const char *origin, const char *text, size_t len, struct rule *out,
	       struct ms_err *err)
{
	struct parser p;
	memset(&p, 0, sizeof(p));
	memset(out, 0, sizeof(*out));
	p.origin = origin;
	p.r = out;
	p.err = err;
	int rc = -1;
	for (int i = 0; i <= F_PARAM; i++)
		if (ms_buf_init(&p.text[i], 64) < 0)
			goto oom;
	if (ms_buf_init(&p.param_doc, 64) < 0 || ms_buf_init(&p.unit_cols, 64) < 0)
		goto oom;
	const char *sql = NULL, *end = text + len;
	int sql_line = 0, line = 1;
	if (read_header(&p, text, end, &sql, &sql_line, &line) < 0 || check_header(&p) < 0)
		goto out;
	if (!sql) {
		perr(&p, line > 1 ? line - 1 : 1, "no query after the header");
		goto out;
	}
	out->sql_line = sql_line;
	out->origin = strdup(origin);
	out->id = buf_dup(&p.text[F_ID]);
	out->title = buf_dup(&p.text[F_TITLE]);
	out->explain = buf_dup(&p.text[F_EXPLAIN]);
	out->action = buf_dup(&p.text[F_ACTION]);
	out->sql = rule_dup_range(sql, end);
	if (!out->origin || !out->id || !out->title || !out->explain || !out->action || !out->sql)
		goto oom;
	rc = 0;
	goto out;
oom:
	ms_err_set(err, ENOMEM, "%s: out of memory", origin);
out:
	for (int i = 0; i <= F_PARAM; i++)
		ms_buf_release(&p.text[i]);
	ms_buf_release(&p.param_doc);
	ms_buf_release(&p.unit_cols);
	free(p.unit_name);
	if (rc < 0)
		rule_release(out);
	return rc;
}

void rule_release(struct rule *r)
{
	for (size_t i = 0; i < r->nparams; i++) {
		free(r->params[i].name);
		free(r->params[i].value);
		free(r->params[i].def);
		free(r->params[i].unit);
		free(r->params[i].doc);
	}
	free(r->params);
	for (size_t i = 0; i < r->nunits; i++) {
		free(r->units[i].column);
		free(r->units[i].unit);
	}
	free(r->units);
	for (size_t i = 0; i < r->nneeds; i++)
		for (size_t k = 0; k < r->needs[i].nfactors; k++)
			free(r->needs[i].param[k]);
	free(r->needs);
	free(r->origin);
	free(r->id);
	free(r->title);
	free(r->explain);
	free(r->action);
	free(r->sql);
	rule_charts_release(&r->charts);
	memset(r, 0, sizeof(*r));
}

const char *rule_severity_name(enum rule_severity s)
{
	return s == RULE_CRITICAL ? "critical" : s == RULE_WARNING ? "warning" : "info";
}

int rule_severity_parse(const char *s, size_t len)
{
	static const char *const names[] = { "info", "warning", "critical" };
	for (int i = 0; i < 3; i++)
		if (strlen(names[i]) == len && !memcmp(names[i], s, len))
			return i;
	return -1;
}

struct rule_param *rule_find_param(const struct rule *r, const char *name, size_t len)
{
	for (size_t i = 0; i < r->nparams; i++)
		if (strlen(r->params[i].name) == len && !memcmp(r->params[i].name, name, len))
			return &r->params[i];
	return NULL;
}
