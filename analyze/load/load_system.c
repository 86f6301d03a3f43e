/*
 * load_system.c - the LOAD functions of the system-wide and per-node
 * kinds (and of PSI, whose cgroup file has the system file's format):
 * each parses its record with its kind's parser and inserts the rows
 * into its kind's table (load_kinds.c).
 *
 * Key/value files go to long tables (sample, [node,] key, value) through
 * the one kv tokenizer, so that every field of every kernel survives.
 */
#include <errno.h>
#include <string.h>

#include "buddyinfo.h"
#include "kv.h"
#include "load_state.h"
#include "loadavg.h"
#include "pressure.h"
#include "swaps.h"
#include "uptime.h"
#include "zoneinfo.h"

static int kv_insert(void *ctx, const struct kv *kv, struct ms_err *err)
{
	struct load_sink *c = ctx;
	const struct load_rec *rec = c->rec;
	sqlite3_stmt *s = rec->st;
	int i = 1, key;
	bind_i64(s, i++, c->ls->sample);
	if (rec->kind->where == LOAD_NODE)
		bind_i64(s, i++, rec->node);
	bind_text_static(s, key = i++, kv->key, kv->key_len);
	if (!kv->big) {
		bind_i64(s, i, kv->value);
	} else {
		const struct load_at at = { kv->line, rec->kind->table, "value", kv->key,
					    (int)kv->key_len };
		if (sink_u64(c, s, i, kv->big, &at, err) < 0)
			return -1;
	}
	int rc = load_sink_run(c, s, err);
	bind_null(s, key); /* the key was not copied: it lives in the record */
	return rc;
}

int load_kv(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct load_sink c;
	struct ms_err perr = MS_ERR_INIT;
	load_sink_init(&c, ls, rec, err);
	int flags = rec->kind->flags & LK_NODE_LINES ? KV_SKIP_PREFIX_NODE : 0;
	return load_sink_end(&c, kv_parse(rec->r->data, rec->r->len, flags, rec->kind->name,
					  kv_insert, &c, &c.rep, &perr), &perr);
}

static int on_psi(void *ctx, const struct pressure_row *row, struct ms_err *err)
{
	struct load_sink *c = ctx;
	sqlite3_stmt *s = c->ls->st[ST_PSI];
	const char *kind = row->kind == PRESSURE_FULL ? "full" : "some";
	const struct load_at at = { row->line, "psi", "total", kind, -1 };
	bind_i64(s, 1, c->ls->sample);
	bind_text(s, 2, c->rec->scope, c->rec->scope_len);
	bind_text(s, 3, kind, 4);
	bind_double(s, 4, row->avg10);
	bind_double(s, 5, row->avg60);
	bind_double(s, 6, row->avg300);
	if (sink_u64(c, s, 7, row->total_us, &at, err) < 0)
		return -1;
	return load_sink_run(c, s, err);
}

/* /proc/pressure/memory (scope "system") and a cgroup's memory.pressure
 * (scope: the cgroup's path below its mount) */
int load_psi(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct load_sink c;
	struct ms_err perr = MS_ERR_INIT;
	load_sink_init(&c, ls, rec, err);
	return load_sink_end(&c, pressure_parse(rec->r->data, rec->r->len, on_psi, &c, &c.rep,
						&perr), &perr);
}

static int on_buddy(void *ctx, const struct buddyinfo_row *row, struct ms_err *err)
{
	struct load_sink *c = ctx;
	sqlite3_stmt *s = c->rec->st;
	const struct load_at at = { row->line, "buddyinfo", "free", row->zone, -1 };
	bind_i64(s, 1, c->ls->sample);
	bind_i64(s, 2, row->node);
	bind_text(s, 3, row->zone, strlen(row->zone));
	bind_i64(s, 4, row->order);
	if (sink_u64(c, s, 5, row->free_blocks, &at, err) < 0)
		return -1;
	return load_sink_run(c, s, err);
}

