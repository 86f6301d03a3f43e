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
			       "damage, clean_end, end_reason, window_from, window_to, recording_first, "
			       "recording_last FROM load_info", -1, &st, NULL) != SQLITE_OK)
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
		f->windowed = sqlite3_column_type(st, 8) != SQLITE_NULL;
		f->win_from = sqlite3_column_double(st, 8);
		f->win_to = sqlite3_column_double(st, 9);
		f->rec_first = sqlite3_column_double(st, 10);
		f->rec_last = sqlite3_column_double(st, 11);
	}
	sqlite3_finalize(st);
	f->host = query_text(db, "SELECT value FROM header WHERE key = 'hostname'");
	f->kernel = query_text(db, "SELECT value FROM header WHERE key = 'kernel'");
	f->tz = query_text(db, "SELECT zone FROM host ORDER BY sample LIMIT 1");
	f->samples = query_int(db, "SELECT count(*) FROM sample");
	f->rollup_samples = query_int(db, "SELECT count(*) FROM sample WHERE has_rollup");
	f->smaps_samples = query_int(db, "SELECT count(*) FROM sample WHERE has_smaps");
	f->processes = query_int(db, "SELECT count(*) FROM process");
	f->nodes = query_int(db, "SELECT count(DISTINCT node) FROM node_meminfo");
	f->cpus = query_int(db, "SELECT cpus_online FROM host ORDER BY sample LIMIT 1");
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
	/* what was not read, by errno and file kind (skip: reasons are by design),
	 * then what the loader derived because the kernel did not print it */
	if (sqlite3_prepare_v2(db, "SELECT line FROM ("
			       " SELECT 0 AS g, count(*) AS n, status AS a, kind AS b,"
			       "  printf('%s %s: %d reads in %d samples', status, kind, count(*),"
			       "         count(DISTINCT sample)) AS line"
			       " FROM (SELECT status, sample,"
			       "        replace(path, rtrim(path, replace(path, '/', '')), '') AS kind FROM read_gap)"
			       " GROUP BY status, kind"
			       " UNION ALL SELECT 1, 0, what, '', printf('%s, in %d samples', note, samples)"
			       " FROM derived) ORDER BY g, n DESC, a, b",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	int rc = 0;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		char **ng = realloc(f->gaps, (f->ngaps + 1) * sizeof(*ng));
		if (!ng) {
			rc = ms_err_set(err, ENOMEM, "out of memory");
			break;
		}
		f->gaps = ng;
		f->gaps[f->ngaps] = strdup((const char *)sqlite3_column_text(st, 0));
		if (!f->gaps[f->ngaps++])
			rc = ms_err_set(err, ENOMEM, "out of memory");
	}
	sqlite3_finalize(st);
	return rc;
}

/* The first of R's needs: lines the recording F does not meet, said as
 * "needs 5 min, this recording has 20 s"; NULL (and 0) when it meets them
 * all; -1 on ENOMEM. */
static int unmet_need(const struct rule *r, const struct bundle_facts *f, char **why)
{
	*why = NULL;
	for (size_t i = 0; i < r->nneeds; i++) {
		const struct rule_need *n = &r->needs[i];
		double need = rule_need_amount(r, n), have;
		const char *what;
		switch (n->kind) {
		case RULE_NEED_SPAN: have = f->samples ? f->t_last - f->t_first : 0; what = ""; break;
		case RULE_NEED_SAMPLES: have = (double)f->samples; what = "samples"; break;
		case RULE_NEED_INTERVALS:
			have = f->samples > 1 ? (double)f->samples - 1 : 0;
			what = "intervals between samples";
			break;
		case RULE_NEED_ROLLUP:
			have = (double)f->rollup_samples;
			what = "samples with smaps_rollup (collect --rollup-interval)";
			break;
		default:
			have = (double)f->smaps_samples;
			what = "samples with smaps (collect --smaps-interval)";
		}
		if (have >= need)
			continue;
		struct ms_buf b;
		int rc = ms_buf_init(&b, 64) < 0 ? -1 : ms_buf_addstr(&b, "needs ");
		if (rc == 0 && n->kind == RULE_NEED_SPAN)
			rc = rule_unit_say_span(need, &b) < 0 || ms_buf_addstr(&b, ", this recording has ") < 0
			     ? -1 : rule_unit_say_span(have, &b);
		else if (rc == 0)
			rc = ms_buf_addf(&b, "%g %s, this recording has %g", need, what, have);
		if (rc < 0) {
			ms_buf_release(&b);
			return -1;
		}
		*why = b.data;
		return 0;
	}
	return 0;
}

