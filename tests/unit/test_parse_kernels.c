/*
 * test_parse_kernels.c - every parser on every real text of
 * tests/fixtures/kernels (kernels 2.6.32 to 6.x and other projects' test
 * data: README.md and SOURCES.md there say what each file is and where it
 * comes from).
 *
 * kernels_every_file_parses walks the whole tree: each file goes to the
 * parser of its kind (by its name, as the loader's kinds table would),
 * and must parse with nothing lost, every line read, but for the few real
 * texts listed in `odd` (what is reported for them is checked too).  A
 * file of no known kind fails the case, so a new fixture cannot go
 * untested.  The other cases check, per parser, the values and quirks of
 * the kernels the tree has (the values are the files' own, read by eye or
 * with grep; each says where).
 */
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buddyinfo.h"
#include "cgroup_numa_stat.h"
#include "cgroup_value.h"
#include "kv.h"
#include "loadavg.h"
#include "numa_maps.h"
#include "parse_stat.h"
#include "pressure.h"
#include "proc_cgroup.h"
#include "smaps.h"
#include "smaps_rollup.h"
#include "status.h"
#include "swaps.h"
#include "test.h"
#include "uptime.h"
#include "zoneinfo.h"

#define KERNELS "kernels/"

/* ---- the kinds, by file name ---- */

enum kind {
	K_STAT, K_STATM, K_STATUS, K_PROC_CGROUP, K_SMAPS, K_ROLLUP, K_NUMA_MAPS, K_KV,
	K_NODE_KV, K_ZONEINFO, K_BUDDYINFO, K_SWAPS, K_PRESSURE, K_LOADAVG, K_UPTIME,
	K_CG_KV, K_CG_NUMA, K_CG_VALUE, K_NONE, K_COUNT = K_NONE
};

static const char *const kind_name[] = {
	"stat", "statm", "status", "proc cgroup", "smaps", "smaps_rollup", "numa_maps", "kv",
	"node kv", "zoneinfo", "buddyinfo", "swaps", "pressure", "loadavg", "uptime",
	"cgroup kv", "memory.numa_stat", "cgroup value",
};

/* The kind of the file at PATH (below tests/fixtures/kernels/LABEL/). */
static enum kind kind_of(const char *path)
{
	static const struct {
		const char *name;
		enum kind kind;
	} names[] = {
		{ "stat", K_STAT }, { "statm", K_STATM }, { "status", K_STATUS },
		{ "smaps", K_SMAPS }, { "smaps_rollup", K_ROLLUP }, { "numa_maps", K_NUMA_MAPS },
		{ "vmstat", K_KV }, { "numastat", K_KV }, { "zoneinfo", K_ZONEINFO },
		{ "buddyinfo", K_BUDDYINFO }, { "swaps", K_SWAPS }, { "loadavg", K_LOADAVG },
		{ "uptime", K_UPTIME }, { "memory.pressure", K_PRESSURE },
		{ "memory.stat", K_CG_KV }, { "memory.events", K_CG_KV },
		{ "memory.events.local", K_CG_KV }, { "memory.swap.events", K_CG_KV },
		{ "memory.oom_control", K_CG_KV }, { "memory.numa_stat", K_CG_NUMA },
	};
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(base, names[i].name))
			return names[i].kind;
	if (!strcmp(base, "meminfo"))
		return strstr(path, "/node/node") ? K_NODE_KV : K_KV;
	if (!strcmp(base, "cgroup"))
		return K_PROC_CGROUP;
	if (!strcmp(base, "memory") && strstr(path, "/proc/pressure/"))
		return K_PRESSURE;
	if (!strncmp(base, "memory.", 7))
		return K_CG_VALUE;
	return K_NONE;
}

/* ---- one parse, whatever the kind: rc, rows, and what was reported ---- */

static int count_kv(void *ctx, const struct kv *kv, struct ms_err *err)
{
	(void)kv;
	(void)err;
	++*(size_t *)ctx;
	return 0;
}

#define COUNTER(name, type)                                                     \
	static int name(void *ctx, const type *row, struct ms_err *err)         \
	{                                                                       \
		(void)row;                                                      \
		(void)err;                                                      \
		++*(size_t *)ctx;                                               \
		return 0;                                                       \
	}
COUNTER(count_smaps, struct smaps_vma)
COUNTER(count_numa, struct numa_maps_vma)
COUNTER(count_zone, struct zoneinfo_row)
COUNTER(count_buddy, struct buddyinfo_row)
COUNTER(count_swap, struct swaps_row)
COUNTER(count_psi, struct pressure_row)
COUNTER(count_cg, struct proc_cgroup_row)
COUNTER(count_cg_numa, struct cgroup_numa_row)

