/*
 * stats_fmt.c - the fmt_* SQL functions (see stats_fmt.h; reference:
 * docs/stats.md, "Formatting").
 *
 * One row of fmt_fns[] per SQL name, like SQLite's own table of built-in
 * functions.  Two ideas carry all of them:
 *  - a number of decimals that shrinks as the value grows, "at least
 *    DIGITS significant digits, at most MAX decimals" (decimals()): with
 *    the defaults 2 and 2, 12.3 -> "12", 3.45 -> "3.5", 0.123 -> "0.12";
 *  - a ladder of units (struct tier): the first tier whose bound the value
 *    is below decides the divisor, the decimals and the unit.
 * The thresholds are compared on the value as given (bytes and rates on
 * its magnitude), with powers of ten and two that are exact in a double,
 * so a boundary falls where the same comparison in SQL puts it.
 *
 * Compiled twice, like stats_sql.c: with MS_STATS_EXTENSION every sqlite3_*
 * call goes through the extension's API table.
 */
#include "stats_fmt.h"
#include "stats_sql.h"

#ifdef MS_STATS_EXTENSION
SQLITE_EXTENSION_INIT3
#endif

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define KIB 1024.0
#define MIB (KIB * KIB)
#define GIB (MIB * KIB)

/* Values below BELOW are shown divided by DIV with DEC decimals and UNIT;
 * DIV 0 makes UNIT the whole text (a cap such as "over a century"). */
struct tier {
	double below, div;
	int dec;
	const char *unit;
};

static const struct tier min_days[] = {
	{ 5400, 60, 0, "min" }, { 172800, 3600, 1, "h" }, { INFINITY, 86400, 1, "days" },
};
static const struct tier eta[] = {
	{ 5400, 60, 0, "min" }, { 172800, 3600, 1, "h" }, { 3153600000.0, 86400, 0, "days" },
	{ INFINITY, 0, 0, "over a century" },
};
static const struct tier min_h[] = { { 5400, 60, 1, "min" }, { INFINITY, 3600, 1, "h" } };
static const struct tier s_h[] = {
	{ 120, 1, 0, "s" }, { 7200, 60, 0, "min" }, { INFINITY, 3600, 1, "h" },
};
static const struct tier s_min[] = { { 120, 1, 0, "s" }, { INFINITY, 60, 1, "min" } };

/* The styles of fmt_duration(), the first the default; each ends with an
 * INFINITY bound. */
static const struct {
	const char *name;
	const struct tier *tiers;
} styles[] = {
	{ "min-days", min_days }, { "eta", eta }, { "min-h", min_h }, { "s-h", s_h }, { "s-min", s_min },
};
#define STYLE_NAMES "min-days, eta, min-h, s-h, s-min"

static int arg_number(sqlite3_context *ctx, sqlite3_value **argv, int i, double *out);
static int arg_small(sqlite3_context *ctx, int argc, sqlite3_value **argv, int i, int lo,
		     int fallback, int *out);
static const struct tier *arg_style(sqlite3_context *ctx, int argc, sqlite3_value **argv, int i);
static void result_printf(sqlite3_context *ctx, const char *fmt, ...);

/* Argument I as a double: 1, 0 for NULL or a non-finite number (the
 * result is then NULL), -1 with the error set for anything else. */
static int arg_number(sqlite3_context *ctx, sqlite3_value **argv, int i, double *out)
{
	return ms_stats_take_number(ctx, sqlite3_user_data(ctx), argv[i], i + 1, out);
}

/* Optional argument I: a whole number from LO to 9, or FALLBACK when it
 * is absent or NULL.  0, or -1 with the error set. */
static int arg_small(sqlite3_context *ctx, int argc, sqlite3_value **argv, int i, int lo,
		     int fallback, int *out)
{
	char msg[112];
	*out = fallback;
	if (i >= argc || sqlite3_value_type(argv[i]) == SQLITE_NULL)
		return 0;
	int type = sqlite3_value_numeric_type(argv[i]);
	double v = sqlite3_value_double(argv[i]);
	if ((type == SQLITE_INTEGER || type == SQLITE_FLOAT) && v >= lo && v <= 9 && v == floor(v)) {
		*out = (int)v;
		return 0;
	}
	snprintf(msg, sizeof msg, "%s: argument %d must be NULL or a whole number from %d to 9",
		 (const char *)sqlite3_user_data(ctx), i + 1, lo);
	sqlite3_result_error(ctx, msg, -1);
	return -1;
}

