/*
 * collector.c - the collect loop.
 *
 * Per tick: decide the tiers (schedule + CPU budget), take the sample,
 * append its meta member (the commit record: a sample without meta is
 * incomplete), and commit, which writes the sample to the file in one
 * write().  Ticks sit on absolute monotonic deadlines (start + k*interval)
 * so they never drift; a tick that overruns skips the missed deadlines and
 * the next meta records how many.
 *
 * Stopping: the duration or count is reached (the last sample takes every
 * tier), SIGINT/SIGTERM/SIGHUP (the sample in progress is finished), or
 * --max-size would be exceeded by one more sample.  Each closes the
 * archive and writes the trailer.  A write error (ENOSPC, EFBIG) ends the
 * run with an error; the file then holds every sample committed before.
 *
 * The only file-scope mutable state is the signal flag.
 */
#include "collector.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bundle_format.h"
#include "bundle_text.h"
#include "bundle_writer.h"
#include "collect_redact.h"
#include "ms_buf.h"
#include "private_file.h"
#include "sampler.h"
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

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static uint64_t ts_us(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int add_ts(struct ms_buf *b, enum bt_key k, clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return bt_put_ts(b, k, &ts);
}

static void warnf(const struct collect_ui *ui, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warnf(const struct collect_ui *ui, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap); /* a warning may be cut; it is only advice */
	va_end(ap);
	if (ui && ui->warn)
		ui->warn(ui->ctx, msg);
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGXFSZ, &sa, NULL); /* a file size limit becomes EFBIG, not death */
}

/* Lower our priority and lock our memory; say what happened in HDR. */
static int prepare_process(const struct collect_opts *o, const struct collect_ui *ui,
			   struct ms_buf *hdr)
{
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
		warnf(ui, "not locked in memory: RLIMIT_MEMLOCK is %llu KiB and we are not root; "
			  "samples may stall while the host swaps",
		      (unsigned long long)(rl.rlim_cur / 1024));
		rc |= bt_put(hdr, BK_MLOCK, "failed: RLIMIT_MEMLOCK");
	} else if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) != 0 &&
		   mlockall(MCL_CURRENT | MCL_FUTURE) != 0) {
		int e = errno;
		warnf(ui, "not locked in memory: mlockall: %s", strerror(e));
		rc |= bt_put(hdr, BK_MLOCK, "failed: %s", strerrorname_np(e));
	} else {
		rc |= bt_put(hdr, BK_MLOCK, "ok");
	}
	return rc;
}

/* memsnap-HOST-TIME.tar.zst; with --redact the name says so instead of
 * the host's */
static char *default_name(int redact)
{
	struct utsname u;
	char host[80] = "host";
	if (redact) {
		snprintf(host, sizeof(host), "redacted");
	} else if (uname(&u) == 0 && u.nodename[0]) {
		size_t i = 0;
		for (const char *p = u.nodename; *p && i < sizeof(host) - 1; p++)
			host[i++] = (*p == '/' || *p == ' ' || (unsigned char)*p < 0x21) ? '_' : *p;
		host[i] = '\0';
	}
	time_t now = time(NULL);
	struct tm tm;
	char ts[32];
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm);
	size_t n = strlen(host) + strlen(ts) + 32;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "memsnap-%s-%s.tar.zst", host, ts);
	return s;
}

