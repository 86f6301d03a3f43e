/*
 * fleet_cli.c - many hosts at once (see fleet_cli.h).
 */
#include "fleet_cli.h"

#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_arg.h"
#include "commands.h"
#include "db.h"
#include "fleet_db.h"
#include "html_report.h"
#include "loader.h"
#include "out_file.h"
#include "parse_num.h"
#include "rule_run.h"
#include "term.h"

#define MAX_JOBS 256
/* SQLite's heap for each host analyzed at once (a hostile rule's bound) */
#define HEAP_PER_JOB ((sqlite3_int64)1 << 30)

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
	if (ms_parse_u64(arg, 1, MAX_JOBS, &v, "--jobs", err) < 0)
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

static unsigned jobs_for(unsigned asked, size_t hosts)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned j = asked ? asked : cpus > 0 ? (unsigned)(cpus < MAX_JOBS ? cpus : MAX_JOBS) : 1;
	return hosts && j > hosts ? (unsigned)hosts : j;
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
		*rc = command_usage_error(name, "expected a BUNDLE (or the bundles of several hosts)");
		return FLEET_SINGLE;
	}
	int mode = fleet_cli_inputs(r, name, argv + first, (size_t)(argc - first));
	if (mode < 0)
		*rc = MS_EXIT_FAILURE;
	else if (mode == FLEET_SINGLE && argc - first != 1)
		*rc = command_usage_error(name, "these bundles are of one host: this memsnap reads a host's "
					  "bundles one at a time");
	return mode;
}

/* ---- one host ---- */

static int select_host(sqlite3 *db, void *ctx, struct ms_err *err)
{
	return fleet_db_select(db, *(const int64_t *)ctx, err);
}

/* The host's bundles into its own database (reused when it matches; in
 * CACHE when the bundle's directory cannot be written), cut to --from/--to
 * as resolved against this host's bundle. */
static int load_host(const struct fleet_job *j, struct fleet_src *s, const char *cache, struct ms_err *err)
{
	if (s->n > 1)
		return ms_err_set(err, ENOTSUP, "%zu bundles of one host: this memsnap reads a host's "
				  "bundles one at a time (load them one by one)", s->n);
	const struct load_cli *lc = j->lc;
	struct load_opts o = lc->o;
	struct load_result res;
	struct bundle_span sp;
	struct load_window w;
	memset(&sp, 0, sizeof(sp));
	memset(&res, 0, sizeof(res));
	o.bundle = s->paths[0];
	o.db_path = NULL;
	o.progress = NULL;
	o.cache_dir = cache;
	o.window = NULL;
	int rc = 0;
	if (lc->from.kind || lc->to.kind) {
		rc = load_cli_window_of(lc, o.bundle, &sp, &w, err) < 0 ? -1 : 0;
		o.window = &w;
	}
	if (rc == 0 && (rc = loader_load(&o, &res, err)) < 0 && err->code == ENODATA && o.window) {
		ms_err_release(err);
		load_cli_no_sample(lc, &w, &sp, err);
	}
	bundle_span_release(&sp);
	if (rc < 0) {
		load_result_release(&res);
		return ms_err_prefix(err, "'%s'", s->paths[0]);
	}
	s->db = res.db_path;
	s->cached = res.cached;
	res.db_path = NULL;
	load_result_release(&res);
	return 0;
}

/* Rules, growth and the command's step on host I's tables. */
static int analyze_host(struct fleet_run *r, const struct fleet_job *j, size_t i, struct ms_err *err)
{
	struct fleet_host *h = &r->f.h[i];
	struct fleet_src *s = &r->src[i];
	struct rule_sandbox sb;
	sqlite3 *db;
	if (rule_db_open_with(s->db, s->host_id ? select_host : NULL, &s->host_id, &sb, &db, err) < 0)
		return -1;
	int rc = analysis_run(db, &sb, j->set, j->timeout_s, NULL, &h->a, err);
	if (rc == 0) {
		h->ran = 1;
		rc = fleet_growth_query(db, &h->growth, err) < 0 ||
		     (j->after_rules && j->after_rules(j->ctx, r, i, db, err) < 0) ? -1 : 0;
	}
	sqlite3_close(db);
	if (rc < 0 && h->ran) {
		analysis_release(&h->a);
		h->ran = 0;
	}
	return rc;
}

