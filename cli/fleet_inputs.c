/*
 * fleet_inputs.c - the fleet's options (-j) and its inputs sorted out:
 * one host, or the hosts of several bundles, a directory, a database
 * (see fleet_cli.h).
 */
#include "fleet_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle_arg.h"
#include "commands.h"
#include "db.h"
#include "fleet_db.h"
#include "parse_num.h"

const struct ms_opt fleet_cli_opts[] = {
	{ 'j', "jobs", "N", "with several hosts' bundles: hosts loaded and analyzed\n"
	  "at once (default: the CPUs online)" },
	{ 0, NULL, NULL, NULL },
};

void fleet_cli_init(struct fleet_cli *c)
{
	c->jobs = 0;
}

int fleet_cli_opt(void *ctx, int id, const char *arg, struct ms_err *err)
{
	struct fleet_cli *c = ctx;
	uint64_t v;
	(void)id;
	if (ms_parse_u64(arg, 1, FLEET_MAX_JOBS, &v, "--jobs", err) < 0)
		return -1;
	c->jobs = (unsigned)v;
	return 0;
}

void analyze_cli_init(struct analyze_cli *c)
{
	load_cli_init(&c->lc);
	rules_cli_init(&c->r);
	fleet_cli_init(&c->fc);
}

static char *dupf(const char *fmt, const char *a, size_t n)
{
	size_t len = strlen(fmt) + strlen(a) + 24;
	char *s = malloc(len);
	if (s)
		snprintf(s, len, fmt, a, n);
	return s;
}

static int cmp_label(const void *a, const void *b)
{
	return strcmp((*(const struct host_group *const *)a)->label, (*(const struct host_group *const *)b)->label);
}

/* The hosts of the groups, one each with its bundles, by label (as a
 * fleet database lists them). */
static int hosts_from_groups(struct fleet_run *r)
{
	const struct host_groups *g = &r->groups;
	const struct host_group **order = malloc((g->n ? g->n : 1) * sizeof(*order));
	r->f.h = calloc(g->n, sizeof(*r->f.h));
	r->src = calloc(g->n, sizeof(*r->src));
	if (!order || !r->f.h || !r->src) {
		free(order);
		return -1;
	}
	for (size_t i = 0; i < g->n; i++)
		order[i] = &g->g[i];
	qsort(order, g->n, sizeof(*order), cmp_label);
	r->f.n = g->n;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < g->n; i++) {
		const struct host_group *x = order[i];
		struct fleet_host *h = &r->f.h[i];
		r->src[i].paths = x->paths;
		r->src[i].n = x->n;
		r->src[i].key = x->key;
		h->label = strdup(x->label);
		h->hostname = x->hostname ? strdup(x->hostname) : NULL;
		h->boot_id = x->boot_id ? strdup(x->boot_id) : NULL;
		h->source = x->n > 1 ? dupf("%s (and %zu more)", x->paths[0], x->n - 1) : strdup(x->paths[0]);
		h->error = x->error ? strdup(x->error) : NULL;
		h->failed = x->error != NULL;
		if (!h->label || !h->source || (x->hostname && !h->hostname) || (x->boot_id && !h->boot_id) ||
		    (x->error && !h->error))
			rc = -1;
	}
	free(order);
	return rc;
}

/* The hosts of the fleet database PATH. */
static int hosts_from_db(struct fleet_run *r, const char *path, struct ms_err *err)
{
	sqlite3 *db;
	struct fleet_db_host *dh = NULL;
	size_t n = 0;
	if (db_open_readonly(path, &db, err) < 0)
		return -1;
	int rc = fleet_db_check(db, err) < 0 || fleet_db_hosts(db, &dh, &n, err) < 0 ? -1 : 0;
	sqlite3_close(db);
	if (rc == 0 && !n)
		rc = ms_err_set(err, ENOENT, "no host in it: 'memsnap load --into %s BUNDLE...' adds them", path);
	if (rc == 0 && (!(r->f.h = calloc(n, sizeof(*r->f.h))) || !(r->src = calloc(n, sizeof(*r->src)))))
		rc = ms_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < n; i++, r->f.n++) {
		struct fleet_host *h = &r->f.h[i];
		h->label = dh[i].label;
		h->hostname = dh[i].hostname;
		h->boot_id = dh[i].boot_id;
		h->source = dh[i].source;
		dh[i].label = dh[i].hostname = dh[i].boot_id = dh[i].source = NULL;
		r->src[i].host_id = dh[i].id;
		if (!(r->src[i].db = strdup(path)))
			rc = ms_err_set(err, ENOMEM, "out of memory");
	}
	fleet_db_hosts_release(dh, n);
	if (rc == 0)
		r->fleet_db = path;
	return rc;
}

