/*
 * load_cgroup.c - memory cgroups: the cgroup table (each directory gets an
 * id on first sight) and the LOAD functions of the cgroup kinds.
 *
 * Every number of a cgroup that is the cgroup's own goes to cgroup_value:
 * single-value files under their name, key/value files as "FILE:key", and
 * v1 memory.numa_stat's totals as "memory.numa_stat:key"; the per-node
 * numbers of memory.numa_stat go to cgroup_numa.
 *
 * The cgroups are kept in memory (path, and where its mount ends, which
 * gives its path below the mount: PSI's scope), in an open-addressing hash
 * table: a bundle may name millions of cgroups.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_numa_stat.h"
#include "cgroup_value.h"
#include "kv.h"
#include "load_state.h"
#include "ms_hash.h"

/* double the cgroup table: -1 on ENOMEM */
static int cgroup_grow(struct load_state *ls)
{
	size_t nc = ls->cg_cap ? ls->cg_cap * 2 : 64;
	struct cgroup_slot *t = calloc(nc, sizeof(*t));
	if (!t)
		return -1;
	for (size_t i = 0; i < ls->cg_cap; i++) {
		const struct cgroup_slot *c = &ls->cgs[i];
		if (!c->path)
			continue;
		size_t j = ms_hash_bytes(c->path, c->len, ls->hash_seed) & (nc - 1);
		while (t[j].path)
			j = (j + 1) & (nc - 1);
		t[j] = *c;
	}
	free(ls->cgs);
	ls->cgs = t;
	ls->cg_cap = nc;
	return 0;
}

static void cgroup_rel(const struct cgroup_slot *c, const char **rel, size_t *rel_len)
{
	*rel = c->len > c->mount_len ? c->path + c->mount_len : "/";
	*rel_len = c->len > c->mount_len ? c->len - c->mount_len : 1;
}

