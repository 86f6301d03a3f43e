/*
 * commands.h - the subcommands and the exit codes they share.
 *
 * Each cmd_*() takes the argv that starts at its own name and returns the
 * process exit status.  The table in main.c is the only list of commands.
 */
#ifndef COMMANDS_H
#define COMMANDS_H

enum {
	MS_EXIT_OK = 0,        /* success */
	MS_EXIT_FAILURE = 1,   /* runtime error (bad input, I/O, damage) */
	MS_EXIT_USAGE = 2,     /* bad command line */
	MS_EXIT_FINDINGS = 3,  /* analyze --fail-on: a finding at or above it */
};

int cmd_collect(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
