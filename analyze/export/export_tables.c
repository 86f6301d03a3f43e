/*
 * export_tables.c - the exported tables: each column's name (with its
 * unit), type, and SQL over a host's tables and views (docs/schema.md).
 * docs/export.md describes them; tests/e2e/export/ checks that it names
 * every column.
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
	{ "host", XT_TEXT, KEY, NULL, "the host's name in this export (its host name; NAME/BOOT where two share it)" },
	{ "recording_id", XT_TEXT, KEY, NULL, "the recording: its boot id, '@', and its first sample's epoch second" },
};

const char export_recording_id_sql[] =
	"SELECT coalesce((SELECT boot_id FROM host WHERE boot_id IS NOT NULL ORDER BY sample LIMIT 1), 'unknown')"
	" || '@' || coalesce(CAST((SELECT min(t) FROM sample) AS INTEGER), 0)";

/* as every time-series view has them: the sample, t and t_utc */
#define TIME_COLS(a)                                                                             \
	{ "sample", XT_INT, KEY, a ".sample", "the sample's number in the recording" },          \
	{ "t", XT_REAL, NN, a ".t", "the sample's start: UTC seconds since the epoch" },           \
	{ "t_utc", XT_TIME, KEY, a ".t_utc", "the same as ISO 8601 UTC text, to the millisecond" }

