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

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms_buf.h"

enum field { F_NONE, F_ID, F_SEVERITY, F_TITLE, F_EXPLAIN, F_ACTION, F_PARAM, F_CHART };

static const struct {
	const char *key;
	enum field f;
} header_keys[] = {
	{ "id", F_ID }, { "severity", F_SEVERITY }, { "title", F_TITLE },
	{ "explain", F_EXPLAIN }, { "action", F_ACTION }, { "param", F_PARAM },
};

struct parser {
	const char *origin;
	struct rule *r;
	struct ms_buf text[F_PARAM + 1];  /* id .. action as they accumulate */
	int seen[F_PARAM + 1];            /* line of each key; 0 = not yet */
	enum field last;                  /* the field a continuation extends */
	struct ms_buf param_doc;          /* the doc of the param being read */
	int paragraph;                    /* an empty "--" line came before */
	struct ms_err *err;
};

static int perr(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int is_blank(const char *s, const char *e);
static int finish_param(struct parser *p);
static int parse_param(struct parser *p, const char *s, const char *e, int line);
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

/* "NAME = VALUE [UNIT] | DOC" (S..E, after "param:"). */
static int parse_param(struct parser *p, const char *s, const char *e, int line)
{
	struct rule *r = p->r;
	s = rule_skip_blank(s, e);
	const char *name = s;
	if (s < e && ((*s >= 'a' && *s <= 'z') || *s == '_'))
		while (s < e && ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			s++;
	if (s == name)
		return perr(p, line, "expected 'param: NAME = VALUE [UNIT] | description' "
			    "(NAME in lower case letters, digits and _)");
	const char *name_end = s;
	if (rule_find_param(r, name, (size_t)(name_end - name)))
		return perr(p, line, "parameter '%.*s' is declared twice", (int)(name_end - name),
			    name);
	s = rule_skip_blank(s, e);
	if (s == e || *s != '=')
		return perr(p, line, "expected '=' after the parameter name");
	s = rule_skip_blank(s + 1, e);
	const char *val = s;
	if (s < e && *s == '\'') {
		for (s++; s < e; s++)
			if (*s == '\'') {
				if (s + 1 < e && s[1] == '\'')
					s++;
				else
					break;
			}
		if (s == e)
			return perr(p, line, "unterminated quoted value");
		s++;
	} else {
		while (s < e && *s != ' ' && *s != '\t' && *s != '|')
			s++;
	}
	const char *val_end = s;
	s = rule_skip_blank(s, e);
	const char *unit = s;
	while (s < e && *s != ' ' && *s != '\t' && *s != '|')
		s++;
	const char *unit_end = s;
	s = rule_skip_blank(s, e);
	if (s == e || *s != '|')
		return perr(p, line, "expected '| description' after the value and unit");
	s = rule_skip_blank(s + 1, e);
	if (is_blank(s, e))
		return perr(p, line, "the parameter needs a description after '|'");

	struct rule_param *np = realloc(r->params, (r->nparams + 1) * sizeof(*np));
	if (!np)
		return ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin);
	r->params = np;
	struct rule_param *pm = &np[r->nparams++];
	memset(pm, 0, sizeof(*pm));
	pm->line = line;
	pm->name = rule_dup_range(name, name_end);
	pm->value = rule_dup_range(val, val_end);
	pm->unit = rule_dup_range(unit, unit_end);
	if (!pm->name || !pm->value || !pm->unit || ms_buf_add(&p->param_doc, s, (size_t)(e - s)) < 0)
		return ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin);
	if (rule_value_check(pm->value) < 0)
		return perr(p, line, "parameter value '%s' is neither a number nor 'quoted text'",
			    pm->value);
	p->last = F_PARAM;
	p->paragraph = 0;
	return 0;
}