/* Parse TEXT (LEN bytes, an exact copy) as kind K into *ROWS. */
static int parse_as(enum kind k, const char *text, size_t len, size_t *rows, struct ms_err *e)
{
	const struct ms_report *r = &test_rep;
	*rows = 0;
	switch (k) {
	case K_STAT: {
		struct proc_stat st;
		return parse_stat(text, len, &st, r, e);
	}
	case K_STATM: {
		uint64_t a, b;
		return parse_statm(text, len, &a, &b, e);
	}
	case K_STATUS: {
		struct proc_status st;
		int rc = status_parse(text, len, &st, r, e);
		if (rc == 0)
			status_release(&st);
		return rc;
	}
	case K_ROLLUP: {
		struct smaps_rollup ro;
		return smaps_rollup_parse(text, len, &ro, r, e);
	}
	case K_LOADAVG: {
		struct loadavg a;
		return loadavg_parse(text, len, &a, e);
	}
	case K_UPTIME: {
		struct uptime u;
		return uptime_parse(text, len, &u, e);
	}
	case K_CG_VALUE: {
		struct cgroup_value v;
		return cgroup_value_parse(text, len, &v, e);
	}
	case K_KV:
	case K_CG_KV:
		return kv_parse(text, len, 0, "kv", count_kv, rows, r, e);
	case K_NODE_KV:
		return kv_parse(text, len, KV_SKIP_PREFIX_NODE, "kv", count_kv, rows, r, e);
	case K_PROC_CGROUP: return proc_cgroup_parse(text, len, count_cg, rows, r, e);
	case K_SMAPS: return smaps_parse(text, len, count_smaps, rows, r, e);
	case K_NUMA_MAPS: return numa_maps_parse(text, len, count_numa, rows, r, e);
	case K_ZONEINFO: return zoneinfo_parse(text, len, count_zone, rows, r, e);
	case K_BUDDYINFO: return buddyinfo_parse(text, len, count_buddy, rows, r, e);
	case K_SWAPS: return swaps_parse(text, len, count_swap, rows, r, e);
	case K_PRESSURE: return pressure_parse(text, len, count_psi, rows, r, e);
	case K_CG_NUMA: return cgroup_numa_stat_parse(text, len, count_cg_numa, rows, r, e);
	case K_NONE: break;
	}
	return -1;
}

/* The real texts that do not parse whole, and what is said about them. */
static const struct {
	const char *path;   /* below tests/fixtures/kernels/ */
	int rc;
	const char *said;   /* ERR's message (rc -1) or the reports (rc 0) */
} odd[] = {
	/* a 2.6-era meminfo that opens with the 2.4-style summary: those three
	 * lines go, the 39 "Key: N kB" lines after them are read */
	{ "unstated-gopsutil-issue1002/proc/meminfo", 0,
	  "kv:1: expected a number after 'total', got 'used:    free:  shared: buffers:  cached:'\n"
	  "kv:2: unexpected text after the value of 'Mem': '260579328 136073216 124506112        0  "
	  "4915200 94064640'\n"
	  "kv:3: unexpected text after the value of 'Swap': '0        0        0'\n" },
	/* a counter printed without its name, in the node's vmstat and in the
	 * zoneinfo of the same capture: nothing to key it by */
	{ "unstated-pcp-meminfo-root-006/sys/devices/system/node/node0/vmstat", 0,
	  "kv:47: a number without a key: '176096'\n" },
	{ "unstated-pcp-meminfo-root-006/proc/zoneinfo", 0,
	  "zoneinfo:30: a number without a key: '176096'\n" },
	/* root-004's node files end in NUL bytes (the capture's sysfs reads):
	 * that last line goes, the others are read */
	{ "unstated-pcp-meminfo-root-004/sys/devices/system/node/node0/meminfo", 0,
	  "kv:32: NUL byte\n" },
	{ "unstated-pcp-meminfo-root-004/sys/devices/system/node/node0/numastat", 0,
	  "kv:7: NUL byte\n" },
	{ "unstated-pcp-meminfo-root-004/sys/devices/system/node/node0/vmstat", 0,
	  "kv:48: NUL byte\n" },
	/* captured by PCP as empty files (SOURCES.md): a single-value file
	 * holds no value (a load_error), a key/value file no rows */
#define TITAN "unstated-pcp-containers-docker-titan-root-007/sys/fs/cgroup/memory/" \
	"containers.slice/" \
	"9420592e-e762-4856-ab83-0262e6b1ac7e/" \
	"e41d0176fce811b3065a604031ff6629c850d76747a29604ff930794596052bb/"
	{ TITAN "memory.limit_in_bytes", -1, "cgroup_value:1: empty file" },
	{ TITAN "memory.soft_limit_in_bytes", -1, "cgroup_value:1: empty file" },
	{ TITAN "memory.usage_in_bytes", -1, "cgroup_value:1: empty file" },
	{ TITAN "memory.max_usage_in_bytes", -1, "cgroup_value:1: empty file" },
	{ TITAN "memory.failcnt", -1, "cgroup_value:1: empty file" },
};

