/*
 * gen_plan.c - the plan of a generated recording (gen.h): what changes,
 * where and when.  One line a behaviour; '#' starts a comment:
 *
 * Words are separated by blanks; "a quoted word" may hold blanks.
 *
 *   proc COMM SHAPE [from=T] [to=T] [map=HEX] ARGS...
 *       a term added to the anonymous memory of the seed's process COMM
 *       (RssAnon, VmRSS, statm, stat rss, smaps_rollup), and with map= to
 *       that mapping of its smaps
 *   gauge PATH KEY SHAPE [from=T] [to=T] ARGS...
 *       a term added to (SHAPE set: replacing) the number of line KEY of
 *       every record whose path matches PATH (fnmatch); KEY "-" is the
 *       file's first number, a PSI line's number is its total=
 *   counter PATH KEY rate per_s=N [from=T] [to=T]
 *       a counter growing by N a second (in the file's unit) in [from, to)
 *
 * Shapes, each 0 before from= and, unless said otherwise, held after to=
 * (t counted from from=):
 *   leak rate=R          R t                         (grows until to=)
 *   step by=S            S                           (back to 0 at to=)
 *   sawtooth amp=S period=P   S (t mod P) / P: a rise over each period, then
 *                        a drop to 0 (a garbage collector's heap; 0 after to=)
 *   warmup rise=S tau=T  S (1 - exp(-t / T))         (a warm-up that levels off)
 *   fill rate=R bound=S  min(R t, S)                 (a cache filling to its bound)
 *   wave amp=S period=P  S (1 - cos(2 pi t / P)) / 2 (load that comes and goes)
 *   noise amp=S          uniform in [-S, S], a new draw every sample
 *   set value=V          V in [from, to) (gauges only)
 *   rate per_s=N         N (t_end - from) (counters only)
 *
 * Times: 90s, 30m, 14h, 2d, 1h30m or seconds.  Sizes: 20MiB, 512KiB, 1GiB,
 * 4096B (bytes; written in kB where the line says kB) or a bare number
 * (the file's own unit).  Rates: SIZE/s, SIZE/min, SIZE/h.
 */
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

struct shape_def {
	const char *name;
	enum plan_shape shape;
	const char *a, *b; /* the names of its arguments a and b (NULL: none) */
};

static const struct shape_def shapes[] = {
	{ "leak", SH_LEAK, "rate", NULL },
	{ "step", SH_STEP, "by", NULL },
	{ "sawtooth", SH_SAWTOOTH, "amp", "period" },
	{ "warmup", SH_WARMUP, "rise", "tau" },
	{ "fill", SH_FILL, "rate", "bound" },
	{ "wave", SH_WAVE, "amp", "period" },
	{ "noise", SH_NOISE, "amp", NULL },
	{ "set", SH_SET, "value", NULL },
	{ "rate", SH_RATE, "per_s", NULL },
};

struct pctx {
	const char *path;
	int line;
};

static void perr(const struct pctx *c, const char *what, const char *tok)
	__attribute__((noreturn));
static void perr(const struct pctx *c, const char *what, const char *tok)
{
	die("%s:%d: %s%s%s%s", c->path, c->line, what, tok ? " '" : "", tok ? tok : "",
	    tok ? "'" : "");
}

/* a time: one or more NUMBER[s|m|min|h|d] */
static double parse_time(const struct pctx *c, const char *s)
{
	double total = 0;
	const char *p = s;
	if (!*p)
		perr(c, "empty time", NULL);
	while (*p) {
		char *e;
		errno = 0;
		double v = strtod(p, &e);
		if (e == p || errno || !isfinite(v) || v < 0)
			perr(c, "bad time (90s, 30m, 14h, 2d, 1h30m)", s);
		double unit = 1;
		if (!strncmp(e, "min", 3)) {
			unit = 60;
			e += 3;
		} else if (*e == 's' || *e == 'm' || *e == 'h' || *e == 'd') {
			unit = *e == 's' ? 1 : *e == 'm' ? 60 : *e == 'h' ? 3600 : 86400;
			e++;
		} else if (*e) {
			perr(c, "bad time (90s, 30m, 14h, 2d, 1h30m)", s);
		}
		total += v * unit;
		p = e;
	}
	return total;
}