static const struct export_col system_cols[] = {
	TIME_COLS("m"),
#define MEM(name, doc) { name, XT_INT, 0, "m." name, doc }
	MEM("mem_total_bytes", "MemTotal"),
	MEM("mem_free_bytes", "MemFree"),
	MEM("mem_available_bytes", "MemAvailable (estimated on kernels without it)"),
	MEM("buffers_bytes", "Buffers"),
	MEM("cached_bytes", "Cached"),
	MEM("swap_cached_bytes", "SwapCached"),
	MEM("active_anon_bytes", "Active(anon)"),
	MEM("inactive_anon_bytes", "Inactive(anon)"),
	MEM("active_file_bytes", "Active(file)"),
	MEM("inactive_file_bytes", "Inactive(file)"),
	MEM("unevictable_bytes", "Unevictable"),
	MEM("swap_total_bytes", "SwapTotal"),
	MEM("swap_free_bytes", "SwapFree"),
	MEM("dirty_bytes", "Dirty"),
	MEM("anon_bytes", "AnonPages"),
	MEM("mapped_bytes", "Mapped"),
	MEM("shmem_bytes", "Shmem"),
	MEM("slab_bytes", "Slab"),
	MEM("s_reclaimable_bytes", "SReclaimable"),
	MEM("s_unreclaim_bytes", "SUnreclaim"),
	MEM("kernel_stack_bytes", "KernelStack"),
	MEM("page_tables_bytes", "PageTables"),
	MEM("commit_limit_bytes", "CommitLimit"),
	MEM("committed_as_bytes", "Committed_AS"),
	MEM("anon_huge_bytes", "AnonHugePages"),
	MEM("hugepages_total", "HugePages_Total (a count of huge pages)"),
#undef MEM
	{ "load1", XT_REAL, 0, "l.load1", "/proc/loadavg, 1 minute" },
	{ "load5", XT_REAL, 0, "l.load5", "5 minutes" },
	{ "load15", XT_REAL, 0, "l.load15", "15 minutes" },
	{ "processes", XT_INT, 0, "(SELECT processes FROM sample WHERE id = m.sample)", "processes the collector saw" },
	{ "pgfault_per_s", XT_REAL, 0, "v.pgfault", "page faults a second (vmstat pgfault), since the previous sample" },
	{ "pgmajfault_per_s", XT_REAL, 0, "v.pgmajfault", "major faults a second" },
	{ "pswpin_pages_per_s", XT_REAL, 0, "v.pswpin", "pages swapped in a second" },
	{ "pswpout_pages_per_s", XT_REAL, 0, "v.pswpout", "pages swapped out a second" },
	{ "workingset_refault_file_pages_per_s", XT_REAL, 0, "v.refault",
	  "page cache refaults a second (workingset_refault_file, or workingset_refault before 5.9)" },
	{ "pgscan_pages_per_s", XT_REAL, 0, "v.pgscan", "pages scanned by reclaim a second (kswapd and direct)" },
	{ "pgsteal_pages_per_s", XT_REAL, 0, "v.pgsteal", "pages reclaimed a second (kswapd and direct)" },
	{ "oom_kills", XT_INT, 0, "v.oom_kill", "OOM kills since the previous sample (vmstat oom_kill)" },
	{ "psi_some_stall_share", XT_REAL, 0, "p.some", "memory PSI 'some': share of the time since the previous "
	  "sample (0 to 1)" },
	{ "psi_full_stall_share", XT_REAL, 0, "p.full", "memory PSI 'full', the same" },
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
	{ "node", XT_INT, KEY, "n.node", "the NUMA node" },
	{ "mem_total_bytes", XT_INT, 0, "n.mem_total", "nodeN/meminfo MemTotal" },
	{ "mem_free_bytes", XT_INT, 0, "n.mem_free", "MemFree" },
	{ "mem_used_bytes", XT_INT, 0, "n.mem_used", "MemUsed" },
	{ "file_pages_bytes", XT_INT, 0, "n.file_pages", "FilePages" },
	{ "anon_bytes", XT_INT, 0, "n.anon_pages", "AnonPages" },
	{ "active_anon_bytes", XT_INT, 0, "n.active_anon", "Active(anon)" },
	{ "inactive_anon_bytes", XT_INT, 0, "n.inactive_anon", "Inactive(anon)" },
	{ "active_file_bytes", XT_INT, 0, "n.active_file", "Active(file)" },
	{ "inactive_file_bytes", XT_INT, 0, "n.inactive_file", "Inactive(file)" },
	{ "shmem_bytes", XT_INT, 0, "n.shmem", "Shmem" },
	{ "s_reclaimable_bytes", XT_INT, 0, "n.s_reclaimable", "SReclaimable" },
	{ "s_unreclaim_bytes", XT_INT, 0, "n.s_unreclaim", "SUnreclaim" },
	{ "numa_hit_pages_per_s", XT_REAL, 0, "r.numa_hit", "nodeN/numastat numa_hit a second" },
	{ "numa_miss_pages_per_s", XT_REAL, 0, "r.numa_miss", "numa_miss a second" },
	{ "numa_foreign_pages_per_s", XT_REAL, 0, "r.numa_foreign", "numa_foreign a second" },
	{ "local_node_pages_per_s", XT_REAL, 0, "r.local_node", "local_node a second" },
	{ "other_node_pages_per_s", XT_REAL, 0, "r.other_node", "other_node a second" },
	{ "interleave_hit_pages_per_s", XT_REAL, 0, "r.interleave_hit", "interleave_hit a second" },
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
	{ "cgroup", XT_TEXT, KEY, "c.rel", "the memory cgroup's path below the mount ('/' for the root)" },
	{ "cgroup_version", XT_INT, NN, "c.version", "1 or 2" },
	{ "memory_current_bytes", XT_INT, 0, "v.cur", "memory.current (v2), memory.usage_in_bytes (v1)" },
	{ "memory_limit_bytes", XT_INT, 0, "v.lim", "memory.max (v2; NULL: max), memory.limit_in_bytes (v1)" },
	{ "memory_high_bytes", XT_INT, 0, "v.high", "memory.high (v2; NULL: max)" },
	{ "swap_current_bytes", XT_INT, 0, "v.swap", "memory.swap.current (v2)" },
	{ "anon_bytes", XT_INT, 0, "v.anon", "memory.stat anon (v2), rss (v1: anonymous and swap cache)" },
	{ "file_bytes", XT_INT, 0, "v.file", "memory.stat file (v2), cache (v1)" },
	{ "shmem_bytes", XT_INT, 0, "v.shmem", "memory.stat shmem" },
	{ "oom_kill_total", XT_INT, 0, "v.oom_kill", "OOM kills in the cgroup so far (memory.events, "
	  "memory.oom_control): a counter" },
	{ "pgmajfault_total", XT_INT, 0, "v.pgmajfault", "memory.stat pgmajfault: a counter" },
	{ "psi_some_stall_share", XT_REAL, 0, "p.some", "the cgroup's memory.pressure 'some' since the "
	  "previous sample (0 to 1)" },
	{ "psi_full_stall_share", XT_REAL, 0, "p.full", "its 'full', the same" },
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
	{ "pid", XT_INT, KEY, "ps.pid", "the process: PID ..." },
	{ "starttime_ticks", XT_INT, KEY, "p.starttime", "... and start time (clock ticks after boot, stat field 22)" },
	{ "comm", XT_TEXT, 0, "ps.comm", "its name" },
	{ "ppid", XT_INT, 0, "p.ppid", "its parent" },
	{ "uid", XT_INT, 0, "p.uid", "its real uid" },
	{ "state", XT_TEXT, 0, "q.state", "R, S, D ... (stat)" },
	{ "threads", XT_INT, 0, "ps.threads", "Threads" },
	{ "cgroup", XT_TEXT, 0, "coalesce((" MEMCG("pc.hierarchy > 0 AND ',' || pc.controllers || ',' LIKE '%,memory,%'")
	  "), (" MEMCG("pc.hierarchy = 0") "))", "its memory cgroup (v1's memory hierarchy, else v2's)" },
	{ "vm_rss_bytes", XT_INT, 0, "ps.vm_rss_bytes", "VmRSS" },
	{ "rss_anon_bytes", XT_INT, 0, "ps.rss_anon_bytes", "RssAnon" },
	{ "rss_file_bytes", XT_INT, 0, "ps.rss_file_bytes", "RssFile" },
	{ "rss_shmem_bytes", XT_INT, 0, "ps.rss_shmem_bytes", "RssShmem" },
	{ "vm_swap_bytes", XT_INT, 0, "ps.vm_swap_bytes", "VmSwap" },
	{ "anon_total_bytes", XT_INT, 0, "ps.anon_total_bytes", "RssAnon + VmSwap (what the leak rule follows)" },
	{ "vm_size_bytes", XT_INT, 0, "ps.vm_size_bytes", "VmSize" },
	{ "vm_data_bytes", XT_INT, 0, "ps.vm_data_bytes", "VmData" },
	{ "vm_hwm_bytes", XT_INT, 0, "q.vm_hwm", "VmHWM" },
	{ "pss_bytes", XT_INT, 0, "r.pss", "smaps_rollup Pss (tier-1 samples only)" },
	{ "uss_bytes", XT_INT, 0, "r.uss", "Private_Clean + Private_Dirty (the same)" },
	{ "pss_anon_bytes", XT_INT, 0, "r.pss_anon", "Pss_Anon (the same)" },
	{ "swap_pss_bytes", XT_INT, 0, "r.swap_pss", "SwapPss (the same)" },
	{ "oom_score", XT_INT, 0, "ps.oom_score", "oom_score" },
	{ "oom_score_adj", XT_INT, 0, "ps.oom_score_adj", "oom_score_adj" },
	{ "cpu_user_s", XT_REAL, 0, "q.utime * 1.0 / hz.clk_tck", "user CPU so far: a counter" },
	{ "cpu_system_s", XT_REAL, 0, "q.stime * 1.0 / hz.clk_tck", "system CPU so far" },
	{ "majflt", XT_INT, 0, "ps.majflt", "major faults so far: a counter" },
	{ "minflt", XT_INT, 0, "ps.minflt", "minor faults so far: a counter" },
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
	{ "pid", XT_INT, KEY, "p.pid", "the process (as in process)" },
	{ "starttime_ticks", XT_INT, KEY, "p.starttime", "" },
	{ "comm", XT_TEXT, 0, "p.comm", "" },
	{ "address_start", XT_TEXT, KEY, "printf('%016x', m.start)", "the mapping's first address: 16 hex "
	  "digits, so that text order is address order" },
	{ "address_end", XT_TEXT, NN, "printf('%016x', m.\"end\")", "its end (exclusive)" },
	{ "perms", XT_TEXT, 0, "m.perms", "rwxp" },
	{ "offset_bytes", XT_INT, 0, "m.offset", "offset in the file" },
	{ "inode", XT_INT, 0, "m.inode", "the file's inode" },
	{ "path", XT_TEXT, 0, "m.path", "'' anonymous; [heap], [stack], a file ..." },
	{ "kind", XT_TEXT, 0, "m.kind", "heap, stack, anon, file, shmem, special" },
	{ "size_bytes", XT_INT, 0, "m.size", "Size" },
	{ "rss_bytes", XT_INT, 0, "m.rss", "Rss" },
	{ "pss_bytes", XT_INT, 0, "m.pss", "Pss" },
	{ "shared_clean_bytes", XT_INT, 0, "m.shared_clean", "Shared_Clean" },
	{ "shared_dirty_bytes", XT_INT, 0, "m.shared_dirty", "Shared_Dirty" },
	{ "private_clean_bytes", XT_INT, 0, "m.private_clean", "Private_Clean" },
	{ "private_dirty_bytes", XT_INT, 0, "m.private_dirty", "Private_Dirty" },
	{ "anonymous_bytes", XT_INT, 0, "m.anonymous", "Anonymous" },
	{ "anon_huge_bytes", XT_INT, 0, "m.anon_huge", "AnonHugePages" },
	{ "swap_bytes", XT_INT, 0, "m.swap", "Swap" },
	{ "swap_pss_bytes", XT_INT, 0, "m.swap_pss", "SwapPss" },
	{ "locked_bytes", XT_INT, 0, "m.locked", "Locked" },
};

