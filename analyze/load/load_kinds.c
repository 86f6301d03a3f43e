/*
 * load_kinds.c - the kinds table (see load_kinds.h).
 *
 * One row per kind of record a collector writes into a sample's tier
 * members: where its path is, its file name there, the parser that reads
 * it, the function that loads it (load_*.c: parse, bind, insert), the
 * table its rows go to and, when the kind alone writes that table, its
 * INSERT (the shared tables' statements are load_stmt.c's).
 * It mirrors collect/sampler.c's lists of what the collector reads; the
 * unit test test_load_kinds.c checks that every path of the recorded
 * bundles has a row here, and that each row's parser and table exist and
 * its INSERT writes its table.  Nothing a collector writes into a tier
 * member is kept raw (unparsed) today; the host member (NNNNNN/host) is
 * kept as text in host_file by the loader itself.
 *
 * To add a kind: its parser (analyze/parse/KIND.c), a row here (with its
 * table's INSERT when the table is new: load_drop.c then cleans it up),
 * its LOAD function beside those of its place (load_system.c,
 * load_cgroup.c, load_proc*.c), and its table in schema/.  docs/design.md
 * has the recipe.
 *
 * Matching: the path's place first (/proc/PID/, /proc/, a node's folder,
 * a cgroup mount), then the name among that place's rows, in table order.
 */
#include "load_kinds.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse_num.h"

#define NODE_DIR "/sys/devices/system/node/node"

/* The INSERTs of the tables one kind writes (schema/: 030-process.sql,
 * 040-system.sql); the tables several write are load_stmt.c's. */
static const char meminfo_sql[] =
	"INSERT OR REPLACE INTO meminfo(sample, key, value) VALUES (?, ?, ?)";
static const char vmstat_sql[] =
	"INSERT OR REPLACE INTO vmstat(sample, key, value) VALUES (?, ?, ?)";
static const char buddyinfo_sql[] =
	"INSERT OR REPLACE INTO buddyinfo(sample, node, zone, ord, free) VALUES (?, ?, ?, ?, ?)";
static const char swaps_sql[] =
	"INSERT INTO swaps(sample, filename, type, size, used, priority) VALUES (?, ?, ?, ?, ?, ?)";
static const char uptime_sql[] =
	"INSERT OR REPLACE INTO uptime(sample, up_s, idle_s) VALUES (?, ?, ?)";
static const char loadavg_sql[] =
	"INSERT OR REPLACE INTO loadavg(sample, load1, load5, load15, runnable, threads, last_pid) "
	"VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char zoneinfo_sql[] =
	"INSERT OR REPLACE INTO zoneinfo(sample, node, zone, key, value) VALUES (?, ?, ?, ?, ?)";
static const char node_meminfo_sql[] =
	"INSERT OR REPLACE INTO node_meminfo(sample, node, key, value) VALUES (?, ?, ?, ?)";
static const char numastat_sql[] =
	"INSERT OR REPLACE INTO numastat(sample, node, key, value) VALUES (?, ?, ?, ?)";
static const char cgroup_numa_sql[] =
	"INSERT OR REPLACE INTO cgroup_numa(sample, cgroup_id, key, node, value) "
	"VALUES (?, ?, ?, ?, ?)";
static const char mapping_sql[] =
	"INSERT OR REPLACE INTO mapping(process_id, sample, start, end, perms, offset, inode, "
	"path, kind, size, rss, pss, shared_clean, shared_dirty, private_clean, private_dirty, "
	"anonymous, anon_huge, swap, swap_pss, locked) "
	"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
static const char numa_mapping_sql[] =
	"INSERT OR REPLACE INTO numa_mapping(process_id, sample, start, policy, path, node, "
	"pages, page_size) VALUES (?,?,?,?,?,?,?,?)";

#define PARSE(f) "analyze/parse/" f
#define KIND(where, name, parser, load, table, sql, flags) \
	{ where, name, sizeof(name) - 1, parser, load, table, sql, flags }