int load_buddyinfo(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct load_sink c;
	struct ms_err perr = MS_ERR_INIT;
	load_sink_init(&c, ls, rec, err);
	return load_sink_end(&c, buddyinfo_parse(rec->r->data, rec->r->len, on_buddy, &c, &c.rep,
						 &perr), &perr);
}

static int on_swap(void *ctx, const struct swaps_row *row, struct ms_err *err)
{
	struct load_sink *c = ctx;
	sqlite3_stmt *s = c->rec->st;
	const struct load_at size = { row->line, "swaps", "size", row->filename, -1 };
	const struct load_at used = { row->line, "swaps", "used", row->filename, -1 };
	bind_i64(s, 1, c->ls->sample);
	bind_text(s, 2, row->filename, strlen(row->filename));
	bind_text(s, 3, row->type, strlen(row->type));
	if (sink_u64(c, s, 4, row->size_bytes, &size, err) < 0 ||
	    sink_u64(c, s, 5, row->used_bytes, &used, err) < 0)
		return -1;
	bind_i64(s, 6, row->priority);
	return load_sink_run(c, s, err);
}

int load_swaps(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct load_sink c;
	struct ms_err perr = MS_ERR_INIT;
	load_sink_init(&c, ls, rec, err);
	return load_sink_end(&c, swaps_parse(rec->r->data, rec->r->len, on_swap, &c, &c.rep,
					     &perr), &perr);
}

static int on_zone(void *ctx, const struct zoneinfo_row *row, struct ms_err *err)
{
	struct load_sink *c = ctx;
	sqlite3_stmt *s = c->rec->st;
	const struct load_at at = { row->line, "zoneinfo", "value", row->key, -1 };
	bind_i64(s, 1, c->ls->sample);
	bind_i64(s, 2, row->node);
	bind_text(s, 3, row->zone, strlen(row->zone));
	bind_text(s, 4, row->key, strlen(row->key));
	if (sink_u64(c, s, 5, row->value, &at, err) < 0)
		return -1;
	return load_sink_run(c, s, err);
}

int load_zoneinfo(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct load_sink c;
	struct ms_err perr = MS_ERR_INIT;
	load_sink_init(&c, ls, rec, err);
	return load_sink_end(&c, zoneinfo_parse(rec->r->data, rec->r->len, on_zone, &c, &c.rep,
						&perr), &perr);
}

int load_uptime(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct uptime u;
	struct ms_err perr = MS_ERR_INIT;
	if (uptime_parse(rec->r->data, rec->r->len, &u, &perr) < 0)
		return load_parse_error(ls, rec, &perr, err);
	sqlite3_stmt *s = rec->st;
	bind_i64(s, 1, ls->sample);
	bind_double(s, 2, u.up_s);
	bind_double(s, 3, u.idle_s);
	return load_run(ls, s, err);
}

int load_loadavg(struct load_state *ls, const struct load_rec *rec, struct ms_err *err)
{
	struct loadavg a;
	struct ms_err perr = MS_ERR_INIT;
	if (loadavg_parse(rec->r->data, rec->r->len, &a, &perr) < 0)
		return load_parse_error(ls, rec, &perr, err);
	struct load_sink c;
	load_sink_init(&c, ls, rec, err);
	const struct load_at runnable = { 1, "loadavg", "runnable", NULL, 0 };
	const struct load_at threads = { 1, "loadavg", "threads", NULL, 0 };
	sqlite3_stmt *s = rec->st;
	bind_i64(s, 1, ls->sample);
	bind_double(s, 2, a.load1);
	bind_double(s, 3, a.load5);
	bind_double(s, 4, a.load15);
	if (sink_u64(&c, s, 5, a.runnable, &runnable, &perr) < 0 ||
	    sink_u64(&c, s, 6, a.threads, &threads, &perr) < 0)
		return load_sink_end(&c, -1, &perr);
	bind_i64(s, 7, a.last_pid);
	return load_run(ls, s, err);
}