static const char mapping_from[] =
	"FROM mapping m\n"
	"JOIN process p ON p.id = m.process_id\n"
	"JOIN (SELECT id AS sample, t, t_utc FROM sample) s ON s.sample = m.sample\n";

static const struct export_col finding_cols[] = {
	{ "rule", XT_TEXT, KEY, NULL, "the rule's id (leak/process ...)" },
	{ "severity", XT_TEXT, NN, NULL, "info, warning or critical" },
	{ "entity_kind", XT_TEXT, NN, NULL, "process, mapping, cgroup, node, zone, system ..." },
	{ "entity", XT_TEXT, NN, NULL, "the entity as the report names it (\"4242 (orders-svc)\")" },
	{ "entity_identity", XT_TEXT, NN, NULL, "the entity as hosts share it (\"orders-svc\"): what the "
	  "fleet summary groups by" },
	{ "t_start", XT_REAL, NN, NULL, "the finding's window, as in the JSON report: UTC seconds since the epoch" },
	{ "start_utc", XT_TIME, KEY, NULL, "its start as ISO 8601 UTC text (to the second, as the JSON report)" },
	{ "t_end", XT_REAL, NN, NULL, "" },
	{ "end_utc", XT_TIME, NN, NULL, "" },
	{ "value", XT_REAL, 0, NULL, "the rule's measure (docs/rules/)" },
	{ "message", XT_TEXT, NN, NULL, "the finding in words" },
	{ "evidence_json", XT_TEXT, NN, NULL, "every other column of the rule's row, as a JSON object" },
};

