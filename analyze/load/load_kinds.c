/*
 * load_kinds.c - the kinds table (see load_kinds.h).
 *
 * One row per kind of record a collector writes into a sample's tier
 * members: where its path is, its file name there, the parser that reads
 * it, the function that loads it (load_*.c: parse, bind, insert) and the
 * statement of the table its rows go to (load_stmt.c names the table).
 * collect/sampler.c lists what it reads in the same order; the unit test
 * test_load_kinds.c checks that every path of the recorded bundles has a
 * row here and that every parser named here exists.  Nothing a collector
 * writes into a tier member is kept raw (unparsed) today; the host member
 * (NNNNNN/host) is kept as text in host_file by the loader itself.
 *
 * To add a kind: its parser (analyze/parse/KIND.c), a row here, and its
 * LOAD function beside those of its place (load_system.c, load_cgroup.c,
 * load_proc*.c); a new table also needs its statement (load_stmt.c) and
 * schema (a schema/ file).  docs/design.md has the recipe.
 *
 * Matching: the path's place first (/proc/PID/, /proc/, a node's folder,
 * a cgroup mount), then the name among that place's rows, in table order
 * (the collector's order: the common kinds first).
 */
#include "load_kinds.h"

#include <string.h>

#include "parse_num.h"

#define NODE_DIR "/sys/devices/system/node/node"