/* Optional argument I, a style name; NULL with the error set when unknown. */
static const struct tier *arg_style(sqlite3_context *ctx, int argc, sqlite3_value **argv, int i)
{
	char msg[160];
	if (i >= argc || sqlite3_value_type(argv[i]) == SQLITE_NULL)
		return styles[0].tiers;
	const char *name = (const char *)sqlite3_value_text(argv[i]);
	for (size_t k = 0; name && k < sizeof styles / sizeof *styles; k++)
		if (!strcmp(name, styles[k].name))
			return styles[k].tiers;
	snprintf(msg, sizeof msg, "%s: unknown style '%.40s' (%s)", (const char *)sqlite3_user_data(ctx),
		 name ? name : "", STYLE_NAMES);
	sqlite3_result_error(ctx, msg, -1);
	return NULL;
}

/* The text of FMT as SQLite's printf() writes it, as the result. */
static void result_printf(sqlite3_context *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (s)
		sqlite3_result_text(ctx, s, -1, sqlite3_free);
	else
		sqlite3_result_error_nomem(ctx);
}

/* Decimals for magnitude V: the fewest (0 to MAX) with which V shows at
 * least DIGITS significant digits; the threshold for d decimals is
 * 10^(DIGITS - 1 - d), exact (a whole power, or 1 over one). */
static int decimals(double v, int max, int digits)
{
	static const double p10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };
	for (int d = 0; d < max; d++) {
		int e = digits - 1 - d;
		double thr = e >= 0 ? p10[e] : 1.0 / p10[-e];
		if (v >= thr)
			return d;
	}
	return max;
}

/* The tier of LADDER for value V. */
static const struct tier *tier_of(const struct tier *ladder, double v)
{
	while (!(v < ladder->below) && ladder->below != INFINITY)
		ladder++;
	return ladder;
}

/* fmt_bytes(x [, gib_decimals [, mib_decimals]]) */
static void fmt_bytes(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	double x;
	int gd, md, r = arg_number(ctx, argv, 0, &x);
	if (r < 0 || arg_small(ctx, argc, argv, 1, 0, -1, &gd) < 0 ||
	    arg_small(ctx, argc, argv, 2, 0, -1, &md) < 0)
		return;
	if (r == 0) {
		sqlite3_result_null(ctx);
		return;
	}
	int gib = fabs(x) >= GIB;
	double v = x / (gib ? GIB : MIB);
	int d = gib ? gd : md;
	result_printf(ctx, "%.*f %s", d >= 0 ? d : decimals(fabs(v), 1, 2), v, gib ? "GiB" : "MiB");
}

/* fmt_duration(seconds [, style]) */
static void fmt_duration(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	double x;
	int r = arg_number(ctx, argv, 0, &x);
	const struct tier *ladder = r < 0 ? NULL : arg_style(ctx, argc, argv, 1);
	if (!ladder)
		return;
	const struct tier *t = r ? tier_of(ladder, x) : NULL;
	if (!t)
		sqlite3_result_null(ctx);
	else if (t->div == 0)
		sqlite3_result_text(ctx, t->unit, -1, SQLITE_STATIC);
	else
		result_printf(ctx, "%.*f %s", t->dec, x / t->div, t->unit);
}

/* fmt_duration_range(lo, hi [, style]): in HI's unit; NULL past a cap. */
static void fmt_duration_range(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	double lo, hi;
	int r = arg_number(ctx, argv, 0, &lo);
	int r2 = r < 0 ? -1 : arg_number(ctx, argv, 1, &hi);
	const struct tier *ladder = r2 < 0 ? NULL : arg_style(ctx, argc, argv, 2);
	if (!ladder)
		return;
	const struct tier *t = r && r2 ? tier_of(ladder, hi) : NULL;
	if (!t || t->div == 0)
		sqlite3_result_null(ctx);
	else
		result_printf(ctx, "%.*f-%.*f %s", t->dec, lo / t->div, t->dec, hi / t->div, t->unit);
}

/* fmt_rate(x [, max_decimals [, digits]]) */
static void fmt_rate(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	double x;
	int max, digits, r = arg_number(ctx, argv, 0, &x);
	if (r < 0 || arg_small(ctx, argc, argv, 1, 0, 2, &max) < 0 ||
	    arg_small(ctx, argc, argv, 2, 1, 2, &digits) < 0)
		return;
	if (r == 0)
		sqlite3_result_null(ctx);
	else
		result_printf(ctx, "%.*f", decimals(fabs(x), max, digits), x);
}

