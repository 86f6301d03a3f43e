/*
 * load_stmt.c - the loader's prepared statements, one per insert kind,
 * prepared once per load and reused for every row.
 *
 * Invariant: a statement's bindings survive its reset (load_step() does
 * not clear them, which would free and reallocate every text value), so
 * every caller binds every parameter of the statement it steps.
 *
 * These are the statements of the tables several kinds write (psi,
 * cgroup_value, the process tables) and of the loader's own; a table only
 * one kind writes has its statement in the kinds table (load_kinds.c).
 * Each names its table and how that table's rows belong to samples, which
 * is what the cleanup of incomplete samples deletes (load_drop.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_state.h"

static const struct {
	const char *table;
	enum rows_of rows;
	const char *sql;
} stmts[ST_COUNT] = {
	[ST_HEADER] = { "header", ROWS_NONE,
		"INSERT OR REPLACE INTO header(key, value) VALUES (?, ?)" },
	[ST_HOST_FILE] = { "host_file", ROWS_SAMPLE,
		"INSERT OR REPLACE INTO host_file(sample, path, status, content) VALUES (?, ?, ?, ?)" },
	/* the sample's row comes with its meta: only complete samples have one */
	[ST_SAMPLE] = { "sample", ROWS_NONE,
		"INSERT OR REPLACE INTO sample(id, t, mono, boot, t_end, tiers, has_rollup, has_smaps, "
		"cpu_us, wall_us, late_us, missed_ticks, processes, cgroups, read_bytes, "
		"bundle_offset, gaps) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" },
	[ST_GAP] = { "read_gap", ROWS_SAMPLE,
		"INSERT INTO read_gap(sample, path, status) VALUES (?, ?, ?)" },
	[ST_DEFERRED] = { "sample_deferred", ROWS_NONE,
		"INSERT INTO sample_deferred(sample, tier) VALUES (?, ?)" },
	/* kept for the samples dropped too: they say why */
	[ST_LOAD_ERROR] = { "load_error", ROWS_NONE,
		"INSERT INTO load_error(sample, member, path, message) VALUES (?, ?, ?, ?)" },
	[ST_EXACT] = { "exact_value", ROWS_SAMPLE,
		"INSERT INTO exact_value(sample, path, line, tbl, col, key, value) "
		"VALUES (?,?,?,?,?,?,?)" },
	/* the host facts come with the meta of the sample that had them */
	[ST_HOST] = { "host", ROWS_NONE,
		"INSERT OR REPLACE INTO host(sample, hostname, kernel, machine, boot_id, page_size, "
		"clk_tck, cpus_online, cpus_configured, utc_offset_s, zone) VALUES (?1, :hostname, "
		":kernel, :machine, :boot_id, :page_size, :clk_tck, :cpus_online, :cpus_configured, "
		":utc_offset_s, :zone)" },
	[ST_PSI] = { "psi", ROWS_SAMPLE,
		"INSERT OR REPLACE INTO psi(sample, scope, kind, avg10, avg60, avg300, total) "
		"VALUES (?, ?, ?, ?, ?, ?, ?)" },
	/* a cgroup is known from its first record on */
	[ST_CGROUP] = { "cgroup", ROWS_NONE,
		"INSERT INTO cgroup(path, version, rel) VALUES (?, ?, ?)" },
	[ST_CGROUP_VALUE] = { "cgroup_value", ROWS_SAMPLE,
		"INSERT OR REPLACE INTO cgroup_value(sample, cgroup_id, key, value, unlimited) "
		"VALUES (?, ?, ?, ?, ?)" },
	/* smaps_rollup, or a tier-1 smaps summed (a kernel without smaps_rollup) */
	[ST_ROLLUP] = { "proc_rollup", ROWS_SAMPLE,
		"INSERT OR REPLACE INTO proc_rollup(process_id, sample, rss, pss, pss_anon, pss_file, "
		"pss_shmem, shared_clean, shared_dirty, private_clean, private_dirty, referenced, "
		"anonymous, lazyfree, anon_huge, swap, swap_pss, locked) "
		"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" },
	[ST_PROCESS] = { "process", ROWS_SPAN,
		"INSERT INTO process(pid, starttime, comm, ppid, first_sample, last_sample) "
		"VALUES (?, ?, ?, ?, ?, ?)" },
	[ST_PROCESS_SEEN] = { "process", ROWS_NONE,
		"UPDATE process SET last_sample = ?2, uid = coalesce(?3, uid) WHERE id = ?1" },
	[ST_PROCESS_COMM] = { "process", ROWS_NONE,
		"UPDATE process SET comm = ?2 WHERE id = ?1" },
	[ST_PROCESS_CMDLINE] = { "process", ROWS_NONE,
		"UPDATE process SET cmdline = ?2 WHERE id = ?1" },
	[ST_PROC_SAMPLE] = { "proc_sample", ROWS_SAMPLE,
		"INSERT OR REPLACE INTO proc_sample(process_id, sample, state, minflt, majflt, utime, "
		"stime, threads, processor, vm_size, vm_rss, rss_anon, rss_file, rss_shmem, vm_swap, "
		"vm_hwm, vm_data, vm_pte, vm_lck, statm_resident, oom_score, oom_score_adj, "
		"cpus_allowed, mems_allowed) "
		"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" },
	[ST_PROC_CGROUP] = { "proc_cgroup", ROWS_SPAN,
		"INSERT INTO proc_cgroup(process_id, hierarchy, controllers, path, first_sample, "
		"last_sample) VALUES (?, ?, ?, ?, ?, -1)" },
	[ST_PROC_CGROUP_CLOSE] = { "proc_cgroup", ROWS_NONE,
		"UPDATE proc_cgroup SET last_sample = ?2 WHERE process_id = ?1 AND last_sample = -1" },
	/* a recording of several bundles: one row a bundle (load_recording.c) */
	[ST_RECORDING_PART] = { "recording_part", ROWS_NONE,
		"INSERT INTO recording_part(part, path, bundle_kind, first_sample, last_sample, samples, "
		"overlap, gap_before, t_first, t_last, truncated, corrupt, damage, end_reason) "
		"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)" },
	/* a recorder's trigger lines, in the sample that saw them */
	[ST_TRIGGER] = { "trigger_event", ROWS_SAMPLE,
		"INSERT INTO trigger_event(sample, t, kind, cgroup, detail) VALUES (?,?,?,?,?)" },
};

