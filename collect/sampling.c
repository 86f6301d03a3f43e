/*
 * sampling.c - around the sampler: the process, headers, meta, trailers
 * (see sampling.h).
 *
 * A sample: sampling_read() notes the clocks and each sink's offset and
 * runs the sampler; the loop may add members of its own (the recorder's
 * triggers); sampling_finish() appends the meta member to every sink and
 * commits each, which writes the sample to its file in one write().
 */
#include "sampling.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bundle_format.h"
#include "bundle_text.h"
#include "schedule.h"
#include "version.h"

#if defined(__SANITIZE_ADDRESS__)
#define MS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define MS_SANITIZED 1
#endif
#endif
#ifndef MS_SANITIZED
#define MS_SANITIZED 0
#endif

uint64_t ms_clock_us(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

double ms_wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ms_human_bytes(char *buf, size_t n, uint64_t bytes)
{
	if (bytes < 10 * 1024)
		snprintf(buf, n, "%llu B", (unsigned long long)bytes);
	else if (bytes < 10ull << 20)
		snprintf(buf, n, "%.1f KiB", (double)bytes / 1024);
	else
		snprintf(buf, n, "%.1f MiB", (double)bytes / (1 << 20));
}

static int add_ts(struct ms_buf *b, enum bt_key k, clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return bt_put_ts(b, k, &ts);
}

void sampling_warn(const struct sampling *g, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap); /* a warning may be cut; it is only advice */
	va_end(ap);
	if (g->ui && g->ui->warn)
		g->ui->warn(g->ui->ctx, msg);
}

/* Lower our priority and lock our memory; say what happened in G->self. */
static int prepare_process(struct sampling *g)
{
	const struct collect_opts *o = g->o;
	struct ms_buf *hdr = &g->self;
	int rc = 0;
	if (o->keep_priority) {
		rc |= bt_put(hdr, BK_PRIORITY, "kept");
	} else {
		int nice_ok = setpriority(PRIO_PROCESS, 0, 19) == 0;
		/* best-effort class, lowest level: the idle class could starve
		 * our writes forever on a disk that is already saturated */
		int io_ok = syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0,
				    (2 << 13) | 7) == 0;
		rc |= bt_put(hdr, BK_PRIORITY, "nice=%s io=%s", nice_ok ? "19" : "unchanged",
			     io_ok ? "best-effort/7" : "unchanged");
	}
	if (o->no_mlock || MS_SANITIZED) {
		/* a sanitizer's shadow memory is terabytes of reservations:
		 * locking it would fail or fault it all in */
		rc |= bt_put(hdr, BK_MLOCK, "%s", MS_SANITIZED ? "off (sanitizer build)" : "off");
		return rc;
	}
	/* MCL_ONFAULT (4.4+) locks pages as they are touched: the first
	 * sample touches every path a tick takes, so from then on nothing the
	 * collector needs can be swapped out, without faulting in the parts
	 * of the binary (or of shared libraries) it never runs */
	struct rlimit rl;
	int big = getrlimit(RLIMIT_MEMLOCK, &rl) == 0 &&
		  (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= (64u << 20));
	if (geteuid() != 0 && !big) {
		sampling_warn(g, "not locked in memory: RLIMIT_MEMLOCK is %llu KiB and we are not root; "
			      "samples may stall while the host swaps",
			      (unsigned long long)(rl.rlim_cur / 1024));
		rc |= bt_put(hdr, BK_MLOCK, "failed: RLIMIT_MEMLOCK");
	} else if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) != 0 &&
		   mlockall(MCL_CURRENT | MCL_FUTURE) != 0) {
		int e = errno;
		sampling_warn(g, "not locked in memory: mlockall: %s", strerror(e));
		rc |= bt_put(hdr, BK_MLOCK, "failed: %s", strerrorname_np(e));
	} else {
		rc |= bt_put(hdr, BK_MLOCK, "ok");
	}
	return rc;
}

