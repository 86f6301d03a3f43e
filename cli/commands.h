/*
 * commands.h - the command table, and the exit codes the commands share.
 *
 * Each cmd_*() takes the argv that starts at its own name and returns the
 * process exit status.  The table in commands.c is the only list of
 * commands; each command's options and help live in its own file, in its
 * struct ms_cmd_doc.
 */
#ifndef COMMANDS_H
#define COMMANDS_H

#include "ms_opt.h"

enum {
	MS_EXIT_OK = 0,        /* success */
	MS_EXIT_FAILURE = 1,   /* runtime error (bad input, I/O, damage) */
	MS_EXIT_USAGE = 2,     /* bad command line */
	MS_EXIT_FINDINGS = 3,  /* analyze --fail-on: a finding at or above it */
	MS_EXIT_UNJUDGED = 4,  /* analyze --fail-on: none, but a rule could not judge */
};

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);   /* NULL: not in this build */
	const struct ms_cmd_doc *doc;       /* NULL: not in this build */
	const char *summary;
};

extern const struct command commands[];
extern const size_t ncommands;

/* The command named NAME, or NULL. */
const struct command *command_find(const char *name);

/* Run command C (in this build: c->fn not NULL) on ARGV, which starts at
 * its name, after the set-up its half of memsnap needs; its exit status. */
int command_run(const struct command *c, int argc, char **argv);

/* Parse a command's options (ms_opt_parse): -1 to go on, with *FIRST the
 * first operand; otherwise the exit status to return at once: MS_EXIT_OK
 * after --help, MS_EXIT_USAGE after printing the error and a hint. */
int command_parse(const struct ms_cmd_doc *doc, const struct ms_opt_handler *h, int argc,
		  char **argv, int *first);

/* A usage error of command NAME: the message (printf's FMT) and the hint;
 * returns MS_EXIT_USAGE. */
int command_usage_error(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int cmd_collect(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_redact(int argc, char **argv);
int cmd_export(int argc, char **argv);

extern const struct ms_cmd_doc collect_doc, record_doc, info_doc, load_doc, query_doc, analyze_doc,
	report_doc, rules_doc, redact_doc, export_doc;

#endif