int load_prepare(struct load_state *ls, struct ms_err *err)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(ls->db, stmts[i].sql, -1, SQLITE_PREPARE_PERSISTENT, &ls->st[i],
				       NULL) != SQLITE_OK)
			return ms_err_set(err, EIO, "preparing statement %d: %s", i,
					  sqlite3_errmsg(ls->db));
	return 0;
}

void load_finalize(struct load_state *ls)
{
	for (int i = 0; i < ST_COUNT; i++) {
		sqlite3_finalize(ls->st[i]);
		ls->st[i] = NULL;
	}
	for (size_t i = 0; i < ls->nkst; i++)
		sqlite3_finalize(ls->kst[i]);
	free(ls->kst);
	ls->kst = NULL;
	ls->nkst = 0;
}

enum rows_of load_stmt_rows(enum stmt_id id, const char **table)
{
	*table = stmts[id].table;
	return stmts[id].rows;
}

void bind_i64(sqlite3_stmt *s, int i, int64_t v)
{
	sqlite3_bind_int64(s, i, v);
}

void bind_null(sqlite3_stmt *s, int i)
{
	sqlite3_bind_null(s, i);
}

void bind_i64_or_null(sqlite3_stmt *s, int i, int64_t v, int null_if_negative)
{
	if (null_if_negative && v < 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, v);
}

void bind_u64(sqlite3_stmt *s, int i, uint64_t v)
{
	if (v <= INT64_MAX)
		sqlite3_bind_int64(s, i, (int64_t)v);
	else
		sqlite3_bind_double(s, i, (double)v);
}

