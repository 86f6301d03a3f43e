/*
 * rule_unit.c - the unit vocabulary of rules (see rule_unit.h).
 *
 * Declared units are matched exactly against two tables: the numerators
 * (sizes, pages, %) and the durations; a rate is "NUMERATOR/DURATION" with
 * an empty numerator for events.  Values from the command line are read
 * more leniently (the aliases below), in the declared unit's kind only: a
 * size where a duration is expected is an error, never a guess.
 */
#include "rule_unit.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct unit_name {
	const char *name;
	enum rule_unit_kind kind;
	double scale;
};

/* canonical spellings: what a rule declares and what the reports print */
static const struct unit_name numerators[] = {
	{ "B", RULE_UNIT_K_BYTES, 1 }, { "KiB", RULE_UNIT_K_BYTES, 1024.0 },
	{ "MiB", RULE_UNIT_K_BYTES, 1048576.0 }, { "GiB", RULE_UNIT_K_BYTES, 1073741824.0 },
	{ "TiB", RULE_UNIT_K_BYTES, 1099511627776.0 }, { "pages", RULE_UNIT_K_PAGES, 1 },
	{ "%", RULE_UNIT_K_PERCENT, 1 },
};
static const struct unit_name durations[] = {
	{ "us", RULE_UNIT_K_TIME, 1e-6 }, { "ms", RULE_UNIT_K_TIME, 1e-3 },
	{ "s", RULE_UNIT_K_TIME, 1 }, { "min", RULE_UNIT_K_TIME, 60 },
	{ "h", RULE_UNIT_K_TIME, 3600 }, { "days", RULE_UNIT_K_TIME, 86400 },
};
/* what a person may type for a duration (case-insensitive) */
static const struct unit_name duration_aliases[] = {
	{ "us", RULE_UNIT_K_TIME, 1e-6 }, { "ms", RULE_UNIT_K_TIME, 1e-3 },
	{ "s", RULE_UNIT_K_TIME, 1 }, { "sec", RULE_UNIT_K_TIME, 1 },
	{ "second", RULE_UNIT_K_TIME, 1 }, { "seconds", RULE_UNIT_K_TIME, 1 },
	{ "m", RULE_UNIT_K_TIME, 60 }, { "min", RULE_UNIT_K_TIME, 60 },
	{ "minute", RULE_UNIT_K_TIME, 60 }, { "minutes", RULE_UNIT_K_TIME, 60 },
	{ "h", RULE_UNIT_K_TIME, 3600 }, { "hour", RULE_UNIT_K_TIME, 3600 },
	{ "hours", RULE_UNIT_K_TIME, 3600 }, { "d", RULE_UNIT_K_TIME, 86400 },
	{ "day", RULE_UNIT_K_TIME, 86400 }, { "days", RULE_UNIT_K_TIME, 86400 },
};
#define N(a) (sizeof(a) / sizeof(*(a)))

static const struct unit_name *find(const struct unit_name *t, size_t n, const char *s, size_t len,
				    int nocase)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(t[i].name) == len &&
		    (nocase ? !strncasecmp(t[i].name, s, len) : !memcmp(t[i].name, s, len)))
			return &t[i];
	return NULL;
}

int rule_unit_parse(const char *s, int column, struct rule_unit *u)
{
	*u = (struct rule_unit){ RULE_UNIT_K_NONE, 1, 0, s };
	size_t len = strlen(s);
	if (len == 0)
		return column ? -1 : 0;
	if (column && !strcmp(s, "1"))
		return 0;
	if (column && (!strcmp(s, "epoch") || !strcmp(s, "text"))) {
		u->kind = s[0] == 'e' ? RULE_UNIT_K_EPOCH : RULE_UNIT_K_TEXT;
		return 0;
	}
	const char *slash = strchr(s, '/');
	const struct unit_name *num = NULL, *den = NULL;
	if (slash) {
		den = find(durations, N(durations), slash + 1, strlen(slash + 1), 0);
		if (!den || (slash > s && !(num = find(numerators, N(numerators), s, (size_t)(slash - s), 0))))
			return -1;
		u->per = den->scale;
	} else {
		num = find(numerators, N(numerators), s, len, 0);
		if (!num)
			num = find(durations, N(durations), s, len, 0);
		if (!num)
			return -1;
	}
	if (num) {
		u->kind = num->kind;
		u->scale = num->scale;
	}
	return 0;
}

