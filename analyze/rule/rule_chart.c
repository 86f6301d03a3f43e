/*
 * rule_chart.c - parsing a rule's chart declarations (see rule_chart.h and
 * docs/rules.md, "Charts"), and the standard charts a rule can name.
 *
 * Invariants: every string in a chart is allocated and owned by it; a
 * chart that is complete (the next "chart:" or the end of the header) has
 * at least one drawn series, at most RULE_CHART_MAX_SERIES of them and
 * RULE_CHART_MAX_REFS refs.
 */
#include "rule_chart.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"

enum { K_CHART, K_WHEN, K_LINE, K_DASHED, K_AREA, K_REF };

static const char *const keys[] = { "chart", "when", "line", "dashed", "area", "ref" };
static const char *const unit_names[] = {  /* by enum rule_chart_unit */
	"number", "bytes", "percent", "per-second",
};

/* The standard charts: what the report drew for processes, cgroups, nodes
 * and the host before rules declared their charts.  A finding's entity is
 * read as the rules write it: "PID (comm)" alive in the finding's window,
 * a cgroup path, "node N". */
#define PROCESS \
	"(SELECT p.id FROM process p JOIN sample a ON a.id = p.first_sample JOIN sample b" \
	" ON b.id = p.last_sample WHERE p.pid = CAST(:entity AS INTEGER) AND a.t <= :t_end" \
	" AND b.t >= :t_start ORDER BY p.id LIMIT 1)"
#define PROC(col) \
	"SELECT t, " col " FROM proc_series WHERE process_id = " PROCESS " ORDER BY sample"
#define CG_ROWS(keys) \
	"SELECT s.id, s.t, v.value FROM cgroup_value v JOIN cgroup c ON c.id = v.cgroup_id JOIN" \
	" sample s ON s.id = v.sample WHERE c.rel = :entity AND v.key IN (" keys ")"
#define CG(keys) "SELECT t, value FROM (" CG_ROWS(keys) ") ORDER BY id"
#define CG_RATE(keys) \
	"SELECT t, (value - lag(value) OVER w) / (t - lag(t) OVER w) FROM (" CG_ROWS(keys) ")" \
	" WINDOW w AS (ORDER BY id)"
#define NODE \
	"(CASE WHEN instr(:entity, 'node ') > 0" \
	" THEN CAST(substr(:entity, instr(:entity, 'node ') + 5) AS INTEGER) END)"
#define MEM(col) "SELECT t, " col " FROM mem ORDER BY sample"
#define RATE(key) "SELECT t, per_s FROM vmstat_rate WHERE key = '" key "' ORDER BY sample"

static const struct std_chart {
	const char *name, *title;
	enum rule_chart_unit unit;
	struct {
		enum rule_series_kind kind;
		const char *name, *sql;
	} s[4];
} std_charts[] = {
	{ "process-memory", "Process :entity: memory", RULE_UNIT_BYTES, {
		{ RULE_LINE, "anon + swap", PROC("anon_total_bytes") },
		{ RULE_LINE, "RSS", PROC("vm_rss_bytes") },
		{ RULE_LINE, "swap", PROC("vm_swap_bytes") } } },
	{ "cgroup-memory", "Cgroup :entity: memory", RULE_UNIT_BYTES, {
		{ RULE_LINE, "usage", CG("'memory.usage_in_bytes', 'memory.current'") },
		{ RULE_LINE, "page cache", CG("'memory.stat:total_cache', 'memory.stat:file'") },
		{ RULE_LINE, "swap", CG("'memory.swap.current'") },
		{ RULE_REF, "limit", "SELECT v.value FROM cgroup_value v JOIN cgroup c ON c.id = v.cgroup_id"
		  " WHERE c.rel = :entity AND v.key IN ('memory.limit_in_bytes', 'memory.max')"
		  " AND v.unlimited = 0 AND v.value < 4611686018427387904 ORDER BY v.sample DESC LIMIT 1" } } },
	{ "cgroup-faults", "Cgroup :entity: refaults and major faults (per second)", RULE_UNIT_PER_S, {
		{ RULE_LINE, "refaults (file pages)",
		  CG_RATE("'memory.stat:workingset_refault_file', 'memory.stat:workingset_refault'") },
		{ RULE_LINE, "major faults", CG_RATE("'memory.stat:pgmajfault'") } } },
	{ "memory-available", "Available memory and free swap", RULE_UNIT_BYTES, {
		{ RULE_LINE, "MemAvailable", MEM("mem_available_bytes") },
		{ RULE_LINE, "SwapFree", MEM("swap_free_bytes") },
		{ RULE_REF, "MemTotal", "SELECT mem_total_bytes FROM mem ORDER BY sample DESC LIMIT 1" } } },
	{ "swap-io", "Swap-in and swap-out (pages per second)", RULE_UNIT_PER_S, {
		{ RULE_LINE, "swap-in", RATE("pswpin") },
		{ RULE_LINE, "swap-out", RATE("pswpout") } } },
	{ "node-memory", ":entity: memory used", RULE_UNIT_BYTES, {
		{ RULE_LINE, "used", "SELECT s.t, t.value - f.value FROM node_meminfo t JOIN node_meminfo f"
		  " ON f.sample = t.sample AND f.node = t.node AND f.key = 'MemFree' JOIN sample s"
		  " ON s.id = t.sample WHERE t.node = " NODE " AND t.key = 'MemTotal' ORDER BY s.id" },
		{ RULE_REF, "MemTotal", "SELECT value FROM node_meminfo WHERE node = " NODE
		  " AND key = 'MemTotal' ORDER BY sample DESC LIMIT 1" } } },
	{ "node-remote", ":entity: remote allocations (pages per second)", RULE_UNIT_PER_S, {
		{ RULE_LINE, "remote allocations (other_node, pages/s)", "SELECT t, pages_per_s FROM numastat_rate"
		  " WHERE node = " NODE " AND key = 'other_node' ORDER BY sample" } } },
};
#define N_STD (sizeof std_charts / sizeof *std_charts)

