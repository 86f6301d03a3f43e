/*
 * cmd_rules.c - `memsnap rules`: the rules a run would use, their
 * parameters and defaults; `rules show ID` prints one whole; `rules sql ID`
 * prints it as a script for the sqlite3 shell, to try and change a rule by
 * hand on a loaded database.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_cli.h"
#include "commands.h"
#include "ms_buf.h"
#include "rule_set.h"

static const struct ms_opt *const rules_tables[] = { rules_cli_source_opts, NULL };

const struct ms_cmd_doc rules_doc = {
	"rules",
	"rules [-r DIR]... [-s ID.PARAM=VALUE]... [list]\n"
	"rules [-r DIR]... [-s ID.PARAM=VALUE]... show ID\n"
	"rules [-r DIR]... [-s ID.PARAM=VALUE]... sql ID",
	"List the rules analyze runs (built in, and from the --rules directories), with\n"
	"their severity, title and parameters; 'show' prints one rule whole (header,\n"
	"parameters with defaults, units and what --set takes, what the rule needs to\n"
	"judge a recording, its columns' units, charts, query); 'sql' prints it as a script\n"
	"for the sqlite3 shell (.param set for every parameter, then the query), e.g.\n"
	"    memsnap load b.tar.zst && memsnap rules sql leak/process > r.sql\n"
	"    sqlite3 b.db -cmd '.load build/memsnap_stats' < r.sql",
	rules_tables,
	"Broken rule files are listed with their error (exit 1).\n"
	"Exit status: 0 ok, 1 a rule file is broken, 2 usage error (or no such rule).\n",
};

static void list(const struct rule_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct rule_entry *e = &set->e[i];
		if (e->error) {
			printf("%-28s BROKEN    %s\n", "?", e->error);
			continue;
		}
		const struct rule *r = &e->rule;
		printf("%-28s %-9s %s%s\n", r->id, rule_severity_name(r->severity), r->title,
		       e->builtin ? "" : "  [from --rules]");
		for (size_t k = 0; k < r->nparams; k++)
			printf("  %-26s = %s%s%s\n", r->params[k].name, r->params[k].value,
			       r->params[k].unit[0] ? " " : "", r->params[k].unit);
	}
}

/* TEXT after PREFIX, its lines after the first indented by INDENT spaces. */
static void print_indented(const char *prefix, const char *text, int indent)
{
	fputs(prefix, stdout);
	for (const char *s = text; *s; s++) {
		putchar(*s);
		if (*s == '\n')
			printf("%*s", indent, "");
	}
	putchar('\n');
}

/* The charts as the header declares them (standard ones expanded). */
static void show_charts(const struct rule *r)
{
	static const char *const kinds[] = { "line", "dashed", "area", "ref" };
	if (r->charts.n)
		puts("\nCharts (the HTML report draws them for each finding):");
	for (size_t i = 0; i < r->charts.n; i++) {
		const struct rule_chart *c = &r->charts.c[i];
		printf("  chart: %s%s | %s\n", rule_chart_unit_name(c->unit), c->capture ? " capture" : "",
		       c->title);
		if (c->when)
			print_indented("    when: ", c->when, 10);
		for (size_t k = 0; k < c->nseries; k++) {
			printf("    %s: %s | ", kinds[c->series[k].kind], c->series[k].name);
			print_indented("", c->series[k].sql, 8);
		}
	}
}

/* The parameters, each with what --set takes for it. */
static int show_params(const struct rule *r)
{
	struct ms_buf b;
	if (ms_buf_init(&b, 128) < 0)
		return -1;
	if (r->nparams)
		puts("\nParameters (analyze --set ID.NAME=VALUE):");
	for (size_t k = 0; k < r->nparams; k++) {
		const struct rule_param *p = &r->params[k];
		ms_buf_reset(&b);
		if (rule_param_say_forms(p, &b) < 0) {
			ms_buf_release(&b);
			return -1;
		}
		printf("  %s = %s%s%s\n      %s\n      takes %s\n", p->name, p->value, p->unit[0] ? " " : "",
		       p->unit, p->doc, b.data);
	}
	ms_buf_release(&b);
	return 0;
}