/* One header line S..E (after the leading "--"). */
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
	const char *q = s;
	while (q < e && (*q == '-' || *q == '=' || *q == ' '))
		q++;
	if (q == e)
		return 0; /* a ruler */
	if (s[0] == ' ' && s + 1 < e && s[1] != ' ' && s[1] != '\t') {
		/* "-- key: value" */
		const char *k = s + 1, *ke = k;
		while (ke < e && *ke >= 'a' && *ke <= 'z')
			ke++;
		if (ke < e && *ke == ':') {
			enum field f = F_NONE;
			for (size_t i = 0; i < sizeof(header_keys) / sizeof(*header_keys); i++)
				if (strlen(header_keys[i].key) == (size_t)(ke - k) &&
				    !memcmp(header_keys[i].key, k, (size_t)(ke - k)))
					f = header_keys[i].f;
			int ck = f == F_NONE ? rule_chart_key(k, (size_t)(ke - k)) : -1;
			if (f == F_NONE && ck < 0) {
				return perr(p, line, "unknown header key '%.*s' (id, severity, title, "
					    "explain, action, param, chart, when, line, dashed, area, ref)",
					    (int)(ke - k), k);
			}
			if (finish_param(p) < 0)
				return -1;
			if (ck >= 0) {
				p->last = F_CHART;
				return rule_chart_parse(&p->r->charts, ck, ke + 1, e, line, p->origin,
							p->err);
			}
			if (f == F_PARAM)
				return parse_param(p, ke + 1, e, line);
			if (p->seen[f])
				return perr(p, line, "'%s:' appears twice in the header",
					    header_keys[f - 1].key);
			p->seen[f] = line;
			const char *v = rule_skip_blank(ke + 1, e);
			if (v == e)
				return perr(p, line, "'%s:' needs a value", header_keys[f - 1].key);
			p->last = f;
			p->paragraph = 0;
			return ms_buf_add(&p->text[f], v, (size_t)(e - v)) < 0
			       ? ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin) : 0;
		}
	}
	if ((s[0] == ' ' || s[0] == '\t') && (s + 1 < e && (s[1] == ' ' || s[1] == '\t'))) {
		/* a continuation */
		const char *v = rule_skip_blank(s, e);
		int more = p->last == F_CHART ? rule_chart_continue(&p->r->charts, v, e) : 0;
		if (more < 0)
			return ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin);
		if (more)
			return 0;
		if (p->last == F_NONE || p->last == F_ID || p->last == F_SEVERITY || p->last == F_CHART)
			return perr(p, line, "an indented line must continue 'title:', 'explain:', "
				    "'action:', 'param:' or a chart's SQL");
		struct ms_buf *b = p->last == F_PARAM ? &p->param_doc : &p->text[p->last];
		const char *sep = p->paragraph && p->last != F_PARAM ? "\n\n" : " ";
		p->paragraph = 0;
		while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (ms_buf_addstr(b, sep) < 0 || ms_buf_add(b, v, (size_t)(e - v)) < 0)
			return ms_err_set(p->err, ENOMEM, "%s: out of memory", p->origin);
		return 0;
	}
	return perr(p, line, "expected '-- key: value' or an indented continuation "
		    "('--   more text')");
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
	if (ms_buf_init(&p.param_doc, 64) < 0)
		goto oom;

	const char *s = text, *end = text + len;
	if (memchr(text, '\0', len)) {
		int line = 1;
		for (const char *c = text; *c; c++)
			line += *c == '\n';
		perr(&p, line, "NUL byte in a rule file");
		goto out;
	}
	int line = 1;
	const char *sql = NULL;
	int sql_line = 0;
	int in_header = 1;
	for (; s < end; line++) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		if (!eol)
			eol = end;
		if (in_header && eol - s >= 2 && s[0] == '-' && s[1] == '-') {
			if (header_line(&p, s + 2, eol, line) < 0)
				goto out;
		} else {
			in_header = 0;
			if (!is_blank(s, eol)) {
				sql = s;
				sql_line = line;
				break;
			}
		}
		s = eol < end ? eol + 1 : end;
	}
	if (finish_param(&p) < 0 || rule_chart_finish(&out->charts, origin, err) < 0)
		goto out;
	for (int f = F_ID; f < F_PARAM; f++)
		if (!p.seen[f]) {
			perr(&p, 1, "the header has no '%s:' line", header_keys[f - 1].key);
			goto out;
		}
	const char *id = p.text[F_ID].data;
	int ok = id[0] != '\0' && id[0] != '/' && id[strlen(id) - 1] != '/';
	for (const char *c = id; *c; c++)
		ok &= (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' ||
		      *c == '_' || (*c == '/' && c[1] != '/');
	if (!ok) {
		perr(&p, p.seen[F_ID], "id '%s': use lower case letters, digits, '-', '_' and '/' "
		     "between folders", id);
		goto out;
	}
	int sev = rule_severity_parse(p.text[F_SEVERITY].data, p.text[F_SEVERITY].len);
	if (sev < 0) {
		perr(&p, p.seen[F_SEVERITY], "severity '%s': expected info, warning or critical",
		     p.text[F_SEVERITY].data);
		goto out;
	}
	if (!sql) {
		perr(&p, line > 1 ? line - 1 : 1, "no query after the header");
		goto out;
	}
	out->severity = (enum rule_severity)sev;
	out->sql_line = sql_line;
	out->origin = strdup(origin);
	out->id = rule_dup_range(id, id + strlen(id));
	out->title = rule_dup_range(p.text[F_TITLE].data, p.text[F_TITLE].data + p.text[F_TITLE].len);
	out->explain = rule_dup_range(p.text[F_EXPLAIN].data,
				      p.text[F_EXPLAIN].data + p.text[F_EXPLAIN].len);
	out->action = rule_dup_range(p.text[F_ACTION].data,
				     p.text[F_ACTION].data + p.text[F_ACTION].len);
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
	if (rc < 0)
		rule_release(out);
	return rc;
}

void rule_release(struct rule *r)
{
	for (size_t i = 0; i < r->nparams; i++) {
		free(r->params[i].name);
		free(r->params[i].value);
		free(r->params[i].unit);
		free(r->params[i].doc);
	}
	free(r->params);
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
