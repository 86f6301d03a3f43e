/*
 * analysis.c - run the selected rules and gather the bundle's facts (see
 * analysis.h).
 *
 * Every rule runs, whatever happened to the ones before it: a broken or
 * failing rule is an outcome with its error, counted in a->failed.
 */
#include "analysis.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "container_evidence.h"
#include "ms_buf.h"
#include "rule_run.h"

static double now_s(void);
static char *query_text(sqlite3 *db, const char *sql);
static long long query_int(sqlite3 *db, const char *sql);
static int gather_facts(sqlite3 *db, struct bundle_facts *f, struct ms_err *err);

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The first column of the first row as a new string (NULL if none). */
static char *query_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char *r = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		r = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return r;
}

static long long query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long r = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		r = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return r;
}

/* The recording's parts and the recorder's triggers */
static int gather_recording(sqlite3 *db, struct bundle_facts *f, struct ms_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT count(*), count(gap_before), coalesce(sum(gap_before), 0), "
			       "coalesce(sum(overlap), 0) FROM recording_part", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			f->parts = sqlite3_column_int64(st, 0);
			f->part_gaps = sqlite3_column_int64(st, 1);
			f->gap_s = sqlite3_column_double(st, 2);
			f->overlap = sqlite3_column_int64(st, 3);
		}
		sqlite3_finalize(st);
	}
	f->incident_trigger = query_text(db, "SELECT value FROM header WHERE key = 'incident_trigger'");
	char *it = query_text(db, "SELECT value FROM header WHERE key = 'incident_time'");
	f->incident_time = it ? strtod(it, NULL) : 0;
	free(it);
	f->triggers_total = query_int(db, "SELECT count(*) FROM trigger_event");
	if (!f->triggers_total)
		return 0;
	if (!(f->triggers = calloc(FACT_TRIGGERS, sizeof(*f->triggers))))
		return ms_err_set(err, ENOMEM, "out of memory");
	if (sqlite3_prepare_v2(db, "SELECT t, kind, cgroup, detail FROM trigger_event ORDER BY t, rowid LIMIT ?",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int(st, 1, FACT_TRIGGERS);
	int rc = 0;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		struct fact_trigger *x = &f->triggers[f->ntriggers++];
		const unsigned char *c = sqlite3_column_text(st, 2);
		x->t = sqlite3_column_double(st, 0);
		x->kind = strdup((const char *)sqlite3_column_text(st, 1));
		x->cgroup = c ? strdup((const char *)c) : NULL;
		x->detail = strdup((const char *)sqlite3_column_text(st, 3));
		if (!x->kind || !x->detail || (c && !x->cgroup))
			rc = ms_err_set(err, ENOMEM, "out of memory");
	}
	sqlite3_finalize(st);
	return rc;
}