static void tell(const struct analysis_progress *p, size_t done, size_t total)
{
	if (p && p->fn)
		p->fn(p->ctx, done, total);
}

int analysis_run(sqlite3 *db, struct rule_sandbox *sb, const struct rule_set *set,
		 double timeout_s, const struct analysis_progress *progress, struct analysis *a,
		 struct ms_err *err)
{
	memset(a, 0, sizeof(*a));
	a->timeout_s = timeout_s;
	size_t total = 0;
	for (size_t i = 0; i < set->n; i++)
		total += set->e[i].selected != 0;
	if (gather_facts(db, &a->facts, err) < 0)
		return -1;
	a->outcomes = calloc(set->n ? set->n : 1, sizeof(*a->outcomes));
	if (!a->outcomes)
		return ms_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < set->n; i++) {
		const struct rule_entry *e = &set->e[i];
		if (!e->selected)
			continue;
		tell(progress, a->noutcomes, total);
		struct rule_outcome *o = &a->outcomes[a->noutcomes++];
		o->entry = e;
		if (e->error) {
			o->error = strdup(e->error);
			a->failed++;
			if (!o->error)
				return ms_err_set(err, ENOMEM, "out of memory");
			continue;
		}
		if (unmet_need(&e->rule, &a->facts, &o->insufficient) < 0)
			return ms_err_set(err, ENOMEM, "out of memory");
		if (o->insufficient) {
			a->insufficient++;
			continue;
		}
		size_t before = a->findings.n;
		struct ms_err rerr = MS_ERR_INIT;
		double t0 = now_s();
		int rc = rule_run(db, sb, &e->rule, timeout_s, &a->findings, &rerr);
		for (size_t k = before; rc == 0 && k < a->findings.n; k++)
			rc = finding_resolve(db, &a->findings.f[k], &rerr);
		if (rc < 0) {
			finding_list_truncate(&a->findings, before);
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
	tell(progress, a->noutcomes, total);
	finding_list_sort(&a->findings);
	return container_evidence(db, &a->findings, err);
}

/* Does outcome O's rule lie in FOLDER (LEN bytes, without the slash)? */
static int in_folder(const struct rule_outcome *o, const char *folder, size_t len)
{
	const char *id = o->entry->error ? NULL : o->entry->rule.id;
	return id && !strncmp(id, folder, len) && id[len] == '/';
}

int analysis_not_judged(const struct analysis *a, struct ms_buf *b)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < a->noutcomes; i++) {
		const struct rule_outcome *o = &a->outcomes[i];
		int first = !!o->insufficient;
		for (size_t j = 0; first && j < i; j++)
			first = !a->outcomes[j].insufficient || strcmp(a->outcomes[j].insufficient, o->insufficient);
		if (!first)
			continue;  /* this reason is said already */
		/* every rule with this reason; a folder whose selected rules all have
		 * it is said once, as "folder/ *" */
		const char *sep = "";
		for (size_t j = i; rc == 0 && j < a->noutcomes; j++) {
			const struct rule_outcome *x = &a->outcomes[j];
			if (!x->insufficient || strcmp(x->insufficient, o->insufficient))
				continue;
			const char *id = x->entry->rule.id, *slash = strrchr(id, '/');
			size_t flen = slash ? (size_t)(slash - id) : 0;
			int whole = flen > 0, said = 0, members = 0;
			for (size_t k = 0; k < a->noutcomes && whole; k++) {
				const struct rule_outcome *y = &a->outcomes[k];
				if (!in_folder(y, id, flen))
					continue;
				whole = y->insufficient && !strcmp(y->insufficient, o->insufficient);
				said |= k < j;
				members++;
			}
			whole &= members > 1;
			if (whole && said)
				continue;
			rc = whole ? ms_buf_addf(b, "%s%.*s/*", sep, (int)flen, id)
				   : ms_buf_addf(b, "%s%s", sep, id);
			sep = ", ";
		}
		if (rc == 0)
			rc = ms_buf_addf(b, ": %s\n", o->insufficient);
	}
	return rc;
}

void analysis_release(struct analysis *a)
{
	finding_list_release(&a->findings);
	for (size_t i = 0; i < a->noutcomes; i++) {
		free(a->outcomes[i].error);
		free(a->outcomes[i].insufficient);
	}
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
