/*
 * test_stats_fmt.c - the fmt_* SQL functions (analyze/stats/stats_fmt.c):
 * exact text on both sides of every boundary, the optional arguments,
 * NULLs and errors; then, over a grid of values with every boundary and
 * its neighbouring doubles, agreement with the CASE ... printf() blocks
 * the rules used to carry (the rules' messages must not change).
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats_sql.h"
#include "test.h"

static sqlite3 *open_db(void)
{
	sqlite3 *db = NULL;
	REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
	REQUIRE(ms_stats_register(db) == SQLITE_OK);
	return db;
}

/* SQL (a SELECT of one value, ?1 and ?2 bound to A and B) as text; NULL
 * for an SQL NULL, "error: MESSAGE" for an error.  The caller frees. */
static char *eval(sqlite3 *db, const char *sql, double a, double b)
{
	sqlite3_stmt *st;
	char *s;
	REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
	sqlite3_bind_double(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_double(st, 2, b);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		size_t n = strlen(sqlite3_errmsg(db)) + 8;
		s = malloc(n);
		REQUIRE(s != NULL);
		snprintf(s, n, "error: %s", sqlite3_errmsg(db));
	} else {
		const unsigned char *t = sqlite3_column_text(st, 0);
		s = t ? strdup((const char *)t) : NULL;
	}
	sqlite3_finalize(st);
	return s;
}

#define EXPECT(db, sql, a, b, want)                                     \
	do {                                                            \
		char *got_ = eval((db), (sql), (a), (b));               \
		if (!CHECK_STR(got_, (want)))                           \
			fprintf(stderr, "    %s with %.17g, %.17g\n", (sql), (double)(a), (double)(b)); \
		free(got_);                                             \
	} while (0)

/* The double just below X. */
static double below(double x)
{
	return nextafter(x, -INFINITY);
}

TEST(fmt_bytes_tiers_and_decimals)
{
	sqlite3 *db = open_db();
	const char *q = "SELECT fmt_bytes(?1)";
	EXPECT(db, q, 0, 0, "0.0 MiB");
	EXPECT(db, q, 1048576, 0, "1.0 MiB");
	EXPECT(db, q, below(10485760), 0, "10.0 MiB");
	EXPECT(db, q, 10485760, 0, "10 MiB");
	EXPECT(db, q, below(1073741824), 0, "1024 MiB");
	EXPECT(db, q, 1073741824, 0, "1.0 GiB");
	EXPECT(db, q, below(10737418240.0), 0, "10.0 GiB");
	EXPECT(db, q, 10737418240.0, 0, "10 GiB");
	EXPECT(db, q, 5e12, 0, "4657 GiB");
	/* the tier follows the magnitude; the sign stays */
	EXPECT(db, q, -10485760, 0, "-10 MiB");
	EXPECT(db, q, -1610612736, 0, "-1.5 GiB");
	/* fixed decimals for GiB, MiB or both; NULL keeps the adaptive ones */
	EXPECT(db, "SELECT fmt_bytes(?1, 2)", 1610612736, 0, "1.50 GiB");
	EXPECT(db, "SELECT fmt_bytes(?1, 2)", 10737418240.0, 0, "10.00 GiB");
	EXPECT(db, "SELECT fmt_bytes(?1, 2)", 5242880, 0, "5.0 MiB");
	EXPECT(db, "SELECT fmt_bytes(?1, NULL, 0)", 5242880, 0, "5 MiB");
	EXPECT(db, "SELECT fmt_bytes(?1, NULL, 0)", 10737418240.0, 0, "10 GiB");
	EXPECT(db, "SELECT fmt_bytes(?1, 1, 0)", 10737418240.0, 0, "10.0 GiB");
	EXPECT(db, "SELECT fmt_bytes(?1, 0, 3)", 1572864, 0, "1.500 MiB");
	/* SQLite's printf rounds a half away from zero (C's printf: to even) */
	EXPECT(db, "SELECT fmt_bytes(?1, NULL, 0)", 2621440, 0, "3 MiB");
	EXPECT(db, "SELECT fmt_bytes(12582912)", 0, 0, "12 MiB");
	sqlite3_close(db);
}