static const struct export_col recording_cols[] = {
	{ "hostname", XT_TEXT, 0, "(SELECT hostname FROM host_last)", "uname nodename" },
	{ "boot_id", XT_TEXT, 0, "(SELECT boot_id FROM host WHERE boot_id IS NOT NULL ORDER BY sample LIMIT 1)",
	  "/proc/sys/kernel/random/boot_id" },
	{ "kernel", XT_TEXT, 0, "(SELECT kernel FROM host_last)", "uname release" },
	{ "machine", XT_TEXT, 0, "(SELECT machine FROM host_last)", "x86_64, aarch64 ..." },
	{ "cpus_online", XT_INT, 0, "(SELECT cpus_online FROM host_last)", "" },
	{ "page_size_bytes", XT_INT, 0, "(SELECT page_size FROM host_last)", "" },
	{ "t_first", XT_REAL, 0, "(SELECT min(t) FROM sample)", "the first sample (as the JSON report's bundle)" },
	{ "first_utc", XT_TIME, 0, "(SELECT t_utc FROM sample ORDER BY id LIMIT 1)", "" },
	{ "t_last", XT_REAL, 0, "(SELECT max(t) FROM sample)", "the last sample" },
	{ "last_utc", XT_TIME, 0, "(SELECT t_utc FROM sample ORDER BY id DESC LIMIT 1)", "" },
	{ "samples", XT_INT, NN, "(SELECT count(*) FROM sample)", "complete samples" },
	{ "processes", XT_INT, NN, "(SELECT count(*) FROM process)", "distinct processes seen" },
	{ "source", XT_TEXT, 0, "(SELECT bundle_path FROM load_info)", "the bundle, as it was named when loaded" },
	{ "bundle_hash", XT_TEXT, 0, "(SELECT bundle_hash FROM load_info)", "its identity (docs/schema.md)" },
	{ "truncated", XT_INT, 0, "(SELECT truncated FROM load_info)", "1: the bundle ends early" },
	{ "corrupt", XT_INT, 0, "(SELECT corrupt FROM load_info)", "1: damaged after a readable prefix" },
	{ "export_version", XT_INT, NN, "1", "this schema's version (docs/export.md)" },
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
