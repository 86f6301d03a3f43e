/*
 * main.c - memsnap's entry point: global flags and the command table.
 *
 * argv[1] is matched exactly against the table (no prefix matching, so a
 * new command never breaks a script).  The summaries feed `memsnap --help`.
 * The static collector flavour (MEMSNAP_COLLECTOR_ONLY) carries only the
 * commands a production host needs.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "version.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "collect", cmd_collect, "capture /proc memory state into a bundle (tar.zst)" },
	{ "info", cmd_info, "summarise a bundle: host, span, samples, cost, gaps, damage" },
#ifndef MEMSNAP_COLLECTOR_ONLY
	{ "load", cmd_load, "load a bundle into an SQLite database and keep it" },
	{ "query", cmd_query, "run a read-only SQL query on a bundle's database" },
	{ "analyze", cmd_analyze, "load a bundle, run the rules, report the findings" },
	{ "report", cmd_report, "write a self-contained HTML report with charts" },
	{ "rules", cmd_rules, "list the rules and their parameters, show one" },
#endif
};

static void usage(FILE *f)
{
	fputs("usage: memsnap [--version] [--help] [--list-commands] COMMAND [ARGS]\n"
	      "\n"
	      "memsnap records a host's memory state (collect) and explains it later.\n"
	      "\n"
	      "Commands:\n", f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "Run 'memsnap COMMAND --help' for a command's options.\n"
	      "Exit status: 0 success, 1 runtime error, 2 usage error.\n"
	      "Documentation: docs/ in the source tree (README.md is the index).\n", f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return MS_EXIT_USAGE;
	}
	const char *a = argv[1];
	if (!strcmp(a, "--help") || !strcmp(a, "-h") || !strcmp(a, "help")) {
		usage(stdout);
		return MS_EXIT_OK;
	}
	if (!strcmp(a, "--version")) {
		printf("memsnap %s\n", MEMSNAP_VERSION);
		return MS_EXIT_OK;
	}
	if (!strcmp(a, "--list-commands")) {
		for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
			puts(commands[i].name);
		return MS_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (!strcmp(a, commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "memsnap: '%s' is not a memsnap command. See 'memsnap --help'.\n", a);
	return MS_EXIT_USAGE;
}