static int is_fleet_db(const char *path)
{
	sqlite3 *db;
	struct ms_err e = MS_ERR_INIT;
	int is = 0;
	if (is_sqlite_file(path) && db_open_readonly(path, &db, &e) == 0) {
		is = fleet_db_is(db);
		sqlite3_close(db);
	}
	ms_err_release(&e);
	return is;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void fleet_cli_release(struct fleet_run *r)
{
	for (size_t i = 0; r->src && i < r->f.n; i++)
		free(r->src[i].db);
	free(r->src);
	fleet_release(&r->f);
	host_groups_release(&r->groups);
	memset(r, 0, sizeof(*r));
}

int fleet_cli_hosts(struct fleet_run *r, const char *name, char *const *inputs, size_t n)
{
	struct ms_err err = MS_ERR_INIT;
	memset(r, 0, sizeof(*r));
	int rc = host_groups_open(&r->groups, (const char *const *)inputs, n, &err) < 0 ? -1
		 : hosts_from_groups(r) < 0 ? ms_err_set(&err, ENOMEM, "out of memory") : 0;
	if (rc < 0) {
		fprintf(stderr, "memsnap: %s: %s\n", name, ms_err_msg(&err));
		fleet_cli_release(r);
	}
	ms_err_release(&err);
	return rc;
}

/* A single-host database PATH as the one host. */
static int host_from_db(struct fleet_run *r, const char *path, struct ms_err *err)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	if (db_open_readonly(path, &db, err) < 0)
		return -1;
	int rc = sqlite3_prepare_v2(db, "SELECT hostname, boot_id, (SELECT user_version FROM pragma_user_version) "
				    "FROM host_last", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW ? 0
		 : ms_err_set(err, EINVAL, "not an analysis database: %s", sqlite3_errmsg(db));
	if (rc == 0 && sqlite3_column_int(st, 2) != db_schema_id())
		rc = ms_err_set(err, EINVAL, "made by a memsnap with another schema: load its bundle again");
	if (rc == 0 && (!(r->f.h = calloc(1, sizeof(*r->f.h))) || !(r->src = calloc(1, sizeof(*r->src)))))
		rc = ms_err_set(err, ENOMEM, "out of memory");
	if (rc == 0) {
		const char *name = (const char *)sqlite3_column_text(st, 0), *boot = (const char *)sqlite3_column_text(st, 1);
		struct fleet_host *h = &r->f.h[r->f.n++];
		h->label = strdup(name ? name : "unknown");
		h->hostname = name ? strdup(name) : NULL;
		h->boot_id = boot ? strdup(boot) : NULL;
		h->source = strdup(path);
		r->src[0].db = strdup(path);
		if (!h->label || !h->source || !r->src[0].db || (name && !h->hostname) || (boot && !h->boot_id))
			rc = ms_err_set(err, ENOMEM, "out of memory");
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

int fleet_cli_any(struct fleet_run *r, const char *name, char *const *inputs, size_t n)
{
	if (n != 1 || !is_sqlite_file(inputs[0]))
		return fleet_cli_hosts(r, name, inputs, n);
	struct ms_err err = MS_ERR_INIT;
	memset(r, 0, sizeof(*r));
	int rc = is_fleet_db(inputs[0]) ? hosts_from_db(r, inputs[0], &err) : host_from_db(r, inputs[0], &err);
	if (rc < 0) {
		fprintf(stderr, "memsnap: %s: '%s': %s\n", name, inputs[0], ms_err_msg(&err));
		fleet_cli_release(r);
	}
	ms_err_release(&err);
	return rc;
}

int fleet_cli_inputs(struct fleet_run *r, const char *name, char *const *inputs, size_t n)
{
	struct ms_err err = MS_ERR_INIT;
	memset(r, 0, sizeof(*r));
	int rc = FLEET_SINGLE;
	if (n == 1 && is_fleet_db(inputs[0])) {
		rc = hosts_from_db(r, inputs[0], &err) < 0 ? -1 : FLEET_MANY;
		if (rc < 0)
			ms_err_prefix(&err, "'%s'", inputs[0]);
	} else if (n > 1 || is_dir(inputs[0])) {
		rc = host_groups_open(&r->groups, (const char *const *)inputs, n, &err) < 0 ? -1
		     : r->groups.n == 1 && !r->groups.g[0].error ? FLEET_SINGLE
		     : hosts_from_groups(r) < 0 ? ms_err_set(&err, ENOMEM, "out of memory") : FLEET_MANY;
	}
	if (rc < 0)
		fprintf(stderr, "memsnap: %s: %s\n", name, ms_err_msg(&err));
	if (rc != FLEET_MANY)
		fleet_cli_release(r);
	ms_err_release(&err);
	return rc;
}

int fleet_cli_start(struct fleet_run *r, const char *name, int *rc, int argc, char **argv, int first)
{
	if (*rc >= 0)
		return FLEET_SINGLE;
	if (argc - first < 1) {
		*rc = command_usage_error(name, "expected a BUNDLE or DB, the bundles of one host or of several, or a DIR");
		return FLEET_SINGLE;
	}
	/* FLEET_SINGLE: one bundle, or one host's bundles (a recording) */
	int mode = fleet_cli_inputs(r, name, argv + first, (size_t)(argc - first));
	if (mode < 0)
		*rc = MS_EXIT_FAILURE;
	return mode;
}
