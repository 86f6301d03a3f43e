/*
 * fleet_cli.c - many hosts at once: each host loaded and analyzed in a pool
 * of threads, the fleet's results, analyze's and report's pages (see
 * fleet_cli.h; the inputs: fleet_inputs.c).
 */
#include "fleet_cli.h"

#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "fleet_db.h"
#include "html_report.h"
#include "loader.h"
#include "out_file.h"
#include "recording.h"
#include "rule_run.h"
#include "term.h"

/* SQLite's heap for each host analyzed at once (a hostile rule's bound) */
#define HEAP_PER_JOB ((sqlite3_int64)1 << 30)

static unsigned jobs_for(unsigned asked, size_t hosts)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned j = asked ? asked : cpus > 0 ? (unsigned)(cpus < FLEET_MAX_JOBS ? cpus : FLEET_MAX_JOBS) : 1;
	return hosts && j > hosts ? (unsigned)hosts : j;
}

/* ---- one host ---- */

static int select_host(sqlite3 *db, void *ctx, struct ms_err *err)
{
	return fleet_db_select(db, *(const int64_t *)ctx, err);
}

/* A host of several bundles: O's parts, the recording REC of them in time
 * order (PARTS its paths, for the caller to free) */
static int host_recording(const struct fleet_src *s, struct recording *rec, const char ***parts,
			  struct load_opts *o, struct ms_err *err)
{
	if (recording_open(rec, (const char *const *)s->paths, s->n, err) < 0)
		return -1;
	return load_cli_parts(o, rec, parts) < 0 ? ms_err_set(err, ENOMEM, "out of memory") : 0;
}

/* The host's bundles into its own database (reused when it matches; in
 * CACHE when the bundle's directory cannot be written), cut to --from/--to
 * as resolved against this host's own span; several bundles of the host
 * are its recording (its database beside the first), of which only those
 * the window overlaps are read. */
static int load_host(const struct fleet_job *j, struct fleet_src *s, const char *cache, struct ms_err *err)
{
	const struct load_cli *lc = j->lc;
	struct load_opts o = lc->o;
	struct load_result res;
	struct bundle_span sp;
	struct load_window w;
	struct recording rec;
	const char **parts = NULL;
	memset(&sp, 0, sizeof(sp));
	memset(&res, 0, sizeof(res));
	memset(&rec, 0, sizeof(rec));
	o.bundle = s->paths[0];
	o.db_path = NULL;
	o.progress = NULL;
	o.cache_dir = cache;
	o.window = NULL;
	int rc = s->n > 1 ? host_recording(s, &rec, &parts, &o, err) : 0;
	if (rc == 0 && (lc->from.kind || lc->to.kind))
		rc = load_cli_window_in(lc, &o, &rec, parts, &sp, &w, err) < 0 ? -1 : 0;
	if (rc == 0 && (rc = loader_load(&o, &res, err)) < 0 && err->code == ENODATA && o.window) {
		ms_err_release(err);
		load_cli_no_sample(lc, &rec, &w, &sp, err);
	}
	bundle_span_release(&sp);
	free(parts);
	recording_release(&rec);
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