static int open_output(const struct collect_opts *o, struct collect_result *res,
		       struct ms_err *err)
{
	if (o->output && !strcmp(o->output, "-")) {
		res->path = strdup("-");
		if (isatty(1))
			return ms_err_set(err, EINVAL, "refusing to write a bundle to a terminal; use -o FILE");
		return 1;
	}
	res->path = o->output ? strdup(o->output) : default_name(o->redact);
	if (!res->path)
		return ms_err_set(err, ENOMEM, "out of memory");
	/* exclusive: never overwrite, never follow a symlink planted there */
	int fd = private_create(AT_FDCWD, res->path);
	if (fd < 0)
		return ms_err_set(err, errno, "'%s': %s", res->path, strerror(errno));
	return fd;
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

/* Who collected what, where: the --pid list, the root, the user, the
 * cgroup mounts and the nodes; L is scratch for the lists */
static int put_scope(struct ms_buf *b, const struct collect_opts *o, const struct sampler *s,
		     struct ms_buf *l)
{
	int rc = 0;
	ms_buf_reset(l);
	for (size_t i = 0; i < o->npids; i++)
		rc |= ms_buf_addf(l, "%s%lld", i ? "," : "", (long long)o->pids[i]);
	rc |= bt_put(b, BK_PIDS, "%s", o->npids ? l->data : "all");
	rc |= bt_put(b, BK_ROOT, "%s", o->root);
	rc |= bt_put(b, BK_UID, "%u", (unsigned)getuid());
	rc |= bt_put(b, BK_EUID, "%u", (unsigned)geteuid());
	rc |= bt_put(b, BK_CGROUP_V1_MEMORY, "%s", s->cg_v1 ? s->cg_v1 : "-");
	rc |= bt_put(b, BK_CGROUP_V2, "%s", s->cg_v2 ? s->cg_v2 : "-");
	ms_buf_reset(l);
	for (size_t i = 0; i < s->nnodes; i++)
		rc |= ms_buf_addf(l, "%s%d", i ? "," : "", s->nodes[i]);
	rc |= bt_put(b, BK_NODES, "%s", s->nnodes ? l->data : "-");
	return rc;
}

static int write_header(struct bundle_writer *w, const struct collect_opts *o,
			const struct sampler *s, struct ms_buf *b, struct ms_err *err)
{
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;
	char iso[32];
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
	struct ms_buf l;
	if (ms_buf_init(&l, 64) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	rc |= put_scope(b, o, s, &l);
	ms_buf_release(&l);
	if (rc)
		return ms_err_set(err, ENOMEM, "out of memory");
	return bundle_writer_add(w, MS_MEMBER_HEADER, b->data, b->len, now, err);
}

struct run {
	const struct collect_opts *o;
	const struct collect_ui *ui;
	struct sampler s;
	struct bundle_writer *w;
	struct collect_redact red;
	struct schedule sched;
	struct budget budget;
	struct ms_buf meta;
	uint64_t tier_cost[MS_TIERS];   /* last measured CPU of each tier */
	uint64_t max_sample_bytes;
	uint64_t cpu_total;
	int warned_gaps;
};

/* the clocks at the start of a sample */
struct sample_clocks {
	struct timespec wall, mono, boot;
};

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

static int write_meta(struct run *r, unsigned sample, unsigned ran, unsigned deferred,
		      uint64_t missed, uint64_t late_us, uint64_t offset,
		      const struct tick_cost *c, uint64_t cpu_us, uint64_t wall_us,
		      const struct sample_clocks *start, struct ms_err *err)
{
	struct ms_buf *b = &r->meta;
	char tiers[2 * MS_TIERS] = "";
	for (int t = 0, n = 0; t < MS_TIERS; t++)
		if (ran & (1u << t))
			n += snprintf(tiers + n, sizeof(tiers) - (size_t)n, "%s%d", n ? " " : "", t);
	ms_buf_reset(b);
	int rc = bt_put(b, BK_SAMPLE, "%u", sample) | bt_put(b, BK_TIERS, "%s", tiers);
	for (int t = 1; t < MS_TIERS; t++)
		if (deferred & (1u << t))
			rc |= bt_put(b, BK_DEFERRED, "%d budget", t);
	rc |= bt_put_ts(b, BK_WALL, &start->wall) | bt_put_ts(b, BK_MONO, &start->mono) |
	      bt_put_ts(b, BK_BOOT, &start->boot);
	rc |= add_ts(b, BK_WALL_END, CLOCK_REALTIME) | add_ts(b, BK_MONO_END, CLOCK_MONOTONIC);
	rc |= bt_put_u64(b, BK_LATE_US, late_us) | bt_put_u64(b, BK_MISSED_TICKS, missed);
	rc |= put_cost(b, ran, c, cpu_us, wall_us);
	rc |= bt_put_u64(b, BK_PROCESSES, r->s.cur.n) | bt_put_u64(b, BK_CGROUPS, r->s.cgroups);
	rc |= bt_put_u64(b, BK_RECORDS, r->s.records) | bt_put_u64(b, BK_READ_BYTES, r->s.read_bytes);
	rc |= bt_put_u64(b, BK_OFFSET, offset) | bt_put_u64(b, BK_GAPS, r->s.gaps.total);
	rc |= sampler_gap_lines(&r->s.gaps, b);
	if (rc)
		return ms_err_set(err, ENOMEM, "out of memory");
	char name[64];
	snprintf(name, sizeof(name), MS_SAMPLE_NAME_FMT, sample, "meta");
	return bundle_writer_add(r->w, name, b->data, b->len, time(NULL), err);
}

/* Say once, after the first sample that read every tier, which files
 * could not be read for another reason than a process exiting. */
static void warn_gaps_once(struct run *r)
{
	if (r->warned_gaps)
		return;
	r->warned_gaps = 1;
	char msg[400];
	size_t len = 0;
	for (size_t i = 0; i < r->s.gaps.n && len < sizeof(msg) - 64; i++) {
		const struct gap_count *g = &r->s.gaps.e[i];
		if (!strncmp(g->key, "ESRCH ", 6) || !strncmp(g->key, "ENOENT ", 7))
			continue;
		int n = snprintf(msg + len, sizeof(msg) - len, "%s%s x%llu", len ? ", " : "", g->key,
				 (unsigned long long)g->n);
		if (n < 0 || (size_t)n >= sizeof(msg) - len)
			break;
		len += (size_t)n;
	}
	if (len)
		warnf(r->ui, "could not read (per sample): %s%s", msg,
		      geteuid() ? "; run as root for every process's smaps" : "");
}

static int sleep_until(uint64_t deadline_us)
{
	struct timespec ts = { (time_t)(deadline_us / 1000000u),
			       (long)(deadline_us % 1000000u) * 1000 };
	while (!stop_signal) {
		int rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		if (rc == 0)
			return 0;
		if (rc != EINTR)
			return -1;
	}
	return 0;
}

static int write_trailer(struct run *r, unsigned samples, const char *reason,
			 struct ms_err *err)
{
	struct ms_buf *b = &r->meta;
	ms_buf_reset(b);
	int rc = bt_put(b, BK_SAMPLES, "%u", samples) | bt_put(b, BK_END_REASON, "%s", reason);
	rc |= add_ts(b, BK_WALL_END, CLOCK_REALTIME) | add_ts(b, BK_MONO_END, CLOCK_MONOTONIC);
	rc |= bt_put_u64(b, BK_CPU_US, r->cpu_total);
	rc |= bt_put_u64(b, BK_BYTES_BEFORE_TRAILER, bundle_writer_bytes(r->w));
	rc |= bt_put_u64(b, BK_GAPS, r->s.all.total);
	rc |= sampler_gap_lines(&r->s.all, b);
	if (rc)
		return ms_err_set(err, ENOMEM, "out of memory");
	return bundle_writer_add(r->w, MS_MEMBER_TRAILER, b->data, b->len, time(NULL), err);
}

static int loop(struct run *r, struct collect_result *res, struct ms_err *err)
{
	const struct collect_opts *o = r->o;
	uint64_t start = ts_us(CLOCK_MONOTONIC);
	uint64_t tick = 0, missed = 0;
	uint64_t interval_us = o->interval_ms * 1000;
	const char *reason = "signal";
	for (;;) {
		uint64_t t_start = ts_us(CLOCK_MONOTONIC);
		uint64_t cpu_start = ts_us(CLOCK_PROCESS_CPUTIME_ID);
		unsigned sample = res->samples + 1;
		int final = (o->count && sample >= o->count) ||
			    (o->duration_ms && (tick + 1) * o->interval_ms >= o->duration_ms);
		unsigned due = schedule_due(&r->sched, tick, final), ran = due, deferred = 0;
		for (int t = 1; t < MS_TIERS; t++)
			if ((due & (1u << t)) && !final &&
			    !budget_allows(&r->budget, r->tier_cost[t])) {
				ran &= ~(1u << t);
				deferred |= 1u << t;
			}
		struct sample_clocks clocks;
		clock_gettime(CLOCK_REALTIME, &clocks.wall);
		clock_gettime(CLOCK_MONOTONIC, &clocks.mono);
		clock_gettime(CLOCK_BOOTTIME, &clocks.boot);
		uint64_t offset = bundle_writer_bytes(r->w);
		struct tick_cost cost;
		int host_written;
		if (sampler_tick(&r->s, r->w, sample, ran, (ran & 2) != 0, &cost, &host_written,
				 err) < 0)
			return -1;
		uint64_t late = t_start - start > tick * interval_us
					? t_start - start - tick * interval_us : 0;
		uint64_t cpu = ts_us(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
		uint64_t wall = ts_us(CLOCK_MONOTONIC) - t_start;
		if (write_meta(r, sample, ran, deferred, missed, late, offset, &cost, cpu, wall,
			       &clocks, err) < 0 ||
		    bundle_writer_commit(r->w, err) < 0)
			return -1;
		res->samples = sample;
		r->cpu_total += ts_us(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
		for (int t = 1; t < MS_TIERS; t++)
			if (ran & (1u << t))
				r->tier_cost[t] = cost.cpu_us[t];
		uint64_t sample_bytes = bundle_writer_bytes(r->w) - offset;
		if (sample_bytes > r->max_sample_bytes)
			r->max_sample_bytes = sample_bytes;
		budget_spend(&r->budget, ts_us(CLOCK_PROCESS_CPUTIME_ID) - cpu_start);
		schedule_done(&r->sched, tick, ran, deferred);
		if (ran == 7)
			warn_gaps_once(r);
		uint64_t now = ts_us(CLOCK_MONOTONIC);
		if (r->ui && r->ui->progress)
			r->ui->progress(r->ui->ctx, (now - start) / 1000, res->samples,
					bundle_writer_bytes(r->w));
		if (stop_signal)
			break;
		if (final) {
			reason = o->count && sample >= o->count ? "count" : "duration";
			break;
		}
		/* the next sample could be as large as the largest so far */
		if (o->max_size &&
		    bundle_writer_bytes(r->w) + r->max_sample_bytes + 4096 > o->max_size) {
			reason = "max-size";
			break;
		}
		uint64_t next = schedule_next_tick(tick, (now - start) / 1000, o->interval_ms);
		missed = next - tick - 1;
		tick = next;
		if (o->duration_ms && tick * o->interval_ms >= o->duration_ms) {
			reason = "duration";
			break;
		}
		uint64_t before = ts_us(CLOCK_MONOTONIC);
		if (sleep_until(start + tick * interval_us) < 0)
			return ms_err_set(err, errno, "clock_nanosleep failed");
		budget_accrue(&r->budget, ts_us(CLOCK_MONOTONIC) - before + wall);
		if (stop_signal)
			break;
	}
	if (stop_signal) {
		const char *n = sigabbrev_np(stop_signal);
		snprintf(res->end_reason, sizeof(res->end_reason), "signal SIG%s", n ? n : "?");
	} else {
		snprintf(res->end_reason, sizeof(res->end_reason), "%s", reason);
	}
	if (write_trailer(r, res->samples, res->end_reason, err) < 0 ||
	    bundle_writer_close(r->w, err) < 0)
		return -1;
	return 0;
}

int collector_run(const struct collect_opts *o, const struct collect_ui *ui,
		  struct collect_result *res, struct ms_err *err)
{
	struct run r;
	int fd = -1, rc = -1;
	memset(&r, 0, sizeof(r));
	memset(res, 0, sizeof(*res));
	r.red.map_fd = -1;
	r.o = o;
	r.ui = ui;
	stop_signal = 0;
	install_signals();
	if (ms_buf_init(&r.meta, 16 * 1024) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	if (sampler_init(&r.s, o, err) < 0)
		goto out;
	fd = open_output(o, res, err);
	if (fd < 0)
		goto out;
	struct bundle_writer_opts wo = { (int)o->level, BUNDLE_WINDOW_LOG, BUNDLE_FRAME_BYTES, o->fsync };
	if (bundle_writer_open(&r.w, fd, &wo, err) < 0)
		goto out;
	if (collect_redact_start(&r.red, o, res->path, r.w, err) < 0) {
		if (fd > 1)
			unlink(res->path); /* made by us, still empty */
		goto out;
	}
	uint64_t every[MS_TIERS] = { 1, schedule_ticks(o->rollup_ms, o->interval_ms),
				     schedule_ticks(o->smaps_ms, o->interval_ms) };
	schedule_init(&r.sched, every);
	budget_init(&r.budget, o->cpu_budget, o->smaps_ms > 60000 ? o->smaps_ms : 60000);
	struct ms_buf hdr;
	if (ms_buf_init(&hdr, 4096) < 0) {
		ms_err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	int prc = prepare_process(o, ui, &hdr);
	int hrc = prc ? ms_err_set(err, ENOMEM, "out of memory")
		      : write_header(r.w, o, &r.s, &hdr, err);
	ms_buf_release(&hdr);
	if (hrc < 0)
		goto out;
	rc = loop(&r, res, err);
	res->bytes = bundle_writer_bytes(r.w);
out:
	if (rc < 0 && res->path && err->msg && strncmp(err->msg, "'", 1))
		ms_err_prefix(err, "'%s'", res->path);
	bundle_writer_free(r.w);
	collect_redact_end(&r.red);
	if (fd > 1)
		close(fd);
	sampler_release(&r.s);
	ms_buf_release(&r.meta);
	return rc;
}

void collect_result_release(struct collect_result *res)
{
	free(res->path);
	res->path = NULL;
}