static const struct load_kind kinds[] = {
	/* /proc/NAME: every tick, zoneinfo on tier 1 */
	{ LOAD_SYSTEM, "meminfo", "analyze/parse/kv.c", load_kv, ST_MEMINFO, 0 },
	{ LOAD_SYSTEM, "vmstat", "analyze/parse/kv.c", load_kv, ST_VMSTAT, 0 },
	{ LOAD_SYSTEM, "pressure/memory", "analyze/parse/pressure.c", load_psi, ST_PSI, 0 },
	{ LOAD_SYSTEM, "buddyinfo", "analyze/parse/buddyinfo.c", load_buddyinfo, ST_BUDDY, 0 },
	{ LOAD_SYSTEM, "swaps", "analyze/parse/swaps.c", load_swaps, ST_SWAPS, 0 },
	{ LOAD_SYSTEM, "uptime", "analyze/parse/uptime.c", load_uptime, ST_UPTIME, 0 },
	{ LOAD_SYSTEM, "loadavg", "analyze/parse/loadavg.c", load_loadavg, ST_LOADAVG, 0 },
	{ LOAD_SYSTEM, "zoneinfo", "analyze/parse/zoneinfo.c", load_zoneinfo, ST_ZONE, 0 },
	/* /sys/devices/system/node/nodeN/NAME */
	{ LOAD_NODE, "meminfo", "analyze/parse/kv.c", load_kv, ST_NODE_MEMINFO, LK_NODE_LINES },
	{ LOAD_NODE, "numastat", "analyze/parse/kv.c", load_kv, ST_NUMASTAT, 0 },
	/* a memory cgroup's files, v1 and v2 */
	{ LOAD_CGROUP, "memory.current", "analyze/parse/cgroup_value.c", load_cgroup_value,
	  ST_CGROUP_VALUE, 0 },
	{ LOAD_CGROUP, "memory.max", "analyze/parse/cgroup_value.c", load_cgroup_value,
	  ST_CGROUP_VALUE, 0 },
	{ LOAD_CGROUP, "memory.high", "analyze/parse/cgroup_value.c", load_cgroup_value,
	  ST_CGROUP_VALUE, 0 },
	{ LOAD_CGROUP, "memory.low", "analyze/parse/cgroup_value.c", load_cgroup_value,
	  ST_CGROUP_VALUE, 0 },
	{ LOAD_CGROUP, "memory.stat", "analyze/parse/kv.c", load_cgroup_kv, ST_CGROUP_VALUE, 0 },
	{ LOAD_CGROUP, "memory.events", "analyze/parse/kv.c", load_cgroup_kv, ST_CGROUP_VALUE, 0 },
	{ LOAD_CGROUP, "memory.pressure", "analyze/parse/pressure.c", load_psi, ST_PSI, 0 },
	{ LOAD_CGROUP, "memory.swap.current", "analyze/parse/cgroup_value.c", load_cgroup_value,
	  ST_CGROUP_VALUE, 0 },
	{ LOAD_CGROUP, "memory.swap.max", "analyze/parse/cgroup_value.c", load_cgroup_value,
	  ST_CGROUP_VALUE, 0 },
	{ LOAD_CGROUP, "memory.swap.events", "analyze/parse/kv.c", load_cgroup_kv,
	  ST_CGROUP_VALUE, 0 },
	{ LOAD_CGROUP, "memory.numa_stat", "analyze/parse/cgroup_numa_stat.c", load_cgroup_numa,
	  ST_CGROUP_NUMA, 0 },
	{ LOAD_CGROUP, "memory.usage_in_bytes", "analyze/parse/cgroup_value.c", load_cgroup_value,
	  ST_CGROUP_VALUE, 0 },
	{ LOAD_CGROUP, "memory.limit_in_bytes", "analyze/parse/cgroup_value.c", load_cgroup_value,
	  ST_CGROUP_VALUE, 0 },
	{ LOAD_CGROUP, "memory.max_usage_in_bytes", "analyze/parse/cgroup_value.c",
	  load_cgroup_value, ST_CGROUP_VALUE, 0 },
	{ LOAD_CGROUP, "memory.memsw.usage_in_bytes", "analyze/parse/cgroup_value.c",
	  load_cgroup_value, ST_CGROUP_VALUE, 0 },
	{ LOAD_CGROUP, "memory.memsw.limit_in_bytes", "analyze/parse/cgroup_value.c",
	  load_cgroup_value, ST_CGROUP_VALUE, 0 },
	{ LOAD_CGROUP, "memory.failcnt", "analyze/parse/cgroup_value.c", load_cgroup_value,
	  ST_CGROUP_VALUE, 0 },
	{ LOAD_CGROUP, "memory.oom_control", "analyze/parse/kv.c", load_cgroup_kv,
	  ST_CGROUP_VALUE, 0 },
	/* /proc/PID/NAME: stat first (it opens the process), then tier 0's
	 * files, cmdline and comm when first seen, tier 1, tier 2 */
	{ LOAD_PROCESS, "stat", "common/parse_stat.c", load_stat, ST_PROCESS, LK_OPENS_PROCESS },
	{ LOAD_PROCESS, "statm", "common/parse_stat.c", load_statm, ST_PROC_SAMPLE, 0 },
	{ LOAD_PROCESS, "status", "analyze/parse/status.c", load_status, ST_PROC_SAMPLE, 0 },
	{ LOAD_PROCESS, "oom_score", "analyze/parse/oom_score.c", load_oom_score, ST_PROC_SAMPLE,
	  0 },
	{ LOAD_PROCESS, "oom_score_adj", "analyze/parse/oom_score.c", load_oom_score_adj,
	  ST_PROC_SAMPLE, 0 },
	{ LOAD_PROCESS, "cgroup", "analyze/parse/proc_cgroup.c", load_proc_cgroup, ST_PROC_CGROUP,
	  0 },
	{ LOAD_PROCESS, "cmdline", "analyze/parse/cmdline.c", load_cmdline, ST_PROCESS_CMDLINE,
	  0 },
	{ LOAD_PROCESS, "comm", "analyze/parse/comm.c", load_comm, ST_PROCESS_COMM, 0 },
	{ LOAD_PROCESS, "smaps_rollup", "analyze/parse/smaps_rollup.c", load_rollup, ST_ROLLUP, 0 },
	{ LOAD_PROCESS, "smaps", "analyze/parse/smaps.c", load_smaps, ST_MAPPING, 0 },
	{ LOAD_PROCESS, "numa_maps", "analyze/parse/numa_maps.c", load_numa_maps,
	  ST_NUMA_MAPPING, 0 },
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

const struct load_kind *load_kinds(size_t *n)
{
	*n = N_KINDS;
	return kinds;
}

/* The row of place WHERE named NAME (LEN bytes, maybe with a NUL), or NULL. */
static const struct load_kind *find(enum load_where where, const char *name, size_t len)
{
	for (size_t i = 0; i < N_KINDS; i++)
		if (kinds[i].where == where && strlen(kinds[i].name) == len &&
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

int load_record(struct load_state *ls, const char *member, const struct ms_record *r,
		struct ms_err *err)
{
	struct load_match m;
	const struct load_kind *k =
		load_kind_match(ls->path.data, ls->path.len, ls->cg_v1, ls->cg_v2, &m);
	if (!k)
		return 0;
	struct load_rec rec = { k, member, r, m.pid, NULL, m.node, 0, "system", 6 };
	if (k->where == LOAD_PROCESS && !(k->flags & LK_OPENS_PROCESS)) {
		rec.proc = load_proc_of(ls, m.pid);
		if (!rec.proc)
			return 0; /* no stat for this PID in this sample: nothing to attach to */
	} else if (k->where == LOAD_CGROUP) {
		rec.cgroup = load_cgroup_id(ls, ls->path.data, m.dir_len, m.mount_len,
					    m.cgroup_version, &rec.scope, &rec.scope_len, err);
		if (rec.cgroup < 0)
			return -1;
	}
	return k->load(ls, &rec, err);
}