/* the walk's state (nftw() passes none) */
static struct {
	size_t root_len;
	size_t files, per_kind[K_COUNT], odd_seen;
} walk;

static int on_file(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type != FTW_F)
		return 0;
	const char *rel = path + walk.root_len;
	if (!strcmp(rel, "README.md") || !strcmp(rel, "SOURCES.md"))
		return 0;
	enum kind k = kind_of(rel);
	if (!CHECK(k != K_NONE)) {
		fprintf(stderr, "  %s: no parser for this file\n", rel);
		return 0;
	}
	size_t len, rows;
	char *text = test_read_file(path, &len);
	char *copy = test_exact_copy(text, len);
	struct ms_err e = MS_ERR_INIT;
	int rc = parse_as(k, copy, len, &rows, &e);
	const char *said = rc == 0 ? test_reports() : ms_err_msg(&e);
	int want_rc = 0;
	const char *want = "";
	for (size_t i = 0; i < sizeof(odd) / sizeof(*odd); i++)
		if (!strcmp(rel, odd[i].path)) {
			want_rc = odd[i].rc;
			want = odd[i].said;
			walk.odd_seen++;
		}
	if (!CHECK_EQ_I64(rc, want_rc) || !CHECK_STR(said, want))
		fprintf(stderr, "  %s (as %s)\n", rel, kind_name[k]);
	test_reports();
	ms_err_release(&e);
	free(copy);
	free(text);
	walk.files++;
	walk.per_kind[k]++;
	return 0;
}

TEST(kernels_every_file_parses)
{
	const char *fx = getenv("MEMSNAP_FIXTURES");
	REQUIRE(fx != NULL);
	char root[PATH_MAX];
	int n = snprintf(root, sizeof(root), "%s/" KERNELS, fx);
	REQUIRE(n > 0 && (size_t)n < sizeof(root));
	walk.root_len = (size_t)n;
	REQUIRE(nftw(root, on_file, 16, FTW_PHYS) == 0);
	CHECK(walk.files >= 300);
	CHECK_EQ_U64(walk.odd_seen, sizeof(odd) / sizeof(*odd));
	for (int k = 0; k < K_COUNT; k++)
		if (!CHECK(walk.per_kind[k] > 0))
			fprintf(stderr, "  no real text of kind %s\n", kind_name[k]);
}

/* ---- the quirks, parser by parser, with the files' own values ---- */

/* The fixture kernels/REL parsed from an exact copy as kind K: 0, nothing
 * reported (the sweep above checks every file so; these read values) */
static char *text_of(const char *rel, size_t *len)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), KERNELS "%s", rel);
	REQUIRE(n > 0 && (size_t)n < sizeof(path));
	char *text = read_fixture(path, len);
	char *copy = test_exact_copy(text, *len);
	free(text);
	return copy;
}

/* /proc/PID/stat: comm with blanks and parentheses (found from the last
 * ')'), 44 fields on 2.6.32 and 3.2.0 (processor, field 39, there), 52
 * later; rsslim (field 25) is 2^64-1 in all but 3.2.0's and costs
 * nothing.  Values: the files' fields, split by the last ')'. */