static int cerr(struct ms_err *err, const char *origin, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static char *dup_trim(const char *s, const char *e);

static int cerr(struct ms_err *err, const char *origin, int line, const char *fmt, ...)
{
	char msg[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return ms_err_set(err, EINVAL, "%s:%d: %s", origin, line, msg);
}

/* S..E without blanks around it, allocated (NULL on ENOMEM). */
static char *dup_trim(const char *s, const char *e)
{
	return rule_dup_range(rule_skip_blank(s, e), e);
}

int rule_chart_key(const char *key, size_t len)
{
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (strlen(keys[i]) == len && !memcmp(keys[i], key, len))
			return (int)i;
	return -1;
}

const char *rule_chart_unit_name(enum rule_chart_unit u)
{
	return unit_names[u];
}

const char *rule_chart_next_param(const char *s, size_t *len)
{
	for (; (s = strchr(s, ':')) != NULL; s++) {
		size_t n = 0;
		while ((s[1 + n] >= 'a' && s[1 + n] <= 'z') || s[1 + n] == '_' ||
		       (n && s[1 + n] >= '0' && s[1 + n] <= '9'))
			n++;
		if (n) {
			*len = n;
			return s;
		}
	}
	return NULL;
}

static int oom(struct ms_err *err, const char *origin)
{
	return ms_err_set(err, ENOMEM, "%s: out of memory", origin);
}

/* Append series (KIND, NAME, SQL: copied) to chart C; counts checked. */
static int add_series(struct rule_chart *c, enum rule_series_kind kind, const char *name,
		      size_t name_len, const char *sql, size_t sql_len, int line, const char *origin,
		      struct ms_err *err)
{
	size_t refs = 0;
	for (size_t i = 0; i < c->nseries; i++)
		refs += c->series[i].kind == RULE_REF;
	if (kind == RULE_REF && refs == RULE_CHART_MAX_REFS)
		return cerr(err, origin, line, "a chart holds at most %d 'ref:' lines", RULE_CHART_MAX_REFS);
	if (kind != RULE_REF && c->nseries - refs == RULE_CHART_MAX_SERIES)
		return cerr(err, origin, line, "a chart holds at most %d series ('line:', 'dashed:', "
			    "'area:')", RULE_CHART_MAX_SERIES);
	struct rule_series *ns = realloc(c->series, (c->nseries + 1) * sizeof(*ns));
	if (!ns)
		return oom(err, origin);
	c->series = ns;
	struct rule_series *s = &ns[c->nseries++];
	s->kind = kind;
	s->line = line;
	s->name = dup_trim(name, name + name_len);
	s->sql = dup_trim(sql, sql + sql_len);
	return s->name && s->sql ? 0 : oom(err, origin);
}

/* A standard chart's series into C. */
static int add_std(struct rule_chart *c, const struct std_chart *sc, int line, const char *origin,
		   struct ms_err *err)
{
	for (size_t i = 0; i < sizeof sc->s / sizeof *sc->s && sc->s[i].name; i++)
		if (add_series(c, sc->s[i].kind, sc->s[i].name, strlen(sc->s[i].name), sc->s[i].sql,
			       strlen(sc->s[i].sql), line, origin, err) < 0)
			return -1;
	return 0;
}

/* Is W..WE the word S? */
static int word_is(const char *w, const char *we, const char *s)
{
	return strlen(s) == (size_t)(we - w) && !memcmp(s, w, (size_t)(we - w));
}

/* The end of the word at W (up to a blank or E). */
static const char *word_end(const char *w, const char *e)
{
	while (w < e && *w != ' ' && *w != '\t')
		w++;
	return w;
}

/* "UNIT|NAME [capture] [| TITLE]" (V..E) into the new chart C. */
static int parse_chart(struct rule_chart *c, const char *v, const char *e, int line,
		       const char *origin, struct ms_err *err)
{
	const char *bar = memchr(v, '|', (size_t)(e - v)), *head_end = bar ? bar : e;
	const char *w = rule_skip_blank(v, head_end), *we = word_end(w, head_end);
	const struct std_chart *sc = NULL;
	int unit = -1;
	for (int i = 0; i < (int)(sizeof unit_names / sizeof *unit_names); i++)
		unit = word_is(w, we, unit_names[i]) ? i : unit;
	for (size_t i = 0; i < N_STD && unit < 0; i++)
		sc = word_is(w, we, std_charts[i].name) ? &std_charts[i] : sc;
	if (unit < 0 && !sc)
		return cerr(err, origin, line, "unknown chart '%.*s': a unit (number, bytes, percent, "
			    "per-second) and '| TITLE', or a standard chart (process-memory, cgroup-memory, "
			    "cgroup-faults, memory-available, swap-io, node-memory, node-remote)",
			    (int)(we - w), w);
	for (w = rule_skip_blank(we, head_end); w < head_end; w = rule_skip_blank(we, head_end)) {
		we = word_end(w, head_end);
		if (!word_is(w, we, "capture"))
			return cerr(err, origin, line, "unknown chart option '%.*s' (capture)",
				    (int)(we - w), w);
		c->capture = 1;
	}
	const char *t = bar ? rule_skip_blank(bar + 1, e) : e;
	if (t == e && !sc)
		return cerr(err, origin, line, "expected '-- chart: UNIT | TITLE'");
	c->unit = sc ? sc->unit : (enum rule_chart_unit)unit;
	c->title = t < e ? dup_trim(t, e) : strdup(sc->title);
	if (!c->title)
		return oom(err, origin);
	return sc ? add_std(c, sc, line, origin, err) : 0;
}

/* The chart before the one that starts (or the header's end) is complete. */
static int check_done(const struct rule_chart *c, const char *origin, struct ms_err *err)
{
	for (size_t i = 0; i < c->nseries; i++)
		if (c->series[i].kind != RULE_REF)
			return 0;
	return cerr(err, origin, c->line, "the chart has no series: add '-- line: NAME | SQL' "
		    "(or dashed:, area:)");
}

static int open_chart(struct rule_charts *cs, const char *v, const char *e, int line,
		      const char *origin, struct ms_err *err)
{
	if (cs->n && check_done(&cs->c[cs->n - 1], origin, err) < 0)
		return -1;
	struct rule_chart *nc = realloc(cs->c, (cs->n + 1) * sizeof(*nc));
	if (!nc)
		return oom(err, origin);
	cs->c = nc;
	struct rule_chart *c = &nc[cs->n++];
	memset(c, 0, sizeof(*c));
	c->line = line;
	cs->more = NULL;
	return parse_chart(c, v, e, line, origin, err);
}

int rule_chart_parse(struct rule_charts *cs, int k, const char *v, const char *e, int line,
		     const char *origin, struct ms_err *err)
{
	if (k == K_CHART)
		return open_chart(cs, v, e, line, origin, err);
	if (!cs->n)
		return cerr(err, origin, line, "'%s:' must follow a '-- chart:' line", keys[k]);
	struct rule_chart *c = &cs->c[cs->n - 1];
	v = rule_skip_blank(v, e);
	if (k == K_WHEN) {
		if (c->when)
			return cerr(err, origin, line, "'when:' appears twice for the chart of line %d",
				    c->line);
		if (v == e)
			return cerr(err, origin, line, "'when:' needs an SQL expression");
		c->when_line = line;
		c->when = dup_trim(v, e);
		cs->more = &c->when;
		return c->when ? 0 : oom(err, origin);
	}
	const char *bar = memchr(v, '|', (size_t)(e - v));
	if (!bar || rule_skip_blank(v, bar) == bar || rule_skip_blank(bar + 1, e) == e)
		return cerr(err, origin, line, "expected '-- %s: NAME | SQL'", keys[k]);
	static const enum rule_series_kind kinds[] = { RULE_LINE, RULE_DASHED, RULE_AREA, RULE_REF };
	if (add_series(c, kinds[k - K_LINE], v, (size_t)(bar - v), bar + 1, (size_t)(e - bar - 1),
		       line, origin, err) < 0)
		return -1;
	cs->more = &c->series[c->nseries - 1].sql;
	return 0;
}

int rule_chart_continue(struct rule_charts *cs, const char *v, const char *e)
{
	if (!cs->more)
		return 0;
	size_t old = strlen(*cs->more), n = (size_t)(e - v);
	char *s = realloc(*cs->more, old + n + 2);
	if (!s)
		return -1;
	s[old] = '\n';
	memcpy(s + old + 1, v, n);
	s[old + 1 + n] = '\0';
	*cs->more = s;
	return 1;
}

int rule_chart_finish(struct rule_charts *cs, const char *origin, struct ms_err *err)
{
	cs->more = NULL;
	return cs->n ? check_done(&cs->c[cs->n - 1], origin, err) : 0;
}

void rule_charts_release(struct rule_charts *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		struct rule_chart *c = &cs->c[i];
		for (size_t k = 0; k < c->nseries; k++) {
			free(c->series[k].name);
			free(c->series[k].sql);
		}
		free(c->series);
		free(c->title);
		free(c->when);
	}
	free(cs->c);
	memset(cs, 0, sizeof(*cs));
}