#define CG_VALUE(file) \
	KIND(LOAD_CGROUP, file, PARSE("cgroup_value.c"), load_cgroup_value, "cgroup_value", NULL, 0)
#define CG_KV(file) \
	KIND(LOAD_CGROUP, file, PARSE("kv.c"), load_cgroup_kv, "cgroup_value", NULL, 0)

/* In the order the lookup tries them: a sample is mostly process records,
 * then cgroup files; in each place, the collector's order. */
static const struct load_kind kinds[] = {
	/* /proc/PID/NAME: stat first (it opens the process), then tier 0's
	 * files, cmdline and comm when first seen, tier 1, tier 2 */
	KIND(LOAD_PROCESS, "stat", "common/parse_stat.c", load_stat, "process", NULL,
	     LK_OPENS_PROCESS),
	KIND(LOAD_PROCESS, "statm", "common/parse_stat.c", load_statm, "proc_sample", NULL, 0),
	KIND(LOAD_PROCESS, "status", PARSE("status.c"), load_status, "proc_sample", NULL, 0),
	KIND(LOAD_PROCESS, "oom_score", PARSE("oom_score.c"), load_oom_score, "proc_sample", NULL,
	     0),
	KIND(LOAD_PROCESS, "oom_score_adj", PARSE("oom_score.c"), load_oom_score_adj,
	     "proc_sample", NULL, 0),
	KIND(LOAD_PROCESS, "cgroup", PARSE("proc_cgroup.c"), load_proc_cgroup, "proc_cgroup",
	     NULL, 0),
	KIND(LOAD_PROCESS, "cmdline", PARSE("cmdline.c"), load_cmdline, "process", NULL, 0),
	KIND(LOAD_PROCESS, "comm", PARSE("comm.c"), load_comm, "process", NULL, 0),
	KIND(LOAD_PROCESS, "smaps_rollup", PARSE("smaps_rollup.c"), load_rollup, "proc_rollup",
	     NULL, 0),
	/* tier 2's smaps: its mappings; tier 1's (no smaps_rollup): summed into proc_rollup */
	KIND(LOAD_PROCESS, "smaps", PARSE("smaps.c"), load_smaps, "mapping", mapping_sql, 0),
	KIND(LOAD_PROCESS, "numa_maps", PARSE("numa_maps.c"), load_numa_maps, "numa_mapping",
	     numa_mapping_sql, 0),
	/* a memory cgroup's files, v2 then v1 */
	CG_VALUE("memory.current"),
	CG_VALUE("memory.max"),
	CG_VALUE("memory.high"),
	CG_VALUE("memory.low"),
	CG_KV("memory.stat"),
	CG_KV("memory.events"),
	KIND(LOAD_CGROUP, "memory.pressure", PARSE("pressure.c"), load_psi, "psi", NULL, 0),
	CG_VALUE("memory.swap.current"),
	CG_VALUE("memory.swap.max"),
	CG_KV("memory.swap.events"),
	KIND(LOAD_CGROUP, "memory.numa_stat", PARSE("cgroup_numa_stat.c"), load_cgroup_numa,
	     "cgroup_numa", cgroup_numa_sql, 0),
	CG_VALUE("memory.usage_in_bytes"),
	CG_VALUE("memory.limit_in_bytes"),
	CG_VALUE("memory.max_usage_in_bytes"),
	CG_VALUE("memory.memsw.usage_in_bytes"),
	CG_VALUE("memory.memsw.limit_in_bytes"),
	CG_VALUE("memory.failcnt"),
	CG_KV("memory.oom_control"),
	/* /proc/NAME: every tick, zoneinfo on tier 1 */
	KIND(LOAD_SYSTEM, "meminfo", PARSE("kv.c"), load_kv, "meminfo", meminfo_sql, 0),
	KIND(LOAD_SYSTEM, "vmstat", PARSE("kv.c"), load_kv, "vmstat", vmstat_sql, 0),
	KIND(LOAD_SYSTEM, "pressure/memory", PARSE("pressure.c"), load_psi, "psi", NULL, 0),
	KIND(LOAD_SYSTEM, "buddyinfo", PARSE("buddyinfo.c"), load_buddyinfo, "buddyinfo",
	     buddyinfo_sql, 0),
	KIND(LOAD_SYSTEM, "swaps", PARSE("swaps.c"), load_swaps, "swaps", swaps_sql, 0),
	KIND(LOAD_SYSTEM, "uptime", PARSE("uptime.c"), load_uptime, "uptime", uptime_sql, 0),
	KIND(LOAD_SYSTEM, "loadavg", PARSE("loadavg.c"), load_loadavg, "loadavg", loadavg_sql, 0),
	KIND(LOAD_SYSTEM, "zoneinfo", PARSE("zoneinfo.c"), load_zoneinfo, "zoneinfo",
	     zoneinfo_sql, 0),
	/* /sys/devices/system/node/nodeN/NAME */
	KIND(LOAD_NODE, "meminfo", PARSE("kv.c"), load_kv, "node_meminfo", node_meminfo_sql,
	     LK_NODE_LINES),
	KIND(LOAD_NODE, "numastat", PARSE("kv.c"), load_kv, "numastat", numastat_sql, 0),
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

const struct load_kind *load_kinds(size_t *n)
{
	*n = N_KINDS;
	return kinds;
}

int load_kinds_prepare(struct load_state *ls, struct ms_err *err)
{
	ls->kst = calloc(N_KINDS, sizeof(*ls->kst));
	if (!ls->kst)
		return ms_err_set(err, ENOMEM, "out of memory");
	ls->nkst = N_KINDS;
	for (size_t i = 0; i < N_KINDS; i++)
		if (kinds[i].sql && sqlite3_prepare_v3(ls->db, kinds[i].sql, -1,
						       SQLITE_PREPARE_PERSISTENT, &ls->kst[i],
						       NULL) != SQLITE_OK)
			return ms_err_set(err, EIO, "preparing the insert of %s: %s", kinds[i].name,
					  sqlite3_errmsg(ls->db));
	return 0;
}

/* The row of place WHERE named NAME (LEN bytes, maybe with a NUL), or NULL. */
static const struct load_kind *find(enum load_where where, const char *name, size_t len)
{
	for (size_t i = 0; i < N_KINDS; i++)
		if (kinds[i].where == where && kinds[i].name_len == len && kinds[i].name[0] == *name &&
		    !memcmp(kinds[i].name, name, len))
			return &kinds[i];
	return NULL;
}

/* "N/" at *P, N a decimal without leading zeros, into *N, *P past the
 * '/'. */
static int number_dir(const char **p, const char *end, int64_t *n)
{
	const char *q = *p;
	uint64_t v;
	if (ms_scan_u64(&q, end, &v) < 0 || v > INT64_MAX || (**p == '0' && q - *p > 1) ||
	    q == end || *q != '/')
		return -1;
	*n = (int64_t)v;
	*p = q + 1;
	return 0;
}

/* PATH under the cgroup mount MOUNT: the file's kind, with M's cgroup
 * fields set. */
static const struct load_kind *match_cgroup(const char *path, size_t len, const char *mount,
					    int version, struct load_match *m)
{
	size_t ml = mount ? strlen(mount) : 0;
	if (!ml || len < ml || memcmp(path, mount, ml) || (len > ml && path[ml] != '/'))
		return NULL;
	const char *slash = memrchr(path, '/', len);
	if (!slash || slash < path + ml)
		return NULL; /* the mount itself */
	m->cgroup_version = version;
	m->mount_len = ml;
	m->dir_len = (size_t)(slash - path);
	return find(LOAD_CGROUP, slash + 1, len - m->dir_len - 1);
}

const struct load_kind *load_kind_match(const char *path, size_t len, const char *cg_v1,
					const char *cg_v2, struct load_match *m)
{
	const char *p = path, *end = path + len;
	memset(m, 0, sizeof(*m));
	if (len > 6 && !memcmp(path, "/proc/", 6)) {
		p += 6;
		if (*p < '1' || *p > '9')
			return m->kind = find(LOAD_SYSTEM, p, (size_t)(end - p));
		if (number_dir(&p, end, &m->pid) < 0)
			return NULL;
		return m->kind = find(LOAD_PROCESS, p, (size_t)(end - p));
	}
	size_t nl = sizeof(NODE_DIR) - 1;
	if (len > nl && !memcmp(path, NODE_DIR, nl)) {
		p += nl;
		if (number_dir(&p, end, &m->node) < 0)
			return NULL;
		return m->kind = find(LOAD_NODE, p, (size_t)(end - p));
	}
	m->kind = match_cgroup(path, len, cg_v1, 1, m);
	if (!m->kind)
		m->kind = match_cgroup(path, len, cg_v2, 2, m);
	return m->kind;
}

uint64_t load_kind_bit(const char *name)
{
	for (size_t i = 0; i < N_KINDS && i < 64; i++)
		if (kinds[i].where == LOAD_PROCESS && !strcmp(kinds[i].name, name))
			return 1ull << i;
	return 0;
}

/* The bit of process kind K in a row's read and same (0: none) */
static uint64_t kind_bit(const struct load_kind *k)
{
	size_t i = (size_t)(k - kinds);
	return k->where == LOAD_PROCESS && i < 64 ? 1ull << i : 0;
}

/* The process row that the record of PID (a per-process kind's) belongs
 * to, or NULL: no stat for this PID in this sample, or its row is gone */
static struct proc_row *row_of(struct load_state *ls, const struct load_kind *k, int64_t pid,
			       struct proc_ref **proc)
{
	*proc = load_proc_of(ls, pid);
	if (!*proc || !(k->where == LOAD_PROCESS && !(k->flags & LK_OPENS_PROCESS)))
		return NULL;
	return ls->row.process_id == (*proc)->id ? &ls->row : NULL;
}

int load_unchanged(struct load_state *ls)
{
	struct load_match m;
	struct proc_ref *p;
	const struct load_kind *k =
		load_kind_match(ls->path.data, ls->path.len, ls->cg_v1, ls->cg_v2, &m);
	uint64_t bit = k ? kind_bit(k) & (ls->bit_status | ls->bit_oom_score) : 0;
	struct proc_row *row = bit ? row_of(ls, k, m.pid, &p) : NULL;
	if (!row)
		return 0;
	row->same |= bit;
	return 1;
}

int load_record(struct load_state *ls, const char *member, const struct ms_record *r,
		struct ms_err *err)
{
	struct load_match m;
	const struct load_kind *k =
		load_kind_match(ls->path.data, ls->path.len, ls->cg_v1, ls->cg_v2, &m);
	if (!k)
		return 0;
	struct load_rec rec = { k, ls->kst[k - kinds], member, r, m.pid, NULL, m.node, 0,
				"system", 6 };
	if (k->where == LOAD_PROCESS && !(k->flags & LK_OPENS_PROCESS)) {
		struct proc_row *row = row_of(ls, k, m.pid, &rec.proc);
		if (!rec.proc)
			return 0; /* no stat for this PID in this sample: nothing to attach to */
		if (row)
			row->read |= kind_bit(k);
	} else if (k->where == LOAD_CGROUP) {
		rec.cgroup = load_cgroup_id(ls, ls->path.data, m.dir_len, m.mount_len,
					    m.cgroup_version, &rec.scope, &rec.scope_len, err);
		if (rec.cgroup < 0)
			return -1;
	}
	return k->load(ls, &rec, err);
}