TEST(fmt_duration_styles)
{
	sqlite3 *db = open_db();
	static const struct {
		const char *style;
		double x;
		const char *want;
	} c[] = {
		{ "NULL", 0, "0 min" }, { "NULL", 5399, "90 min" }, { "NULL", 5400, "1.5 h" },
		{ "NULL", 172799, "48.0 h" }, { "NULL", 172800, "2.0 days" }, { "NULL", 1e9, "11574.1 days" },
		{ "'min-days'", 5400, "1.5 h" },
		{ "'eta'", 5399, "90 min" }, { "'eta'", 5400, "1.5 h" }, { "'eta'", 172800, "2 days" },
		{ "'eta'", 3153599999.0, "36500 days" }, { "'eta'", 3153600000.0, "over a century" },
		{ "'min-h'", 30, "0.5 min" }, { "'min-h'", 5399, "90.0 min" }, { "'min-h'", 5400, "1.5 h" },
		{ "'min-h'", 1e6, "277.8 h" },
		{ "'s-h'", 119, "119 s" }, { "'s-h'", 120, "2 min" }, { "'s-h'", 7199, "120 min" },
		{ "'s-h'", 7200, "2.0 h" },
		{ "'s-min'", 119.4, "119 s" }, { "'s-min'", 120, "2.0 min" }, { "'s-min'", 7200, "120.0 min" },
	};
	char sql[96];
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		snprintf(sql, sizeof sql, "SELECT fmt_duration(?1, %s)", c[i].style);
		EXPECT(db, sql, c[i].x, 0, c[i].want);
	}
	EXPECT(db, "SELECT fmt_duration(?1)", below(5400), 0, "90 min");
	EXPECT(db, "SELECT fmt_duration(?1, 's-h')", below(120), 0, "120 s");
	/* negative values take the first tier */
	EXPECT(db, "SELECT fmt_duration(?1)", -600, 0, "-10 min");
	sqlite3_close(db);
}

TEST(fmt_duration_range_unit_of_the_upper_bound)
{
	sqlite3 *db = open_db();
	const char *q = "SELECT fmt_duration_range(?1, ?2, 'eta')";
	EXPECT(db, q, 600, 5399, "10-90 min");
	EXPECT(db, q, 600, 5400, "0.2-1.5 h");
	EXPECT(db, q, 3600, 7200, "1.0-2.0 h");
	EXPECT(db, q, 86400, 172800, "1-2 days");
	EXPECT(db, q, 86400, below(3153600000.0), "1-36500 days");
	EXPECT(db, q, 86400, 3153600000.0, NULL);   /* past the cap: no range */
	EXPECT(db, "SELECT fmt_duration_range(?1, ?2)", 3600, 172800, "0.0-2.0 days");
	EXPECT(db, "SELECT fmt_duration_range(?1, ?2, 's-h')", 30, 90, "30-90 s");
	EXPECT(db, "SELECT fmt_duration_range(?1, NULL)", 30, 0, NULL);
	sqlite3_close(db);
}

TEST(fmt_rate_significant_digits)
{
	sqlite3 *db = open_db();
	const char *q = "SELECT fmt_rate(?1)";
	EXPECT(db, q, 123.4, 0, "123");
	EXPECT(db, q, 10, 0, "10");
	EXPECT(db, q, below(10), 0, "10.0");
	EXPECT(db, q, 1, 0, "1.0");
	EXPECT(db, q, below(1), 0, "1.00");
	EXPECT(db, q, 0.0123, 0, "0.01");
	EXPECT(db, q, 0, 0, "0.00");
	EXPECT(db, q, -12.5, 0, "-13");
	EXPECT(db, "SELECT fmt_rate(?1, 1)", 9.96, 0, "10.0");
	EXPECT(db, "SELECT fmt_rate(?1, 1)", 0.04, 0, "0.0");
	EXPECT(db, "SELECT fmt_rate(?1, 1, 3)", 100, 0, "100");
	EXPECT(db, "SELECT fmt_rate(?1, 1, 3)", below(100), 0, "100.0");
	EXPECT(db, "SELECT fmt_rate(?1, 1, 3)", 45.25, 0, "45.3");
	EXPECT(db, "SELECT fmt_rate(?1, 3, 1)", 0.5, 0, "0.5");
	EXPECT(db, "SELECT fmt_rate(?1, 3, 1)", 0.05, 0, "0.05");
	EXPECT(db, "SELECT fmt_rate(?1, 0)", 0.5, 0, "1");
	q = "SELECT fmt_rate_range(?1, ?2)";
	EXPECT(db, q, 8.5, 12, "9-12");
	EXPECT(db, q, 0.5, 1.25, "0.5-1.3");
	EXPECT(db, q, 0.05, 0.5, "0.05-0.50");
	EXPECT(db, "SELECT fmt_rate_range(?1, ?2, 1)", 0.05, 9.5, "0.1-9.5");
	EXPECT(db, "SELECT fmt_rate_range(?1, ?2, 1, 3)", 50, 150, "50-150");
	sqlite3_close(db);
}