const char *rule_unit_vocabulary(void)
{
	return "B, KiB, MiB, GiB, TiB, pages, %, us, ms, s, min, h, days, or a rate: one of "
	       "B ... % (or nothing, for events) over a duration, such as MiB/h, pages/s, /min";
}

/* A size as typed: B, bytes, K, KB, KiB ... T (any case).  Its scale, or 0. */
static double size_alias(const char *s, size_t len)
{
	if ((len == 1 && (*s == 'b' || *s == 'B')) || (len == 5 && !strncasecmp(s, "bytes", 5)))
		return 1;
	static const char prefixes[] = "kmgt";
	const char *p = len ? strchr(prefixes, tolower((unsigned char)s[0])) : NULL;
	if (!p || !*p)
		return 0;
	size_t i = 1;
	if (i < len && (s[i] == 'i' || s[i] == 'I'))
		i++;
	if (i < len && (s[i] == 'b' || s[i] == 'B'))
		i++;
	return i == len ? ldexp(1.0, 10 * (int)(p - prefixes + 1)) : 0;
}

/* The numerator S..S+LEN as typed, of KIND: its scale, or 0 when it is not one. */
static double numerator_alias(enum rule_unit_kind kind, const char *s, size_t len)
{
	switch (kind) {
	case RULE_UNIT_K_BYTES: return size_alias(s, len);
	case RULE_UNIT_K_PAGES: return (len == 5 && !strncasecmp(s, "pages", 5)) ||
				       (len == 4 && !strncasecmp(s, "page", 4)) ? 1 : 0;
	case RULE_UNIT_K_PERCENT: return len == 1 && *s == '%' ? 1 : 0;
	case RULE_UNIT_K_NONE: return len == 0 ? 1 : 0;
	default: return 0;
	}
}

/* A decimal number at *P (sign, digits, fraction, exponent; no hex, inf
 * or nan), advancing *P.  0, or -1 when there is none. */
static int scan_number(const char **p, double *v)
{
	const char *s = *p, *d = s + (*s == '-' || *s == '+');
	const char *q = d;
	while (isdigit((unsigned char)*q))
		q++;
	if (*q == '.')
		for (q++; isdigit((unsigned char)*q);)
			q++;
	if (q == d || (q == d + 1 && *d == '.'))
		return -1;
	if ((*q == 'e' || *q == 'E') && (isdigit((unsigned char)q[1]) ||
					 ((q[1] == '-' || q[1] == '+') && isdigit((unsigned char)q[2]))))
		for (q += 2; isdigit((unsigned char)*q);)
			q++;
	char *end;
	*v = strtod(s, &end);
	if (end != q || !isfinite(*v))
		return -1;
	*p = q;
	return 0;
}

/* The word at S: letters, or one '%'. */
static size_t word_len(const char *s)
{
	if (*s == '%')
		return 1;
	size_t n = 0;
	while (isalpha((unsigned char)s[n]))
		n++;
	return n;
}

/* A duration that goes on after its first group (P..E): "1h30m". */
static int more_groups(const char *p, const char *e, double *seconds)
{
	while (p < e) {
		double v;
		if (*p == '-' || *p == '+' || scan_number(&p, &v) < 0)
			return -1;
		size_t n = word_len(p);
		const struct unit_name *t = find(duration_aliases, N(duration_aliases), p, n, 1);
		if (!t || p + n > e)
			return -1;
		*seconds += v * t->scale;
		p += n;
	}
	return 0;
}

