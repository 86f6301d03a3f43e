/*
 * finding_subject.c - what a finding is about, looked up from the entity
 * columns its rule returned (see finding.h, docs/rules.md "Entity
 * columns"): the process (PID, start time, comm, memory cgroup), the
 * cgroup's path, the node and zone, the mapping's range.  Rules return the
 * identifiers they know and the engine says them the same way for every
 * rule.
 */
#include "finding.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms_buf.h"
#include "text_clean.h"

const char *const finding_entity_columns[] = {
	"process_id", "cgroup_id", "node", "zone", "mapping_start", "mapping_end", NULL,
};

/* SQL with ?1 = ID, its first row's column 0 as text into *OUT (NULL when
 * there is no row or it is NULL), its column 1.. as numbers into NUMS.
 * 1 when there was a row, 0 when not, -1 on an error (ERR). */
static int row(sqlite3 *db, const char *sql, int64_t id, char **out, double *nums, int nnums,
	       struct ms_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return ms_err_set(err, EIO, "looking up a finding's entity: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW;
	if (found) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		*out = t ? strdup((const char *)t) : NULL;
		for (int i = 0; i < nnums; i++)
			nums[i] = sqlite3_column_type(st, i + 1) == SQLITE_NULL
				  ? -1 : sqlite3_column_double(st, i + 1);
		text_clean(*out, 0);
		if (t && !*out)
			found = ms_err_set(err, ENOMEM, "out of memory");
	} else if (rc != SQLITE_DONE) {
		found = ms_err_set(err, EIO, "looking up a finding's entity: %s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	return found;
}

/* The process PROCESS_ID: pid, start ticks, comm, its start on the wall
 * clock (the sample's time less the time since boot, plus the start ticks),
 * and its memory cgroup (cgroup v1's memory hierarchy, else v2's). */
static int process(sqlite3 *db, struct finding_subject *sj, struct ms_err *err)
{
	double n[3];
	int r = row(db, "SELECT p.comm, p.pid, p.starttime, s.t - coalesce(s.boot, u.up_s)"
		    " + 1.0 * p.starttime / (SELECT clk_tck FROM host_last)"
		    " FROM process p JOIN sample s ON s.id = p.first_sample"
		    " LEFT JOIN uptime u ON u.sample = s.id WHERE p.id = ?1", sj->process_id,
		    &sj->comm, n, 3, err);
	if (r <= 0)
		return r;
	sj->pid = (int64_t)n[0];
	sj->start_ticks = (int64_t)n[1];
	sj->has_start_time = n[2] >= 0;
	sj->start_time = n[2];
	return row(db, "SELECT path FROM proc_cgroup WHERE process_id = ?1 AND (hierarchy = 0"
		   " OR ',' || controllers || ',' LIKE '%,memory,%')"
		   " ORDER BY hierarchy > 0 DESC, last_sample DESC LIMIT 1", sj->process_id,
		   &sj->cgroup, NULL, 0, err) < 0 ? -1 : 1;
}

/* "PID (comm)", the cgroup's path, "node N [zone Z]": what the reports show. */
static char *entity_text(const struct finding_subject *sj)
{
	struct ms_buf b;
	if (ms_buf_init(&b, 64) < 0)
		return NULL;
	int rc = 0;
	if (sj->has_process) {
		rc = ms_buf_addf(&b, "%" PRId64 " (%s)", sj->pid, sj->comm ? sj->comm : "?");
		if (rc == 0 && sj->has_mapping)
			rc = ms_buf_addf(&b, " %012" PRIx64 "-%012" PRIx64, sj->mapping_start,
					 sj->mapping_end);
	} else if (sj->has_cgroup) {
		rc = ms_buf_addstr(&b, sj->cgroup ? sj->cgroup : "?");
	} else {
		rc = ms_buf_addf(&b, "node %" PRId64, sj->node);
		if (rc == 0 && sj->zone)
			rc = ms_buf_addf(&b, " zone %s", sj->zone);
	}
	if (rc < 0) {
		ms_buf_release(&b);
		return NULL;
	}
	return b.data;
}

int finding_resolve(sqlite3 *db, struct finding *f, struct ms_err *err)
{
	struct finding_subject *sj = &f->subject;
	const char *missing = NULL;
	int r = 1;
	if (sj->has_process && (r = process(db, sj, err)) == 0)
		missing = "process_id";
	if (r > 0 && sj->has_cgroup) {  /* the rule's cgroup, rather than the process's */
		free(sj->cgroup);
		sj->cgroup = NULL;
		if ((r = row(db, "SELECT rel FROM cgroup WHERE id = ?1", sj->cgroup_id, &sj->cgroup,
			     NULL, 0, err)) == 0)
			missing = "cgroup_id";
	}
	if (r < 0)
		return -1;
	if (missing)
		return ms_err_set(err, EINVAL, "%s:%d: a finding's %s %" PRId64 " is not in the database",
				  f->rule->origin, f->rule->sql_line, missing,
				  !strcmp(missing, "cgroup_id") ? sj->cgroup_id : sj->process_id);
	if (!f->entity && !(f->entity = entity_text(sj)))
		return ms_err_set(err, ENOMEM, "out of memory");
	return 0;
}