/* What the rule needs to judge at all, and its columns' units. */
static int show_needs_units(const struct rule *r)
{
	struct ms_buf b;
	if (ms_buf_init(&b, 128) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < r->nneeds; i++) {
		const struct rule_need *n = &r->needs[i];
		double v = rule_need_amount(r, n);
		static const char *const what[] = { "", "samples", "intervals between samples",
			"samples with smaps_rollup", "samples with smaps" };
		rc = ms_buf_addstr(&b, i ? ", " : "\nNeeds (a shorter recording is not judged): ");
		if (rc == 0)
			rc = n->kind == RULE_NEED_SPAN ? rule_unit_say_span(v, &b)
			     : ms_buf_addf(&b, "%g %s", v, what[n->kind]);
	}
	if (rc == 0 && r->nunits)
		rc = ms_buf_addstr(&b, "\n\nUnits of the columns:");
	for (size_t i = 0; rc == 0 && i < r->nunits; i++)
		rc = ms_buf_addf(&b, "\n  %-28s %s", r->units[i].column, r->units[i].unit);
	if (rc == 0 && b.len)
		puts(b.data);
	ms_buf_release(&b);
	return rc;
}

static int show(const struct rule *r, const char *origin)
{
	printf("id:       %s\nfile:     %s\nseverity: %s\ntitle:    %s\n\n%s\n\nWhat to do: %s\n",
	       r->id, origin, rule_severity_name(r->severity), r->title, r->explain, r->action);
	if (show_params(r) < 0 || show_needs_units(r) < 0)
		return -1;
	show_charts(r);
	printf("\nQuery (from line %d):\n%s", r->sql_line, r->sql);
	if (r->sql[0] && r->sql[strlen(r->sql) - 1] != '\n')
		putchar('\n');
	return 0;
}

static void sql_script(const struct rule *r, const char *origin)
{
	printf("-- %s (%s), for the sqlite3 shell on a database from 'memsnap load':\n"
	       "--   sqlite3 BUNDLE.db -cmd '.load PATH/memsnap_stats' < this-file\n", r->id, origin);
	puts(".mode box");
	for (size_t k = 0; k < r->nparams; k++)
		printf(".param set :%s \"%s\"\n", r->params[k].name, r->params[k].value);
	printf("%s", r->sql);
	if (r->sql[0] && r->sql[strlen(r->sql) - 1] != '\n')
		putchar('\n');
}

/* the verb and its operand: list, show ID, sql ID; NULL after a usage error */
static const char *verb_of(int argc, char **argv, int first, int *is_list)
{
	const char *verb = first < argc ? argv[first] : "list";
	int nargs = argc - first;
	*is_list = !strcmp(verb, "list");
	if (!*is_list && strcmp(verb, "show") && strcmp(verb, "sql")) {
		command_usage_error("rules", "unknown subcommand '%s' (list, show ID, sql ID)", verb);
		return NULL;
	}
	if (*is_list && nargs > 1) {
		command_usage_error("rules", "'list' takes no argument");
		return NULL;
	}
	if (!*is_list && nargs != 2) {
		command_usage_error("rules", "'%s' takes one rule ID", verb);
		return NULL;
	}
	return verb;
}

int cmd_rules(int argc, char **argv)
{
	struct rule_set set = { NULL, 0 };
	struct ms_err err = MS_ERR_INIT;
	struct rules_cli r;
	rules_cli_init(&r);
	const struct ms_opt_handler h[] = { { rules_cli_opt, &r } };
	int first, is_list;
	int rc = command_parse(&rules_doc, h, argc, argv, &first);
	const char *verb = rc < 0 ? verb_of(argc, argv, first, &is_list) : NULL;
	if (!verb) {
		rules_cli_release(&r);
		return rc < 0 ? MS_EXIT_USAGE : rc;
	}
	rc = rules_cli_build(&r, 0, &set, "rules");
	if (rc != MS_EXIT_OK)
		goto out;
	if (is_list) {
		list(&set);
	} else {
		const struct rule_entry *e = rule_set_find(&set, argv[first + 1]);
		if (!e) {
			ms_err_set(&err, ENOENT, "no rule '%s' (see 'memsnap rules')", argv[first + 1]);
			rc = MS_EXIT_USAGE;
			goto out;
		}
		if (!strcmp(verb, "show") && show(&e->rule, e->origin) < 0) {
			ms_err_set(&err, ENOMEM, "out of memory");
			rc = MS_EXIT_FAILURE;
			goto out;
		} else if (strcmp(verb, "show"))
			sql_script(&e->rule, e->origin);
	}
	for (size_t i = 0; i < set.n; i++)
		if (set.e[i].error) {
			fprintf(stderr, "memsnap: rules: %s\n", set.e[i].error);
			rc = MS_EXIT_FAILURE;
		}
out:
	if (err.msg)
		fprintf(stderr, "memsnap: rules: %s\n", ms_err_msg(&err));
	ms_err_release(&err);
	rule_set_release(&set);
	rules_cli_release(&r);
	return rc;
}