int sampling_init(struct sampling *g, const struct collect_opts *o, const struct collect_ui *ui,
		  struct ms_err *err)
{
	memset(g, 0, sizeof(*g));
	g->o = o;
	g->ui = ui;
	if (ms_buf_init(&g->text, 16 * 1024) < 0 || ms_buf_init(&g->self, 128) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	if (sampler_init(&g->s, o, err) < 0)
		return -1;
	if (prepare_process(g) != 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	return 0;
}

void sampling_release(struct sampling *g)
{
	sampler_release(&g->s);
	ms_buf_release(&g->text);
	ms_buf_release(&g->self);
}

/* The options in force, as header lines */
static int put_options(struct ms_buf *b, const struct collect_opts *o)
{
	int rc = bt_put_u64(b, BK_INTERVAL_MS, o->interval_ms);
	rc |= bt_put_u64(b, BK_DURATION_MS, o->duration_ms);
	rc |= bt_put_u64(b, BK_COUNT, o->count);
	rc |= bt_put_u64(b, BK_TIER1_EVERY, schedule_ticks(o->rollup_ms, o->interval_ms));
	rc |= bt_put_u64(b, BK_TIER2_EVERY, schedule_ticks(o->smaps_ms, o->interval_ms));
	rc |= bt_put_u64(b, BK_SMAPS_TOP, o->smaps_top);
	rc |= bt_put_u64(b, BK_WALK_LIMIT, o->walk_limit);
	rc |= bt_put_u64(b, BK_MAX_FILE_SIZE, o->max_file);
	rc |= bt_put_u64(b, BK_MAX_SIZE, o->max_size);
	rc |= bt_put_u64(b, BK_CGROUP_DEPTH, o->cgroup_depth);
	rc |= bt_put_u64(b, BK_CPU_BUDGET_CENTIPCT, o->cpu_budget);
	rc |= bt_put_u64(b, BK_LEVEL, o->level);
	rc |= bt_put(b, BK_REDACT_CMDLINE, "%d", o->redact_cmdline);
	return rc;
}

/* Who collected what, where: the --pid list, the roots, the user, the
 * cgroup mounts and the nodes; L is scratch for the lists */
static int put_scope(struct ms_buf *b, const struct collect_opts *o, const struct sampler *s,
		     struct ms_buf *l)
{
	int rc = 0;
	ms_buf_reset(l);
	for (size_t i = 0; i < o->npids; i++)
		rc |= ms_buf_addf(l, "%s%lld", i ? "," : "", (long long)o->pids[i]);
	rc |= bt_put(b, BK_PIDS, "%s", o->npids ? l->data : "all");
	rc |= bt_put(b, BK_PROC_ROOT, "%s", o->proc_root);
	rc |= bt_put(b, BK_SYS_ROOT, "%s", o->sys_root);
	rc |= bt_put(b, BK_UID, "%u", (unsigned)getuid());
	rc |= bt_put(b, BK_EUID, "%u", (unsigned)geteuid());
	rc |= bt_put(b, BK_CGROUP_V1_MEMORY, "%s", s->cg_v1 ? s->cg_v1 : "-");
	rc |= bt_put(b, BK_CGROUP_V2, "%s", s->cg_v2 ? s->cg_v2 : "-");
	ms_buf_reset(l);
	for (size_t i = 0; i < s->nnodes; i++)
		rc |= ms_buf_addf(l, "%s%d", i ? "," : "", s->nodes[i]);
	rc |= bt_put(b, BK_NODES, "%s", s->nnodes ? l->data : "-");
	ms_buf_reset(l);
	rc |= sampler_sparse_names(l);
	rc |= bt_put(b, BK_PROC_SPARSE, "%s", l->data);
	ms_buf_reset(l);
	rc |= sampler_unchanged_names(l);
	rc |= bt_put(b, BK_PROC_UNCHANGED, "%s", l->data);
	return rc;
}

int sampling_header(struct sampling *g, struct bundle_writer *w, const char *extra,
		    struct ms_err *err)
{
	struct ms_buf *b = &g->text;
	const struct collect_opts *o = g->o;
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;
	char iso[32];
	ms_buf_reset(b);
	gmtime_r(&now, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	int rc = bt_put(b, BK_FORMAT, "%d", MS_BUNDLE_FORMAT);
	rc |= bt_put(b, BK_COLLECTOR, "memsnap %s", MEMSNAP_VERSION);
	rc |= bt_put(b, BK_CREATED, "%s", iso);
	rc |= add_ts(b, BK_WALL_START, CLOCK_REALTIME);
	rc |= add_ts(b, BK_MONO_START, CLOCK_MONOTONIC);
	rc |= add_ts(b, BK_BOOT_START, CLOCK_BOOTTIME);
	if (uname(&u) == 0)
		rc |= bt_put(b, BK_HOSTNAME, "%s", u.nodename) | bt_put(b, BK_KERNEL, "%s", u.release);
	rc |= bt_put(b, BK_COMMAND, "%s", o->argv_line ? o->argv_line : "collect");
	rc |= put_options(b, o);
	rc |= ms_buf_addstr(b, g->self.data);
	struct ms_buf l;
	if (ms_buf_init(&l, 64) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	rc |= put_scope(b, o, &g->s, &l);
	ms_buf_release(&l);
	if (extra)
		rc |= ms_buf_addstr(b, extra);
	if (rc)
		return ms_err_set(err, ENOMEM, "out of memory");
	return bundle_writer_add(w, MS_MEMBER_HEADER, b->data, b->len, now, err);
}

int sampling_read(struct sampling *g, struct sinks *k, const struct sample_plan *p,
		  struct ms_err *err)
{
	g->plan = *p;
	g->mono_start = ms_clock_us(CLOCK_MONOTONIC);
	g->cpu_start = ms_clock_us(CLOCK_PROCESS_CPUTIME_ID);
	clock_gettime(CLOCK_REALTIME, &g->clocks.wall);
	clock_gettime(CLOCK_MONOTONIC, &g->clocks.mono);
	clock_gettime(CLOCK_BOOTTIME, &g->clocks.boot);
	for (size_t i = 0; i < k->n; i++) {
		k->k[i].offset = bundle_writer_bytes(k->k[i].w);
		k->k[i].failed = 0;
	}
	return sampler_tick(&g->s, k, p->ran, p->check_host, p->focus, &g->cost, err);
}

/* The sample's cost: CPU and wall time, in all and per tier that ran */
static int put_cost(struct ms_buf *b, unsigned ran, const struct tick_cost *c, uint64_t cpu_us,
		    uint64_t wall_us)
{
	int rc = bt_put_u64(b, BK_CPU_US, cpu_us) | bt_put_u64(b, BK_WALL_US, wall_us);
	for (int t = 0; t < MS_TIERS; t++)
		if (ran & (1u << t))
			rc |= bt_put_u64(b, (enum bt_key)(BK_TIER0_CPU_US + t), c->cpu_us[t]) |
			      bt_put_u64(b, (enum bt_key)(BK_TIER0_WALL_US + t), c->wall_us[t]);
	return rc;
}

/* The meta member of the sample read last, for sink O */
static int write_meta(struct sampling *g, const struct sink *o, uint64_t cpu_us, uint64_t wall_us,
		      const char *extra, struct ms_err *err)
{
	struct ms_buf *b = &g->text;
	const struct sample_plan *p = &g->plan;
	char tiers[2 * MS_TIERS] = "";
	for (int t = 0, n = 0; t < MS_TIERS; t++)
		if (p->ran & (1u << t))
			n += snprintf(tiers + n, sizeof(tiers) - (size_t)n, "%s%d", n ? " " : "", t);
	ms_buf_reset(b);
	int rc = bt_put(b, BK_SAMPLE, "%u", o->sample) | bt_put(b, BK_TIERS, "%s", tiers);
	for (int t = 1; t < MS_TIERS; t++)
		if (p->deferred & (1u << t))
			rc |= bt_put(b, BK_DEFERRED, "%d budget", t);
	rc |= bt_put_ts(b, BK_WALL, &g->clocks.wall) | bt_put_ts(b, BK_MONO, &g->clocks.mono) |
	      bt_put_ts(b, BK_BOOT, &g->clocks.boot);
	rc |= add_ts(b, BK_WALL_END, CLOCK_REALTIME) | add_ts(b, BK_MONO_END, CLOCK_MONOTONIC);
	rc |= bt_put_u64(b, BK_LATE_US, p->late_us) | bt_put_u64(b, BK_MISSED_TICKS, p->missed);
	rc |= put_cost(b, p->ran, &g->cost, cpu_us, wall_us);
	rc |= bt_put_u64(b, BK_PROCESSES, g->s.cur.n) | bt_put_u64(b, BK_CGROUPS, g->s.cgroups);
	rc |= bt_put_u64(b, BK_FULL_READ, (uint64_t)g->s.full_read) |
	      bt_put_u64(b, BK_UNCHANGED, g->s.unchanged) |
	      bt_put_u64(b, BK_LISTED, (uint64_t)g->s.listed);
	rc |= bt_put_u64(b, BK_RECORDS, g->s.records) | bt_put_u64(b, BK_READ_BYTES, g->s.read_bytes);
	rc |= bt_put_u64(b, BK_OFFSET, o->offset) | bt_put_u64(b, BK_GAPS, g->s.gaps.total);
	rc |= sampler_gap_lines(&g->s.gaps, b);
	if (extra)
		rc |= ms_buf_addstr(b, extra);
	if (rc)
		return ms_err_set(err, ENOMEM, "out of memory");
	char name[64];
	snprintf(name, sizeof(name), MS_SAMPLE_NAME_FMT, o->sample, "meta");
	return bundle_writer_add(o->w, name, b->data, b->len, time(NULL), err);
}

/* Say once, after the first sample that read every tier, which files
 * could not be read for another reason than a process exiting. */
static void warn_gaps_once(struct sampling *g)
{
	if (g->warned_gaps)
		return;
	g->warned_gaps = 1;
	char msg[400];
	size_t len = 0;
	for (size_t i = 0; i < g->s.gaps.n && len < sizeof(msg) - 64; i++) {
		const struct gap_count *e = &g->s.gaps.e[i];
		if (!strncmp(e->key, "ESRCH ", 6) || !strncmp(e->key, "ENOENT ", 7))
			continue;
		int n = snprintf(msg + len, sizeof(msg) - len, "%s%s x%llu", len ? ", " : "", e->key,
				 (unsigned long long)e->n);
		if (n < 0 || (size_t)n >= sizeof(msg) - len)
			break;
		len += (size_t)n;
	}
	if (len)
		sampling_warn(g, "could not read (per sample): %s%s", msg,
			      geteuid() ? "; run as root for every process's smaps" : "");
}

int sampling_finish(struct sampling *g, struct sinks *k, const char *extra, struct ms_err *err)
{
	/* the meta's figures are the same in every sink: the sample's cost
	 * up to its first meta */
	uint64_t cpu = ms_clock_us(CLOCK_PROCESS_CPUTIME_ID) - g->cpu_start;
	uint64_t wall = ms_clock_us(CLOCK_MONOTONIC) - g->mono_start;
	int rc = 0;
	for (size_t i = 0; i < k->n; i++) {
		if (write_meta(g, &k->k[i], cpu, wall, extra, err) < 0)
			return -1; /* nothing written: memory or compression */
	}
	for (size_t i = 0; i < k->n; i++) {
		struct ms_err e = MS_ERR_INIT;
		if (bundle_writer_commit(k->k[i].w, &e) < 0) {
			k->k[i].failed = e.code ? e.code : EIO;
			if (rc == 0)
				ms_err_set(err, e.code, "%s", ms_err_msg(&e));
			rc = -1;
		}
		ms_err_release(&e);
	}
	g->last_cpu_us = ms_clock_us(CLOCK_PROCESS_CPUTIME_ID) - g->cpu_start;
	g->last_wall_us = ms_clock_us(CLOCK_MONOTONIC) - g->mono_start;
	if (g->plan.ran == 7 && !g->plan.focus)
		warn_gaps_once(g);
	return rc;
}

int sampling_trailer(struct sampling *g, struct bundle_writer *w, const struct trailer_info *t,
		     struct ms_err *err)
{
	if (bundle_writer_end_frame(w, err) < 0)
		return -1;
	struct ms_buf *b = &g->text;
	ms_buf_reset(b);
	int rc = bt_put(b, BK_SAMPLES, "%u", t->samples) | bt_put(b, BK_END_REASON, "%s", t->reason);
	if (t->last_wall)
		rc |= bt_put_ts(b, BK_LAST_WALL, t->last_wall);
	rc |= add_ts(b, BK_WALL_END, CLOCK_REALTIME) | add_ts(b, BK_MONO_END, CLOCK_MONOTONIC);
	rc |= bt_put_u64(b, BK_CPU_US, t->cpu_us);
	rc |= bt_put_u64(b, BK_BYTES_BEFORE_TRAILER, bundle_writer_bytes(w));
	rc |= bt_put_u64(b, BK_GAPS, t->gaps->total);
	rc |= sampler_gap_lines(t->gaps, b);
	if (t->extra)
		rc |= ms_buf_addstr(b, t->extra);
	if (rc)
		return ms_err_set(err, ENOMEM, "out of memory");
	return bundle_writer_add(w, MS_MEMBER_TRAILER, b->data, b->len, time(NULL), err);
}