TEST(fmt_p_value)
{
	sqlite3 *db = open_db();
	const char *q = "SELECT fmt_p(?1)";
	EXPECT(db, q, 0.05, 0, "0.050");
	EXPECT(db, q, 0.001, 0, "0.001");
	EXPECT(db, q, below(0.001), 0, "1e-03");
	EXPECT(db, q, 3.4e-5, 0, "3e-05");
	EXPECT(db, q, 0, 0, "0e+00");
	EXPECT(db, q, 1, 0, "1.000");
	sqlite3_close(db);
}

/* unsigned 64-bit values as the loader stores them: an INTEGER, or a REAL
 * above 2^63-1 (docs/schema.md): [vsyscall]'s start, 0xffffffffff600000,
 * is the REAL 18446744073699065856.0 */
TEST(fmt_hex_addresses)
{
	sqlite3 *db = open_db();
	EXPECT(db, "SELECT fmt_hex(18446744073699065856.0)", 0, 0, "ffffffffff600000");
	EXPECT(db, "SELECT fmt_hex(9223372036854775808.0)", 0, 0, "8000000000000000");
	EXPECT(db, "SELECT fmt_hex(9223372036854775807)", 0, 0, "7fffffffffffffff");
	EXPECT(db, "SELECT fmt_hex(140737353879552, 12)", 0, 0, "7ffff7fc1000");
	EXPECT(db, "SELECT fmt_hex(4194304, 12)", 0, 0, "000000400000");
	EXPECT(db, "SELECT fmt_hex(0)", 0, 0, "0");
	EXPECT(db, "SELECT fmt_hex(?1, 16)", 4096, 0, "0000000000001000");
	EXPECT(db, "SELECT fmt_hex('4096')", 0, 0, "1000");
	/* what printf() shows for the same INTEGER, a negative one too */
	EXPECT(db, "SELECT fmt_hex(-1) = printf('%x', -1)", 0, 0, "1");
	EXPECT(db, "SELECT fmt_hex(4194304, 12) = printf('%012x', 4194304)", 0, 0, "1");
	EXPECT(db, "SELECT fmt_hex(NULL)", 0, 0, NULL);
	EXPECT(db, "SELECT fmt_hex(1e999)", 0, 0, NULL);
	EXPECT(db, "SELECT fmt_hex(1.5)", 0, 0,
	       "error: fmt_hex: argument 1 is not a whole number from -2^63 to 2^64-1");
	EXPECT(db, "SELECT fmt_hex(18446744073709551616.0)", 0, 0,
	       "error: fmt_hex: argument 1 is not a whole number from -2^63 to 2^64-1");
	EXPECT(db, "SELECT fmt_hex('x')", 0, 0,
	       "error: fmt_hex: argument 1 is not a whole number from -2^63 to 2^64-1");
	EXPECT(db, "SELECT fmt_hex(1, 17)", 0, 0,
	       "error: fmt_hex: argument 2 must be NULL or a whole number from 0 to 16");
	sqlite3_close(db);
}

