/*
 * test_rule_unit.c - the units of rules (analyze/rule/rule_unit.c): the
 * declared vocabulary, values read in a parameter's unit, parameter ranges,
 * unit: and needs: header lines, and --set with units and ranges.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "finding.h"
#include "rule.h"
#include "rule_set.h"
#include "rule_unit.h"
#include "stats_sql.h"
#include "test.h"

/* TEXT read in the declared unit DECL: 1 and *V, or 0 when refused. */
static int reads(const char *text, const char *decl, double *v)
{
	struct rule_unit u;
	REQUIRE(rule_unit_parse(decl, 0, &u) == 0);
	return rule_unit_read(text, &u, v) == 0;
}

static void check_reads(const char *text, const char *decl, double want)
{
	double v = NAN;
	if (!CHECK(reads(text, decl, &v)) || !CHECK(fabs(v - want) <= 1e-9 * fabs(want)))
		fprintf(stderr, "    '%s' in %s: got %g, expected %g\n", text, decl, v, want);
}

TEST(rule_unit_declared_vocabulary)
{
	static const char *const ok[] = {
		"B", "KiB", "MiB", "GiB", "TiB", "pages", "%", "us", "ms", "s", "min", "h", "days",
		"MiB/h", "B/s", "pages/s", "/min", "/s", "%/min", "KiB/days",
	};
	static const char *const bad[] = {
		"MB", "mib", "m", "sec", "MiB/", "/", "MiB/MiB", "pages/pages", "x/s", "MiB/h/s", "1",
		"epoch", "text",
	};
	struct rule_unit u;
	for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++)
		if (!CHECK(rule_unit_parse(ok[i], 0, &u) == 0 && !strcmp(u.name, ok[i])))
			fprintf(stderr, "    '%s' refused\n", ok[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (!CHECK(rule_unit_parse(bad[i], 0, &u) == -1))
			fprintf(stderr, "    '%s' accepted for a parameter\n", bad[i]);
	/* a column's unit: 1, epoch and text too, but never none */
	CHECK(rule_unit_parse("1", 1, &u) == 0 && u.kind == RULE_UNIT_K_NONE);
	CHECK(rule_unit_parse("epoch", 1, &u) == 0 && u.kind == RULE_UNIT_K_EPOCH);
	CHECK(rule_unit_parse("text", 1, &u) == 0 && u.kind == RULE_UNIT_K_TEXT);
	CHECK(rule_unit_parse("", 1, &u) == -1);
	CHECK(rule_unit_parse("", 0, &u) == 0 && u.kind == RULE_UNIT_K_NONE && u.per == 0);
	CHECK(rule_unit_parse("MiB/h", 0, &u) == 0 && u.kind == RULE_UNIT_K_BYTES &&
	      u.scale == 1048576 && u.per == 3600);
}

/* The forms --set takes: a plain number is in the declared unit; any unit
 * of the same kind is converted; another kind is refused. */
TEST(rule_unit_read_converts)
{
	check_reads("2", "MiB", 2);
	check_reads("2MiB", "MiB", 2);
	check_reads("2 MiB", "MiB", 2);
	check_reads("512K", "MiB", 0.5);
	check_reads("512kib", "MiB", 0.5);
	check_reads("2MB", "MiB", 2);  /* binary, as collect's options read sizes */
	check_reads("1.5G", "MiB", 1536);
	check_reads("4096B", "KiB", 4);
	check_reads("1e3", "B", 1000);
	check_reads("10m", "min", 10);
	check_reads("600s", "min", 10);
	check_reads("1h30m", "min", 90);
	check_reads("2d", "h", 48);
	check_reads("250ms", "s", 0.25);
	check_reads("5%", "%", 5);
	check_reads("5", "%", 5);
	check_reads("4MiB/s", "MiB/s", 4);
	check_reads("1MiB/s", "MiB/h", 3600);
	check_reads("60MiB/min", "MiB/h", 3600);
	check_reads("0.5/s", "/min", 30);
	check_reads("10/min", "/min", 10);
	check_reads("256pages/s", "pages/s", 256);
	check_reads("6%/h", "%/min", 0.1);
	check_reads("0.01", "", 0.01);
	check_reads("-3", "", -3);
	double v;
	static const char *const refused[][2] = {
		{ "abc", "MiB" }, { "", "MiB" }, { "2Mb/s", "MiB" }, { "2 min", "MiB" }, { "10m", "%" },
		{ "5%", "" }, { "1h30", "min" }, { "1h-30m", "min" }, { "4MiB", "MiB/s" },
		{ "4MiB/s", "MiB" }, { "10/min", "MiB/h" }, { "inf", "" }, { "nan", "" }, { "0x10", "" },
		{ "1e999", "" }, { "2MiB/fortnight", "MiB/h" }, { ".", "" }, { "5 %", "" },
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++)
		if (!CHECK(!reads(refused[i][0], refused[i][1], &v)))
			fprintf(stderr, "    '%s' accepted in '%s'\n", refused[i][0], refused[i][1]);
}

TEST(rule_unit_say_span)
{
	static const struct { double s; const char *want; } cases[] = {
		{ 0, "0 s" }, { 20, "20 s" }, { 0.5, "0.5 s" }, { 60, "1 min" }, { 280, "4 min 40 s" },
		{ 300, "5 min" }, { 7500, "2 h 5 min" }, { 86400, "1 day" }, { 3 * 86400 + 7200, "3 days 2 h" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct ms_buf b;
		REQUIRE(ms_buf_init(&b, 16) == 0);
		REQUIRE(rule_unit_say_span(cases[i].s, &b) == 0);
		CHECK_STR(b.data, cases[i].want);
		ms_buf_release(&b);
	}
}

#define HEAD "-- id: t/x\n-- severity: info\n-- title: t\n-- explain: e\n-- action: a\n"

/* Ranges, unit: and needs: lines parse into the rule. */
TEST(rule_header_units_ranges_needs)
{
	static const char text[] = HEAD
		"-- param: growth = 2 MiB [0, 1024] | a size\n"
		"-- param: p = 0.01 (0, 1] | a p-value\n"
		"-- param: minutes = 5 min [0, inf) | a span\n"
		"-- param: buckets = 12 | a count\n"
		"-- param: each = 5 [1, inf) | per bucket\n"
		"-- needs: :minutes\n"
		"-- needs: :buckets * :each samples\n"
		"-- needs: 2 smaps samples\n"
		"-- needs: 0.5 * :minutes\n"
		"-- unit: MiB/h | value, rate_mib_h,\n"
		"--   rate_lo_mib_h\n"
		"-- unit: text | confidence\n"
		"SELECT :growth, :p, :minutes, :buckets, :each\n";
	struct rule r;
	struct ms_err err = MS_ERR_INIT;
	if (!CHECK(rule_parse("x.sql", text, sizeof(text) - 1, &r, &err) == 0)) {
		fprintf(stderr, "    %s\n", err.msg);
		ms_err_release(&err);
		return;
	}
	const struct rule_param *g = &r.params[0], *p = &r.params[1], *b = &r.params[3];
	CHECK(g->has_range && g->lo == 0 && g->hi == 1024 && !g->lo_open && !g->hi_open);
	CHECK(p->has_range && p->lo_open && !p->hi_open);
	CHECK(!b->has_range && isinf(b->lo) && isinf(b->hi));
	CHECK(rule_param_in_range(p, 1) && !rule_param_in_range(p, 0) && !rule_param_in_range(p, 1.5));
	CHECK(rule_param_in_range(b, -1e300) && !rule_param_in_range(b, NAN));
	struct ms_buf s;
	REQUIRE(ms_buf_init(&s, 64) == 0);
	CHECK(rule_param_say_range(p, &s) == 0);
	CHECK_STR(s.data, "more than 0 and at most 1");
	ms_buf_reset(&s);
	CHECK(rule_param_say_forms(g, &s) == 0);
	CHECK_STR(s.data, "a size: 2MiB, 512K, 1.5GiB (B, K or KiB, M, G, T; a plain number is MiB), "
		  "at least 0 and at most 1024 MiB");
	ms_buf_release(&s);
	REQUIRE(r.nneeds == 4);
	CHECK(r.needs[0].kind == RULE_NEED_SPAN && rule_need_amount(&r, &r.needs[0]) == 300);
	CHECK(r.needs[1].kind == RULE_NEED_SAMPLES && rule_need_amount(&r, &r.needs[1]) == 60);
	CHECK(r.needs[2].kind == RULE_NEED_SMAPS && rule_need_amount(&r, &r.needs[2]) == 2);
	CHECK(r.needs[3].kind == RULE_NEED_SPAN && rule_need_amount(&r, &r.needs[3]) == 150);
	REQUIRE(r.nunits == 4);
	CHECK_STR(r.units[2].column, "rate_lo_mib_h");
	CHECK_STR(r.units[2].u.name, "MiB/h");
	CHECK(rule_column_unit(&r, "confidence")->u.kind == RULE_UNIT_K_TEXT);
	CHECK(rule_column_unit(&r, "nothing") == NULL);
	rule_release(&r);
}

TEST(rule_header_unit_errors)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ HEAD "-- param: x = 1 MB | u\n", "x.sql:6: unknown unit 'MB' (" },
		{ HEAD "-- param: x = 1 [0, 1 | u\n", "x.sql:6: expected a range '[LO, HI]' after the unit" },
		{ HEAD "-- param: x = 1 [2, 1] | u\n", "x.sql:6: expected a range '[LO, HI]' after the unit" },
		{ HEAD "-- param: x = 1 [a, 1] | u\n", "x.sql:6: expected a range '[LO, HI]' after the unit" },
		{ HEAD "-- param: x = 1 [inf, inf] | u\n", "x.sql:6: expected a range '[LO, HI]' after the unit" },
		{ HEAD "-- param: x = 3 s [0, 2] | u\n", "x.sql:6: the default 3 is out of its range (at least 0 "
		  "and at most 2 s)" },
		{ HEAD "-- param: x = 0 (0, inf) | u\n", "x.sql:6: the default 0 is out of its range (more than 0)" },
		{ HEAD "-- param: x = 'a' s | u\n", "x.sql:6: a text parameter has no unit and no range" },
		{ HEAD "-- param: x = 'a' [0, 1] | u\n", "x.sql:6: a text parameter has no unit and no range" },
		{ HEAD "-- unit: MiB value\n", "x.sql:6: expected 'unit: UNIT | column, column ...'" },
		{ HEAD "-- unit: furlong | value\n", "x.sql:6: unknown unit 'furlong' (" },
		{ HEAD "-- unit: MiB | value,, x\n", "x.sql:6: unit 'MiB': expected column names" },
		{ HEAD "-- unit: MiB | Value\n", "x.sql:6: unit 'MiB': expected column names" },
		{ HEAD "-- unit: MiB | value\n-- unit: s | value\n", "x.sql:7: column 'value' has a unit already "
		  "(line 6)" },
		{ HEAD "-- needs: soon\n", "x.sql:6: expected 'needs: AMOUNT [UNIT]'" },
		{ HEAD "-- needs: 5 fortnights\n", "x.sql:6: expected 'needs: AMOUNT [UNIT]'" },
		{ HEAD "-- needs: 5\n", "x.sql:6: needs: say the unit" },
		{ HEAD "-- needs: :nope\n", "x.sql:6: needs: ':nope' is not a number parameter of the rule" },
		{ HEAD "-- needs: 1 * 2 * 3 * 4 * 5 samples\n", "x.sql:6: expected 'needs: AMOUNT [UNIT]'" },
		{ HEAD "-- needs: 5 min\n--   more\n", "x.sql:7: an indented line must continue" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char text[512];
		snprintf(text, sizeof(text), "%sSELECT 1\n", cases[i].text);
		struct rule r;
		struct ms_err err = MS_ERR_INIT;
		CHECK(rule_parse("x.sql", text, strlen(text), &r, &err) == -1);
		if (!CHECK(err.msg && !strncmp(err.msg, cases[i].msg, strlen(cases[i].msg))))
			fprintf(stderr, "    case %zu: got '%s'\n", i, err.msg ? err.msg : "(none)");
		ms_err_release(&err);
	}
}

