/*
 * load_system.c - system-wide, per-node and memory cgroup records.
 *
 * Key/value files go to long tables through the one kv tokenizer; cgroup
 * files are recognised by the mounts the header names, and each cgroup
 * directory gets an id on first sight.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "load_state.h"
#include "load_system_kinds.h"
#include "ms_hash.h"
#include "parse_num.h"

struct kv_ctx {
	struct load_state *ls;
	struct ms_err *fatal;  /* insert failures, kept apart from bad text */
	int failed;
	enum stmt_id st;
	int64_t node;          /* -1: not a per-node table */
	int64_t cgroup_id;     /* ST_CGROUP_VALUE */
	const char *prefix;    /* cgroup: "memory.stat" */
};

static int kv_insert(void *ctx, const struct kv *kv, struct ms_err *err)
{
	struct kv_ctx *c = ctx;
	sqlite3_stmt *s = c->ls->st[c->st];
	int i = 1, key;
	bind_i64(s, i++, c->ls->sample);
	if (c->st == ST_CGROUP_VALUE) {
		bind_i64(s, i++, c->cgroup_id);
		struct ms_buf *t = &c->ls->tmp;
		ms_buf_reset(t);
		if (ms_buf_addstr(t, c->prefix) < 0 || ms_buf_add(t, ":", 1) < 0 ||
		    ms_buf_add(t, kv->key, kv->key_len) < 0)
			return ms_err_set(err, ENOMEM, "out of memory");
		bind_text_static(s, key = i++, t->data, t->len);
		bind_i64(s, i++, kv->value);
		bind_i64(s, i++, 0);
	} else {
		if (c->node >= 0)
			bind_i64(s, i++, c->node);
		bind_text_static(s, key = i++, kv->key, kv->key_len);
		bind_i64(s, i++, kv->value);
	}
	int rc = load_step(c->ls, c->st, c->fatal);
	bind_null(s, key); /* the key was not copied: it lives in the record or ls->tmp */
	if (rc == 0)
		return 0;
	c->failed = 1;
	return ms_err_set(err, EIO, "insert failed");
}

static int load_kv(struct load_state *ls, const char *member, const struct ms_record *r,
		   struct kv_ctx *c, int flags, const char *what, struct ms_err *err)
{
	struct ms_err perr = MS_ERR_INIT;
	c->fatal = err;
	int rc = kv_parse(r->data, r->len, flags, what, kv_insert, c, &perr);
	if (rc < 0 && !c->failed)
		rc = load_error(ls, member, r, ms_err_msg(&perr), err);
	ms_err_release(&perr);
	return rc;
}

/* nodeN/ -> N */
static int64_t node_of(const char *p)
{
	const char *q = strstr(p, "/node/node");
	if (!q)
		return -1;
	q += 10;
	uint64_t n;
	const char *e = q + strlen(q);
	if (ms_scan_u64(&q, e, &n) < 0 || *q != '/')
		return -1;
	return (int64_t)n;
}

/* double the cgroup table (load_state.h): -1 on ENOMEM */
static int cgroup_grow(struct load_state *ls)
{
	size_t nc = ls->cg_cap ? ls->cg_cap * 2 : 64;
	char **p = calloc(nc, sizeof(*p));
	int64_t *q = calloc(nc, sizeof(*q));
	if (!p || !q) {
		free(p);
		free(q);
		return -1;
	}
	for (size_t i = 0; i < ls->cg_cap; i++) {
		if (!ls->cg_paths[i])
			continue;
		size_t j = ms_hash_bytes(ls->cg_paths[i], strlen(ls->cg_paths[i]), ls->hash_seed) & (nc - 1);
		while (p[j])
			j = (j + 1) & (nc - 1);
		p[j] = ls->cg_paths[i];
		q[j] = ls->cg_ids[i];
	}
	free(ls->cg_paths);
	free(ls->cg_ids);
	ls->cg_paths = p;
	ls->cg_ids = q;
	ls->cg_cap = nc;
	return 0;
}

/* The id of cgroup directory DIR (N bytes), inserting it when new.  A hash
 * table: a bundle may name millions of cgroups. */
