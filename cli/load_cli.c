/*
 * load_cli.c - options and reporting common to the commands that load.
 */
#include "load_cli.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_arg.h"
#include "commands.h"
#include "parse_num.h"
#include "term.h"

enum { OPT_MAXMEMBER = 256, OPT_MAXTOTAL, OPT_DB };

const struct ms_opt load_cli_output_opts[] = {
	{ 'o', "output", "DB", "the database (default: BUNDLE with .db)" },
	{ 0, NULL, NULL, NULL },
};

const struct ms_opt load_cli_db_opts[] = {
	{ OPT_DB, "db", "DB", "the database (default: BUNDLE with .db)" },
	{ 0, NULL, NULL, NULL },
};

const struct ms_opt load_cli_opts[] = {
	{ 'f', "force", NULL, "load again even if DB matches the bundle" },
	{ OPT_MAXMEMBER, "max-member", "SIZE", "refuse a bundle member larger than SIZE (default 256M)" },
	{ OPT_MAXTOTAL, "max-total", "SIZE", "stop when the bundle decompresses to more than SIZE\n"
	  "(default 64G)" },
	{ 'q', "quiet", NULL, "no loading messages" },
	{ 0, NULL, NULL, NULL },
};

void load_cli_init(struct load_cli *c)
{
	memset(c, 0, sizeof(*c));
	c->o.limits.max_member = MS_DEFAULT_MAX_MEMBER;
	c->o.limits.max_total = MS_DEFAULT_MAX_TOTAL;
}

int load_cli_opt(void *ctx, int id, const char *arg, struct ms_err *err)
{
	struct load_cli *c = ctx;
	switch (id) {
	case 'o':
	case OPT_DB: c->o.db_path = arg; return 0;
	case 'f': c->o.force = 1; return 0;
	case 'q': c->quiet = 1; return 0;
	case OPT_MAXMEMBER: return ms_parse_size(arg, &c->o.limits.max_member, "--max-member", err);
	case OPT_MAXTOTAL: return ms_parse_size(arg, &c->o.limits.max_total, "--max-total", err);
	}
	return ms_err_set(err, EINVAL, "unknown option");
}

static void progress(void *ctx, uint64_t done, uint64_t total)
{
	term_progress_update(ctx, done, total);
}

/* Where a database goes when its bundle's directory cannot be written:
 * $XDG_CACHE_HOME/memsnap (an absolute XDG_CACHE_HOME: the spec ignores
 * a relative one), else ~/.cache/memsnap; NULL when neither is known. */
static char *cache_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME"), *sub = "/memsnap";
	if (!x || x[0] != '/') {
		if (!home || home[0] != '/') {
			const struct passwd *pw = getpwuid(getuid());
			home = pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
		}
		if (!home)
			return NULL;
		x = home;
		sub = "/.cache/memsnap";
	}
	size_t n = strlen(x) + strlen(sub) + 1;
	char *d = malloc(n);
	if (d)
		snprintf(d, n, "%s%s", x, sub);
	return d;
}

/* DB, given where a bundle is expected: the result of the load that made it */
static int given_db(struct load_cli *c, const char *name, const char *db,
		    struct load_result *res, struct ms_err *err)
{
	if (c->o.force || c->o.db_path) {
		memset(res, 0, sizeof(*res));
		fprintf(stderr, "memsnap: %s: '%s' is a database: --force, -o and --db are for a bundle\n",
			name, db);
		return MS_EXIT_USAGE;
	}
	return loader_open_db(db, res, err) < 0 ? -1 : 0;
}

int load_cli_run(struct load_cli *c, const char *name, const char *bundle,
		 struct load_result *res)
{
	c->o.bundle = bundle;
	memset(res, 0, sizeof(*res));
	enum bundle_arg kind = bundle_arg_check(name, bundle);
	if (kind == BUNDLE_ARG_REFUSED)
		return MS_EXIT_FAILURE;
	struct ms_err err = MS_ERR_INIT;
	int rc;
	if (kind == BUNDLE_ARG_DB) {
		if ((rc = given_db(c, name, bundle, res, &err)) > 0)
			return rc;
	} else {
		char *cache = cache_dir();
		struct term_progress tp;
		term_progress_init(&tp, "loading", 0);
		c->o.cache_dir = cache;
		if (!c->quiet) {
			c->o.progress = progress;
			c->o.progress_ctx = &tp;
		}
		rc = loader_load(&c->o, res, &err);
		term_progress_clear(&tp);
		c->o.progress = NULL;
		c->o.cache_dir = NULL;
		free(cache);
	}
	if (rc < 0) {
		fprintf(stderr, "memsnap: %s: '%s': %s\n", name, bundle, ms_err_msg(&err));
		ms_err_release(&err);
		return MS_EXIT_FAILURE;
	}
	if (res->corrupt) {
		fprintf(stderr, "memsnap: %s: '%s': corrupt: %s; loaded the %u complete samples before the damage\n",
			name, bundle, res->damage, res->samples);
		return MS_EXIT_FAILURE;
	}
	return MS_EXIT_OK;
}

void load_cli_where(const struct load_cli *c, const char *name, const struct load_result *res)
{
	if (res->cached && !c->quiet)
		fprintf(stderr, "memsnap: %s: the bundle's directory is not writable: its database is %s\n",
			name, res->db_path);
}

void load_cli_report(const struct load_cli *c, const char *name, const struct load_result *res)
{
	if (c->quiet)
		return;
	if (res->given)
		fprintf(stderr, "memsnap: %s: reading %s", name, res->db_path);
	else if (res->reused)
		fprintf(stderr, "memsnap: %s: reusing %s (already loaded from this bundle)", name,
			res->db_path);
	else
		fprintf(stderr, "memsnap: %s: loaded %u samples (%llu rows) into %s", name,
			res->samples, (unsigned long long)res->rows, res->db_path);
	if (res->cached)
		fputs(" (in the cache: the bundle's directory is not writable)", stderr);
	if (res->truncated)
		fprintf(stderr, "; the bundle is truncated (%s): every complete sample was loaded",
			res->damage ? res->damage : "no trailer");
	if (res->load_errors)
		fprintf(stderr, "; %llu lines or records could not be parsed (see table load_error)",
			(unsigned long long)res->load_errors);
	fputc('\n', stderr);
}