TEST(kernels_stat)
{
	static const struct {
		const char *file, *comm;
		int64_t ppid, threads, rss, processor;
		uint64_t minflt, utime, starttime, vsize;
	} cases[] = {
		{ "2.6.32-pcp/proc/1/stat", "init", 0, 1, 385, 0, 2875, 4, 2, 19820544 },
		{ "3.2.0-pcp/proc/1/stat", "init", 0, 1, 211, 1, 1070, 1, 1, 3309568 },
		{ "3.19.0-pcp/proc/664/stat", "(sd-pam)", 661, 1, 740, 0, 26, 0, 4307, 75739136 },
		{ "4.2.3-pcp/proc/11674/stat", "Latency Logger", 1, 65, 330098, 2, 940860592,
		  11744660, 520601, 3249750016u },
		{ "4.2.3-pcp/proc/20520/stat", "DNS Res~r #3682", 1, 65, 330098, 2, 940860592,
		  11744660, 231654138, 3249750016u },
		{ "5.5.7-pcp/proc/1/stat", "systemd", 0, 1, 2635, 2, 2010568, 8226, 24, 178257920 },
		{ "unstated-gopsutil/proc/68927/stat", "test(cmd).sh", 68044, 1, 868, 1, 165, 0,
		  114413973, 9961472 },
		/* a second line follows the stat line in procfs' file */
		{ "unstated-prometheus-procfs/proc/584/stat", "(a b ) ( c d) ", 28378, 1, 155, 5, 286,
		  0, 10839175, 10395648 },
		{ "6.x-fedora40/proc/33925/stat", "rpc.statd", 1, 1, 664, 3, 104, 1, 840035,
		  10326016 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		size_t len;
		char *text = text_of(cases[i].file, &len);
		struct proc_stat st;
		struct ms_err e = MS_ERR_INIT;
		if (!CHECK_EQ_I64(parse_stat(text, len, &st, &test_rep, &e), 0) ||
		    !CHECK_STR(st.comm, cases[i].comm) || !CHECK_EQ_I64(st.ppid, cases[i].ppid) ||
		    !CHECK_EQ_I64(st.num_threads, cases[i].threads) ||
		    !CHECK_EQ_I64(st.rss, cases[i].rss) ||
		    !CHECK_EQ_I64(st.processor, cases[i].processor) ||
		    !CHECK_EQ_U64(st.minflt, cases[i].minflt) ||
		    !CHECK_EQ_U64(st.utime, cases[i].utime) ||
		    !CHECK_EQ_U64(st.starttime, cases[i].starttime) ||
		    !CHECK_EQ_U64(st.vsize, cases[i].vsize) || !CHECK_EQ_U64(st.has, 0x1ff) ||
		    !CHECK_STR(test_reports(), ""))
			fprintf(stderr, "  %s\n", cases[i].file);
		ms_err_release(&e);
		free(text);
	}
}

/* /proc/PID/status without RssAnon/RssFile/RssShmem (before 4.5: 2.6.32,
 * 3.19) and with them (4.14, 5.5, sysstat's); statm. */
TEST(kernels_status_statm)
{
	static const struct {
		const char *file, *name;
		int64_t uid, vm_rss_kb, rss_anon_kb, vm_swap_kb;
	} cases[] = {
		{ "2.6.32-pcp/proc/1/status", "init", 0, 1540, -1, 0 },
		{ "3.19.0-pcp/proc/664/status", "(sd-pam)", 42, 2960, -1, 0 },
		{ "4.14.5-pcp/proc/1/status", "systemd", 0, 9624, 4460, 0 },
		{ "5.5.7-pcp/proc/1/status", "systemd", 0, 10540, 6056, 2000 },
		{ "unstated-sysstat/proc/8407/task/8407/status", "gnome-terminal-", 0, 42156, 13380,
		  0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		size_t len;
		char *text = text_of(cases[i].file, &len);
		struct proc_status st;
		struct ms_err e = MS_ERR_INIT;
		int64_t anon = cases[i].rss_anon_kb;
		if (!CHECK_EQ_I64(status_parse(text, len, &st, &test_rep, &e), 0) ||
		    !CHECK_STR(st.name, cases[i].name) || !CHECK_EQ_I64(st.uid_real, cases[i].uid) ||
		    !CHECK_EQ_I64(st.vm_rss, cases[i].vm_rss_kb * 1024) ||
		    !CHECK_EQ_I64(st.rss_anon, anon < 0 ? -1 : anon * 1024) ||
		    !CHECK_EQ_I64(st.rss_file < 0, anon < 0) ||
		    !CHECK_EQ_I64(st.vm_swap, cases[i].vm_swap_kb * 1024))
			fprintf(stderr, "  %s\n", cases[i].file);
		status_release(&st);
		free(text);
	}
	/* statm: size and resident pages, "43520 2635 ..." and "4839 385 ..." */
	size_t len;
	uint64_t size, res;
	struct ms_err e = MS_ERR_INIT;
	char *text = text_of("5.5.7-pcp/proc/1/statm", &len);
	CHECK_EQ_I64(parse_statm(text, len, &size, &res, &e), 0);
	CHECK_EQ_U64(size, 43520);
	CHECK_EQ_U64(res, 2635);
	free(text);
	text = text_of("2.6.32-pcp/proc/1/statm", &len);
	CHECK_EQ_I64(parse_statm(text, len, &size, &res, &e), 0);
	CHECK_EQ_U64(res, 385);
	free(text);
}

/* the mappings of a smaps, their range and Pss_Anon (never per mapping) */
struct maps {
	size_t n;
	uint64_t last_start, last_end, top_start;
	int pss_anon_seen, thp;
};

static int on_map(void *ctx, const struct smaps_vma *v, struct ms_err *err)
{
	struct maps *m = ctx;
	(void)err;
	m->n++;
	m->last_start = v->start;
	m->last_end = v->end;
	if (v->start > m->top_start)
		m->top_start = v->start;
	m->pss_anon_seen |= v->f.pss_anon != -1;
	m->thp = v->thp_eligible;
	return 0;
}

/* smaps: [vsyscall] in the upper half (5.5.7, procfs), no Pss_Anon in any
 * mapping, THPeligible with blanks (sysstat's) or tabs (5.5.7); the mapping
 * counts are grep -c '^[0-9a-f]*-' of the files */
TEST(kernels_smaps)
{
	static const struct {
		const char *file;
		size_t n;
		uint64_t top;
		int thp;
	} cases[] = {
		{ "5.5.7-pcp/proc/1/smaps", 233, 0xffffffffff600000, 0 },
		{ "5.5.7-pcp/proc/291591/smaps", 45, 0xffffffffff600000, 0 },
		{ "unstated-prometheus-procfs/proc/26231/smaps", 12, 0xffffffffff600000, -1 },
		{ "unstated-cadvisor/proc/1/smaps", 4, 0, -1 },
		{ "unstated-sysstat/proc/8407/task/8407/smaps", 3, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		size_t len;
		char *text = text_of(cases[i].file, &len);
		struct maps m;
		memset(&m, 0, sizeof(m));
		struct ms_err e = MS_ERR_INIT;
		if (!CHECK_EQ_I64(smaps_parse(text, len, on_map, &m, &test_rep, &e), 0) ||
		    !CHECK_EQ_U64(m.n, cases[i].n) || !CHECK_EQ_I64(m.pss_anon_seen, 0) ||
		    (cases[i].top && !CHECK_EQ_U64(m.top_start, cases[i].top)) ||
		    !CHECK_EQ_I64(m.thp, cases[i].thp))
			fprintf(stderr, "  %s\n", cases[i].file);
		free(text);
	}
}

/* smaps_rollup: 5.5.7 with Pss_Anon/Pss_File/Pss_Shmem, procfs' (the 4.14
 * to 4.19 shape) without, its range ending in the upper half */
TEST(kernels_smaps_rollup)
{
	size_t len;
	struct smaps_rollup r;
	struct ms_err e = MS_ERR_INIT;
	char *text = text_of("5.5.7-pcp/proc/1/smaps_rollup", &len);
	CHECK_EQ_I64(smaps_rollup_parse(text, len, &r, &test_rep, &e), 0);
	CHECK_EQ_U64(r.start, 0x5651255b1000);
	CHECK_EQ_I64(r.f.rss, 10540 * 1024);
	CHECK_EQ_I64(r.f.pss_anon, 6056 * 1024);
	CHECK_EQ_I64(r.f.pss_file, 950 * 1024);
	CHECK_EQ_I64(r.f.pss_shmem, 0);
	CHECK_EQ_I64(r.f.swap_pss, 717 * 1024);
	CHECK_EQ_I64(r.f.pss_dirty, -1);
	free(text);
	text = text_of("unstated-prometheus-procfs/proc/26231/smaps_rollup", &len);
	CHECK_EQ_I64(smaps_rollup_parse(text, len, &r, &test_rep, &e), 0);
	CHECK_EQ_U64(r.end, 0xffffffffff601000);
	CHECK_EQ_I64(r.f.pss, 29944 * 1024);
	CHECK_EQ_I64(r.f.pss_anon, -1);
	CHECK_EQ_I64(r.f.lazy_free, 5848 * 1024);
	CHECK_EQ_I64(r.f.file_pmd_mapped, -1);
	CHECK_STR(test_reports(), "");
	free(text);
}

/* the lines of a /proc/PID/cgroup, in order */
struct cg_lines {
	size_t n;
	uint32_t hier[16];
	char ctl[16][64], path[16][32];
};

static int on_cg(void *ctx, const struct proc_cgroup_row *row, struct ms_err *err)
{
	struct cg_lines *c = ctx;
	(void)err;
	REQUIRE(c->n < 16);
	c->hier[c->n] = row->hierarchy;
	snprintf(c->ctl[c->n], sizeof(c->ctl[0]), "%s", row->controllers);
	snprintf(c->path[c->n], sizeof(c->path[0]), "%s", row->path);
	c->n++;
	return 0;
}

/* /proc/PID/cgroup: v1 only (2.6.32), every controller on one line
 * (3.2.0), v1 and v2's "0::" line (4.14.5), v2 only (5.5.7) */
TEST(kernels_proc_cgroup)
{
	static const struct {
		const char *file;
		size_t n;
		uint32_t first_hier;
		const char *first_ctl, *last_ctl, *last_path;
	} cases[] = {
		{ "2.6.32-pcp/proc/1/cgroup", 8, 8, "blkio", "cpuset", "/" },
		{ "3.2.0-pcp/proc/1/cgroup", 1, 1, "perf_event,blkio,net_cls,freezer,devices,cpuacct,cpu,cpuset",
		  "perf_event,blkio,net_cls,freezer,devices,cpuacct,cpu,cpuset", "/" },
		{ "4.14.5-pcp/proc/1/cgroup", 12, 11, "cpuset", "", "/init.scope" },
		{ "5.5.7-pcp/proc/1/cgroup", 1, 0, "", "", "/init.scope" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		size_t len;
		char *text = text_of(cases[i].file, &len);
		struct cg_lines c;
		memset(&c, 0, sizeof(c));
		struct ms_err e = MS_ERR_INIT;
		if (!CHECK_EQ_I64(proc_cgroup_parse(text, len, on_cg, &c, &test_rep, &e), 0) ||
		    !CHECK_EQ_U64(c.n, cases[i].n) || !CHECK_EQ_U64(c.hier[0], cases[i].first_hier) ||
		    !CHECK_STR(c.ctl[0], cases[i].first_ctl) ||
		    !CHECK_STR(c.ctl[c.n - 1], cases[i].last_ctl) ||
		    !CHECK_STR(c.path[c.n - 1], cases[i].last_path))
			fprintf(stderr, "  %s\n", cases[i].file);
		free(text);
	}
}

/* one key of a kv file: its value, big, line (0: absent), and the lines */
struct kv_find {
	const char *key;
	int64_t value;
	uint64_t big;
	int line, lines;
};

static int on_kv(void *ctx, const struct kv *kv, struct ms_err *err)
{
	struct kv_find *f = ctx;
	(void)err;
	f->lines++;
	if (kv_is(kv, f->key)) {
		f->value = kv->value;
		f->big = kv->big;
		f->line = kv->line;
	}
	return 0;
}

static struct kv_find kv_of(const char *file, const char *key)
{
	size_t len;
	char *text = text_of(file, &len);
	struct kv_find f = { key, 0, 0, 0, 0 };
	struct ms_err e = MS_ERR_INIT;
	CHECK_EQ_I64(kv_parse(text, len, 0, "kv", on_kv, &f, &test_rep, &e), 0);
	free(text);
	return f;
}

#define CHECK_KV(file, key, value_, line_, lines_) do {                         \
	struct kv_find f_ = kv_of((file), (key));                               \
	if (!CHECK_EQ_I64(f_.value, (value_)) || !CHECK_EQ_I64(f_.line, (line_)) || \
	    !CHECK_EQ_I64(f_.lines, (lines_)))                                  \
		fprintf(stderr, "  %s %s\n", (file), (key));                     \
} while (0)

/* meminfo without MemAvailable (2.6.32 RHEL 6; 3.2.0 32-bit, with
 * HighTotal), with it backported (3.10 RHEL 7.1); a 2.4-style summary
 * before the keys costs only its own lines; vmstat without a final newline
 * (4.13) keeps its last counter.  Lines and values: grep of the files. */
TEST(kernels_meminfo_vmstat)
{
	CHECK_KV("2.6.32-rhel6/proc/meminfo", "MemTotal", 793659976LL * 1024, 1, 43);
	CHECK_KV("2.6.32-rhel6/proc/meminfo", "MemAvailable", 0, 0, 43);
	CHECK_KV("3.10-rhel7.1/proc/meminfo", "MemAvailable", 6820236LL * 1024, 3, 43);
	CHECK_KV("3.2.0-debian-sid-686pae/proc/meminfo", "HighTotal", 3281256LL * 1024, 14, 45);
	CHECK_KV("3.2.0-debian-sid-686pae/proc/meminfo", "MemAvailable", 0, 0, 45);
	CHECK_KV("unstated-gopsutil-issue1002/proc/meminfo", "MemTotal", 254472LL * 1024, 4, 39);
	CHECK(strncmp(test_reports(), "kv:1: expected a number after 'total'", 37) == 0);
	CHECK_KV("4.13-ubuntu17.10/proc/vmstat", "swap_ra_hit", 0, 133, 133);
	CHECK_KV("4.13-ubuntu17.10/proc/vmstat", "nr_free_pages", 50545, 1, 133);
	CHECK_STR(test_reports(), "");
}

/* cgroup v1's "unlimited" limits as each era prints them: LLONG_MAX
 * (before 3.12: PCP's cgroups-root-001), ULLONG_MAX (3.12 to 3.18:
 * -002, in BIG), and PAGE_COUNTER_MAX pages of 4 KiB (3.19 and later: no
 * public capture has one; this project's own 6.18 capture does, in
 * test_parse_cgroup_value.c); v2's "max"; memory.stat's limits of
 * 2^64-1 and v2's slab key (telegraf); memory.oom_control, memory.events */
TEST(kernels_cgroup_files)
{
	static const struct {
		const char *file;
		int64_t value;
		uint64_t big;
		int unlimited;
	} values[] = {
		{ "unstated-pcp-cgroups-root-001/cgroup/memory/memory.limit_in_bytes", INT64_MAX, 0, 0 },
		{ "unstated-pcp-cgroups-root-002/sys/fs/cgroup/memory/memory.limit_in_bytes", INT64_MAX,
		  UINT64_MAX, 0 },
		{ "unstated-pcp-cgroups-root-004/sys/fs/cgroup/system.slice/memory.max", INT64_MAX, 0,
		  1 },
		{ "unstated-pcp-cgroups-root-004/sys/fs/cgroup/system.slice/memory.current",
		  2831458304LL, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(values) / sizeof(*values); i++) {
		size_t len;
		char *text = text_of(values[i].file, &len);
		struct cgroup_value v;
		struct ms_err e = MS_ERR_INIT;
		if (!CHECK_EQ_I64(cgroup_value_parse(text, len, &v, &e), 0) ||
		    !CHECK_EQ_I64(v.value, values[i].value) || !CHECK_EQ_U64(v.big, values[i].big) ||
		    !CHECK_EQ_I64(v.unlimited, values[i].unlimited))
			fprintf(stderr, "  %s\n", values[i].file);
		free(text);
	}
	struct kv_find f = kv_of("unstated-pcp-cgroups-root-002/sys/fs/cgroup/memory/memory.stat",
				 "hierarchical_memory_limit");
	CHECK_EQ_U64(f.big, UINT64_MAX);
	CHECK_EQ_I64(f.line, 16);
	CHECK_EQ_I64(f.lines, 36);
	CHECK_KV("unstated-pcp-cgroups-root-002/sys/fs/cgroup/memory/memory.stat", "total_rss",
		 592580608, 19, 36);
	CHECK_KV("unstated-telegraf-cgroup-v2/sys/fs/cgroup/memory.stat", "slab", 2037641160, 25, 47);
	CHECK_KV("unstated-pcp-cgroups-root-002/sys/fs/cgroup/memory/memory.oom_control",
		 "under_oom", 0, 2, 2);
	CHECK_KV("unstated-pcp-cgroups-root-004/sys/fs/cgroup/system.slice/memory.events",
		 "oom_kill", 5, 5, 5);
	CHECK_STR(test_reports(), "");
}

/* the rows of a zoneinfo or buddyinfo text, and one of them */
struct zone_find {
	uint32_t node;
	const char *zone, *key;  /* key NULL: buddyinfo's order ORD */
	int ord;
	uint64_t value;
	int line;
	size_t rows;
	uint32_t max_node;
};

static int on_zone_row(void *ctx, const struct zoneinfo_row *row, struct ms_err *err)
{
	struct zone_find *f = ctx;
	(void)err;
	f->rows++;
	if (row->node == f->node && !strcmp(row->zone, f->zone) && !strcmp(row->key, f->key)) {
		f->value = row->value;
		f->line = row->line;
	}
	return 0;
}

static int on_buddy_row(void *ctx, const struct buddyinfo_row *row, struct ms_err *err)
{
	struct zone_find *f = ctx;
	(void)err;
	f->rows++;
	if (row->node > f->max_node)
		f->max_node = row->node;
	if (row->node == f->node && !strcmp(row->zone, f->zone) && row->order == f->ord) {
		f->value = row->free_blocks;
		f->line = row->line;
	}
	return 0;
}

/* zoneinfo (procfs': five zones, Movable and Device unpopulated),
 * buddyinfo (RHEL 6's 2.6.32 with 8 nodes; a 32-bit 3.2.0 with HighMem):
 * the numbers of the files, found with grep */
TEST(kernels_zoneinfo_buddyinfo)
{
	size_t len;
	struct ms_err e = MS_ERR_INIT;
	char *text = text_of("unstated-prometheus-procfs/proc/zoneinfo", &len);
	struct zone_find z = { 0, "DMA32", "pages free", 0, 0, 0, 0, 0 };
	CHECK_EQ_I64(zoneinfo_parse(text, len, on_zone_row, &z, &test_rep, &e), 0);
	CHECK_EQ_U64(z.value, 204252);
	CHECK_EQ_I64(z.line, 104);
	z = (struct zone_find){ 0, "DMA", "protection", 0, 0, 0, 0, 0 };
	CHECK_EQ_I64(zoneinfo_parse(text, len, on_zone_row, &z, &test_rep, &e), 0);
	CHECK_EQ_U64(z.value, 7826);
	CHECK_EQ_I64(z.line, 40);
	free(text);

	text = text_of("2.6.32-rhel6/proc/buddyinfo", &len);
	struct zone_find b = { 7, "Normal", NULL, 10, 0, 0, 0, 0 };
	CHECK_EQ_I64(buddyinfo_parse(text, len, on_buddy_row, &b, &test_rep, &e), 0);
	CHECK_EQ_U64(b.max_node, 7);
	CHECK_EQ_U64(b.rows, 10 * 11);
	CHECK_EQ_U64(b.value, 19593);
	CHECK_EQ_I64(b.line, 10);
	free(text);
	text = text_of("3.2.0-debian-sid-686pae/proc/buddyinfo", &len);
	b = (struct zone_find){ 0, "HighMem", NULL, 10, 0, 0, 0, 0 };
	CHECK_EQ_I64(buddyinfo_parse(text, len, on_buddy_row, &b, &test_rep, &e), 0);
	CHECK_EQ_U64(b.value, 358);
	CHECK_EQ_I64(b.line, 3);
	CHECK_STR(test_reports(), "");
	free(text);
}

static int on_swap_row(void *ctx, const struct swaps_row *row, struct ms_err *err)
{
	(void)err;
	*(struct swaps_row *)ctx = *row;
	((struct swaps_row *)ctx)->filename = NULL;
	((struct swaps_row *)ctx)->type = NULL;
	return 0;
}

static int on_psi_row(void *ctx, const struct pressure_row *row, struct ms_err *err)
{
	(void)err;
	((struct pressure_row *)ctx)[row->kind] = *row;
	return 0;
}

/* swaps (procfs': a partition of priority -2; the file name with "\040"
 * is this project's own capture, in test_parse_swaps.c), PSI memory (PCP),
 * loadavg (Ubuntu 17.10's 4.13), uptime (sysstat's) */
TEST(kernels_swaps_psi_loadavg_uptime)
{
	size_t len;
	struct ms_err e = MS_ERR_INIT;
	char *text = text_of("unstated-prometheus-procfs/proc/swaps", &len);
	struct swaps_row s;
	memset(&s, 0, sizeof(s));
	CHECK_EQ_I64(swaps_parse(text, len, on_swap_row, &s, &test_rep, &e), 0);
	CHECK_EQ_U64(s.size_bytes, 131068ULL * 1024);
	CHECK_EQ_U64(s.used_bytes, 176ULL * 1024);
	CHECK_EQ_I64(s.priority, -2);
	free(text);
	text = text_of("unstated-pcp-pressure-root-001/proc/pressure/memory", &len);
	struct pressure_row p[2];
	memset(p, 0, sizeof(p));
	CHECK_EQ_I64(pressure_parse(text, len, on_psi_row, p, &test_rep, &e), 0);
	CHECK(p[PRESSURE_SOME].avg10 == 70.24 && p[PRESSURE_FULL].avg300 == 60.38);
	CHECK_EQ_U64(p[PRESSURE_SOME].total_us, 3559632828ULL);
	CHECK_EQ_U64(p[PRESSURE_FULL].total_us, 3300487258ULL);
	free(text);
	text = text_of("4.13-ubuntu17.10/proc/loadavg", &len);
	struct loadavg a;
	CHECK_EQ_I64(loadavg_parse(text, len, &a, &e), 0);
	CHECK(a.load1 == 1.55 && a.load15 == 1.73);
	CHECK_EQ_U64(a.runnable, 2);
	CHECK_EQ_U64(a.threads, 1318);
	CHECK_EQ_I64(a.last_pid, 46377);
	free(text);
	text = text_of("unstated-sysstat/proc/uptime", &len);
	struct uptime u;
	CHECK_EQ_I64(uptime_parse(text, len, &u, &e), 0);
	CHECK(u.up_s == 7192.55 && u.idle_s == 29212.05);
	CHECK_STR(test_reports(), "");
	free(text);
}

static int on_nm(void *ctx, const struct numa_maps_vma *v, struct ms_err *err)
{
	struct numa_maps_vma *all = ctx;
	(void)err;
	size_t i = 0;
	while (all[i].line)
		i++;
	REQUIRE(i < 31);
	all[i] = *v;
	all[i].policy = all[i].file = NULL;
	all[i].nodes = NULL;
	return 0;
}

/* numa_maps of another project (jc's, an excerpt: SOURCES.md): file
 * mappings, the heap, lines with no pages (no counts, no page size) */
TEST(kernels_numa_maps)
{
	size_t len;
	struct ms_err e = MS_ERR_INIT;
	char *text = text_of("unstated-jc/proc/1/numa_maps", &len);
	struct numa_maps_vma v[32];
	memset(v, 0, sizeof(v));
	CHECK_EQ_I64(numa_maps_parse(text, len, on_nm, v, &test_rep, &e), 0);
	CHECK_STR(test_reports(), "");
	CHECK_EQ_I64(v[19].line, 20);
	CHECK_EQ_I64(v[20].line, 0);
	/* "55a9e8cd4000 default heap anon=611 dirty=611 mapmax=2 N0=611 kernelpagesize_kB=4" */
	CHECK_EQ_U64(v[5].start, 0x55a9e8cd4000);
	CHECK(v[5].heap);
	CHECK_EQ_I64(v[5].anon, 611);
	CHECK_EQ_I64(v[5].mapmax, 2);
	CHECK_EQ_I64(v[5].mapped, -1);
	CHECK_EQ_U64(v[5].pages, 611);
	CHECK_EQ_I64(v[5].page_size_bytes, 4096);
	/* "7f53a4021000 default": nothing present */
	CHECK_EQ_U64(v[7].start, 0x7f53a4021000);
	CHECK_EQ_U64(v[7].n_nodes, 0);
	CHECK_EQ_I64(v[7].page_size_bytes, -1);
	/* "55a9e7570000 default file=... mapped=200 mapmax=3 active=120 N0=200 ..." */
	CHECK_EQ_I64(v[1].mapped, 200);
	CHECK_EQ_I64(v[1].active, 120);
	CHECK_EQ_I64(v[1].anon, -1);
	free(text);
}