TEST(fmt_nulls_and_errors)
{
	sqlite3 *db = open_db();
	static const char *const null_sql[] = {
		"SELECT fmt_bytes(NULL)", "SELECT fmt_bytes(1e999)", "SELECT fmt_duration(NULL, 'eta')",
		"SELECT fmt_rate(NULL, 1)", "SELECT fmt_rate_range(1, NULL)", "SELECT fmt_p(NULL)",
		"SELECT fmt_duration_range(NULL, 5)",
	};
	for (size_t i = 0; i < sizeof null_sql / sizeof *null_sql; i++)
		EXPECT(db, null_sql[i], 0, 0, NULL);
	/* text that reads as a number is a number, as in SQL arithmetic */
	EXPECT(db, "SELECT fmt_bytes('10485760')", 0, 0, "10 MiB");
	EXPECT(db, "SELECT fmt_bytes('ten')", 0, 0, "error: fmt_bytes: argument 1 is not a number");
	EXPECT(db, "SELECT fmt_rate_range(1, x'00')", 0, 0,
	       "error: fmt_rate_range: argument 2 is not a number");
	EXPECT(db, "SELECT fmt_bytes(1, 10)", 0, 0,
	       "error: fmt_bytes: argument 2 must be NULL or a whole number from 0 to 9");
	EXPECT(db, "SELECT fmt_bytes(1, 1, 1.5)", 0, 0,
	       "error: fmt_bytes: argument 3 must be NULL or a whole number from 0 to 9");
	EXPECT(db, "SELECT fmt_rate(1, 2, 0)", 0, 0,
	       "error: fmt_rate: argument 3 must be NULL or a whole number from 1 to 9");
	EXPECT(db, "SELECT fmt_duration(60, 'hours')", 0, 0,
	       "error: fmt_duration: unknown style 'hours' (min-days, eta, min-h, s-h, s-min)");
	/* a bad style is an error even when the value is NULL */
	EXPECT(db, "SELECT fmt_duration_range(NULL, 1, 'x')", 0, 0,
	       "error: fmt_duration_range: unknown style 'x' (min-days, eta, min-h, s-h, s-min)");
	sqlite3_stmt *st;
	CHECK(sqlite3_prepare_v2(db, "SELECT fmt_p(1, 2)", -1, &st, NULL) == SQLITE_ERROR);
	CHECK(sqlite3_prepare_v2(db, "SELECT fmt_bytes()", -1, &st, NULL) == SQLITE_ERROR);
	sqlite3_close(db);
}

