/*
 * export_tables.c - the exported tables: each column's name (with its
 * unit), type, and SQL over a host's tables and views (docs/schema.md).
 * docs/export.md describes every column (tests/e2e/fleet/export.sh
 * checks that it names each).
 *
 * Counters are exported as rates where the views make them (vmstat,
 * numastat, PSI), and as totals where a warehouse is better placed to
 * difference them (per-process and per-cgroup counters).
 */
#include "export.h"

#define N(a) (sizeof(a) / sizeof(*(a)))
#define KEY 1      /* part of the sort key, never NULL */
#define NN 2       /* never NULL */

const struct export_col export_lead[2] = {
	{ "host", XT_TEXT, KEY, NULL },
	{ "recording_id", XT_TEXT, KEY, NULL },
};

const char export_recording_id_sql[] =
	"SELECT coalesce((SELECT boot_id FROM host WHERE boot_id IS NOT NULL ORDER BY sample LIMIT 1), 'unknown')"
	" || '@' || coalesce(CAST(coalesce((SELECT recording_first FROM load_info), (SELECT min(t) FROM sample))"
	" AS INTEGER), 0)";

/* as every time-series view has them: the sample, t and t_utc */
#define TIME_COLS(a)                                         \
	{ "sample", XT_INT, KEY, a ".sample" },              \
	{ "t", XT_REAL, NN, a ".t" },                        \
	{ "t_utc", XT_TIME, KEY, a ".t_utc" }

static const struct export_col system_cols[] = {
	TIME_COLS("m"),
#define MEM(name) { name, XT_INT, 0, "m." name }
	MEM("mem_total_bytes"),
	MEM("mem_free_bytes"),
	MEM("mem_available_bytes"),
	MEM("buffers_bytes"),
	MEM("cached_bytes"),
	MEM("swap_cached_bytes"),
	MEM("active_anon_bytes"),
	MEM("inactive_anon_bytes"),
	MEM("active_file_bytes"),
	MEM("inactive_file_bytes"),
	MEM("unevictable_bytes"),
	MEM("swap_total_bytes"),
	MEM("swap_free_bytes"),
	MEM("dirty_bytes"),
	MEM("anon_bytes"),
	MEM("mapped_bytes"),
	MEM("shmem_bytes"),
	MEM("slab_bytes"),
	MEM("s_reclaimable_bytes"),
	MEM("s_unreclaim_bytes"),
	MEM("kernel_stack_bytes"),
	MEM("page_tables_bytes"),
	MEM("commit_limit_bytes"),
	MEM("committed_as_bytes"),
	MEM("anon_huge_bytes"),
	MEM("hugepages_total"),
#undef MEM
	{ "load1", XT_REAL, 0, "l.load1" },
	{ "load5", XT_REAL, 0, "l.load5" },
	{ "load15", XT_REAL, 0, "l.load15" },
	{ "processes", XT_INT, 0, "(SELECT processes FROM sample WHERE id = m.sample)" },
	{ "pgfault_per_s", XT_REAL, 0, "v.pgfault" },
	{ "pgmajfault_per_s", XT_REAL, 0, "v.pgmajfault" },
	{ "pswpin_pages_per_s", XT_REAL, 0, "v.pswpin" },
	{ "pswpout_pages_per_s", XT_REAL, 0, "v.pswpout" },
	{ "workingset_refault_file_pages_per_s", XT_REAL, 0, "v.refault" },
	{ "pgscan_pages_per_s", XT_REAL, 0, "v.pgscan" },
	{ "pgsteal_pages_per_s", XT_REAL, 0, "v.pgsteal" },
	{ "oom_kills", XT_INT, 0, "v.oom_kill" },
	{ "psi_some_stall_share", XT_REAL, 0, "p.some" },
	{ "psi_full_stall_share", XT_REAL, 0, "p.full" },
};

/* a vmstat counter's rate, for one of KEYS */
#define VM_RATE(keys, name) "sum(CASE WHEN " keys " THEN per_s END) AS " name ",\n"