/* fmt_rate_range(lo, hi [, max_decimals [, digits]]): HI sets the decimals. */
static void fmt_rate_range(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	double lo, hi;
	int max, digits, r = arg_number(ctx, argv, 0, &lo);
	int r2 = r < 0 ? -1 : arg_number(ctx, argv, 1, &hi);
	if (r2 < 0 || arg_small(ctx, argc, argv, 2, 0, 2, &max) < 0 ||
	    arg_small(ctx, argc, argv, 3, 1, 2, &digits) < 0)
		return;
	if (r == 0 || r2 == 0) {
		sqlite3_result_null(ctx);
		return;
	}
	int d = decimals(fabs(hi), max, digits);
	result_printf(ctx, "%.*f-%.*f", d, lo, d, hi);
}

/* fmt_p(p): three decimals, or one significant digit below 0.001. */
static void fmt_p(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	double p;
	int r = arg_number(ctx, argv, 0, &p);
	(void)argc;
	if (r == 0)
		sqlite3_result_null(ctx);
	else if (r > 0)
		result_printf(ctx, p < 0.001 ? "%.0e" : "%.3f", p);
}

/* fmt_hex(x [, digits]): X an unsigned 64-bit value as the database holds
 * one (an INTEGER, or above 2^63-1 a REAL: docs/schema.md, "Numbers above
 * 2^63"), an address, in lowercase hex with at least DIGITS (0 to 16)
 * digits.  printf('%x') reads a REAL above 2^63-1 as 2^63-1. */
static void fmt_hex(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *name = sqlite3_user_data(ctx);
	char msg[112];
	double d = 0;
	int digits = 0;
	if (argc > 1 && sqlite3_value_type(argv[1]) != SQLITE_NULL) {
		int t = sqlite3_value_numeric_type(argv[1]);
		d = sqlite3_value_double(argv[1]);
		if ((t != SQLITE_INTEGER && t != SQLITE_FLOAT) || d < 0 || d > 16 || d != floor(d)) {
			snprintf(msg, sizeof msg,
				 "%s: argument 2 must be NULL or a whole number from 0 to 16", name);
			sqlite3_result_error(ctx, msg, -1);
			return;
		}
		digits = (int)d;
	}
	int type = sqlite3_value_numeric_type(argv[0]);
	d = sqlite3_value_double(argv[0]);
	uint64_t u;
	if (type == SQLITE_NULL || (type == SQLITE_FLOAT && !isfinite(d))) {
		sqlite3_result_null(ctx);
		return;
	}
	if (type == SQLITE_INTEGER) {
		u = (uint64_t)sqlite3_value_int64(argv[0]); /* a negative one: its 64 bits */
	} else if (type == SQLITE_FLOAT && d == floor(d) && d >= -9223372036854775808.0 &&
		   d < 18446744073709551616.0) {
		u = d >= 9223372036854775808.0
			? (uint64_t)(d - 9223372036854775808.0) + ((uint64_t)1 << 63)
			: (uint64_t)(int64_t)d;
	} else {
		snprintf(msg, sizeof msg, "%s: argument 1 is not a whole number from -2^63 to "
			 "2^64-1", name);
		sqlite3_result_error(ctx, msg, -1);
		return;
	}
	snprintf(msg, sizeof msg, "%0*llx", digits, (unsigned long long)u);
	sqlite3_result_text(ctx, msg, -1, SQLITE_TRANSIENT);
}

static const struct {
	const char *name;
	int min_args, max_args;
	void (*fn)(sqlite3_context *, int, sqlite3_value **);
} fmt_fns[] = {
	{ "fmt_bytes", 1, 3, fmt_bytes },
	{ "fmt_duration", 1, 2, fmt_duration },
	{ "fmt_duration_range", 2, 3, fmt_duration_range },
	{ "fmt_rate", 1, 3, fmt_rate },
	{ "fmt_rate_range", 2, 4, fmt_rate_range },
	{ "fmt_p", 1, 1, fmt_p },
	{ "fmt_hex", 1, 2, fmt_hex },
};

int ms_fmt_register(sqlite3 *db)
{
	const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	for (size_t i = 0; i < sizeof fmt_fns / sizeof fmt_fns[0]; i++)
		for (int n = fmt_fns[i].min_args; n <= fmt_fns[i].max_args; n++) {
			int rc = sqlite3_create_function_v2(db, fmt_fns[i].name, n, flags,
							    (void *)(uintptr_t)fmt_fns[i].name,
							    fmt_fns[i].fn, NULL, NULL, NULL);
			if (rc != SQLITE_OK)
				return rc;
		}
	return SQLITE_OK;
}
