/*
 * analysis_cli.h - what analyze and report share: the rule options (also
 * rules' -r and -s), and their run: build the rule set, load the bundle,
 * run the rules in their sandbox, then the exit status.
 */
#ifndef ANALYSIS_CLI_H
#define ANALYSIS_CLI_H

#include <sqlite3.h>

#include "analysis.h"
#include "load_cli.h"
#include "ms_opt.h"
#include "rule_set.h"

struct rules_cli {
	const char **dirs;       /* owned array, borrowed strings */
	size_t ndirs;
	const char **sets;
	size_t nsets;
	const char *only, *skip;
	int fail_on;             /* a severity, or -1 */
	double timeout_s;
};

/* -r DIR, -s ID.PARAM=VALUE */
extern const struct ms_opt rules_cli_source_opts[];
/* --only, --skip, --fail-on, --rule-timeout */
extern const struct ms_opt rules_cli_run_opts[];

void rules_cli_init(struct rules_cli *r);
void rules_cli_release(struct rules_cli *r);
/* The handler of both tables; CTX is a struct rules_cli. */
int rules_cli_opt(void *ctx, int id, const char *arg, struct ms_err *err);

/* SET as R asks (directories, overrides; and with SELECT, --only/--skip);
 * prints errors as command NAME; returns an exit status. */
int rules_cli_build(const struct rules_cli *r, int select, struct rule_set *set, const char *name);

struct analysis_cli {
	struct load_result res;
	int loaded;
	sqlite3 *db;               /* the database, read-only in the sandbox */
	struct rule_sandbox sb;
	struct analysis a;
	int ran;
};

/* The rules of R (built first: a typo in --set should not cost a load),
 * then the N INPUTS loaded (a bundle, or a recording: load_cli_run) or
 * their database reused, and the rules run on it.
 * Returns an exit status; when it is MS_EXIT_OK, X->db and X->a hold the
 * run.  Release X with analysis_cli_finish() in every case. */
int analysis_cli_start(struct analysis_cli *x, struct load_cli *lc, const struct rules_cli *r,
		       struct rule_set *set, const char *name, char *const *inputs, size_t n);

/* The HTML report of A on DB into F, its charts in the zone the times are
 * shown in (TZ). */
int analysis_cli_html(FILE *f, sqlite3 *db, const struct analysis *a, struct ms_err *err);

/* The HTML report of X's run written to PATH (through a private temporary
 * file beside it, renamed over PATH); -1 after
 * printing the error. */
int analysis_cli_write_html(const struct analysis_cli *x, const char *path, const char *name);

/* RC adjusted for what the run found (a failed rule: 1; --fail-on: 3),
 * rule failures printed, X released; the exit status. */
int analysis_cli_finish(struct analysis_cli *x, const struct rules_cli *r, const char *name, int rc);

#endif