static const char system_from[] =
	"FROM mem m\n"
	"LEFT JOIN loadavg l ON l.sample = m.sample\n"
	"LEFT JOIN (SELECT sample,\n"
	VM_RATE("key = 'pgfault'", "pgfault")
	VM_RATE("key = 'pgmajfault'", "pgmajfault")
	VM_RATE("key = 'pswpin'", "pswpin")
	VM_RATE("key = 'pswpout'", "pswpout")
	VM_RATE("key IN ('workingset_refault_file', 'workingset_refault')", "refault")
	VM_RATE("(key GLOB 'pgscan_kswapd*' OR key GLOB 'pgscan_direct*') AND key <> 'pgscan_direct_throttle'",
		"pgscan")
	VM_RATE("key GLOB 'pgsteal_kswapd*' OR key GLOB 'pgsteal_direct*'", "pgsteal")
	"  sum(CASE WHEN key = 'oom_kill' AND delta >= 0 THEN delta END) AS oom_kill\n"
	"  FROM vmstat_rate GROUP BY sample) v ON v.sample = m.sample\n"
	"LEFT JOIN (SELECT sample, max(CASE WHEN kind = 'some' THEN stall_share END) AS some,\n"
	"  max(CASE WHEN kind = 'full' THEN stall_share END) AS full\n"
	"  FROM psi_rate WHERE scope = 'system' GROUP BY sample) p ON p.sample = m.sample\n";

static const struct export_col node_cols[] = {
	TIME_COLS("s"),
	{ "node", XT_INT, KEY, "n.node" },
	{ "mem_total_bytes", XT_INT, 0, "n.mem_total" },
	{ "mem_free_bytes", XT_INT, 0, "n.mem_free" },
	{ "mem_used_bytes", XT_INT, 0, "n.mem_used" },
	{ "file_pages_bytes", XT_INT, 0, "n.file_pages" },
	{ "anon_bytes", XT_INT, 0, "n.anon_pages" },
	{ "active_anon_bytes", XT_INT, 0, "n.active_anon" },
	{ "inactive_anon_bytes", XT_INT, 0, "n.inactive_anon" },
	{ "active_file_bytes", XT_INT, 0, "n.active_file" },
	{ "inactive_file_bytes", XT_INT, 0, "n.inactive_file" },
	{ "shmem_bytes", XT_INT, 0, "n.shmem" },
	{ "s_reclaimable_bytes", XT_INT, 0, "n.s_reclaimable" },
	{ "s_unreclaim_bytes", XT_INT, 0, "n.s_unreclaim" },
	{ "numa_hit_pages_per_s", XT_REAL, 0, "r.numa_hit" },
	{ "numa_miss_pages_per_s", XT_REAL, 0, "r.numa_miss" },
	{ "numa_foreign_pages_per_s", XT_REAL, 0, "r.numa_foreign" },
	{ "local_node_pages_per_s", XT_REAL, 0, "r.local_node" },
	{ "other_node_pages_per_s", XT_REAL, 0, "r.other_node" },
	{ "interleave_hit_pages_per_s", XT_REAL, 0, "r.interleave_hit" },
};

#define PIVOT(key, name) "max(CASE WHEN key = '" key "' THEN value END) AS " name ",\n"
#define RATE(key) "max(CASE WHEN key = '" key "' THEN pages_per_s END) AS " key

static const char node_from[] =
	"FROM (SELECT sample, node,\n"
	PIVOT("MemTotal", "mem_total") PIVOT("MemFree", "mem_free") PIVOT("MemUsed", "mem_used")
	PIVOT("FilePages", "file_pages") PIVOT("AnonPages", "anon_pages")
	PIVOT("Active(anon)", "active_anon") PIVOT("Inactive(anon)", "inactive_anon")
	PIVOT("Active(file)", "active_file") PIVOT("Inactive(file)", "inactive_file")
	PIVOT("Shmem", "shmem") PIVOT("SReclaimable", "s_reclaimable")
	"  max(CASE WHEN key = 'SUnreclaim' THEN value END) AS s_unreclaim\n"
	"  FROM node_meminfo GROUP BY sample, node) n\n"
	"JOIN (SELECT id AS sample, t, t_utc FROM sample) s ON s.sample = n.sample\n"
	"LEFT JOIN (SELECT sample, node, " RATE("numa_hit") ", " RATE("numa_miss") ", " RATE("numa_foreign") ",\n"
	"  " RATE("local_node") ", " RATE("other_node") ", " RATE("interleave_hit") "\n"
	"  FROM numastat_rate GROUP BY sample, node) r ON r.sample = n.sample AND r.node = n.node\n";

