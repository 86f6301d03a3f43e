/*
 * load_container.c - the cgroup_container table: every distinct cgroup
 * path of the load (memory cgroups and processes' memberships) that names
 * a pod or a container (schema/060-container.sql).
 */
#include "load_container.h"

#include <errno.h>
#include <string.h>

#include "container.h"

static void text_or_null(sqlite3_stmt *s, int i, const char *t)
{
	if (*t)
		sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

int load_containers(sqlite3 *db, struct ms_err *err)
{
	sqlite3_stmt *q = NULL, *ins = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db, "SELECT rel FROM cgroup UNION SELECT path FROM proc_cgroup", -1, &q,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO cgroup_container(path, runtime, pod_uid, qos, "
			       "container_id) VALUES (?,?,?,?,?)", -1, &ins, NULL) != SQLITE_OK) {
		rc = ms_err_set(err, EIO, "%s", sqlite3_errmsg(db));
		goto out;
	}
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(q, 0);
		struct container_id c;
		if (!p || !container_parse(p, (size_t)sqlite3_column_bytes(q, 0), &c))
			continue;
		sqlite3_bind_text(ins, 1, p, sqlite3_column_bytes(q, 0), SQLITE_TRANSIENT);
		text_or_null(ins, 2, c.runtime);
		text_or_null(ins, 3, c.pod_uid);
		text_or_null(ins, 4, c.qos);
		text_or_null(ins, 5, c.container);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			rc = ms_err_set(err, EIO, "%s", sqlite3_errmsg(db));
			goto out;
		}
		sqlite3_reset(ins);
	}
	if (step != SQLITE_DONE)
		rc = ms_err_set(err, EIO, "%s", sqlite3_errmsg(db));
out:
	sqlite3_finalize(q);
	sqlite3_finalize(ins);
	return rc;
}