static int gather_facts(sqlite3 *db, struct bundle_facts *f, struct ms_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT bundle_path, bundle_hash, bundle_size, truncated, corrupt, "
			       "damage, clean_end, end_reason FROM load_info", -1, &st, NULL) != SQLITE_OK)
		return ms_err_set(err, EINVAL, "not an analysis database: %s", sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *t;
		f->path = (t = sqlite3_column_text(st, 0)) ? strdup((const char *)t) : NULL;
		f->hash = (t = sqlite3_column_text(st, 1)) ? strdup((const char *)t) : NULL;
		f->size = sqlite3_column_int64(st, 2);
		f->truncated = sqlite3_column_int(st, 3);
		f->corrupt = sqlite3_column_int(st, 4);
		f->damage = (t = sqlite3_column_text(st, 5)) ? strdup((const char *)t) : NULL;
		f->clean_end = sqlite3_column_int(st, 6);
		f->end_reason = (t = sqlite3_column_text(st, 7)) ? strdup((const char *)t) : NULL;
	}
	sqlite3_finalize(st);
	f->host = query_text(db, "SELECT value FROM header WHERE key = 'hostname'");
	f->kernel = query_text(db, "SELECT value FROM header WHERE key = 'kernel'");
	f->tz = query_text(db, "SELECT substr(content, 6, instr(content, char(10)) - 6) FROM host_file "
			   "WHERE path = 'memsnap:timezone' AND content LIKE 'zone %' ORDER BY sample LIMIT 1");
	f->samples = query_int(db, "SELECT count(*) FROM sample");
	f->processes = query_int(db, "SELECT count(*) FROM process");
	f->nodes = query_int(db, "SELECT count(DISTINCT node) FROM node_meminfo");
	f->cpus = query_int(db, "SELECT CAST(substr(content, instr(content, 'cpus_online ') + 12) AS INTEGER) "
			    "FROM host_file WHERE path = 'memsnap:system' ORDER BY sample LIMIT 1");
	f->load_errors = query_int(db, "SELECT count(*) FROM load_error");
	if (gather_recording(db, f, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT min(t), max(t) FROM sample", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			f->t_first = sqlite3_column_double(st, 0);
			f->t_last = sqlite3_column_double(st, 1);
		}
		sqlite3_finalize(st);
	}
	/* what was not read, by errno and file kind (skip: reasons are by design) */
	if (sqlite3_prepare_v2(db, "SELECT status, replace(path, rtrim(path, replace(path, '/', '')), '') AS kind, "
			       "count(*), count(DISTINCT sample) FROM read_gap GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	struct ms_buf b;
	if (ms_buf_init(&b, 96) < 0) {
		sqlite3_finalize(st);
		return ms_err_set(err, ENOMEM, "out of memory");
	}
	int rc = 0;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		ms_buf_reset(&b);
		char **ng = realloc(f->gaps, (f->ngaps + 1) * sizeof(*ng));
		if (!ng || ms_buf_addf(&b, "%s %s: %lld reads in %lld samples",
				       (const char *)sqlite3_column_text(st, 0),
				       (const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2),
				       sqlite3_column_int64(st, 3)) < 0) {
			if (ng)
				f->gaps = ng;
			rc = ms_err_set(err, ENOMEM, "out of memory");
			break;
		}
		f->gaps = ng;
		f->gaps[f->ngaps] = strdup(b.data);
		if (!f->gaps[f->ngaps++])
			rc = ms_err_set(err, ENOMEM, "out of memory");
	}
	ms_buf_release(&b);
	sqlite3_finalize(st);
	return rc;
}

int analysis_run(sqlite3 *db, struct rule_sandbox *sb, const struct rule_set *set,
		 double timeout_s, struct analysis *a, struct ms_err *err)
{
	memset(a, 0, sizeof(*a));
	if (gather_facts(db, &a->facts, err) < 0)
		return -1;
	a->outcomes = calloc(set->n ? set->n : 1, sizeof(*a->outcomes));
	if (!a->outcomes)
		return ms_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < set->n; i++) {
		const struct rule_entry *e = &set->e[i];
		if (!e->selected)
			continue;
		struct rule_outcome *o = &a->outcomes[a->noutcomes++];
		o->entry = e;
		if (e->error) {
			o->error = strdup(e->error);
			a->failed++;
			if (!o->error)
				return ms_err_set(err, ENOMEM, "out of memory");
			continue;
		}
		size_t before = a->findings.n;
		struct ms_err rerr = MS_ERR_INIT;
		double t0 = now_s();
		if (rule_run(db, sb, &e->rule, timeout_s, &a->findings, &rerr) < 0) {
			if (rerr.code == ENOMEM) {
				ms_err_set(err, ENOMEM, "%s", ms_err_msg(&rerr));
				ms_err_release(&rerr);
				return -1;
			}
			o->error = strdup(ms_err_msg(&rerr));
			a->failed++;
		}
		ms_err_release(&rerr);
		o->seconds = now_s() - t0;
		o->findings = a->findings.n - before;
	}
	finding_list_sort(&a->findings);
	return container_evidence(db, &a->findings, err);
}

void analysis_release(struct analysis *a)
{
	finding_list_release(&a->findings);
	for (size_t i = 0; i < a->noutcomes; i++)
		free(a->outcomes[i].error);
	free(a->outcomes);
	struct bundle_facts *f = &a->facts;
	free(f->path);
	free(f->hash);
	free(f->host);
	free(f->kernel);
	free(f->tz);
	free(f->damage);
	free(f->end_reason);
	for (size_t i = 0; i < f->ngaps; i++)
		free(f->gaps[i]);
	free(f->gaps);
	for (size_t i = 0; i < f->ntriggers; i++) {
		free(f->triggers[i].kind);
		free(f->triggers[i].cgroup);
		free(f->triggers[i].detail);
	}
	free(f->triggers);
	free(f->incident_trigger);
	memset(a, 0, sizeof(*a));
}
