/*
 * main.c - memsnap's entry point: the global flags, `help`, and the
 * dispatch to the command table (commands.c).
 *
 * argv[1] is matched exactly against the table (no prefix matching, so a
 * new command never breaks a script).
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "version.h"

static void usage(FILE *f)
{
	fputs("usage: memsnap [--version] [--help] [--list-commands] COMMAND [ARGS]\n"
	      "       memsnap help COMMAND\n"
	      "\n"
	      "memsnap records a host's memory state (collect) and explains it later.\n"
	      "\n"
	      "Commands:\n", f);
	for (size_t i = 0; i < ncommands; i++)
		fprintf(f, "  %-10s %s%s\n", commands[i].name, commands[i].summary,
			commands[i].fn ? "" : " (full build only)");
	fputs("\n"
	      "Run 'memsnap help COMMAND' or 'memsnap COMMAND --help' for a command's options.\n"
	      "Exit status: 0 success, 1 runtime error, 2 usage error.\n", f);
}

/* A command this build does not carry (the static collector) */
static int absent(const struct command *c)
{
	fprintf(stderr, "memsnap: '%s' is in the full memsnap build; this is the collector\n", c->name);
	return MS_EXIT_USAGE;
}

static int unknown(const char *name)
{
	fprintf(stderr, "memsnap: '%s' is not a memsnap command. See 'memsnap --help'.\n", name);
	return MS_EXIT_USAGE;
}

/* memsnap help [COMMAND] */
static int help(int argc, char **argv)
{
	if (argc < 3) {
		usage(stdout);
		return MS_EXIT_OK;
	}
	if (argc > 3) {
		fputs("memsnap: help: expected one COMMAND\n", stderr);
		return MS_EXIT_USAGE;
	}
	const struct command *c = command_find(argv[2]);
	if (!c)
		return unknown(argv[2]);
	if (!c->doc)
		return absent(c);
	ms_opt_usage(c->doc, stdout);
	return MS_EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return MS_EXIT_USAGE;
	}
	const char *a = argv[1];
	if (!strcmp(a, "--help") || !strcmp(a, "-h") || !strcmp(a, "help"))
		return help(argc, argv);
	if (!strcmp(a, "--version")) {
		printf("memsnap %s\n", MEMSNAP_VERSION);
		return MS_EXIT_OK;
	}
	if (!strcmp(a, "--list-commands")) {
		for (size_t i = 0; i < ncommands; i++)
			if (commands[i].fn)
				puts(commands[i].name);
		return MS_EXIT_OK;
	}
	const struct command *c = command_find(a);
	if (!c)
		return unknown(a);
	return c->fn ? command_run(c, argc - 1, argv + 1) : absent(c);
}