/* a size or a rate: NUMBER[B|KiB|MiB|GiB][/s|/min|/h]; *BYTES set when a
 * size unit was given */
static double parse_amount(const struct pctx *c, const char *s, int *bytes)
{
	char *e;
	errno = 0;
	double v = strtod(s, &e);
	if (e == s || errno || !isfinite(v))
		perr(c, "bad number", s);
	static const struct { const char *u; double f; } units[] = {
		{ "GiB", 1073741824.0 }, { "MiB", 1048576.0 }, { "KiB", 1024.0 }, { "B", 1.0 },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++)
		if (!strncmp(e, units[i].u, strlen(units[i].u))) {
			v *= units[i].f;
			e += strlen(units[i].u);
			*bytes = 1;
			break;
		}
	if (!strcmp(e, "/s"))
		return v;
	if (!strcmp(e, "/min"))
		return v / 60;
	if (!strcmp(e, "/h"))
		return v / 3600;
	if (*e)
		perr(c, "bad amount (20MiB, 512KiB, 20MiB/h, a number)", s);
	return v;
}

static const struct shape_def *find_shape(const struct pctx *c, const char *name)
{
	for (size_t i = 0; i < sizeof(shapes) / sizeof(*shapes); i++)
		if (!strcmp(shapes[i].name, name))
			return &shapes[i];
	perr(c, "unknown shape (leak, step, sawtooth, warmup, fill, wave, noise, set, rate)", name);
}

/* key=value arguments of a line, from TOK on */
static void parse_args(const struct pctx *c, char **tok, size_t ntok, const struct shape_def *sd,
		       struct plan_line *l)
{
	int got_a = 0, got_b = 0;
	for (size_t i = 0; i < ntok; i++) {
		char *eq = strchr(tok[i], '=');
		if (!eq)
			perr(c, "expected key=value", tok[i]);
		*eq = '\0';
		const char *k = tok[i], *v = eq + 1;
		if (!strcmp(k, "from")) {
			l->from = parse_time(c, v);
		} else if (!strcmp(k, "to")) {
			l->to = parse_time(c, v);
		} else if (!strcmp(k, "map") && l->kind == PL_PROC) {
			char *e;
			errno = 0;
			l->map = strtoull(v, &e, 16);
			if (e == v || *e || errno)
				perr(c, "bad mapping start (hex)", v);
		} else if (sd->a && !strcmp(k, sd->a)) {
			l->a = parse_amount(c, v, &l->bytes);
			got_a = 1;
		} else if (sd->b && !strcmp(k, sd->b)) {
			l->b = (sd->shape == SH_SAWTOOTH || sd->shape == SH_WARMUP || sd->shape == SH_WAVE)
				       ? parse_time(c, v)
				       : parse_amount(c, v, &l->bytes);
			got_b = 1;
		} else {
			perr(c, "unknown argument", k);
		}
	}
	if ((sd->a && !got_a) || (sd->b && !got_b))
		perr(c, "missing argument", got_a || !sd->a ? sd->b : sd->a);
	if ((sd->shape == SH_SAWTOOTH || sd->shape == SH_WAVE || sd->shape == SH_WARMUP) && !(l->b > 0))
		perr(c, "the period or tau must be above 0", NULL);
	if (l->to <= l->from)
		perr(c, "to= must be after from=", NULL);
}

