/*
 * load_cli.c - options and reporting common to the commands that load.
 */
#include "load_cli.h"

#include <errno.h>
#include <pwd.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_arg.h"
#include "commands.h"
#include "display_zone.h"
#include "parse_num.h"
#include "recording.h"
#include "report.h"
#include "term.h"

enum { OPT_MAXMEMBER = 256, OPT_MAXTOTAL, OPT_DB, OPT_FROM, OPT_TO, OPT_TZ };

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

const struct ms_opt load_cli_window_opts[] = {
	{ OPT_FROM, "from", "TIME", "load only the samples from TIME on: 2026-12-06T14:05\n"
	  "(in the --tz zone, or with Z or +01:00), 14:05 (its\n"
	  "last time in the recording), -30m (before the last\n"
	  "sample), +2h (after the first) or @SECONDS" },
	{ OPT_TO, "to", "TIME", "load only the samples up to TIME (the same forms)" },
	{ OPT_TZ, "tz", "ZONE", "show times in ZONE, and read --from/--to without an\n"
	  "offset in it: Europe/Berlin, UTC, local, +05:30\n"
	  "(default: TZ, else UTC; JSON stays UTC)" },
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
	case OPT_FROM: return ms_parse_time(arg, &c->from, "--from", err);
	case OPT_TO: return ms_parse_time(arg, &c->to, "--to", err);
	case OPT_TZ: c->tz = arg; return display_zone_check(arg, err);
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
char *load_cli_cache_dir(void)
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

void load_cli_zone(const struct load_cli *c, const char *name)
{
	display_zone_apply(c->tz, name);
}

int load_cli_no_sample(const struct load_cli *c, const struct recording *rec,
		       const struct load_window *win, const struct bundle_span *sp, struct ms_err *err)
{
	char w[96], b[96];
	const char *what = "in the window";
	if (c->from.kind && c->to.kind)
		report_span(win->from, win->to, w, sizeof(w));
	else if (c->from.kind)
		what = "at or after", report_instant(win->from, w, sizeof(w));
	else
		what = "at or before", report_instant(win->to, w, sizeof(w));
	report_span(sp->first, sp->last, b, sizeof(b));
	return ms_err_set(err, ENODATA, "no sample %s %s: the %s's samples are from %s", what, w,
			  rec->n ? "recording" : "bundle", b);
}

/* --from/--to against the span SP into W: 0, -1 with ERR, or -2 with ERR
 * for a usage error (--from after --to) */
static int window_in_span(const struct load_cli *c, const struct recording *rec,
			  struct bundle_span *sp, struct load_window *w, struct ms_err *err)
{
	if (isnan(sp->first))
		return ms_err_set(err, ENODATA, "no complete sample to cut to --from/--to");
	*w = (struct load_window){ sp->first, sp->last, sp };
	if ((c->from.kind && ms_time_resolve(&c->from, sp->first, sp->last, &w->from, "--from", err) < 0) ||
	    (c->to.kind && ms_time_resolve(&c->to, sp->first, sp->last, &w->to, "--to", err) < 0))
		return -1;
	if (c->from.kind && c->to.kind && w->from > w->to) {
		char a[48], b[48];
		report_instant(w->from, a, sizeof(a));
		report_instant(w->to, b, sizeof(b));
		ms_err_set(err, EINVAL, "--from (%s) is after --to (%s)", a, b);
		return -2;
	}
	if (w->to < sp->first || w->from > sp->last)
		return load_cli_no_sample(c, rec, w, sp, err);
	return 0;
}

/* The span of O's bundle, or of the recording REC (REC->n > 0): its first
 * part's start and its last part's end (bundle_span() of those two only) */
static int input_span(const struct load_opts *o, const struct recording *rec,
		      struct bundle_span *sp, struct ms_err *err)
{
	if (!rec->n)
		return bundle_span(o->bundle, &o->limits, sp, err);
	const char *head = rec->p[0].path, *tail = rec->p[rec->n - 1].path;
	struct bundle_span first;
	if (bundle_span(head, &o->limits, &first, err) < 0)
		return ms_err_prefix(err, "'%s'", head);
	int rc = bundle_span(tail, &o->limits, sp, err);
	if (rc < 0)
		ms_err_prefix(err, "'%s'", tail);
	else if (!isnan(first.first)) {
		sp->wall_start = first.wall_start;
		sp->first = first.first;
		sp->first_sample = first.first_sample;
		if (isnan(sp->last))
			sp->last = first.last;
	}
	bundle_span_release(&first);
	return rc;
}

int load_cli_window_in(const struct load_cli *c, struct load_opts *o, struct recording *rec,
		       const char **parts, struct bundle_span *sp, struct load_window *w,
		       struct ms_err *err)
{
	int rc = input_span(o, rec, sp, err) < 0 ? -1 : window_in_span(c, rec, sp, w, err);
	if (rc == 0 && rec->n && !recording_select(rec, w->from, w->to))
		rc = load_cli_no_sample(c, rec, w, sp, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < rec->n; i++)
		parts[i] = rec->p[i].path;
	if (rec->n)
		o->nparts = rec->n;
	o->window = w;
	return 0;
}

/* --from/--to against the input's span into c->window, and a recording
 * cut to the bundles the window overlaps: MS_EXIT_OK, or an exit status
 * after the error */
static int resolve_window(struct load_cli *c, const char *name)
{
	struct ms_err err = MS_ERR_INIT;
	int rc = load_cli_window_in(c, &c->o, &c->rec, c->parts, &c->span, &c->window, &err);
	if (rc == -2)
		rc = command_usage_error(name, "%s", ms_err_msg(&err));
	else if (rc < 0)
		fprintf(stderr, "memsnap: %s: '%s': %s\n", name, c->shown, ms_err_msg(&err));
	ms_err_release(&err);
	return rc == 0 ? MS_EXIT_OK : rc < 0 ? MS_EXIT_FAILURE : rc;
}

int load_cli_no_window(const struct load_cli *c, const char *name, const char *path)
{
	if (!c->from.kind && !c->to.kind)
		return MS_EXIT_OK;
	return command_usage_error(name, "'%s' is a database: --from and --to cut what is loaded "
				   "from a bundle", path);
}

void load_cli_release(struct load_cli *c)
{
	bundle_span_release(&c->span);
	recording_release(&c->rec);
	free(c->parts);
	c->parts = NULL;
	c->o.parts = NULL;
	c->o.nparts = 0;
	c->o.name = NULL;
	c->shown = c->o.bundle;
}

int load_cli_parts(struct load_opts *o, const struct recording *rec, const char ***parts)
{
	if (!(*parts = calloc(rec->n, sizeof(**parts))))
		return -1;
	for (size_t i = 0; i < rec->n; i++)
		(*parts)[i] = rec->p[i].path;
	o->parts = *parts;
	o->nparts = rec->n;
	o->name = rec->name;
	return 0;
}

/* Several inputs, or a directory: the recording's bundles in time order
 * (what was set aside said on stderr) as the loader's parts.  MS_EXIT_OK,
 * or an exit status after the error. */
static int open_recording(struct load_cli *c, const char *name, char *const *inputs, size_t n)
{
	struct ms_err err = MS_ERR_INIT;
	for (size_t i = 0; n > 1 && i < n; i++)
		if (is_sqlite_file(inputs[i]))
			return command_usage_error(name, "'%s' is a database: it is read alone, not "
						   "with bundles", inputs[i]);
	if (recording_open(&c->rec, (const char *const *)inputs, n, &err) < 0) {
		fprintf(stderr, "memsnap: %s: %s\n", name, ms_err_msg(&err));
		ms_err_release(&err);
		return MS_EXIT_FAILURE;
	}
	for (const char *p = c->rec.skipped.data; *p;) {
		const char *eol = strchr(p, '\n');
		fprintf(stderr, "memsnap: %s: skipped %.*s\n", name, (int)(eol - p), p);
		p = eol + 1;
	}
	if (load_cli_parts(&c->o, &c->rec, &c->parts) < 0) {
		fprintf(stderr, "memsnap: %s: out of memory\n", name);
		return MS_EXIT_FAILURE;
	}
	c->shown = c->rec.name;
	return MS_EXIT_OK;
}

int load_cli_run(struct load_cli *c, const char *name, char *const *inputs, size_t n,
		 struct load_result *res)
{
	const char *bundle = inputs[0];
	c->o.bundle = c->shown = bundle;
	memset(res, 0, sizeof(*res));
	load_cli_zone(c, name);
	enum bundle_arg kind = n > 1 ? BUNDLE_ARG_RECORDING : bundle_arg_check(name, bundle);
	if (kind == BUNDLE_ARG_REFUSED)
		return MS_EXIT_FAILURE;
	int bad;
	if (kind == BUNDLE_ARG_RECORDING && (bad = open_recording(c, name, inputs, n)) != MS_EXIT_OK)
		return bad;
	if (kind == BUNDLE_ARG_DB && (bad = load_cli_no_window(c, name, bundle)) != MS_EXIT_OK)
		return bad;
	if (kind != BUNDLE_ARG_DB && (c->from.kind || c->to.kind) &&
	    (bad = resolve_window(c, name)) != MS_EXIT_OK)
		return bad;
	struct ms_err err = MS_ERR_INIT;
	int rc;
	if (kind == BUNDLE_ARG_DB) {
		if ((rc = given_db(c, name, bundle, res, &err)) > 0)
			return rc;
	} else {
		char *cache = load_cli_cache_dir();
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
	if (rc < 0 && err.code == ENODATA && c->o.window) {
		ms_err_release(&err);
		load_cli_no_sample(c, &c->rec, &c->window, &c->span, &err);
	}
	if (rc < 0) {
		fprintf(stderr, "memsnap: %s: '%s': %s\n", name, c->shown, ms_err_msg(&err));
		ms_err_release(&err);
		return MS_EXIT_FAILURE;
	}
	if (res->corrupt) {
		fprintf(stderr, "memsnap: %s: '%s': corrupt: %s; loaded the %u complete samples before the damage\n",
			name, c->shown, res->damage, res->samples);
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
	char w[96] = "";
	if (c->o.window)
		report_span(c->o.window->from, c->o.window->to, w, sizeof(w));
	if (res->given)
		fprintf(stderr, "memsnap: %s: reading %s", name, res->db_path);
	else if (res->reused)
		fprintf(stderr, "memsnap: %s: reusing %s (already loaded from this bundle%s%s)", name,
			res->db_path, *w ? ", window " : "", w);
	else
		fprintf(stderr, "memsnap: %s: loaded %u samples (%llu rows) into %s", name,
			res->samples, (unsigned long long)res->rows, res->db_path);
	if (*w && !res->reused && !res->given)
		fprintf(stderr, "; the window %s (%u samples before it)", w, res->before);
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