/* --set reads the value in the parameter's unit and checks its range; a
 * refusal names the rule, the parameter and the forms it takes. */
TEST(rule_set_override_units_and_ranges)
{
	static const char text[] = HEAD
		"-- param: growth = 2 MiB [0, 1024] | a size\n"
		"-- param: minutes = 5 min [0, inf) | a span\n"
		"-- param: frac = 0.9 (0, 1] | a share\n"
		"SELECT :growth, :minutes, :frac\n";
	struct rule_entry e;
	struct ms_err err = MS_ERR_INIT;
	memset(&e, 0, sizeof(e));
	REQUIRE(rule_parse("x.sql", text, sizeof(text) - 1, &e.rule, &err) == 0);
	struct rule_set set = { &e, 1 };
	CHECK(rule_set_override(&set, "t/x.growth=512K", &err) == 0);
	CHECK_STR(e.rule.params[0].value, "0.5");
	CHECK_STR(e.rule.params[0].def, "2");
	CHECK(rule_set_override(&set, "t/x.growth=1GiB", &err) == 0);
	CHECK_STR(e.rule.params[0].value, "1024");
	CHECK(rule_set_override(&set, "t/x.minutes=1h30m", &err) == 0);
	CHECK_STR(e.rule.params[1].value, "90");
	CHECK(rule_set_override(&set, "t/x.minutes=0.1", &err) == 0);
	CHECK_STR(e.rule.params[1].value, "0.1");
	CHECK(rule_set_override(&set, "t/x.growth=abc", &err) == -1);
	CHECK_STR(err.msg, "--set 't/x.growth=abc': rule t/x, parameter growth: expected a size: 2MiB, "
		  "512K, 1.5GiB (B, K or KiB, M, G, T; a plain number is MiB), at least 0 and at most 1024 MiB");
	CHECK(rule_set_override(&set, "t/x.growth=2TiB", &err) == -1);
	CHECK_STR(err.msg, "--set 't/x.growth=2TiB': rule t/x, parameter growth: 2.09715e+06 MiB is out of "
		  "range; expected a size: 2MiB, 512K, 1.5GiB (B, K or KiB, M, G, T; a plain number is MiB), "
		  "at least 0 and at most 1024 MiB");
	CHECK(rule_set_override(&set, "t/x.minutes=10 MiB", &err) == -1);
	CHECK_STR(err.msg, "--set 't/x.minutes=10 MiB': rule t/x, parameter minutes: expected a duration: "
		  "90s, 10m, 1h30m, 2d (a plain number is min), at least 0 min");
	CHECK(rule_set_override(&set, "t/x.frac=0", &err) == -1);
	CHECK_STR(err.msg, "--set 't/x.frac=0': rule t/x, parameter frac: 0 is out of range; expected a "
		  "number, more than 0 and at most 1");
	CHECK_STR(e.rule.params[2].value, "0.9");  /* a refused value changes nothing */
	rule_release(&e.rule);
	ms_err_release(&err);
}

