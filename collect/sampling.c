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

static int add_ts(struct ms_buf *b, const char *key, clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return ms_buf_addf(b, "%s %lld.%09ld\n", key, (long long)ts.tv_sec, ts.tv_nsec);
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
		rc |= ms_buf_addstr(hdr, "priority kept\n");
	} else {
		int nice_ok = setpriority(PRIO_PROCESS, 0, 19) == 0;
		/* best-effort class, lowest level: the idle class could starve
		 * our writes forever on a disk that is already saturated */
		int io_ok = syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0,
				    (2 << 13) | 7) == 0;
		rc |= ms_buf_addf(hdr, "priority nice=%s io=%s\n", nice_ok ? "19" : "unchanged",
				  io_ok ? "best-effort/7" : "unchanged");
	}
	if (o->no_mlock || MS_SANITIZED) {
		/* a sanitizer's shadow memory is terabytes of reservations:
		 * locking it would fail or fault it all in */
		rc |= ms_buf_addstr(hdr, MS_SANITIZED ? "mlock off (sanitizer build)\n" : "mlock off\n");
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
		rc |= ms_buf_addstr(hdr, "mlock failed: RLIMIT_MEMLOCK\n");
	} else if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) != 0 &&
		   mlockall(MCL_CURRENT | MCL_FUTURE) != 0) {
		int e = errno;
		sampling_warn(g, "not locked in memory: mlockall: %s", strerror(e));
		rc |= ms_buf_addf(hdr, "mlock failed: %s\n", strerrorname_np(e));
	} else {
		rc |= ms_buf_addstr(hdr, "mlock ok\n");
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

static int header_options(struct ms_buf *b, const struct collect_opts *o)
{
	int rc = 0;
	rc |= ms_buf_addf(b, "command %s\n", o->argv_line ? o->argv_line : "collect");
	rc |= ms_buf_addf(b, "interval_ms %llu\nduration_ms %llu\ncount %llu\n",
			  (unsigned long long)o->interval_ms, (unsigned long long)o->duration_ms,
			  (unsigned long long)o->count);
	rc |= ms_buf_addf(b, "tier1_every %llu\ntier2_every %llu\nsmaps_top %llu\n",
			  (unsigned long long)schedule_ticks(o->rollup_ms, o->interval_ms),
			  (unsigned long long)schedule_ticks(o->smaps_ms, o->interval_ms),
			  (unsigned long long)o->smaps_top);
	rc |= ms_buf_addf(b, "walk_limit %llu\nmax_file_size %llu\nmax_size %llu\n"
			  "cgroup_depth %llu\ncpu_budget_centipct %llu\nlevel %llu\n"
			  "redact_cmdline %d\n",
			  (unsigned long long)o->walk_limit, (unsigned long long)o->max_file,
			  (unsigned long long)o->max_size, (unsigned long long)o->cgroup_depth,
			  (unsigned long long)o->cpu_budget, (unsigned long long)o->level,
			  o->redact_cmdline);
	if (o->npids) {
		rc |= ms_buf_addstr(b, "pids");
		for (size_t i = 0; i < o->npids; i++)
			rc |= ms_buf_addf(b, "%s%lld", i ? "," : " ", (long long)o->pids[i]);
		rc |= ms_buf_addstr(b, "\n");
	} else {
		rc |= ms_buf_addstr(b, "pids all\n");
	}
	rc |= ms_buf_addf(b, "proc_root %s\nsys_root %s\nuid %u\neuid %u\n", o->proc_root,
			  o->sys_root, (unsigned)getuid(), (unsigned)geteuid());
	return rc;
}

int sampling_header(struct sampling *g, struct bundle_writer *w, const char *extra,
		    struct ms_err *err)
{
	struct ms_buf *b = &g->text;
	const struct sampler *s = &g->s;
	struct utsname u;
	int rc = 0;
	time_t now = time(NULL);
	struct tm tm;
	char iso[32];
	ms_buf_reset(b);
	gmtime_r(&now, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	rc |= ms_buf_addf(b, "format %d\ncollector memsnap %s\ncreated %s\n", MS_BUNDLE_FORMAT,
			  MEMSNAP_VERSION, iso);
	rc |= add_ts(b, "wall_start", CLOCK_REALTIME);
	rc |= add_ts(b, "mono_start", CLOCK_MONOTONIC);
	rc |= add_ts(b, "boot_start", CLOCK_BOOTTIME);
	if (uname(&u) == 0)
		rc |= ms_buf_addf(b, "hostname %s\nkernel %s\n", u.nodename, u.release);
	rc |= header_options(b, g->o);
	rc |= ms_buf_addstr(b, g->self.data);
	rc |= ms_buf_addf(b, "cgroup_v1_memory %s\ncgroup_v2 %s\nnodes",
			  s->cg_v1 ? s->cg_v1 : "-", s->cg_v2 ? s->cg_v2 : "-");
	for (size_t i = 0; i < s->nnodes; i++)
		rc |= ms_buf_addf(b, "%s%d", i ? "," : " ", s->nodes[i]);
	rc |= ms_buf_addstr(b, s->nnodes ? "\n" : " -\n");
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
	struct timespec wt, mt, bt;
	clock_gettime(CLOCK_REALTIME, &wt);
	clock_gettime(CLOCK_MONOTONIC, &mt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	snprintf(g->clocks, sizeof(g->clocks), "wall %lld.%09ld\nmono %lld.%09ld\nboot %lld.%09ld\n",
		 (long long)wt.tv_sec, wt.tv_nsec, (long long)mt.tv_sec, mt.tv_nsec,
		 (long long)bt.tv_sec, bt.tv_nsec);
	for (size_t i = 0; i < k->n; i++) {
		k->k[i].offset = bundle_writer_bytes(k->k[i].w);
		k->k[i].failed = 0;
	}
	return sampler_tick(&g->s, k, p->ran, p->check_host, p->focus, &g->cost, err);
}

/* The meta member of the sample read last, for sink O */
static int write_meta(struct sampling *g, const struct sink *o, uint64_t cpu_us, uint64_t wall_us,
		      const char *extra, struct ms_err *err)
{
	struct ms_buf *b = &g->text;
	const struct sample_plan *p = &g->plan;
	const struct tick_cost *c = &g->cost;
	int rc = 0;
	ms_buf_reset(b);
	rc |= ms_buf_addf(b, "sample %u\ntiers", o->sample);
	for (int t = 0; t < MS_TIERS; t++)
		if (p->ran & (1u << t))
			rc |= ms_buf_addf(b, " %d", t);
	rc |= ms_buf_addstr(b, "\n");
	for (int t = 1; t < MS_TIERS; t++)
		if (p->deferred & (1u << t))
			rc |= ms_buf_addf(b, "deferred %d budget\n", t);
	rc |= ms_buf_addstr(b, g->clocks);
	rc |= add_ts(b, "wall_end", CLOCK_REALTIME);
	rc |= add_ts(b, "mono_end", CLOCK_MONOTONIC);
	rc |= ms_buf_addf(b, "late_us %llu\nmissed_ticks %llu\n", (unsigned long long)p->late_us,
			  (unsigned long long)p->missed);
	rc |= ms_buf_addf(b, "cpu_us %llu\nwall_us %llu\n", (unsigned long long)cpu_us,
			  (unsigned long long)wall_us);
	for (int t = 0; t < MS_TIERS; t++)
		if (p->ran & (1u << t))
			rc |= ms_buf_addf(b, "tier%d_cpu_us %llu\ntier%d_wall_us %llu\n", t,
					  (unsigned long long)c->cpu_us[t], t,
					  (unsigned long long)c->wall_us[t]);
	rc |= ms_buf_addf(b, "processes %zu\ncgroups %llu\nrecords %llu\nread_bytes %llu\n"
			  "offset %llu\ngaps %llu\n",
			  g->s.cur.n, (unsigned long long)g->s.cgroups,
			  (unsigned long long)g->s.records, (unsigned long long)g->s.read_bytes,
			  (unsigned long long)o->offset, (unsigned long long)g->s.gaps.total);
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

int sampling_trailer(struct sampling *g, struct bundle_writer *w, unsigned samples,
		     const char *reason, uint64_t cpu_us, const struct gaps *gp,
		     const char *extra, struct ms_err *err)
{
	struct ms_buf *b = &g->text;
	int rc = 0;
	ms_buf_reset(b);
	rc |= ms_buf_addf(b, "samples %u\nend_reason %s\n", samples, reason);
	rc |= add_ts(b, "wall_end", CLOCK_REALTIME);
	rc |= add_ts(b, "mono_end", CLOCK_MONOTONIC);
	rc |= ms_buf_addf(b, "cpu_us %llu\nbytes_before_trailer %llu\ngaps %llu\n",
			  (unsigned long long)cpu_us, (unsigned long long)bundle_writer_bytes(w),
			  (unsigned long long)gp->total);
	rc |= sampler_gap_lines(gp, b);
	if (extra)
		rc |= ms_buf_addstr(b, extra);
	if (rc)
		return ms_err_set(err, ENOMEM, "out of memory");
	return bundle_writer_add(w, MS_MEMBER_TRAILER, b->data, b->len, time(NULL), err);
}