/* Each function against the SQL it replaced in the rules, on X (and Y). */
static const struct {
	const char *old_sql, *new_sql;
} same[] = {
	{ "SELECT CASE WHEN abs(?1) >= 10737418240 THEN printf('%.0f GiB', ?1 / 1073741824.0)"
	  " WHEN abs(?1) >= 1073741824 THEN printf('%.1f GiB', ?1 / 1073741824.0)"
	  " WHEN abs(?1) >= 10485760 THEN printf('%.0f MiB', ?1 / 1048576.0)"
	  " ELSE printf('%.1f MiB', ?1 / 1048576.0) END", "SELECT fmt_bytes(?1)" },
	{ "SELECT CASE WHEN ?1 >= 1073741824 THEN printf('%.2f GiB', ?1 / 1073741824.0)"
	  " WHEN ?1 >= 10485760 THEN printf('%.0f MiB', ?1 / 1048576.0)"
	  " ELSE printf('%.1f MiB', ?1 / 1048576.0) END", "SELECT fmt_bytes(?1, 2)" },
	{ "SELECT CASE WHEN ?1 >= 10737418240 THEN printf('%.0f GiB', ?1 / 1073741824.0)"
	  " WHEN ?1 >= 1073741824 THEN printf('%.1f GiB', ?1 / 1073741824.0)"
	  " ELSE printf('%.0f MiB', ?1 / 1048576.0) END", "SELECT fmt_bytes(?1, NULL, 0)" },
	{ "SELECT CASE WHEN ?1 >= 1073741824 THEN printf('%.1f GiB', ?1 / 1073741824.0)"
	  " WHEN ?1 >= 10485760 THEN printf('%.0f MiB', ?1 / 1048576.0)"
	  " ELSE printf('%.1f MiB', ?1 / 1048576.0) END", "SELECT fmt_bytes(?1, 1)" },
	{ "SELECT CASE WHEN ?1 >= 1073741824 THEN printf('%.1f GiB', ?1 / 1073741824.0)"
	  " ELSE printf('%.0f MiB', ?1 / 1048576.0) END", "SELECT fmt_bytes(?1, 1, 0)" },
	{ "SELECT CASE WHEN ?1 >= 1073741824 THEN printf('%.2f GiB', ?1 / 1073741824.0)"
	  " ELSE printf('%.0f MiB', ?1 / 1048576.0) END", "SELECT fmt_bytes(?1, 2, 0)" },
	{ "SELECT CASE WHEN ?1 < 5400 THEN printf('%.0f min', ?1 / 60.0)"
	  " WHEN ?1 < 172800 THEN printf('%.1f h', ?1 / 3600.0)"
	  " ELSE printf('%.1f days', ?1 / 86400.0) END", "SELECT fmt_duration(?1)" },
	{ "SELECT CASE WHEN ?1 < 5400 THEN printf('%.0f min', ?1 / 60.0)"
	  " WHEN ?1 < 172800 THEN printf('%.1f h', ?1 / 3600.0)"
	  " WHEN ?1 < 3153600000 THEN printf('%.0f days', ?1 / 86400.0)"
	  " ELSE 'over a century' END", "SELECT fmt_duration(?1, 'eta')" },
	{ "SELECT CASE WHEN ?1 < 5400 THEN printf('%.1f min', ?1 / 60.0)"
	  " ELSE printf('%.1f h', ?1 / 3600.0) END", "SELECT fmt_duration(?1, 'min-h')" },
	{ "SELECT CASE WHEN ?1 < 120 THEN printf('%.0f s', ?1) WHEN ?1 < 7200 THEN"
	  " printf('%.0f min', ?1 / 60) ELSE printf('%.1f h', ?1 / 3600) END",
	  "SELECT fmt_duration(?1, 's-h')" },
	{ "SELECT CASE WHEN ?1 >= 120 THEN printf('%.1f min', ?1 / 60.0) ELSE printf('%.0f s', ?1) END",
	  "SELECT fmt_duration(?1, 's-min')" },
	{ "SELECT CASE WHEN ?2 < 1.05 * ?1 THEN NULL"
	  " WHEN ?2 < 5400 THEN printf('%.0f-%.0f min', ?1 / 60.0, ?2 / 60.0)"
	  " WHEN ?2 < 172800 THEN printf('%.1f-%.1f h', ?1 / 3600.0, ?2 / 3600.0)"
	  " WHEN ?2 < 3153600000 THEN printf('%.0f-%.0f days', ?1 / 86400.0, ?2 / 86400.0)"
	  " ELSE NULL END",
	  "SELECT CASE WHEN ?2 >= 1.05 * ?1 THEN fmt_duration_range(?1, ?2, 'eta') END" },
	{ "SELECT CASE WHEN ?1 >= 10 THEN printf('%.0f', ?1) WHEN ?1 >= 1 THEN printf('%.1f', ?1)"
	  " ELSE printf('%.2f', ?1) END", "SELECT fmt_rate(?1)" },
	{ "SELECT CASE WHEN ?2 >= 10 THEN printf('%.0f-%.0f', ?1, ?2)"
	  " WHEN ?2 >= 1 THEN printf('%.1f-%.1f', ?1, ?2) ELSE printf('%.2f-%.2f', ?1, ?2) END",
	  "SELECT fmt_rate_range(?1, ?2)" },
	{ "SELECT CASE WHEN ?1 >= 10 THEN printf('%.0f', ?1) ELSE printf('%.1f', ?1) END",
	  "SELECT fmt_rate(?1, 1)" },
	{ "SELECT CASE WHEN ?2 >= 10 THEN printf('%.0f', ?1) ELSE printf('%.1f', ?1) END || '-' ||"
	  " CASE WHEN ?2 >= 10 THEN printf('%.0f', ?2) ELSE printf('%.1f', ?2) END",
	  "SELECT fmt_rate_range(?1, ?2, 1)" },
	{ "SELECT CASE WHEN ?1 >= 10485760 THEN printf('%.0f', ?1 / 1048576.0)"
	  " ELSE printf('%.1f', ?1 / 1048576.0) END", "SELECT fmt_rate(?1 / 1048576.0, 1)" },
	{ "SELECT CASE WHEN ?1 >= 100 THEN printf('%.0f', ?1) ELSE printf('%.1f', ?1) END",
	  "SELECT fmt_rate(?1, 1, 3)" },
	{ "SELECT CASE WHEN ?1 < 0.001 THEN printf('%.0e', ?1) ELSE printf('%.3f', ?1) END",
	  "SELECT fmt_p(?1)" },
};