/* Is NAME a column with a meaning to the engine (no unit declared)? */
static int fixed_column(const char *name)
{
	static const char *const fixed[] = {
		"entity_kind", "entity", "t_start", "t_end", "message", "severity", "value_unit",
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
		if (!strcmp(name, fixed[i]))
			return 1;
	for (size_t i = 0; finding_entity_columns[i]; i++)
		if (!strcmp(name, finding_entity_columns[i]))
			return 1;
	return 0;
}

/* Every built-in rule declares a unit for each column it returns: its
 * value (or a value_unit column gives it row by row) and every evidence
 * column (docs/rules.md "Units"); its queries compile on the schema. */
TEST(builtin_rules_declare_units)
{
	struct rule_set set;
	struct ms_err err = MS_ERR_INIT;
	sqlite3 *db;
	REQUIRE(rule_set_init(&set, &err) == 0);
	REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
	REQUIRE(db_create_schema(db, &err) == 0 && ms_stats_register(db) == SQLITE_OK);
	for (size_t i = 0; i < set.n; i++) {
		const struct rule *r = &set.e[i].rule;
		sqlite3_stmt *st;
		if (!CHECK(sqlite3_prepare_v2(db, r->sql, -1, &st, NULL) == SQLITE_OK)) {
			fprintf(stderr, "    %s: %s\n", r->id, sqlite3_errmsg(db));
			continue;
		}
		int value_unit = 0;
		for (int c = 0; c < sqlite3_column_count(st); c++)
			value_unit |= !strcmp(sqlite3_column_name(st, c), "value_unit");
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			const char *name = sqlite3_column_name(st, c);
			int ok = fixed_column(name) || rule_column_unit(r, name) ||
				 (!strcmp(name, "value") && value_unit);
			if (!CHECK(ok))
				fprintf(stderr, "    %s: column %s has no unit: declare it ('-- unit: UNIT | %s')\n",
					r->id, name, name);
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	rule_set_release(&set);
}

/* Every built-in rule declares a range for each number parameter. */
TEST(builtin_rules_declare_ranges)
{
	struct rule_set set;
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(rule_set_init(&set, &err) == 0);
	for (size_t i = 0; i < set.n; i++) {
		const struct rule *r = &set.e[i].rule;
		REQUIRE(!set.e[i].error);
		for (size_t k = 0; k < r->nparams; k++)
			if (!CHECK(r->params[k].text || r->params[k].has_range))
				fprintf(stderr, "    %s: parameter %s has no range\n", r->id, r->params[k].name);
	}
	rule_set_release(&set);
}
