/*
 * load_cli.c - options and reporting common to the commands that load.
 */
#include "load_cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

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

int load_cli_run(struct load_cli *c, const char *name, const char *bundle,
		 struct load_result *res)
{
	c->o.bundle = bundle;
	memset(res, 0, sizeof(*res));
	int bad = bundle_arg_check(name, bundle);
	if (bad)
		return bad;
	struct ms_err err = MS_ERR_INIT;
	struct term_progress tp;
	term_progress_init(&tp, "loading", 0);
	if (!c->quiet) {
		c->o.progress = progress;
		c->o.progress_ctx = &tp;
	}
	int rc = loader_load(&c->o, res, &err);
	term_progress_clear(&tp);
	c->o.progress = NULL;
	if (rc < 0) {
		fprintf(stderr, "memsnap: %s: '%s': %s\n", name, c->o.bundle, ms_err_msg(&err));
		ms_err_release(&err);
		return MS_EXIT_FAILURE;
	}
	if (res->corrupt) {
		fprintf(stderr, "memsnap: %s: '%s': corrupt: %s; loaded the %u complete samples before the damage\n",
			name, c->o.bundle, res->damage, res->samples);
		return MS_EXIT_FAILURE;
	}
	return MS_EXIT_OK;
}

void load_cli_report(const struct load_cli *c, const char *name, const struct load_result *res)
{
	if (c->quiet)
		return;
	if (res->reused) {
		fprintf(stderr, "memsnap: %s: reusing %s (already loaded from this bundle)\n", name,
			res->db_path);
		return;
	}
	fprintf(stderr, "memsnap: %s: loaded %u samples (%llu rows) into %s", name, res->samples,
		(unsigned long long)res->rows, res->db_path);
	if (res->truncated)
		fprintf(stderr, "; the bundle is truncated (%s): every complete sample was loaded",
			res->damage ? res->damage : "no trailer");
	if (res->load_errors)
		fprintf(stderr, "; %llu lines or records could not be parsed (see table load_error)",
			(unsigned long long)res->load_errors);
	fputc('\n', stderr);
}
