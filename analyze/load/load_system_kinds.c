/*
 * load_system_kinds.c - PSI, buddyinfo, swaps, zoneinfo and cgroup files
 * into their tables, each through its one parser.
 */
#include <errno.h>
#include <string.h>

#include "buddyinfo.h"
#include "cgroup_value.h"
#include "load_system_kinds.h"
#include "pressure.h"
#include "swaps.h"
#include "zoneinfo.h"

struct sys_ctx {
	struct load_state *ls;
	const char *scope;
	struct ms_err *fatal;   /* insert failures, kept apart from bad text */
	int failed;
};

static int insert(struct sys_ctx *c, enum stmt_id id, struct ms_err *err)
{
	if (load_step(c->ls, id, c->fatal) == 0)
		return 0;
	c->failed = 1;
	return ms_err_set(err, EIO, "insert failed");
}

static int after_parse(struct sys_ctx *c, int rc, const char *member, const struct ms_record *r,
		       struct ms_err *perr)
{
	if (rc == 0)
		return 0;
	if (c->failed) {
		ms_err_release(perr);
		return -1;
	}
	rc = load_error(c->ls, member, r, ms_err_msg(perr), c->fatal);
	ms_err_release(perr);
	return rc;
}

static int on_psi(void *ctx, const struct pressure_row *row, struct ms_err *err)
{
	struct sys_ctx *c = ctx;
	sqlite3_stmt *s = c->ls->st[ST_PSI];
	const char *kind = row->kind == PRESSURE_FULL ? "full" : "some";
	bind_i64(s, 1, c->ls->sample);
	bind_text(s, 2, c->scope, strlen(c->scope));
	bind_text(s, 3, kind, 4);
	bind_double(s, 4, row->avg10);
	bind_double(s, 5, row->avg60);
	bind_double(s, 6, row->avg300);
	bind_i64(s, 7, row->total_us > INT64_MAX ? INT64_MAX : (int64_t)row->total_us);
	return insert(c, ST_PSI, err);
}

int load_psi(struct load_state *ls, const char *member, const struct ms_record *r,
	     const char *scope, struct ms_err *err)
{
	struct sys_ctx c = { ls, scope, err, 0 };
	struct ms_err perr = MS_ERR_INIT;
	return after_parse(&c, pressure_parse(r->data, r->len, on_psi, &c, &perr), member, r, &perr);
}

static int on_buddy(void *ctx, const struct buddyinfo_row *row, struct ms_err *err)
{
	struct sys_ctx *c = ctx;
	sqlite3_stmt *s = c->ls->st[ST_BUDDY];
	bind_i64(s, 1, c->ls->sample);
	bind_i64(s, 2, row->node);
	bind_text(s, 3, row->zone, strlen(row->zone));
	bind_i64(s, 4, row->order);
	bind_i64(s, 5, row->free_blocks > INT64_MAX ? INT64_MAX : (int64_t)row->free_blocks);
	return insert(c, ST_BUDDY, err);
}

int load_buddyinfo(struct load_state *ls, const char *member, const struct ms_record *r,
		   struct ms_err *err)
{
	struct sys_ctx c = { ls, NULL, err, 0 };
	struct ms_err perr = MS_ERR_INIT;
	return after_parse(&c, buddyinfo_parse(r->data, r->len, on_buddy, &c, &perr), member, r,
			   &perr);
}

static int on_swap(void *ctx, const struct swaps_row *row, struct ms_err *err)
{
	struct sys_ctx *c = ctx;
	sqlite3_stmt *s = c->ls->st[ST_SWAPS];
	bind_i64(s, 1, c->ls->sample);
	bind_text(s, 2, row->filename, strlen(row->filename));
	bind_text(s, 3, row->type, strlen(row->type));
	bind_i64(s, 4, (int64_t)row->size_bytes);
	bind_i64(s, 5, (int64_t)row->used_bytes);
	bind_i64(s, 6, row->priority);
	return insert(c, ST_SWAPS, err);
}

int load_swaps(struct load_state *ls, const char *member, const struct ms_record *r,
	       struct ms_err *err)
{
	struct sys_ctx c = { ls, NULL, err, 0 };
	struct ms_err perr = MS_ERR_INIT;
	return after_parse(&c, swaps_parse(r->data, r->len, on_swap, &c, &perr), member, r, &perr);
}

static int on_zone(void *ctx, const struct zoneinfo_row *row, struct ms_err *err)
{
	struct sys_ctx *c = ctx;
	sqlite3_stmt *s = c->ls->st[ST_ZONE];
	bind_i64(s, 1, c->ls->sample);
	bind_i64(s, 2, row->node);
	bind_text(s, 3, row->zone, strlen(row->zone));
	bind_text(s, 4, row->key, strlen(row->key));
	bind_i64(s, 5, row->value > INT64_MAX ? INT64_MAX : (int64_t)row->value);
	return insert(c, ST_ZONE, err);
}

int load_zoneinfo(struct load_state *ls, const char *member, const struct ms_record *r,
		  struct ms_err *err)
{
	struct sys_ctx c = { ls, NULL, err, 0 };
	struct ms_err perr = MS_ERR_INIT;
	return after_parse(&c, zoneinfo_parse(r->data, r->len, on_zone, &c, &perr), member, r,
			   &perr);
}

/* key/value cgroup files; the rest hold one number or "max" */
static const char *const kv_files[] = {
	"memory.stat", "memory.events", "memory.oom_control", "memory.swap.events",
};

int load_cgroup_file(struct load_state *ls, const char *member, const struct ms_record *r,
		     int64_t cgroup, const char *file, struct ms_err *err)
{
	for (size_t i = 0; i < sizeof(kv_files) / sizeof(*kv_files); i++)
		if (!strcmp(file, kv_files[i]))
			return load_cgroup_kv(ls, member, r, cgroup, file, err);
	if (!strcmp(file, "memory.pressure")) {
		/* the cgroup's path is its scope */
		sqlite3_stmt *q;
		int rc = -1;
		if (sqlite3_prepare_v2(ls->db, "SELECT rel FROM cgroup WHERE id = ?", -1, &q, NULL) !=
		    SQLITE_OK)
			return ms_err_set(err, EIO, "%s", sqlite3_errmsg(ls->db));
		sqlite3_bind_int64(q, 1, cgroup);
		if (sqlite3_step(q) == SQLITE_ROW)
			rc = load_psi(ls, member, r, (const char *)sqlite3_column_text(q, 0), err);
		else
			rc = ms_err_set(err, EIO, "cgroup %lld vanished", (long long)cgroup);
		sqlite3_finalize(q);
		return rc;
	}
	if (!strcmp(file, "memory.numa_stat"))
		return 0; /* per-node lines "anon N0=.. N1=..": kept raw, not loaded yet */
	struct cgroup_value v;
	struct ms_err perr = MS_ERR_INIT;
	if (cgroup_value_parse(r->data, r->len, &v, &perr) < 0) {
		int rc = load_error(ls, member, r, ms_err_msg(&perr), err);
		ms_err_release(&perr);
		return rc;
	}
	sqlite3_stmt *s = ls->st[ST_CGROUP_VALUE];
	bind_i64(s, 1, ls->sample);
	bind_i64(s, 2, cgroup);
	bind_text(s, 3, file, strlen(file));
	if (v.unlimited)
		sqlite3_bind_null(s, 4);
	else
		bind_i64(s, 4, v.value);
	bind_i64(s, 5, v.unlimited);
	return load_step(ls, ST_CGROUP_VALUE, err);
}
