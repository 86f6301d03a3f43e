/*
 * commands.c - the command table.
 *
 * The static collector flavour (MEMSNAP_COLLECTOR_ONLY) carries only the
 * commands a production host needs; the others stay in its table without
 * a function, so that it can say where they are.
 */
#include "commands.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#ifdef MEMSNAP_COLLECTOR_ONLY
#define ANALYZER(fn, doc) NULL, NULL
#else
#include "db.h"
#define ANALYZER(fn, doc) fn, &doc
#endif

const struct command commands[] = {
	{ "collect", cmd_collect, &collect_doc, "capture /proc memory state into a bundle (tar.zst)" },
	{ "record", cmd_record, &record_doc, "record always: a bounded ring, and incident bundles on triggers" },
	{ "info", cmd_info, &info_doc, "summarise a bundle: host, span, samples, cost, gaps, damage" },
	{ "redact", cmd_redact, &redact_doc, "rewrite a bundle to share: argv[0] only, pseudonymous names" },
	{ "load", ANALYZER(cmd_load, load_doc), "load a bundle into an SQLite database and keep it" },
	{ "query", ANALYZER(cmd_query, query_doc), "run a read-only SQL query on a bundle's database" },
	{ "analyze", ANALYZER(cmd_analyze, analyze_doc), "load a bundle, run the rules, report the findings" },
	{ "report", ANALYZER(cmd_report, report_doc), "write a self-contained HTML report with charts" },
	{ "rules", ANALYZER(cmd_rules, rules_doc), "list the rules and their parameters, show one" },
	{ "export", ANALYZER(cmd_export, export_doc), "write hosts' time series and findings for a warehouse" },
};
const size_t ncommands = sizeof(commands) / sizeof(*commands);

const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < ncommands; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

int command_run(const struct command *c, int argc, char **argv)
{
#ifndef MEMSNAP_COLLECTOR_ONLY
	struct ms_err err = MS_ERR_INIT;
	if (db_setup(&err) < 0) {
		fprintf(stderr, "memsnap: %s\n", ms_err_msg(&err));
		ms_err_release(&err);
		return MS_EXIT_FAILURE;
	}
#endif
	return c->fn(argc, argv);
}

int command_usage_error(const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "memsnap: %s: ", name);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'memsnap %s --help'.\n", name);
	va_end(ap);
	return MS_EXIT_USAGE;
}

int command_parse(const struct ms_cmd_doc *doc, const struct ms_opt_handler *h, int argc,
		  char **argv, int *first)
{
	struct ms_err err = MS_ERR_INIT;
	int r = ms_opt_parse(doc, h, argc, argv, first, &err);
	if (r < 0)
		command_usage_error(doc->name, "%s", ms_err_msg(&err));
	ms_err_release(&err);
	return r < 0 ? MS_EXIT_USAGE : r > 0 ? MS_EXIT_OK : -1;
}