/* Values to try: every boundary the old blocks name, the doubles next to
 * it, and a spread of magnitudes (all non-negative, as in the rules). */
static size_t grid(double *v, size_t cap)
{
	static const double edges[] = {
		0, 0.001, 0.1, 1, 10, 100, 120, 5400, 7200, 172800, 3153600000.0,
		1048576, 10485760, 1073741824, 10737418240.0,
	};
	size_t n = 0;
	for (size_t i = 0; i < sizeof edges / sizeof *edges && n + 3 <= cap; i++) {
		v[n++] = edges[i];
		v[n++] = nextafter(edges[i], INFINITY);
		if (edges[i] > 0)
			v[n++] = nextafter(edges[i], 0);
	}
	for (double x = 1e-6; x < 1e13 && n < cap; x *= 1.37)
		v[n++] = x;
	return n;
}

TEST(fmt_matches_the_rules_old_case_blocks)
{
	sqlite3 *db = open_db();
	double v[160];
	size_t n = grid(v, sizeof v / sizeof *v);
	for (size_t k = 0; k < sizeof same / sizeof *same; k++)
		for (size_t i = 0; i < n; i++) {
			/* two-value forms: lo at a fraction of hi, and hi itself */
			double lo = v[i] / 1.3, hi = v[i];
			char *a = eval(db, same[k].old_sql, strstr(same[k].old_sql, "?2") ? lo : hi, hi);
			char *b = eval(db, same[k].new_sql, strstr(same[k].old_sql, "?2") ? lo : hi, hi);
			if (!CHECK_STR(b, a))
				fprintf(stderr, "    %s at %.17g (%.17g)\n", same[k].new_sql, hi, lo);
			free(a);
			free(b);
		}
	sqlite3_close(db);
}

/* The loadable module (build/memsnap_stats.so) has the same functions:
 * the same text for the same SQL as the registration the analyzer uses. */
TEST(fmt_in_the_loadable_extension)
{
	sqlite3 *ext = NULL, *db = open_db();
	char *msg = NULL;
	REQUIRE(sqlite3_open(":memory:", &ext) == SQLITE_OK);
	REQUIRE(sqlite3_enable_load_extension(ext, 1) == SQLITE_OK);
	if (!CHECK(sqlite3_load_extension(ext, MEMSNAP_STATS_SO, NULL, &msg) == SQLITE_OK))
		fprintf(stderr, "    %s: %s\n", MEMSNAP_STATS_SO, msg ? msg : "?");
	sqlite3_free(msg);
	static const char sql[] =
		"SELECT fmt_bytes(?1) || ' ' || fmt_duration(?2, 'eta') || ' ' || fmt_rate(?2 / 7e3)"
		" || ' ' || fmt_rate_range(?1 / 9e6, ?1 / 7e6, 1) || ' ' || fmt_p(?2 / 1e9)"
		" || ' ' || fmt_duration_range(?2 / 2, ?2, 's-h') || ' ' || (SELECT median(1))";
	char *a = eval(db, sql, 1610612736, 6000);
	char *b = eval(ext, sql, 1610612736, 6000);
	CHECK_STR(a, "1.5 GiB 1.7 h 0.86 179-230 6e-06 50-100 min 1.0");
	CHECK_STR(b, a);
	free(a);
	free(b);
	sqlite3_close(ext);
	sqlite3_close(db);
}
