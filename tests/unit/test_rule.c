/*
 * test_rule.c - the rule file parser (analyze/rule/rule.c) and the rule
 * set's selection and overrides (rule_set.c), on rule text written here
 * and on the fixture rules in tests/fixtures/rules/good.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "rule_set.h"
#include "test.h"

static const char good[] =
	"-- id: leak/demo\n"
	"-- severity: warning\n"
	"-- title: A demo\n"
	"--   rule\n"
	"-- -------------------------------------------\n"
	"-- explain: First\n"
	"--   paragraph.\n"
	"--\n"
	"--   Second.\n"
	"-- action: Act.\n"
	"-- param: min_mib = 4 MiB | the smallest\n"
	"--   growth\n"
	"-- param: name = 'it''s' | text\n"
	"-- param: p = 1e-3 | no unit\n"
	"\n"
	"-- a comment of the query\n"
	"SELECT :min_mib, :name, :p\n";

/* Parse TEXT; returns 0/-1 and leaves the message in MSG (caller frees). */
static int parse(const char *text, struct rule *r, char **msg)
{
	struct ms_err err = MS_ERR_INIT;
	int rc = rule_parse("x.sql", text, strlen(text), r, &err);
	*msg = err.msg ? strdup(err.msg) : NULL;
	ms_err_release(&err);
	return rc;
}

TEST(rule_parse_header_params_and_query)
{
	struct rule r;
	char *msg;
	REQUIRE(parse(good, &r, &msg) == 0);
	CHECK_STR(r.id, "leak/demo");
	CHECK(r.severity == RULE_WARNING);
	CHECK_STR(r.title, "A demo rule");
	CHECK_STR(r.explain, "First paragraph.\n\nSecond.");
	CHECK_STR(r.action, "Act.");
	CHECK_EQ_U64(r.nparams, 3);
	if (r.nparams == 3) {
		CHECK_STR(r.params[0].name, "min_mib");
		CHECK_STR(r.params[0].value, "4");
		CHECK_STR(r.params[0].unit, "MiB");
		CHECK_STR(r.params[0].doc, "the smallest growth");
		CHECK_EQ_I64(r.params[0].line, 11);
		CHECK_STR(r.params[1].value, "'it''s'");
		CHECK_STR(r.params[1].unit, "");
		CHECK_STR(r.params[2].value, "1e-3");
	}
	CHECK_EQ_I64(r.sql_line, 16);
	CHECK_STR(r.sql, "-- a comment of the query\nSELECT :min_mib, :name, :p\n");
	rule_release(&r);
	free(msg);
}

struct bad_case {
	const char *text;
	const char *msg;
};

