/*
 * load_stmt.c - the loader's prepared statements, one per insert kind,
 * prepared once per load and reused for every row.
 *
 * Invariant: a statement's bindings survive its reset (load_step() does
 * not clear them, which would free and reallocate every text value), so
 * every caller binds every parameter of the statement it steps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "load_state.h"

static const char *const sql[ST_COUNT] = {
	[ST_HEADER] = "INSERT OR REPLACE INTO header(key, value) VALUES (?, ?)",
	[ST_HOST_FILE] = "INSERT OR REPLACE INTO host_file(sample, path, status, content) VALUES (?, ?, ?, ?)",
	[ST_HOST] = "INSERT OR REPLACE INTO host(sample, hostname, kernel, machine, boot_id, page_size, "
		    "clk_tck, cpus_online, cpus_configured, utc_offset_s, zone) VALUES (?1, :hostname, "
		    ":kernel, :machine, :boot_id, :page_size, :clk_tck, :cpus_online, :cpus_configured, "
		    ":utc_offset_s, :zone)",
	[ST_SAMPLE] = "INSERT OR REPLACE INTO sample(id, t, mono, boot, t_end, tiers, has_rollup, has_smaps, "
		      "cpu_us, wall_us, late_us, missed_ticks, processes, cgroups, read_bytes, "
		      "bundle_offset, gaps) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_GAP] = "INSERT INTO read_gap(sample, path, status) VALUES (?, ?, ?)",
	[ST_DEFERRED] = "INSERT INTO sample_deferred(sample, tier) VALUES (?, ?)",
	[ST_LOAD_ERROR] = "INSERT INTO load_error(sample, member, path, message) VALUES (?, ?, ?, ?)",
	[ST_MEMINFO] = "INSERT OR REPLACE INTO meminfo(sample, key, value) VALUES (?, ?, ?)",
	[ST_VMSTAT] = "INSERT OR REPLACE INTO vmstat(sample, key, value) VALUES (?, ?, ?)",
	[ST_NODE_MEMINFO] = "INSERT OR REPLACE INTO node_meminfo(sample, node, key, value) VALUES (?, ?, ?, ?)",
	[ST_NUMASTAT] = "INSERT OR REPLACE INTO numastat(sample, node, key, value) VALUES (?, ?, ?, ?)",
	[ST_BUDDY] = "INSERT OR REPLACE INTO buddyinfo(sample, node, zone, ord, free) VALUES (?, ?, ?, ?, ?)",
	[ST_ZONE] = "INSERT OR REPLACE INTO zoneinfo(sample, node, zone, key, value) VALUES (?, ?, ?, ?, ?)",
	[ST_SWAPS] = "INSERT INTO swaps(sample, filename, type, size, used, priority) VALUES (?, ?, ?, ?, ?, ?)",
	[ST_PSI] = "INSERT OR REPLACE INTO psi(sample, scope, kind, avg10, avg60, avg300, total) VALUES (?, ?, ?, ?, ?, ?, ?)",
	[ST_CGROUP] = "INSERT INTO cgroup(path, version, rel) VALUES (?, ?, ?)",
	[ST_CGROUP_VALUE] = "INSERT OR REPLACE INTO cgroup_value(sample, cgroup_id, key, value, unlimited) VALUES (?, ?, ?, ?, ?)",
	[ST_PROCESS] = "INSERT INTO process(pid, starttime, comm, ppid, first_sample, last_sample) VALUES (?, ?, ?, ?, ?, ?)",
	[ST_PROCESS_SEEN] = "UPDATE process SET last_sample = ?2, uid = coalesce(?3, uid) WHERE id = ?1",
	[ST_PROCESS_COMM] = "UPDATE process SET comm = ?2 WHERE id = ?1",
	[ST_PROCESS_CMDLINE] = "UPDATE process SET cmdline = ?2 WHERE id = ?1",
	[ST_PROC_SAMPLE] = "INSERT OR REPLACE INTO proc_sample(process_id, sample, state, minflt, majflt, utime, stime, "
			   "threads, processor, vm_size, vm_rss, rss_anon, rss_file, rss_shmem, vm_swap, "
			   "vm_hwm, vm_data, vm_pte, vm_lck, statm_resident, oom_score, oom_score_adj, "
			   "cpus_allowed, mems_allowed) "
			   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_ROLLUP] = "INSERT OR REPLACE INTO proc_rollup(process_id, sample, rss, pss, pss_anon, pss_file, pss_shmem, "
		      "shared_clean, shared_dirty, private_clean, private_dirty, referenced, anonymous, "
		      "lazyfree, anon_huge, swap, swap_pss, locked) "
		      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_MAPPING] = "INSERT OR REPLACE INTO mapping(process_id, sample, start, end, perms, offset, inode, path, kind, "
		       "size, rss, pss, shared_clean, shared_dirty, private_clean, private_dirty, anonymous, "
		       "anon_huge, swap, swap_pss, locked) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_NUMA_MAPPING] = "INSERT OR REPLACE INTO numa_mapping(process_id, sample, start, policy, path, node, pages, "
			    "page_size) VALUES (?,?,?,?,?,?,?,?)",
	[ST_PROC_CGROUP] = "INSERT INTO proc_cgroup(process_id, hierarchy, controllers, path, first_sample, last_sample) "
			   "VALUES (?, ?, ?, ?, ?, -1)",
	[ST_PROC_CGROUP_CLOSE] = "UPDATE proc_cgroup SET last_sample = ?2 WHERE process_id = ?1 AND last_sample = -1",
};

int load_prepare(struct load_state *ls, struct ms_err *err)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(ls->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &ls->st[i],
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
	sqlite3_stmt *s = ls->st[id];
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