static int64_t cgroup_id(struct load_state *ls, const char *dir, size_t n, int version,
			 const char *mount, struct ms_err *err)
{
	if ((ls->cg_n + 1) * 2 > ls->cg_cap && cgroup_grow(ls) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	size_t j = ms_hash_bytes(dir, n, ls->hash_seed) & (ls->cg_cap - 1);
	for (; ls->cg_paths[j]; j = (j + 1) & (ls->cg_cap - 1))
		if (strlen(ls->cg_paths[j]) == n && !memcmp(ls->cg_paths[j], dir, n))
			return ls->cg_ids[j];
	char *copy = strndup(dir, n);
	if (!copy)
		return ms_err_set(err, ENOMEM, "out of memory");
	size_t ml = strlen(mount);
	const char *rel = n > ml ? dir + ml : "/";
	size_t rl = n > ml ? n - ml : 1;
	sqlite3_stmt *s = ls->st[ST_CGROUP];
	bind_text(s, 1, dir, n);
	bind_i64(s, 2, version);
	bind_text(s, 3, rel, rl);
	if (load_step(ls, ST_CGROUP, err) < 0) {
		free(copy);
		return -1;
	}
	ls->cg_paths[j] = copy;
	ls->cg_ids[j] = sqlite3_last_insert_rowid(ls->db);
	ls->cg_n++;
	return ls->cg_ids[j];
}

static int load_cgroup(struct load_state *ls, const char *member, const struct ms_record *r,
		       const char *path, struct ms_err *err)
{
	const char *mounts[2] = { ls->cg_v1, ls->cg_v2 };
	for (int v = 0; v < 2; v++) {
		const char *m = mounts[v];
		size_t ml = m ? strlen(m) : 0;
		if (!ml || strncmp(path, m, ml) || (path[ml] != '/' && path[ml]))
			continue;
		const char *file = strrchr(path, '/');
		if (!file || file < path + ml)
			return 0;
		int64_t id = cgroup_id(ls, path, (size_t)(file - path), v + 1, m, err);
		if (id < 0)
			return -1;
		file++;
		return load_cgroup_file(ls, member, r, id, file, err);
	}
	return 0; /* not a cgroup path we know: nothing to load */
}

int load_cgroup_kv(struct load_state *ls, const char *member, const struct ms_record *r,
		   int64_t cgroup, const char *file, struct ms_err *err)
{
	struct kv_ctx c = { ls, NULL, 0, ST_CGROUP_VALUE, -1, cgroup, file };
	return load_kv(ls, member, r, &c, 0, file, err);
}

int load_system_record(struct load_state *ls, const char *member, const struct ms_record *r,
		       const char *path, struct ms_err *err)
{
	struct kv_ctx c = { ls, NULL, 0, ST_MEMINFO, -1, 0, NULL };
	if (!strcmp(path, "/proc/meminfo"))
		return load_kv(ls, member, r, &c, 0, "meminfo", err);
	if (!strcmp(path, "/proc/vmstat")) {
		c.st = ST_VMSTAT;
		return load_kv(ls, member, r, &c, 0, "vmstat", err);
	}
	if (!strncmp(path, "/sys/devices/system/node/node", 29)) {
		c.node = node_of(path);
		if (c.node < 0)
			return 0;
		size_t n = strlen(path);
		if (n > 8 && !strcmp(path + n - 8, "/meminfo")) {
			c.st = ST_NODE_MEMINFO;
			return load_kv(ls, member, r, &c, KV_SKIP_PREFIX_NODE, "node meminfo", err);
		}
		if (n > 9 && !strcmp(path + n - 9, "/numastat")) {
			c.st = ST_NUMASTAT;
			return load_kv(ls, member, r, &c, 0, "numastat", err);
		}
		return 0;
	}
	if (!strcmp(path, "/proc/pressure/memory"))
		return load_psi(ls, member, r, "system", err);
	if (!strcmp(path, "/proc/buddyinfo"))
		return load_buddyinfo(ls, member, r, err);
	if (!strcmp(path, "/proc/swaps"))
		return load_swaps(ls, member, r, err);
	if (!strcmp(path, "/proc/zoneinfo"))
		return load_zoneinfo(ls, member, r, err);
	return load_cgroup(ls, member, r, path, err);
}
