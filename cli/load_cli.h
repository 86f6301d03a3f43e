/*
 * load_cli.h - the bundle-loading options shared by load, query and
 * analyze, and the one place their load is run and reported.
 */
#ifndef LOAD_CLI_H
#define LOAD_CLI_H

#include "loader.h"

struct load_cli {
	struct load_opts o;
	const char *positional[2];  /* BUNDLE, and for query the SQL */
	int npositional;
	int csv, json;              /* query output */
	int quiet;
};

/* Parse argv for command NAME expecting NPOS positionals; prints USAGE on
 * --help (returns 1) and errors (returns -1). */
int load_cli_parse(struct load_cli *c, int argc, char **argv, const char *name,
		   const char *usage, int npos);

/* The same with the options of a command that does more than load: X's
 * long options (ending in a zeroed entry; at most 31) and short option
 * letters are parsed too, each handed to X->fn (which returns -1 with ERR
 * set for a bad value). */
struct option;
struct load_cli_extra {
	const struct option *longopts;
	const char *shortopts;
	int (*fn)(void *ctx, int ch, const char *arg, struct ms_err *err);
	void *ctx;
	int own_output;  /* -o/--output go to FN as 'o'; the database is --db */
};
int load_cli_parse_ext(struct load_cli *c, int argc, char **argv, const char *name,
		       const char *usage, int npos, const struct load_cli_extra *x);

/* Load (or reuse) the database; prints errors; returns an exit code. */
int load_cli_run(struct load_cli *c, const char *name, struct load_result *res);

/* One line on stderr: what was loaded, truncation, load errors. */
void load_cli_report(const struct load_cli *c, const char *name, const struct load_result *res);

#endif