static const struct export_col cgroup_cols[] = {
	TIME_COLS("s"),
	{ "cgroup", XT_TEXT, KEY, "c.rel" },
	{ "cgroup_version", XT_INT, NN, "c.version" },
	{ "memory_current_bytes", XT_INT, 0, "v.cur" },
	{ "memory_limit_bytes", XT_INT, 0, "v.lim" },
	{ "memory_high_bytes", XT_INT, 0, "v.high" },
	{ "swap_current_bytes", XT_INT, 0, "v.swap" },
	{ "anon_bytes", XT_INT, 0, "v.anon" },
	{ "file_bytes", XT_INT, 0, "v.file" },
	{ "shmem_bytes", XT_INT, 0, "v.shmem" },
	{ "oom_kill_total", XT_INT, 0, "v.oom_kill" },
	{ "pgmajfault_total", XT_INT, 0, "v.pgmajfault" },
	{ "psi_some_stall_share", XT_REAL, 0, "p.some" },
	{ "psi_full_stall_share", XT_REAL, 0, "p.full" },
};

#define CG(keys, name) "max(CASE WHEN key IN (" keys ") AND NOT unlimited THEN value END) AS " name ",\n"

static const char cgroup_from[] =
	"FROM (SELECT cgroup_id, sample,\n"
	CG("'memory.current', 'memory.usage_in_bytes'", "cur")
	CG("'memory.max', 'memory.limit_in_bytes'", "lim")
	CG("'memory.high'", "high")
	CG("'memory.swap.current'", "swap")
	CG("'memory.stat:anon', 'memory.stat:rss'", "anon")
	CG("'memory.stat:file', 'memory.stat:cache'", "file")
	CG("'memory.stat:shmem'", "shmem")
	CG("'memory.events:oom_kill', 'memory.oom_control:oom_kill'", "oom_kill")
	"  max(CASE WHEN key = 'memory.stat:pgmajfault' THEN value END) AS pgmajfault\n"
	"  FROM cgroup_value GROUP BY cgroup_id, sample) v\n"
	"JOIN cgroup c ON c.id = v.cgroup_id\n"
	"JOIN (SELECT id AS sample, t, t_utc FROM sample) s ON s.sample = v.sample\n"
	"LEFT JOIN (SELECT sample, scope, max(CASE WHEN kind = 'some' THEN stall_share END) AS some,\n"
	"  max(CASE WHEN kind = 'full' THEN stall_share END) AS full\n"
	"  FROM psi_rate WHERE scope <> 'system' GROUP BY sample, scope) p\n"
	"  ON p.sample = v.sample AND p.scope = c.rel\n";

/* the path of the process's membership in a hierarchy (WHERE) at the sample */
#define MEMCG(where) "SELECT pc.path FROM proc_cgroup pc WHERE pc.process_id = ps.process_id AND ps.sample " \
	"BETWEEN pc.first_sample AND pc.last_sample AND " where " LIMIT 1"

