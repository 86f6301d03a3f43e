/*
 * load_cli.c - options and reporting common to the commands that load.
 */
#include "load_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "parse_num.h"
#include "recording.h"

enum { OPT_MAXMEMBER = 256, OPT_MAXTOTAL, OPT_DB };

struct progress_state {
	time_t start;
	int shown;
};

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

/* A progress bar on stderr, when it is a terminal and the load has taken
 * more than a second. */
static void progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress_state *p = ctx;
	if (time(NULL) - p->start < 1 || !total)
		return;
	int pct = (int)(done * 100 / total);
	char bar[41];
	int fill = pct * 40 / 100;
	for (int i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r\033[Kloading [%s] %3d%%", bar, pct > 100 ? 100 : pct);
	p->shown = 1;
}

/* The bundles of a recording, in time order, as the loader takes them */
static int resolve(struct load_cli *c, const char *name, char *const *inputs, size_t n,
		   struct recording *rec, const char ***parts)
{
	struct ms_err err = MS_ERR_INIT;
	struct stat st;
	*parts = NULL;
	if (n == 1 && !(stat(inputs[0], &st) == 0 && S_ISDIR(st.st_mode)))
		return 0; /* one bundle: the loader reads it as it is */
	if (recording_open(rec, (const char *const *)inputs, n, &err) < 0) {
		fprintf(stderr, "memsnap: %s: %s\n", name, ms_err_msg(&err));
		ms_err_release(&err);
		return MS_EXIT_FAILURE;
	}
	for (const char *p = rec->skipped.data; *p;) {
		const char *eol = strchr(p, '\n');
		fprintf(stderr, "memsnap: %s: skipped %.*s\n", name, (int)(eol - p), p);
		p = eol + 1;
	}
	if (!(*parts = calloc(rec->n, sizeof(**parts)))) {
		fprintf(stderr, "memsnap: %s: out of memory\n", name);
		return MS_EXIT_FAILURE;
	}
	for (size_t i = 0; i < rec->n; i++)
		(*parts)[i] = rec->p[i].path;
	c->o.parts = *parts;
	c->o.nparts = rec->n;
	c->o.name = rec->name;
	return 0;
}

int load_cli_run(struct load_cli *c, const char *name, char *const *inputs, size_t n,
		 struct load_result *res)
{
	struct recording rec;
	const char **parts = NULL;
	memset(&rec, 0, sizeof(rec));
	memset(res, 0, sizeof(*res));
	c->o.bundle = inputs[0];
	int rc = resolve(c, name, inputs, n, &rec, &parts);
	if (rc != 0)
		goto out;
	struct ms_err err = MS_ERR_INIT;
	struct progress_state ps = { time(NULL), 0 };
	if (!c->quiet && isatty(2)) {
		c->o.progress = progress;
		c->o.progress_ctx = &ps;
	}
	const char *shown = c->o.name ? c->o.name : c->o.bundle;
	rc = loader_load(&c->o, res, &err);
	if (ps.shown)
		fputs("\r\033[K", stderr);
	if (rc < 0) {
		fprintf(stderr, "memsnap: %s: '%s': %s\n", name, shown, ms_err_msg(&err));
		ms_err_release(&err);
		rc = MS_EXIT_FAILURE;
	} else if (res->corrupt) {
		fprintf(stderr, "memsnap: %s: '%s': corrupt: %s; loaded the %u complete samples before the damage\n",
			name, shown, res->damage, res->samples);
		rc = MS_EXIT_FAILURE;
	} else {
		rc = MS_EXIT_OK;
	}
out:
	c->o.parts = NULL;
	c->o.nparts = 0;
	c->o.name = NULL;
	free(parts);
	recording_release(&rec);
	return rc;
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
		fprintf(stderr, "; %llu records could not be parsed (see table load_error)",
			(unsigned long long)res->load_errors);
	fputc('\n', stderr);
}