int rule_unit_read(const char *text, const struct rule_unit *u, double *out)
{
	const char *p = text;
	double v;
	while (*p == ' ')
		p++;
	if (scan_number(&p, &v) < 0)
		return -1;
	while (*p == ' ')
		p++;
	size_t end = strlen(p);
	while (end && p[end - 1] == ' ')
		end--;
	if (end == 0) {
		*out = v; /* a plain number is in the declared unit */
		return 0;
	}
	const char *slash = memchr(p, '/', end);
	double scale, per = 0;
	if (u->per > 0 || slash) {
		const struct unit_name *t = slash ? find(duration_aliases, N(duration_aliases), slash + 1,
							 end - (size_t)(slash + 1 - p), 1) : NULL;
		if (!t || u->per <= 0 || !(scale = numerator_alias(u->kind, p, (size_t)(slash - p))))
			return -1;
		per = t->scale;
		*out = v * scale / u->scale * u->per / per;
	} else if (u->kind == RULE_UNIT_K_TIME) {
		size_t n = word_len(p);
		const struct unit_name *t = find(duration_aliases, N(duration_aliases), p, n, 1);
		double seconds = t ? v * t->scale : 0;
		if (!t || n > end || more_groups(p + n, p + end, &seconds) < 0)
			return -1;
		*out = seconds / u->scale;
	} else {
		if (!(scale = numerator_alias(u->kind, p, end)) || u->kind == RULE_UNIT_K_NONE)
			return -1;
		*out = v * scale / u->scale;
	}
	return isfinite(*out) ? 0 : -1;
}

int rule_unit_forms(const struct rule_unit *u, struct ms_buf *b)
{
	if (u->per > 0) {
		static const char *const examples[] = {
			[RULE_UNIT_K_NONE] = "10/min, 0.5/s", [RULE_UNIT_K_BYTES] = "4MiB/s, 100MiB/h",
			[RULE_UNIT_K_PAGES] = "256pages/s, 1000pages/min", [RULE_UNIT_K_PERCENT] = "5%/min, 0.1%/s",
		};
		return ms_buf_addf(b, "a rate: %s (a plain number is %s)", examples[u->kind], u->name);
	}
	switch (u->kind) {
	case RULE_UNIT_K_BYTES:
		return ms_buf_addf(b, "a size: 2MiB, 512K, 1.5GiB (B, K or KiB, M, G, T; a plain number "
				   "is %s)", u->name);
	case RULE_UNIT_K_TIME:
		return ms_buf_addf(b, "a duration: 90s, 10m, 1h30m, 2d (a plain number is %s)", u->name);
	case RULE_UNIT_K_PERCENT:
		return ms_buf_addstr(b, "a percentage: 5% or 5");
	case RULE_UNIT_K_PAGES:
		return ms_buf_addstr(b, "a number of pages");
	default:
		return ms_buf_addstr(b, "a number");
	}
}

int rule_unit_say(double v, const struct rule_unit *u, struct ms_buf *b)
{
	if (u->kind == RULE_UNIT_K_TIME && u->per == 0)
		return rule_unit_say_span(v * u->scale, b);
	return ms_buf_addf(b, "%g%s%s", v, u->name[0] && strcmp(u->name, "1") ? " " : "",
			   strcmp(u->name, "1") ? u->name : "");
}

int rule_unit_say_span(double s, struct ms_buf *b)
{
	if (s < 60)
		return ms_buf_addf(b, "%g s", round(s * 10) / 10);
	long v = lround(s);
	long big = v >= 86400 ? v / 86400 : v >= 3600 ? v / 3600 : v / 60;
	long small = v >= 86400 ? v % 86400 / 3600 : v >= 3600 ? v % 3600 / 60 : v % 60;
	const char *bu = v >= 86400 ? (big == 1 ? "day" : "days") : v >= 3600 ? "h" : "min";
	const char *su = v >= 86400 ? "h" : v >= 3600 ? "min" : "s";
	return small ? ms_buf_addf(b, "%ld %s %ld %s", big, bu, small, su)
		     : ms_buf_addf(b, "%ld %s", big, bu);
}