TEST(rule_parse_errors_name_the_line)
{
	static const struct bad_case cases[] = {
		{ "-- id: a\n-- colour: red\n", "x.sql:2: unknown header key 'colour' (id, severity, "
		  "title, explain, action, param, unit, needs, chart, when, line, dashed, area, ref)" },
		{ "-- id: a\n-- id: b\n", "x.sql:2: 'id:' appears twice in the header" },
		{ "-- id: a\n--   more\n", "x.sql:2: an indented line must continue 'title:', "
		  "'explain:', 'action:', 'param:', 'unit:' or a chart's SQL" },
		{ "-- id: a\n-- just words\n", "x.sql:2: expected '-- key: value' or an indented "
		  "continuation ('--   more text')" },
		{ "-- id: a\n-- title:\n", "x.sql:2: 'title:' needs a value" },
		{ "-- id: a\n-- param: X = 1 | d\n", "x.sql:2: expected 'param: NAME = VALUE [UNIT] | "
		  "description' (NAME in lower case letters, digits and _)" },
		{ "-- id: a\n-- param: x 1 | d\n", "x.sql:2: expected '=' after the parameter name" },
		{ "-- id: a\n-- param: x = 'open | d\n", "x.sql:2: unterminated quoted value" },
		{ "-- id: a\n-- param: x = 1 MiB\n", "x.sql:2: expected '| description' after the value, "
		  "unit and range" },
		{ "-- id: a\n-- param: x = 1 |  \n", "x.sql:2: the parameter needs a description after '|'" },
		{ "-- id: a\n-- param: x = abc | d\n", "x.sql:2: parameter value 'abc' is neither a "
		  "number nor 'quoted text'" },
		{ "-- id: a\n-- param: x = 1 | d\n-- param: x = 2 | e\n", "x.sql:3: parameter 'x' is "
		  "declared twice" },
		{ "-- id: a\n-- severity: info\n-- title: t\n-- explain: e\nSELECT 1\n",
		  "x.sql:1: the header has no 'action:' line" },
		{ "-- id: A/b\n-- severity: info\n-- title: t\n-- explain: e\n-- action: a\nSELECT 1\n",
		  "x.sql:1: id 'A/b': use lower case letters, digits, '-', '_' and '/' between folders" },
		{ "-- id: a//b\n-- severity: info\n-- title: t\n-- explain: e\n-- action: a\nSELECT 1\n",
		  "x.sql:1: id 'a//b': use lower case letters, digits, '-', '_' and '/' between folders" },
		{ "-- id: a\n-- severity: high\n-- title: t\n-- explain: e\n-- action: a\nSELECT 1\n",
		  "x.sql:2: severity 'high': expected info, warning or critical" },
		{ "-- id: a\n-- severity: info\n-- title: t\n-- explain: e\n-- action: a\n\n\n",
		  "x.sql:7: no query after the header" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct rule r;
		char *msg;
		CHECK(parse(cases[i].text, &r, &msg) == -1);
		CHECK_STR(msg, cases[i].msg);
		CHECK(r.id == NULL && r.sql == NULL && r.params == NULL);
		free(msg);
	}
}

#define HEAD "-- id: a\n-- severity: info\n-- title: t\n-- explain: e\n-- action: a\n"

/* Charts: a unit and a title, series of every kind with continuation
 * lines, when:, and a standard chart with an option and its own title. */
TEST(rule_parse_charts)
{
	static const char text[] = HEAD
		"-- chart: per-second | Faults of :entity\n"
		"-- when: :entity_kind = 'process'\n"
		"--   AND :value > 0\n"
		"-- line: major faults | SELECT t, majflt_per_s\n"
		"--   FROM proc_fault_rate ORDER BY sample\n"
		"-- dashed: d | SELECT 1, 2\n"
		"-- area: a | SELECT 1, 2\n"
		"-- ref: limit | SELECT 100\n"
		"-- param: k = 1 | k\n"
		"-- chart: swap-io capture | Swap, :entity\n"
		"-- line: extra | SELECT 3, 4\n"
		"-- chart: bytes capture | B\n"
		"-- line: x | SELECT 5, 6\n"
		"SELECT :k\n";
	struct rule r;
	char *msg;
	if (!CHECK(parse(text, &r, &msg) == 0)) {
		fprintf(stderr, "    %s\n", msg);
		free(msg);
		return;
	}
	CHECK_EQ_U64(r.charts.n, 3);
	const struct rule_chart *c = &r.charts.c[0];
	CHECK(c->unit == RULE_UNIT_PER_S && !c->capture && c->line == 6);
	CHECK_STR(c->title, "Faults of :entity");
	CHECK_STR(c->when, ":entity_kind = 'process'\nAND :value > 0");
	CHECK_EQ_U64(c->when_line, 7);
	CHECK_EQ_U64(c->nseries, 4);
	CHECK(c->series[0].kind == RULE_LINE && c->series[0].line == 9);
	CHECK_STR(c->series[0].name, "major faults");
	CHECK_STR(c->series[0].sql, "SELECT t, majflt_per_s\nFROM proc_fault_rate ORDER BY sample");
	CHECK(c->series[1].kind == RULE_DASHED && c->series[2].kind == RULE_AREA);
	CHECK(c->series[3].kind == RULE_REF);
	CHECK_STR(c->series[3].sql, "SELECT 100");
	c = &r.charts.c[1];
	CHECK(c->unit == RULE_UNIT_PER_S && c->capture && !c->when);
	CHECK_STR(c->title, "Swap, :entity");
	CHECK_EQ_U64(c->nseries, 3);
	CHECK_STR(c->series[0].name, "swap-in");
	CHECK_STR(c->series[0].sql, "SELECT t, per_s FROM vmstat_rate WHERE key = 'pswpin' ORDER BY sample");
	CHECK_STR(c->series[1].name, "swap-out");
	CHECK_STR(c->series[2].name, "extra");
	c = &r.charts.c[2];
	CHECK(c->unit == RULE_UNIT_BYTES && c->capture && c->nseries == 1);
	CHECK_STR(r.sql, "SELECT :k\n");
	rule_release(&r);
	CHECK(r.charts.n == 0 && r.charts.c == NULL);
}

/* A standard chart keeps its own title without '| TITLE'. */
TEST(rule_parse_standard_charts)
{
	static const char *const names[] = {
		"process-memory", "cgroup-memory", "cgroup-faults", "memory-available", "swap-io",
		"node-memory", "node-remote",
	};
	static const char *const titles[] = {
		"Process :entity: memory", "Cgroup :entity: memory",
		"Cgroup :entity: refaults and major faults (per second)", "Available memory and free swap",
		"Swap-in and swap-out (pages per second)", ":entity: memory used",
		":entity: remote allocations (pages per second)",
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char text[256];
		struct rule r;
		char *msg;
		snprintf(text, sizeof text, HEAD "-- chart: %s\nSELECT 1\n", names[i]);
		if (!CHECK(parse(text, &r, &msg) == 0)) {
			fprintf(stderr, "    %s: %s\n", names[i], msg);
			free(msg);
			continue;
		}
		CHECK(r.charts.n == 1 && r.charts.c[0].nseries >= 1);
		CHECK_STR(r.charts.c[0].title, titles[i]);
		rule_release(&r);
	}
}

TEST(rule_parse_chart_errors_name_the_line)
{
	static const struct bad_case cases[] = {
		{ HEAD "-- chart: pies | P\n", "x.sql:6: unknown chart 'pies': a unit (number, bytes, "
		  "percent, per-second) and '| TITLE', or a standard chart (process-memory, cgroup-memory, "
		  "cgroup-faults, memory-available, swap-io, node-memory, node-remote)" },
		{ HEAD "-- chart:\n", "x.sql:6: unknown chart '': a unit (number, bytes, percent, "
		  "per-second) and '| TITLE', or a standard chart (process-memory, cgroup-memory, "
		  "cgroup-faults, memory-available, swap-io, node-memory, node-remote)" },
		{ HEAD "-- chart: bytes log | T\n", "x.sql:6: unknown chart option 'log' (capture)" },
		{ HEAD "-- chart: bytes\n", "x.sql:6: expected '-- chart: UNIT | TITLE'" },
		{ HEAD "-- chart: bytes |  \n", "x.sql:6: expected '-- chart: UNIT | TITLE'" },
		{ HEAD "-- line: x | SELECT 1, 2\n", "x.sql:6: 'line:' must follow a '-- chart:' line" },
		{ HEAD "-- when: 1\n", "x.sql:6: 'when:' must follow a '-- chart:' line" },
		{ HEAD "-- chart: bytes | T\n-- line: SELECT 1, 2\n", "x.sql:7: expected '-- line: "
		  "NAME | SQL'" },
		{ HEAD "-- chart: bytes | T\n-- ref: x |\n", "x.sql:7: expected '-- ref: NAME | SQL'" },
		{ HEAD "-- chart: bytes | T\n-- dashed:  | SELECT 1, 2\n", "x.sql:7: expected '-- dashed: "
		  "NAME | SQL'" },
		{ HEAD "-- chart: bytes | T\n-- when: 1\n-- when: 2\n", "x.sql:8: 'when:' appears twice "
		  "for the chart of line 6" },
		{ HEAD "-- chart: bytes | T\n-- when:   \n", "x.sql:7: 'when:' needs an SQL expression" },
		{ HEAD "-- chart: bytes | T\n--   more\n", "x.sql:7: an indented line must continue "
		  "'title:', 'explain:', 'action:', 'param:', 'unit:' or a chart's SQL" },
		{ HEAD "-- chart: bytes | T\n-- ref: r | SELECT 1\n-- chart: swap-io\nSELECT 1\n",
		  "x.sql:6: the chart has no series: add '-- line: NAME | SQL' (or dashed:, area:)" },
		{ HEAD "-- chart: swap-io\n-- chart: bytes | T\nSELECT 1\n", "x.sql:7: the chart has no "
		  "series: add '-- line: NAME | SQL' (or dashed:, area:)" },
		{ HEAD "-- chart: bytes | T\n" "-- line: 1 | S\n-- line: 2 | S\n-- line: 3 | S\n"
		  "-- area: 4 | S\n-- area: 5 | S\n-- dashed: 6 | S\n-- line: 7 | S\n-- line: 8 | S\n"
		  "-- line: 9 | S\n", "x.sql:15: a chart holds at most 8 series ('line:', 'dashed:', 'area:')" },
		{ HEAD "-- chart: memory-available\n-- ref: 2 | S\n-- ref: 3 | S\n-- ref: 4 | S\n"
		  "-- ref: 5 | S\n", "x.sql:10: a chart holds at most 4 'ref:' lines" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct rule r;
		char *msg;
		CHECK(parse(cases[i].text, &r, &msg) == -1);
		CHECK_STR(msg, cases[i].msg);
		CHECK(r.id == NULL && r.charts.c == NULL && r.charts.n == 0);
		free(msg);
	}
}

TEST(rule_parse_refuses_nul_bytes)
{
	static const char text[] = "-- id: a\n-- severity: info\nSEL\0ECT";
	struct ms_err err = MS_ERR_INIT;
	struct rule r;
	CHECK(rule_parse("x.sql", text, sizeof(text) - 1, &r, &err) == -1);
	CHECK_STR(err.msg, "x.sql:3: NUL byte in a rule file");
	ms_err_release(&err);
}

TEST(rule_value_check_numbers_and_text)
{
	CHECK(rule_value_check("4") == 0);
	CHECK(rule_value_check("-0.5") == 0);
	CHECK(rule_value_check("1e9") == 0);
	CHECK(rule_value_check("''") == 0);
	CHECK(rule_value_check("'a''b'") == 0);
	CHECK(rule_value_check("'a'b'") == -1);
	CHECK(rule_value_check("") == -1);
	CHECK(rule_value_check("inf") == -1);
	CHECK(rule_value_check("nan") == -1);
	CHECK(rule_value_check("1e999") == -1);
	CHECK(rule_value_check("4MiB") == -1);
}

/* A set made of the fixture rules only (no built-ins), for selection. */
static void fixture_set(struct rule_set *set)
{
	struct ms_err err = MS_ERR_INIT;
	memset(set, 0, sizeof(*set));
	const char *dir = getenv("MEMSNAP_FIXTURES");
	REQUIRE(dir);
	char path[4096];
	snprintf(path, sizeof(path), "%s/rules/good", dir);
	CHECK(rule_set_add_dir(set, path, &err) == 0);
	ms_err_release(&err);
}

TEST(rule_set_select_by_id_and_folder)
{
	struct rule_set set;
	struct ms_err err = MS_ERR_INIT;
	fixture_set(&set);
	REQUIRE(set.n == 2);
	CHECK_STR(set.e[0].rule.id, "test/graded");
	CHECK_STR(set.e[1].rule.id, "test/meminfo-max");
	CHECK(rule_set_select(&set, "test/", NULL, &err) == 0);
	CHECK(set.e[0].selected && set.e[1].selected);
	CHECK(rule_set_select(&set, "test", "test/graded", &err) == 0);
	CHECK(!set.e[0].selected && set.e[1].selected);
	CHECK(rule_set_select(&set, "test/meminfo-max,test/graded", NULL, &err) == 0);
	CHECK(set.e[0].selected && set.e[1].selected);
	/* a prefix that is not a whole folder does not match */
	CHECK(rule_set_select(&set, "tes", NULL, &err) == -1);
	CHECK_STR(err.msg, "--only: no rule or folder 'tes' (see 'memsnap rules')");
	CHECK(rule_set_select(&set, NULL, "test/graded,", &err) == 0);
	CHECK(rule_set_select(&set, NULL, ",x", &err) == -1);
	CHECK_STR(err.msg, "--skip: '' is not a rule id or folder");
	ms_err_release(&err);
	rule_set_release(&set);
}

TEST(rule_set_override_numbers_and_text)
{
	struct rule_set set;
	struct ms_err err = MS_ERR_INIT;
	fixture_set(&set);
	REQUIRE(set.n == 2);
	CHECK(rule_set_override(&set, "test/graded.critical_from=2.5", &err) == 0);
	CHECK_STR(set.e[0].rule.params[0].value, "2.5");
	CHECK(rule_set_override(&set, "test/meminfo-max.label=it's here", &err) == 0);
	CHECK_STR(rule_find_param(&set.e[1].rule, "label", 5)->value, "'it''s here'");
	CHECK(rule_set_override(&set, "test/graded.critical_from", &err) == -1);
	CHECK_STR(err.msg, "--set 'test/graded.critical_from': expected ID.PARAM=VALUE");
	CHECK(rule_set_override(&set, ".x=1", &err) == -1);
	ms_err_release(&err);
	rule_set_release(&set);
}

TEST(rule_set_same_id_twice_is_an_error)
{
	struct rule_set set;
	struct ms_err err = MS_ERR_INIT;
	fixture_set(&set);
	const char *dir = getenv("MEMSNAP_FIXTURES");
	char path[4096];
	snprintf(path, sizeof(path), "%s/rules/good", dir);
	CHECK(rule_set_add_dir(&set, path, &err) == 0);
	REQUIRE(set.n == 4);
	CHECK(set.e[2].error != NULL && strstr(set.e[2].error, ": id 'test/graded' is already "
					       "defined in "));
	CHECK(rule_set_add_dir(&set, "/nonexistent-dir", &err) == -1);
	CHECK_STR(err.msg, "--rules '/nonexistent-dir': No such file or directory");
	ms_err_release(&err);
	rule_set_release(&set);
}
