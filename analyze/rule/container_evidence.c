/*
 * container_evidence.c - pods and containers as evidence (see
 * container_evidence.h).
 */
#include "container_evidence.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[4] = { "container_runtime", "pod_uid", "pod_qos", "container_id" };

static int add_text(struct finding *f, const char *name, const char *text)
{
	struct evidence *ev = realloc(f->ev, (f->nev + 1) * sizeof(*ev));
	if (!ev)
		return -1;
	f->ev = ev;
	struct evidence *e = &ev[f->nev];
	memset(e, 0, sizeof(*e));
	e->name = strdup(name);
	e->text = strdup(text);
	e->type = EV_TEXT;
	f->nev++;
	return e->name && e->text ? 0 : -1;
}

/* The entity's row of cgroup_container: a cgroup by its path; a process
 * or a mapping ("PID (comm) ...") by its PID, the latest process of it */
static int lookup(sqlite3_stmt *by_cg, sqlite3_stmt *by_pid, const struct finding *f,
		  sqlite3_stmt **row)
{
	*row = NULL;
	if (!strcmp(f->entity_kind, "cgroup")) {
		sqlite3_reset(by_cg);
		sqlite3_bind_text(by_cg, 1, f->entity, -1, SQLITE_STATIC);
		*row = by_cg;
	} else if (!strcmp(f->entity_kind, "process") || !strcmp(f->entity_kind, "mapping")) {
		char *end;
		long long pid = strtoll(f->entity, &end, 10);
		if (end == f->entity || pid <= 0)
			return 0;
		sqlite3_reset(by_pid);
		sqlite3_bind_int64(by_pid, 1, pid);
		*row = by_pid;
	}
	return *row && sqlite3_step(*row) == SQLITE_ROW;
}

int container_evidence(sqlite3 *db, struct finding_list *l, struct ms_err *err)
{
	sqlite3_stmt *by_cg = NULL, *by_pid = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db, "SELECT runtime, pod_uid, qos, container_id FROM cgroup_container"
			       " WHERE path = ?", -1, &by_cg, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT c.runtime, c.pod_uid, c.qos, c.container_id FROM process p"
			       " JOIN process_container c ON c.process_id = p.id WHERE p.pid = ?"
			       " ORDER BY p.last_sample DESC, c.container_id IS NULL LIMIT 1",
			       -1, &by_pid, NULL) != SQLITE_OK)
		goto out; /* a database without the table: nothing to add */
	for (size_t i = 0; rc == 0 && i < l->n; i++) {
		sqlite3_stmt *row;
		if (!lookup(by_cg, by_pid, &l->f[i], &row))
			continue;
		for (int k = 0; k < 4 && rc == 0; k++) {
			const unsigned char *t = sqlite3_column_text(row, k);
			if (t && add_text(&l->f[i], names[k], (const char *)t) < 0)
				rc = ms_err_set(err, ENOMEM, "out of memory");
		}
	}
out:
	sqlite3_finalize(by_cg);
	sqlite3_finalize(by_pid);
	return rc;
}
