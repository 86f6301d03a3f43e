/*
 * ms_opt.h - a command's options, declared once in a table.
 *
 * Each command describes itself in one struct ms_cmd_doc: its synopsis,
 * what it does, its options (tables of id, long name, value name and help)
 * and what follows them (notes, the exit status).  ms_opt_parse() drives
 * getopt_long from those tables and ms_opt_usage() prints --help from
 * them, so the parser, `memsnap COMMAND --help`, `memsnap help COMMAND`
 * and the man pages (checked against --help) cannot disagree.
 *
 * Options of several commands (the loading options of load, query, analyze
 * and report; the rule selection of analyze, report and rules) are tables
 * of their own, shared by pointer; each table has its own handler.
 */
#ifndef MS_OPT_H
#define MS_OPT_H

#include <stdio.h>

#include "ms_err.h"

struct ms_opt {
	int id;            /* handed to the handler; a letter is also -LETTER */
	const char *name;  /* the long option, without "--" */
	const char *arg;   /* the value's name in the help; NULL for a flag */
	const char *help;  /* '\n' separates the lines of the help text */
};

/* Handle option ID with value ARG (NULL for a flag): 0, or -1 with ERR set
 * (a bad value: a usage error). */
typedef int (*ms_opt_fn)(void *ctx, int id, const char *arg, struct ms_err *err);

struct ms_cmd_doc {
	const char *name;                  /* "collect" */
	const char *synopsis;              /* after "memsnap "; '\n' between several */
	const char *about;                 /* what the command does */
	const struct ms_opt *const *opts;  /* option tables (each ends with id 0),
					    * NULL-terminated; -h/--help is implied */
	const char *footer;                /* notes and the exit status */
};

/* The handlers of DOC's option tables, in the same order. */
struct ms_opt_handler {
	ms_opt_fn fn;
	void *ctx;
};

/* Parse ARGV (ARGV[0] is the command's name) with DOC's tables, handing each
 * option of table i to H[i].  Returns 0 with *FIRST the index of the first
 * operand (getopt_long moves operands to the end), 1 when --help was asked
 * (the usage is printed on stdout), or -1 with ERR set: an unknown option,
 * a missing value, or a handler's error. */
int ms_opt_parse(const struct ms_cmd_doc *doc, const struct ms_opt_handler *h, int argc,
		 char **argv, int *first, struct ms_err *err);

/* Print DOC's usage: synopsis, about, options, footer. */
void ms_opt_usage(const struct ms_cmd_doc *doc, FILE *out);

#endif
