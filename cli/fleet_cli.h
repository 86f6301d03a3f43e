/*
 * fleet_cli.h - analyze, report, load --into and export on many hosts.
 *
 * The inputs are sorted out first (fleet_cli_inputs): one bundle, or the
 * bundles of one host (a recording), go the single-host way; the bundles
 * of several hosts (common/host_group.h), or a fleet database, are a
 * fleet.  A fleet runs in a pool of -j threads, one host at a time each:
 * the host's bundles loaded into its own database (as load_cli does it:
 * --from/--to resolved against each host's own bundle, the cache when the
 * bundle's directory cannot be written, DB.lock), or its rows of the
 * fleet database shown through TEMP views), the rules run on it in their
 * sandbox, then the command's own step (a host's HTML page, a copy into a
 * fleet database).  A host that fails is recorded with its error and the
 * others go on.  Each thread has its own SQLite connections.
 */
#ifndef FLEET_CLI_H
#define FLEET_CLI_H

#include <stdint.h>

#include "analysis_cli.h"
#include "fleet.h"
#include "host_group.h"
#include "load_cli.h"
#include "ms_opt.h"

/* -j/--jobs N, at most FLEET_MAX_JOBS */
#define FLEET_MAX_JOBS 256
extern const struct ms_opt fleet_cli_opts[];

struct fleet_cli {
	unsigned jobs;          /* 0: the number of CPUs online */
};

void fleet_cli_init(struct fleet_cli *c);
int fleet_cli_opt(void *ctx, int id, const char *arg, struct ms_err *err);

/* The options of the commands that analyze (analyze, report, export):
 * loading, rules, -j. */
struct analyze_cli {
	struct load_cli lc;
	struct rules_cli r;
	struct fleet_cli fc;
};
void analyze_cli_init(struct analyze_cli *c);

/* Where one host's tables are. */
struct fleet_src {
	char **paths;           /* its bundles (borrowed from the groups); NULL: in DB */
	size_t n;
	const char *key;        /* its identity (borrowed from the groups) */
	char *db;               /* its database (after the load), or the fleet database */
	int64_t host_id;        /* its id in the fleet database; 0: DB is its own */
	int cached;             /* DB is in the cache: the bundle's directory is not writable */
};

struct fleet_run {
	struct fleet f;
	struct fleet_src *src;  /* one per host of F */
	struct host_groups groups;
	const char *fleet_db;   /* the fleet database given as input, or NULL */
};

enum fleet_mode { FLEET_SINGLE, FLEET_MANY };

/* Sort out the N INPUTS of command NAME: FLEET_SINGLE (R untouched: the
 * caller goes the single-host way), FLEET_MANY (R holds the hosts, none
 * run yet), or -1 after printing the error (an exit status of 1). */
int fleet_cli_inputs(struct fleet_run *r, const char *name, char *const *inputs, size_t n);

/* After command NAME's options were parsed into *RC (< 0: go on), its
 * inputs ARGV[FIRST..ARGC): at least one (else a usage error), sorted out
 * by fleet_cli_inputs().  Returns the mode; *RC is set when the command is
 * done (an error), and stays < 0 for FLEET_SINGLE with one input to go on. */
int fleet_cli_start(struct fleet_run *r, const char *name, int *rc, int argc, char **argv, int first);

/* The N INPUTS as hosts, however many: 0, or -1 after printing the error. */
int fleet_cli_hosts(struct fleet_run *r, const char *name, char *const *inputs, size_t n);

/* The same, and one database as its hosts: a fleet database's, or a
 * single-host database as one host. */
int fleet_cli_any(struct fleet_run *r, const char *name, char *const *inputs, size_t n);

/* A command's step after a host's rules ran (DB is open on its tables in
 * the sandbox): 0, or -1 with ERR (the host is then failed). */
typedef int (*fleet_host_fn)(void *ctx, struct fleet_run *r, size_t i, sqlite3 *db, struct ms_err *err);

struct fleet_job {
	struct load_cli *lc;           /* the loading options (-f, limits, -q) */
	const struct rule_set *set;    /* NULL: no rules (load --into) */
	double timeout_s;
	fleet_host_fn after_rules;     /* or NULL */
	fleet_host_fn after_load;      /* or NULL: with the host's own database loaded */
	void *ctx;
	unsigned jobs;
};

/* Run J on every host of R (threads; a progress line on a terminal),
 * then group the findings.  -1 only when nothing could be started. */
int fleet_cli_run(struct fleet_run *r, const struct fleet_job *j, const char *name);

/* R released (and zeroed). */
void fleet_cli_release(struct fleet_run *r);

/* Every failed host and failed rule on stderr; RC adjusted as analyze
 * does (1 for a failure, 3 for --fail-on); R released. */
int fleet_cli_finish(struct fleet_run *r, const struct rules_cli *rules, const char *name, int rc);

/* With --from/--to in LC: the usage error of a host read from a database
 * (no window to cut); else MS_EXIT_OK. */
int fleet_cli_no_window(const struct fleet_run *r, const struct load_cli *lc, const char *name);

/* The analyze and report way for a fleet: rules built, the hosts run,
 * and with HTML, the fleet page written to it and each host's page next
 * to it.  Returns an exit status; R holds the results. */
int fleet_cli_analyze(struct fleet_run *r, struct analyze_cli *c, struct rule_set *set, const char *html,
		      const char *name);

#endif