static void plan_line(const struct pctx *c, char **tok, size_t ntok, struct plan *p)
{
	struct plan_line l;
	memset(&l, 0, sizeof(l));
	l.to = INFINITY;
	l.lineno = c->line;
	size_t first_arg;
	if (!strcmp(tok[0], "proc") && ntok >= 3) {
		l.kind = PL_PROC;
		first_arg = 3;
	} else if ((!strcmp(tok[0], "gauge") || !strcmp(tok[0], "counter")) && ntok >= 4) {
		l.kind = tok[0][0] == 'g' ? PL_GAUGE : PL_COUNTER;
		l.key = xstrndup(tok[2], strlen(tok[2]));
		first_arg = 4;
	} else {
		perr(c, "expected 'proc COMM SHAPE ...', 'gauge PATH KEY SHAPE ...' or "
			"'counter PATH KEY rate ...'", NULL);
	}
	l.target = xstrndup(tok[1], strlen(tok[1]));
	const struct shape_def *sd = find_shape(c, tok[first_arg - 1]);
	l.shape = sd->shape;
	if ((l.kind == PL_COUNTER) != (l.shape == SH_RATE))
		perr(c, "counters take the shape 'rate', and only they", tok[first_arg - 1]);
	if (l.kind == PL_PROC && l.shape == SH_SET)
		perr(c, "a process's memory takes no 'set'", NULL);
	parse_args(c, tok + first_arg, ntok - first_arg, sd, &l);
	p->l = xrealloc(p->l, (p->n + 1) * sizeof(*p->l));
	p->l[p->n++] = l;
}

/* LINE's words into TOK (at most MAX): separated by blanks, a word in
 * double quotes may hold blanks ("Node 1 MemFree") */
static size_t split_words(const struct pctx *c, char *line, char **tok, size_t max)
{
	size_t n = 0;
	char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p)
			return n;
		if (n == max)
			perr(c, "too many words", NULL);
		char *end;
		if (*p == '"') {
			end = strchr(p + 1, '"');
			if (!end)
				perr(c, "a quote that does not end", NULL);
			tok[n++] = p + 1;
		} else {
			end = p + strcspn(p, " \t\r\n");
			tok[n++] = p;
		}
		if (!*end)
			return n;
		*end = '\0';
		p = end + 1;
	}
}

void plan_load(const char *path, struct plan *p)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die("%s: %s", path, strerror(errno));
	memset(p, 0, sizeof(*p));
	p->path = path;
	struct pctx c = { path, 0 };
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) >= 0) {
		c.line++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *tok[32];
		size_t ntok = split_words(&c, line, tok, sizeof(tok) / sizeof(*tok));
		if (ntok)
			plan_line(&c, tok, ntok, p);
	}
	if (ferror(f))
		die("%s: %s", path, strerror(errno));
	free(line);
	fclose(f);
}

int plan_matches_path(const struct plan_line *l, const char *path)
{
	return l->kind != PL_PROC && fnmatch(l->target, path, 0) == 0;
}

double plan_value(const struct plan_line *l, double t, unsigned k)
{
	if (t < l->from)
		return 0;
	double u = t - l->from, held = fmin(t, l->to) - l->from;
	int after = t >= l->to;
	switch (l->shape) {
	case SH_LEAK:
	case SH_RATE:
		return l->a * held;
	case SH_STEP:
		return after ? 0 : l->a;
	case SH_SAWTOOTH:
		return after ? 0 : l->a * fmod(u, l->b) / l->b;
	case SH_WARMUP:
		return l->a * (1 - exp(-held / l->b));
	case SH_FILL:
		return fmin(l->a * held, l->b);
	case SH_WAVE:
		return after ? 0 : l->a * (1 - cos(2 * M_PI * u / l->b)) / 2;
	case SH_NOISE:
		return after ? 0 : l->a * (double)jitter(k, (uint32_t)l->lineno, 17, 1000000) / 1e6;
	case SH_SET:
		return l->a;
	}
	return 0;
}

int plan_active(const struct plan_line *l, double t)
{
	return l->shape != SH_SET || (t >= l->from && t < l->to);
}
