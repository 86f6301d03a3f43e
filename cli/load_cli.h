/*
 * load_cli.h - the loading options shared by load, query, analyze and
 * report (option tables and their handler), and the one place their load
 * is run and reported.
 */
#ifndef LOAD_CLI_H
#define LOAD_CLI_H

#include "loader.h"
#include "ms_opt.h"

struct load_cli {
	struct load_opts o;
	int quiet;
};

/* -o/--output DB: where the database is (load, query, analyze) */
extern const struct ms_opt load_cli_output_opts[];
/* --db DB: the same, for a command whose -o is its own (report) */
extern const struct ms_opt load_cli_db_opts[];
/* -f, --max-member, --max-total, -q */
extern const struct ms_opt load_cli_opts[];

void load_cli_init(struct load_cli *c);

/* The handler of the three tables above; CTX is a struct load_cli. */
int load_cli_opt(void *ctx, int id, const char *arg, struct ms_err *err);

/* Load (or reuse) the database of the N INPUTS: one bundle, or a
 * recording (a directory, several bundles of one host: common/recording.h)
 * loaded as one; prints errors and what was set aside; returns an exit
 * code. */
int load_cli_run(struct load_cli *c, const char *name, char *const *inputs, size_t n,
		 struct load_result *res);

/* One line on stderr: what was loaded, truncation, load errors. */
void load_cli_report(const struct load_cli *c, const char *name, const struct load_result *res);

#endif