int64_t load_cgroup_id(struct load_state *ls, const char *path, size_t dir_len,
		       size_t mount_len, int version, const char **rel, size_t *rel_len,
		       struct ms_err *err)
{
	if ((ls->cg_n + 1) * 2 > ls->cg_cap && cgroup_grow(ls) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	size_t j = ms_hash_bytes(path, dir_len, ls->hash_seed) & (ls->cg_cap - 1);
	for (; ls->cgs[j].path; j = (j + 1) & (ls->cg_cap - 1)) {
		struct cgroup_slot *c = &ls->cgs[j];
		if (c->len == dir_len && !memcmp(c->path, path, dir_len)) {
			cgroup_rel(c, rel, rel_len);
			return c->id;
		}
	}
	struct cgroup_slot c = { strndup(path, dir_len), dir_len, mount_len, 0 };
	if (!c.path)
		return ms_err_set(err, ENOMEM, "out of memory");
	cgroup_rel(&c, rel, rel_len);
	sqlite3_stmt *s = ls->st[ST_CGROUP];
	bind_text(s, 1, path, dir_len);
	bind_i64(s, 2, version);
	bind_text(s, 3, *rel, *rel_len);
	if (load_step(ls, ST_CGROUP, err) < 0) {
		free(c.path);
		return -1;
	}
	c.id = sqlite3_last_insert_rowid(ls->db);
	ls->cgs[j] = c;
	ls->cg_n++;
	cgroup_rel(&ls->cgs[j], rel, rel_len);
	return c.id;
}

void load_cgroup_release(struct load_state *ls)
{
	for (size_t i = 0; i < ls->cg_cap; i++)
		free(ls->cgs[i].path);
	free(ls->cgs);
	ls->cgs = NULL;
	ls->cg_cap = ls->cg_n = 0;
}

/* Insert (sample, cgroup, "FILE:KEY", value) read at LINE into
 * cgroup_value, the value V, or BIG when it is above INT64_MAX (kv.h's
 * pair); the key is built in ls->tmp and not copied. */
static int insert_file_key(struct load_sink *c, const char *key, size_t key_len, int64_t v,
			   uint64_t big, int line, struct ms_err *err)
{
	struct load_state *ls = c->ls;
	sqlite3_stmt *s = ls->st[ST_CGROUP_VALUE];
	struct ms_buf *t = &ls->tmp;
	ms_buf_reset(t);
	if (ms_buf_addstr(t, c->rec->kind->name) < 0 || ms_buf_add(t, ":", 1) < 0 ||
	    ms_buf_add(t, key, key_len) < 0) {
		c->failed = 1; /* fatal, not the text's fault */
		ms_err_set(c->fatal, ENOMEM, "out of memory");
		return ms_err_set(err, ENOMEM, "out of memory");
	}
	if (!big) {
		bind_i64(s, 4, v);
	} else {
		const struct load_at at = { line, "cgroup_value", "value", t->data, (int)t->len };
		if (sink_u64(c, s, 4, big, &at, err) < 0)
			return -1;
	}
	bind_i64(s, 1, ls->sample);
	bind_i64(s, 2, c->rec->cgroup);
	bind_text_static(s, 3, t->data, t->len);
	bind_i64(s, 5, 0);
	int rc = load_sink_run(c, s, err);
	bind_null(s, 3); /* the key lives in ls->tmp */
	return rc;
}

static int kv_insert(void *ctx, const struct kv *kv, struct ms_err *err)
{
	return insert_file_key(ctx, kv->key, kv->key_len, kv->value, kv->big, kv->line, err);
}

/* memory.stat, memory.events, memory.oom_control ...: key/value lines */
int load_cgroup_kv(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct load_sink c;
	struct ms_err perr = MS_ERR_INIT;
	load_sink_init(&c, ls, rec, err);
	return load_sink_end(&c, kv_parse(rec->r->data, rec->r->len, 0, rec->kind->name,
					  kv_insert, &c, &c.rep, &perr), &perr);
}

/* memory.current, memory.max, memory.limit_in_bytes ...: one number or "max" */
int load_cgroup_value(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct cgroup_value v;
	struct ms_err perr = MS_ERR_INIT;
	if (cgroup_value_parse(rec->r->data, rec->r->len, &v, &perr) < 0)
		return load_parse_error(ls, rec, &perr, err);
	const char *file = rec->kind->name;
	sqlite3_stmt *s = ls->st[ST_CGROUP_VALUE];
	struct load_sink c;
	load_sink_init(&c, ls, rec, err);
	const struct load_at at = { 1, "cgroup_value", "value", file, -1 };
	bind_i64(s, 1, ls->sample);
	bind_i64(s, 2, rec->cgroup);
	bind_text(s, 3, file, strlen(file));
	if (v.unlimited)
		bind_null(s, 4);
	else if (!v.big)
		bind_i64(s, 4, v.value);
	else if (sink_u64(&c, s, 4, v.big, &at, &perr) < 0)
		return load_sink_end(&c, -1, &perr);
	bind_i64(s, 5, v.unlimited);
	return load_step(ls, ST_CGROUP_VALUE, err);
}

static int on_numa(void *ctx, const struct cgroup_numa_row *row, struct ms_err *err)
{
	struct load_sink *c = ctx;
	if (row->is_total) {
		uint64_t big = row->value > INT64_MAX ? row->value : 0;
		return insert_file_key(c, row->key, row->key_len, big ? 0 : (int64_t)row->value, big,
				       row->line, err);
	}
	sqlite3_stmt *s = c->rec->st;
	const struct load_at at = { row->line, "cgroup_numa", "value", row->key,
				    (int)row->key_len };
	bind_i64(s, 1, c->ls->sample);
	bind_i64(s, 2, c->rec->cgroup);
	bind_text_static(s, 3, row->key, row->key_len);
	bind_i64(s, 4, row->node);
	if (sink_u64(c, s, 5, row->value, &at, err) < 0)
		return -1;
	int rc = load_sink_run(c, s, err);
	bind_null(s, 3); /* the key lives in the record */
	return rc;
}

/* memory.numa_stat: per node into cgroup_numa, v1's totals into cgroup_value */
int load_cgroup_numa(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct load_sink c;
	struct ms_err perr = MS_ERR_INIT;
	load_sink_init(&c, ls, rec, err);
	return load_sink_end(&c, cgroup_numa_stat_parse(rec->r->data, rec->r->len, on_numa, &c,
							&c.rep, &perr), &perr);
}