static const struct export_col process_cols[] = {
	TIME_COLS("ps"),
	{ "pid", XT_INT, KEY, "ps.pid" },
	{ "starttime_ticks", XT_INT, KEY, "p.starttime" },
	{ "comm", XT_TEXT, 0, "ps.comm" },
	{ "ppid", XT_INT, 0, "p.ppid" },
	{ "uid", XT_INT, 0, "p.uid" },
	{ "state", XT_TEXT, 0, "q.state" },
	{ "threads", XT_INT, 0, "ps.threads" },
	{ "cgroup", XT_TEXT, 0, "coalesce((" MEMCG("pc.hierarchy > 0 AND ',' || pc.controllers || ',' LIKE '%,memory,%'")
	  "), (" MEMCG("pc.hierarchy = 0") "))" },
	{ "vm_rss_bytes", XT_INT, 0, "ps.vm_rss_bytes" },
	{ "rss_anon_bytes", XT_INT, 0, "ps.rss_anon_bytes" },
	{ "rss_file_bytes", XT_INT, 0, "ps.rss_file_bytes" },
	{ "rss_shmem_bytes", XT_INT, 0, "ps.rss_shmem_bytes" },
	{ "vm_swap_bytes", XT_INT, 0, "ps.vm_swap_bytes" },
	{ "anon_total_bytes", XT_INT, 0, "ps.anon_total_bytes" },
	{ "vm_size_bytes", XT_INT, 0, "ps.vm_size_bytes" },
	{ "vm_data_bytes", XT_INT, 0, "ps.vm_data_bytes" },
	{ "vm_hwm_bytes", XT_INT, 0, "q.vm_hwm" },
	{ "pss_bytes", XT_INT, 0, "r.pss" },
	{ "uss_bytes", XT_INT, 0, "r.uss" },
	{ "pss_anon_bytes", XT_INT, 0, "r.pss_anon" },
	{ "swap_pss_bytes", XT_INT, 0, "r.swap_pss" },
	{ "oom_score", XT_INT, 0, "ps.oom_score" },
	{ "oom_score_adj", XT_INT, 0, "ps.oom_score_adj" },
	{ "cpu_user_s", XT_REAL, 0, "q.utime * 1.0 / hz.clk_tck" },
	{ "cpu_system_s", XT_REAL, 0, "q.stime * 1.0 / hz.clk_tck" },
	{ "majflt", XT_INT, 0, "ps.majflt" },
	{ "minflt", XT_INT, 0, "ps.minflt" },
};

static const char process_from[] =
	"FROM proc_series ps\n"
	"JOIN proc_sample q ON q.process_id = ps.process_id AND q.sample = ps.sample\n"
	"JOIN process p ON p.id = ps.process_id\n"
	"LEFT JOIN proc_rollup r ON r.process_id = ps.process_id AND r.sample = ps.sample\n"
	/* once, not per row as a scalar subquery of host_last would be */
	"CROSS JOIN (SELECT clk_tck FROM host_last) hz\n";

static const struct export_col mapping_cols[] = {
	TIME_COLS("s"),
	{ "pid", XT_INT, KEY, "p.pid" },
	{ "starttime_ticks", XT_INT, KEY, "p.starttime" },
	{ "comm", XT_TEXT, 0, "p.comm" },
	{ "address_start", XT_TEXT, KEY, "fmt_hex(m.start, 16)" },
	{ "address_end", XT_TEXT, NN, "fmt_hex(m.\"end\", 16)" },
	{ "perms", XT_TEXT, 0, "m.perms" },
	{ "offset_bytes", XT_INT, 0, "m.offset" },
	{ "inode", XT_INT, 0, "m.inode" },
	{ "path", XT_TEXT, 0, "m.path" },
	{ "kind", XT_TEXT, 0, "m.kind" },
	{ "size_bytes", XT_INT, 0, "m.size" },
	{ "rss_bytes", XT_INT, 0, "m.rss" },
	{ "pss_bytes", XT_INT, 0, "m.pss" },
	{ "shared_clean_bytes", XT_INT, 0, "m.shared_clean" },
	{ "shared_dirty_bytes", XT_INT, 0, "m.shared_dirty" },
	{ "private_clean_bytes", XT_INT, 0, "m.private_clean" },
	{ "private_dirty_bytes", XT_INT, 0, "m.private_dirty" },
	{ "anonymous_bytes", XT_INT, 0, "m.anonymous" },
	{ "anon_huge_bytes", XT_INT, 0, "m.anon_huge" },
	{ "swap_bytes", XT_INT, 0, "m.swap" },
	{ "swap_pss_bytes", XT_INT, 0, "m.swap_pss" },
	{ "locked_bytes", XT_INT, 0, "m.locked" },
};