static void run_host(struct fleet_run *r, const struct fleet_job *j, size_t i, const char *cache)
{
	struct fleet_host *h = &r->f.h[i];
	struct fleet_src *s = &r->src[i];
	struct ms_err err = MS_ERR_INIT;
	if (h->failed)
		return; /* its input could not be read */
	int rc = (s->paths && load_host(j, s, cache, &err) < 0) ||
		 (j->after_load && j->after_load(j->ctx, r, i, NULL, &err) < 0) ||
		 (j->set && analyze_host(r, j, i, &err) < 0) ? -1 : 0;
	if (rc < 0) {
		h->failed = 1;
		free(h->report);
		h->report = NULL;
		size_t n = strlen(h->label) + strlen(ms_err_msg(&err)) + 3;
		if ((h->error = malloc(n)))
			snprintf(h->error, n, "%s: %s", h->label, ms_err_msg(&err));
	}
	ms_err_release(&err);
}

/* ---- the pool ---- */

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next, done;
	struct fleet_run *r;
	const struct fleet_job *j;
	const char *cache;      /* load_cli_cache_dir() */
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		size_t i = p->next < p->r->f.n ? p->next++ : p->r->f.n;
		pthread_mutex_unlock(&p->mu);
		if (i == p->r->f.n)
			return NULL;
		run_host(p->r, p->j, i, p->cache);
		pthread_mutex_lock(&p->mu);
		p->done++;
		pthread_cond_signal(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

int fleet_cli_run(struct fleet_run *r, const struct fleet_job *j, const char *name)
{
	char *cache = load_cli_cache_dir();
	struct pool p = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, r, j, cache };
	unsigned n = jobs_for(j->jobs, r->f.n), started = 0;
	load_cli_zone(j->lc, name);  /* before the threads: it sets TZ */
	pthread_t *t = calloc(n ? n : 1, sizeof(*t));
	if (j->set)
		sqlite3_hard_heap_limit64(HEAP_PER_JOB * n); /* a hostile rule's bound, per host at once */
	struct term_progress tp;
	term_progress_init(&tp, "hosts", 1);
	if (j->lc->quiet)
		tp.out = NULL;
	for (unsigned k = 0; t && k < n; k++)
		started += pthread_create(&t[started], NULL, worker, &p) == 0;
	if (!started) {
		fprintf(stderr, "memsnap: %s: no thread could be started: one host at a time\n", name);
		worker(&p);
	}
	pthread_mutex_lock(&p.mu);
	while (p.done < r->f.n) {
		term_progress_update(&tp, p.done, r->f.n);
		pthread_cond_wait(&p.cv, &p.mu);
	}
	pthread_mutex_unlock(&p.mu);
	for (unsigned k = 0; k < started; k++)
		pthread_join(t[k], NULL);
	term_progress_clear(&tp);
	free(t);
	free(cache);
	for (size_t i = 0; i < r->f.n && !j->lc->quiet; i++)
		if (r->src[i].cached)
			fprintf(stderr, "memsnap: %s: %s: the bundle's directory is not writable: its database is %s\n",
				name, r->f.h[i].label, r->src[i].db);
	struct ms_err err = MS_ERR_INIT;
	int rc = fleet_group(&r->f, &err);
	if (rc < 0)
		fprintf(stderr, "memsnap: %s: %s\n", name, ms_err_msg(&err));
	ms_err_release(&err);
	return rc;
}

int fleet_cli_finish(struct fleet_run *r, const struct rules_cli *rules, const char *name, int rc)
{
	for (size_t i = 0; i < r->f.n; i++) {
		const struct fleet_host *h = &r->f.h[i];
		if (h->failed) {
			fprintf(stderr, "memsnap: %s: %s\n", name, h->error ? h->error : "out of memory");
			rc = MS_EXIT_FAILURE;
		}
		if (!h->ran)
			continue;
		for (size_t k = 0; k < h->a.noutcomes; k++)
			if (h->a.outcomes[k].error)
				fprintf(stderr, "memsnap: %s: %s: rule failed: %s\n", name, h->label,
					h->a.outcomes[k].error);
		if (h->a.failed || h->a.facts.corrupt)
			rc = MS_EXIT_FAILURE;
	}
	size_t unjudged = 0;
	for (size_t i = 0; i < r->f.n; i++)
		unjudged += r->f.h[i].ran ? r->f.h[i].a.insufficient : 0;
	for (int s = rules && rules->fail_on >= 0 ? rules->fail_on : RULE_CRITICAL + 1; s <= RULE_CRITICAL; s++)
		if (rc == MS_EXIT_OK && fleet_findings(&r->f, s))
			rc = MS_EXIT_FINDINGS;
	/* as for one host: insufficient data is no clean bill of health */
	if (rc == MS_EXIT_OK && rules && rules->fail_on >= 0 && unjudged)
		rc = MS_EXIT_UNJUDGED;
	fleet_cli_release(r);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "memsnap: %s: writing the report: %s\n", name, strerror(errno));
		rc = MS_EXIT_FAILURE;
	}
	return rc;
}

/* ---- analyze and report ---- */