int load_exact(struct load_sink *c, uint64_t v, const struct load_at *at, struct ms_err *err)
{
	if (v <= INT64_MAX || !(v & 2047))
		return 0; /* an INTEGER, or a REAL that is V (doubles above 2^63 are
			   * multiples of 2048) */
	struct load_state *ls = c->ls;
	sqlite3_stmt *s = ls->st[ST_EXACT];
	char digits[24];
	snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
	bind_i64(s, 1, ls->sample);
	bind_text(s, 2, c->rec->r->path, c->rec->r->path_len);
	bind_i64(s, 3, at->line);
	sqlite3_bind_text(s, 4, at->tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, at->col, -1, SQLITE_STATIC);
	if (at->key)
		sqlite3_bind_text(s, 6, at->key, at->key_len, SQLITE_TRANSIENT);
	else
		bind_null(s, 6);
	sqlite3_bind_text(s, 7, digits, -1, SQLITE_TRANSIENT);
	return load_sink_run(c, s, err);
}

int sink_u64(struct load_sink *c, sqlite3_stmt *s, int i, uint64_t v, const struct load_at *at,
	     struct ms_err *err)
{
	bind_u64(s, i, v);
	return load_exact(c, v, at, err);
}

void bind_text(sqlite3_stmt *s, int i, const char *t, size_t n)
{
	if (!t)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, t, (int)n, SQLITE_TRANSIENT);
}

void bind_text_static(sqlite3_stmt *s, int i, const char *t, size_t n)
{
	if (!t)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, t, (int)n, SQLITE_STATIC);
}

void bind_double(sqlite3_stmt *s, int i, double v)
{
	sqlite3_bind_double(s, i, v);
}

int load_step(struct load_state *ls, enum stmt_id id, struct ms_err *err)
{
	return load_run(ls, ls->st[id], err);
}

int load_run(struct load_state *ls, sqlite3_stmt *s, struct ms_err *err)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return ms_err_set(err, EIO, "inserting: %s", sqlite3_errmsg(ls->db));
	ls->rows++;
	return 0;
}

int load_error(struct load_state *ls, const char *member, const struct ms_record *r,
	       const char *message, struct ms_err *err)
{
	sqlite3_stmt *s = ls->st[ST_LOAD_ERROR];
	ls->errors++;
	if (ls->sample)
		bind_i64(s, 1, ls->sample);
	else
		bind_null(s, 1);
	bind_text(s, 2, member, strlen(member));
	bind_text(s, 3, r ? r->path : NULL, r ? r->path_len : 0);
	bind_text(s, 4, message, strlen(message));
	return load_step(ls, ST_LOAD_ERROR, err);
}

int load_gap(struct load_state *ls, const char *path, size_t len, const char *status,
	     size_t status_len, struct ms_err *err)
{
	sqlite3_stmt *s = ls->st[ST_GAP];
	bind_i64(s, 1, ls->sample);
	bind_text(s, 2, path, len);
	bind_text(s, 3, status, status_len);
	return load_step(ls, ST_GAP, err);
}

int load_parse_error(struct load_state *ls, const struct load_rec *rec, struct ms_err *perr,
		     struct ms_err *err)
{
	int rc = load_error(ls, rec->member, rec->r, ms_err_msg(perr), err);
	ms_err_release(perr);
	return rc;
}

int load_sink_run(struct load_sink *s, sqlite3_stmt *st, struct ms_err *err)
{
	if (load_run(s->ls, st, s->fatal) == 0)
		return 0;
	s->failed = 1;
	return ms_err_set(err, EIO, "insert failed");
}

/* a line REC's parser could not read: a load_error row */
static int sink_problem(void *ctx, const char *problem, struct ms_err *err)
{
	struct load_sink *s = ctx;
	if (load_error(s->ls, s->rec->member, s->rec->r, problem, s->fatal) == 0)
		return 0;
	s->failed = 1;
	return ms_err_set(err, EIO, "insert failed");
}

void load_sink_init(struct load_sink *s, struct load_state *ls, const struct load_rec *rec,
		    struct ms_err *fatal)
{
	*s = (struct load_sink){ ls, rec, fatal, 0, { sink_problem, s } };
}

int load_sink_end(struct load_sink *s, int rc, struct ms_err *perr)
{
	if (rc == 0)
		return 0;
	if (s->failed) {
		ms_err_release(perr);
		return -1;
	}
	return load_parse_error(s->ls, s->rec, perr, s->fatal);
}