static const char mapping_from[] =
	"FROM mapping m\n"
	"JOIN process p ON p.id = m.process_id\n"
	"JOIN (SELECT id AS sample, t, t_utc FROM sample) s ON s.sample = m.sample\n";

static const struct export_col finding_cols[] = {
	{ "rule", XT_TEXT, KEY, NULL },
	{ "severity", XT_TEXT, NN, NULL },
	{ "entity_kind", XT_TEXT, NN, NULL },
	{ "entity", XT_TEXT, NN, NULL },
	{ "entity_identity", XT_TEXT, NN, NULL },
	{ "t_start", XT_REAL, NN, NULL },
	{ "start_utc", XT_TIME, KEY, NULL },
	{ "t_end", XT_REAL, NN, NULL },
	{ "end_utc", XT_TIME, NN, NULL },
	{ "value", XT_REAL, 0, NULL },
	{ "message", XT_TEXT, NN, NULL },
	{ "evidence_json", XT_TEXT, NN, NULL },
};

static const struct export_col recording_cols[] = {
	{ "hostname", XT_TEXT, 0, "(SELECT hostname FROM host_last)" },
	{ "boot_id", XT_TEXT, 0, "(SELECT boot_id FROM host WHERE boot_id IS NOT NULL ORDER BY sample LIMIT 1)" },
	{ "kernel", XT_TEXT, 0, "(SELECT kernel FROM host_last)" },
	{ "machine", XT_TEXT, 0, "(SELECT machine FROM host_last)" },
	{ "cpus_online", XT_INT, 0, "(SELECT cpus_online FROM host_last)" },
	{ "page_size_bytes", XT_INT, 0, "(SELECT page_size FROM host_last)" },
	{ "t_first", XT_REAL, 0, "(SELECT min(t) FROM sample)" },
	{ "first_utc", XT_TIME, 0, "(SELECT t_utc FROM sample ORDER BY id LIMIT 1)" },
	{ "t_last", XT_REAL, 0, "(SELECT max(t) FROM sample)" },
	{ "last_utc", XT_TIME, 0, "(SELECT t_utc FROM sample ORDER BY id DESC LIMIT 1)" },
	{ "samples", XT_INT, NN, "(SELECT count(*) FROM sample)" },
	{ "processes", XT_INT, NN, "(SELECT count(*) FROM process)" },
	{ "source", XT_TEXT, 0, "(SELECT bundle_path FROM load_info)" },
	{ "bundle_hash", XT_TEXT, 0, "(SELECT bundle_hash FROM load_info)" },
	{ "truncated", XT_INT, 0, "(SELECT truncated FROM load_info)" },
	{ "corrupt", XT_INT, 0, "(SELECT corrupt FROM load_info)" },
	{ "window_from", XT_REAL, 0, "(SELECT window_from FROM load_info)" },
	{ "window_to", XT_REAL, 0, "(SELECT window_to FROM load_info)" },
	{ "export_version", XT_INT, NN, "1" },
};

const struct export_table export_tables[EXPORT_NTABLES] = {
	{ "system", "one row per sample: meminfo, load, vmstat rates, PSI", system_cols, N(system_cols),
	  system_from, "ORDER BY m.sample" },
	{ "node", "one row per sample and NUMA node", node_cols, N(node_cols), node_from,
	  "ORDER BY n.sample, n.node" },
	{ "cgroup", "one row per sample and memory cgroup", cgroup_cols, N(cgroup_cols), cgroup_from,
	  "ORDER BY v.sample, c.rel" },
	{ "process", "one row per sample and process", process_cols, N(process_cols), process_from,
	  "ORDER BY ps.sample, ps.process_id" },
	{ "mapping", "one row per mapping of the processes whose smaps was read (tier 2)", mapping_cols,
	  N(mapping_cols), mapping_from, "ORDER BY m.process_id, m.sample, m.start" },
	{ "finding", "one row per finding of the rules", finding_cols, N(finding_cols), NULL, NULL },
	{ "recording", "one row per host and recording", recording_cols, N(recording_cols), "", "" },
};