/* FILE without .html, then "-" and LABEL made a file name, then .html;
 * "-2" ... when that name is taken already. */
static char *host_page(const char *stem, const char *label, const struct fleet *f, size_t upto)
{
	size_t n = strlen(stem) + strlen(label) + 32;
	char *p = malloc(n);
	if (!p)
		return NULL;
	int base = snprintf(p, n, "%s-", stem);
	for (const char *c = label; *c; c++)
		p[base++] = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
			    *c == '.' || *c == '_' || *c == '-' ? *c : '_';
	p[base] = '\0';
	const char *slash = strrchr(stem, '/');
	size_t dir = slash ? (size_t)(slash + 1 - stem) : 0;
	for (unsigned dup = 1;; dup++) {
		snprintf(p + base, n - (size_t)base, dup > 1 ? "-%u.html" : ".html", dup);
		int taken = 0;
		for (size_t i = 0; i < upto && !taken; i++)
			taken = f->h[i].report && !strcmp(f->h[i].report, p + dir);
		if (!taken)
			break;
	}
	memmove(p, p + dir, strlen(p + dir) + 1);
	return p;
}

struct html_ctx {
	char *dir;                 /* the fleet page's directory, with its '/' ("" for .) */
};

static int host_html_page(FILE *f, void *ctx, struct ms_err *err)
{
	void **a = ctx;
	return analysis_cli_html(f, a[0], a[1], err);
}

static int write_host_page(void *ctx, struct fleet_run *r, size_t i, sqlite3 *db, struct ms_err *err)
{
	const struct html_ctx *c = ctx;
	struct fleet_host *h = &r->f.h[i];
	size_t n = strlen(c->dir) + strlen(h->report) + 1;
	char *path = malloc(n);
	if (!path)
		return ms_err_set(err, ENOMEM, "out of memory");
	snprintf(path, n, "%s%s", c->dir, h->report);
	void *a[2] = { db, &h->a };
	int rc = out_file_write(path, host_html_page, a, err);
	free(path);
	return rc;
}

/* Each host's page name, next to HTML. */
static int name_pages(struct fleet_run *r, const char *html, struct html_ctx *c)
{
	size_t n = strlen(html);
	size_t stem = n > 5 && !strcmp(html + n - 5, ".html") ? n - 5 : n;
	const char *slash = strrchr(html, '/');
	char *s = strndup(html, stem);
	c->dir = strndup(html, slash ? (size_t)(slash + 1 - html) : 0);
	for (size_t i = 0; s && c->dir && i < r->f.n; i++)
		if (!r->f.h[i].failed && !(r->f.h[i].report = host_page(s, r->f.h[i].label, &r->f, i))) {
			free(s);
			return -1;
		}
	int ok = s && c->dir;
	free(s);
	return ok ? 0 : -1;
}

static int fleet_page(FILE *f, void *ctx, struct ms_err *err)
{
	return html_fleet(f, ctx, err);
}

int fleet_cli_no_window(const struct fleet_run *r, const struct load_cli *lc, const char *name)
{
	for (size_t i = 0; i < r->f.n; i++)
		if (!r->src[i].paths && r->src[i].db)
			return load_cli_no_window(lc, name, r->src[i].db);
	return MS_EXIT_OK;
}

int fleet_cli_analyze(struct fleet_run *r, struct analyze_cli *c, struct rule_set *set, const char *html,
		      const char *name)
{
	int rc = fleet_cli_no_window(r, &c->lc, name);
	if (rc == MS_EXIT_OK)
		rc = rules_cli_build(&c->r, 1, set, name);
	if (rc != MS_EXIT_OK)
		return rc;
	struct html_ctx hc = { NULL };
	if (html && name_pages(r, html, &hc) < 0) {
		fprintf(stderr, "memsnap: %s: out of memory\n", name);
		free(hc.dir);
		return MS_EXIT_FAILURE;
	}
	setlocale(LC_CTYPE, ""); /* only to learn whether the terminal takes UTF-8 */
	const struct fleet_job j = { &c->lc, set, c->r.timeout_s, html ? write_host_page : NULL, NULL, &hc,
				     c->fc.jobs };
	rc = fleet_cli_run(r, &j, name) < 0 ? MS_EXIT_FAILURE : MS_EXIT_OK;
	free(hc.dir);
	if (rc == MS_EXIT_OK && html) {
		struct ms_err err = MS_ERR_INIT;
		if (out_file_write(html, fleet_page, &r->f, &err) < 0) {
			fprintf(stderr, "memsnap: %s: %s\n", name, ms_err_msg(&err));
			rc = MS_EXIT_FAILURE;
		}
		ms_err_release(&err);
	}
	return rc;
}
