/*
 * recorder.c - the record loop, the segments, the watch (see recorder.h).
 */
#include "recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bundle_format.h"
#include "bundle_text.h"
#include "proc_read.h"
#include "recording_format.h"
#include "signals.h"

#define WATCH_MS 1000u               /* the system files between ticks */

enum { LOGGED_FULL = 1, LOGGED_AGE = 2, LOGGED_PSI = 4 };

static const char *const watch_files[] = { "meminfo", "vmstat", "pressure/memory" };

void recorder_log(struct recorder *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap); /* a long path may be cut: a log line */
	va_end(ap);
	if (r->ui && r->ui->log)
		r->ui->log(r->ui->ctx, msg);
}

int recorder_header_extra(struct recorder *r, const char *kind, struct ms_err *err)
{
	struct ms_buf *b = &r->text;
	struct ms_buf t;
	ms_buf_reset(b);
	if (ms_buf_init(&t, 128) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	int rc = bt_put(b, BK_BUNDLE_KIND, "%s", kind) | bt_put(b, BK_RING_ID, "%s", r->ring.ring_id);
	rc |= trigger_config_format(&r->o->triggers, &t);
	rc |= bt_put(b, BK_TRIGGERS, "%s", t.data);
	ms_buf_release(&t);
	if (rc)
		return ms_err_set(err, ENOMEM, "out of memory");
	return 0;
}

void recorder_suspend(struct recorder *r, int e, const char *what)
{
	if (!r->suspended)
		recorder_log(r, "%s: %s: stopped writing (what was written stays readable); "
			     "resuming when there is room again", what, strerror(e));
	r->suspended = 1;
	r->suspended_at = ms_clock_us(CLOCK_MONOTONIC);
}

/* ---- segments ---- */

/* Delete the oldest segments so that the closed ones and the next fit */
static void ring_enforce(struct recorder *r)
{
	struct ring_files l;
	struct ms_err err = MS_ERR_INIT;
	if (ring_list(&r->ring, 0, &l, &err) < 0) {
		recorder_log(r, "cannot list the ring: %s", ms_err_msg(&err));
		ms_err_release(&err);
		return;
	}
	unsigned char *del = calloc(l.n ? l.n : 1, 1);
	time_t now = time(NULL);
	if (del && ring_plan(&l, r->o->max_disk, record_segment_cap(r->o), r->o->max_age_ms / 1000,
			     now, del)) {
		for (size_t i = 0; i < l.n; i++) {
			if (!del[i])
				continue;
			int old = l.f[i].mtime + (time_t)(r->o->max_age_ms / 1000) < now;
			unsigned flag = old ? LOGGED_AGE : LOGGED_FULL;
			if (!(r->logged & flag))
				recorder_log(r, old ? "segments older than --max-age are deleted from now on (first: %s)"
						    : "the ring is full (--max-disk): the oldest segments are deleted "
						      "from now on (first: %s)", l.f[i].name);
			r->logged |= flag;
			if (unlinkat(r->ring.ringfd, l.f[i].name, 0) < 0 && errno != ENOENT)
				recorder_log(r, "cannot delete %s/%s/%s: %s", r->ring.dir, MS_RING_DIR,
					     l.f[i].name, strerror(errno));
		}
	}
	free(del);
	ring_files_release(&l);
}

static int seg_open(struct recorder *r, struct ms_err *err)
{
	struct segment *s = &r->seg;
	ring_enforce(r);
	s->fd = ring_create_segment(&r->ring, (long long)time(NULL), &s->name, err);
	if (s->fd < 0)
		return -1;
	struct bundle_writer_opts wo = { (int)r->o->c.level, BUNDLE_WINDOW_LOG, BUNDLE_FRAME_BYTES,
					 r->o->c.fsync };
	s->samples = 0;
	s->cpu_us = s->max_sample = 0;
	memset(&s->gaps, 0, sizeof(s->gaps));
	ms_buf_reset(&s->trig);
	s->trig_listed = s->trig_lines = 0;
	s->start_mono = ms_clock_us(CLOCK_MONOTONIC);
	if (bundle_writer_open(&s->w, s->fd, &wo, err) < 0 ||
	    recorder_header_extra(r, MS_BUNDLE_SEGMENT, err) < 0 ||
	    bt_put_u64(&r->text, BK_RING_SEQ, r->ring.next_seq - 1) < 0 ||
	    sampling_header(&r->g, s->w, r->text.data, err) < 0)
		return -1;
	return 0;
}

/* Close the open segment: its trailer when it can be written (REASON),
 * or just the file (a failed writer keeps its readable prefix) */
static void seg_close(struct recorder *r, const char *reason)
{
	struct segment *s = &r->seg;
	if (s->fd < 0)
		return;
	struct ms_err err = MS_ERR_INIT;
	ms_buf_reset(&r->text);
	int nomem = bt_put(&r->text, BK_TRIGGER_LINES, "%u", s->trig_lines) < 0 ||
		    ms_buf_add(&r->text, s->trig.data, s->trig.len) < 0;
	struct trailer_info t = { s->samples, reason, s->cpu_us, &s->gaps, &s->last_wall,
				  nomem ? NULL : r->text.data };
	if (reason && s->samples &&
	    (sampling_trailer(&r->g, s->w, &t, &err) < 0 || bundle_writer_close(s->w, &err) < 0))
		recorder_suspend(r, err.code ? err.code : EIO, s->name.data);
	ms_err_release(&err);
	bundle_writer_free(s->w);
	s->w = NULL;
	close(s->fd);
	/* a segment that never got a sample holds nothing */
	if (!s->samples)
		unlinkat(r->ring.ringfd, s->name.data, 0);
	s->fd = -1;
}

static int seg_rotate(struct recorder *r, const char *reason)
{
	seg_close(r, reason);
	struct ms_err err = MS_ERR_INIT;
	if (seg_open(r, &err) < 0) {
		recorder_suspend(r, err.code ? err.code : EIO, ms_err_msg(&err));
		seg_close(r, NULL);
		ms_err_release(&err);
		return -1;
	}
	return 0;
}

static int seg_due(const struct recorder *r, uint64_t now)
{
	const struct segment *s = &r->seg;
	return now - s->start_mono >= r->o->segment_ms * 1000 ||
	       bundle_writer_bytes(s->w) + s->max_sample + 4096 > record_segment_cap(r->o);
}

/* ---- triggers between samples ---- */

/* Keep the events of the last reading for the next sample's trigger member */
static void take_events(struct recorder *r)
{
	const struct triggers *t = &r->trig;
	for (size_t i = 0; i < t->nev; i++) {
		const struct trig_event *e = &t->ev[i];
		recorder_log(r, "trigger: %.*s", (int)e->line_len - 1, t->lines.data + e->line);
		if (r->pend_kind < 0) {
			r->pend_kind = e->kind;
			r->pend_t = e->t;
		}
		if (e->cg_len && !r->pend_cg.len)
			ms_buf_add(&r->pend_cg, t->cgs.data + e->cg, e->cg_len);
	}
	if (t->nev && ms_buf_add(&r->pending, t->lines.data, t->lines.len) < 0)
		recorder_log(r, "out of memory keeping %zu triggers", t->nev);
	if (t->dropped)
		recorder_log(r, "%u more triggers in one reading were not recorded", t->dropped);
}

/* Once a second between ticks: the files the system triggers read */
static void watch(struct recorder *r)
{
	struct triggers *t = &r->trig;
	triggers_begin(t, 0, ms_wall_now());
	for (size_t i = 0; i < sizeof(watch_files) / sizeof(*watch_files); i++) {
		int trunc;
		if (proc_read_at(r->g.s.procfd, watch_files[i], &r->watchbuf, 1u << 20, &trunc) == 0)
			triggers_file(t, watch_files[i], watch_files[i], r->watchbuf.data,
				      r->watchbuf.len);
	}
	if (triggers_end(t) < 0)
		recorder_log(r, "out of memory evaluating the triggers");
	take_events(r);
}

/* The kernel's PSI trigger: full stall at the psi threshold over 10 s */
static void psi_open(struct recorder *r)
{
	r->psi_fd = -1;
	if (!(r->o->triggers.enabled & (1u << MS_TRIG_PSI)))
		return;
	int fd = openat(r->g.s.procfd, "pressure/memory", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	struct statfs sf;
	if (fd >= 0 && (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)) {
		close(fd); /* a tree laid out as /proc (a test's): no kernel behind it */
		fd = -1;
		errno = ENOTSUP;
	}
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "full %llu %llu",
			 (unsigned long long)(r->o->triggers.threshold[MS_TRIG_PSI] *
					      TRIG_PSI_WINDOW_S * 1e4),
			 (unsigned long long)(TRIG_PSI_WINDOW_S * 1e6));
	if (fd >= 0 && write(fd, buf, (size_t)n + 1) == n + 1) {
		r->psi_fd = fd;
		return;
	}
	int e = errno;
	if (fd >= 0)
		close(fd);
	recorder_log(r, "no kernel PSI trigger (%s): psi is checked every second instead",
		     strerror(e));
}

static void psi_fired(struct recorder *r, short revents)
{
	if (revents & (POLLERR | POLLNVAL)) {
		recorder_log(r, "the kernel PSI trigger failed: psi is checked every second instead");
		close(r->psi_fd);
		r->psi_fd = -1;
		return;
	}
	double now = ms_wall_now();
	triggers_begin(&r->trig, 0, now);
	if (triggers_psi_kernel(&r->trig, now) < 0)
		recorder_log(r, "out of memory evaluating the triggers");
	take_events(r);
}

/* ---- one sample ---- */

static int add_triggers(struct recorder *r, const struct sinks *k, struct ms_err *err)
{
	if (!r->pending.len)
		return 0;
	for (size_t i = 0; i < k->n; i++) {
		char name[64];
		snprintf(name, sizeof(name), MS_SAMPLE_NAME_FMT, k->k[i].sample, MS_KIND_TRIGGER);
		if (bundle_writer_add(k->k[i].w, name, r->pending.data, r->pending.len, time(NULL),
				      err) < 0)
			return -1;
	}
	return 0;
}

/* The trigger lines LINES went into segment S: the first ones are listed
 * in its trailer (a reader of the ring has them without its samples) */
static void list_triggers(struct segment *s, const struct ms_buf *lines)
{
	for (const char *p = lines->data, *end = p + lines->len; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		s->trig_lines++;
		if (s->trig_listed < MS_TRIGGERS_LISTED)
			s->trig_listed = ms_buf_addf(&s->trig, "%s %.*s\n", bt_key_name(BK_TRIGGER),
						     (int)n, p) == 0
					 ? s->trig_listed + 1
					 : MS_TRIGGERS_LISTED; /* out of memory: the first ones only */
		p += n + 1;
	}
}

/* What the sample did to the bundles it went to */
static void account(struct recorder *r, const struct sinks *k)
{
	struct segment *s = &r->seg;
	struct incident *inc = &r->inc;
	uint64_t cpu = r->g.last_cpu_us;
	if (!k->k[0].failed) {
		uint64_t bytes = bundle_writer_bytes(s->w) - k->k[0].offset;
		s->max_sample = bytes > s->max_sample ? bytes : s->max_sample;
		s->samples++;
		s->cpu_us += cpu;
		s->last_wall = r->g.clocks.wall;
		sampler_gaps_merge(&s->gaps, &r->g.s.gaps);
		list_triggers(s, &r->pending);
	}
	if (k->n > 1 && !k->k[1].failed) {
		uint64_t bytes = bundle_writer_bytes(inc->w) - k->k[1].offset;
		inc->max_sample = bytes > inc->max_sample ? bytes : inc->max_sample;
		inc->samples++;
		inc->cpu_us += cpu;
		inc->last_wall = r->g.clocks.wall;
		inc->live = 1;
		sampler_gaps_merge(&inc->gaps, &r->g.s.gaps);
	}
	r->samples++;
}

/* The plan of a sample: the ring's tiers by its own clock, plus the
 * incident's (for the focus) when one is open */
static void plan(struct recorder *r, uint64_t now, struct sample_plan *p, unsigned *rran,
		 unsigned *rdef, unsigned *iran, unsigned *idef)
{
	uint64_t vtick = (now - r->tick.start_us) / r->tick.interval_us;
	*rran = cadence_plan(&r->cad, vtick, 0, rdef);
	*iran = *idef = 0;
	if (r->inc.open)
		*iran = cadence_plan(&r->inc.cad, r->inc.tick.tick, 0, idef);
	memset(p, 0, sizeof(*p));
	p->ran = *rran | *iran;
	p->deferred = (*rdef | *idef) & ~p->ran;
	const struct ticker *t = r->inc.open ? &r->inc.tick : &r->tick;
	p->missed = t->missed;
	p->late_us = ticker_late_us(t, now);
	p->check_host = (*rran & 2) != 0;
	r->inc.focus.tiers = *iran & ~*rran & 6;
	p->focus = r->inc.focus.tiers ? &r->inc.focus : NULL;
}

/* One sample into the ring's segment (and the open incident): the
 * triggers it shows are evaluated before its meta, and written with the
 * pending ones as its trigger member.  Returns the number of triggers it
 * carried, or -1 on a failure that ends the run (memory). */
static int sample(struct recorder *r, struct ms_err *err)
{
	uint64_t now = ms_clock_us(CLOCK_MONOTONIC);
	struct incident *inc = &r->inc;
	struct sample_plan p;
	unsigned rran, rdef, iran, idef;
	plan(r, now, &p, &rran, &rdef, &iran, &idef);
	struct sinks k = { { { r->seg.w, r->seg.samples + 1, 0, 0 } }, 1 };
	if (inc->open)
		k.k[k.n++] = (struct sink){ inc->w, inc->samples + 1, 0, 0 };
	char extra[64] = "";
	if (p.focus)
		snprintf(extra, sizeof(extra), "%s%s%s\n", bt_key_name(BK_FOCUS),
			 (p.focus->tiers & 2) ? " 1" : "", (p.focus->tiers & 4) ? " 2" : "");
	triggers_begin(&r->trig, 1, ms_wall_now());
	if (sampling_read(&r->g, &k, &p, err) < 0)
		return -1;
	if (triggers_end(&r->trig) < 0)
		return ms_err_set(err, ENOMEM, "out of memory evaluating the triggers");
	take_events(r);
	int fired = r->pending.len > 0;
	if (add_triggers(r, &k, err) < 0)
		return -1;
	struct ms_err ferr = MS_ERR_INIT;
	int frc = sampling_finish(&r->g, &k, extra[0] ? extra : NULL, &ferr);
	int nomem = frc < 0 && ferr.code == ENOMEM;
	ms_err_release(&ferr);
	if (nomem)
		return ms_err_set(err, ENOMEM, "out of memory");
	account(r, &k);
	if (k.n > 1 && !k.k[1].failed)
		for (const char *c = r->pending.data; (c = strchr(c, '\n')); c++)
			inc->triggers++;
	uint64_t cost[MS_TIERS];
	memcpy(cost, r->g.cost.cpu_us, sizeof(cost));
	cadence_done(&r->cad, (now - r->tick.start_us) / r->tick.interval_us, rran, rdef, cost,
		     inc->open ? cost[1] * !!(rran & 2) + cost[2] * !!(rran & 4) : r->g.last_cpu_us);
	if (inc->open)
		cadence_done(&inc->cad, inc->tick.tick, iran & ~rran, idef, cost, r->g.last_cpu_us);
	ms_buf_reset(&r->pending);
	if (k.k[0].failed) {
		char what[512];
		snprintf(what, sizeof(what), "%s/%s/%s", r->ring.dir, MS_RING_DIR, r->seg.name.data);
		recorder_suspend(r, k.k[0].failed, what);
		seg_close(r, NULL); /* its complete samples stay; without any it goes */
	}
	if (k.n > 1 && k.k[1].failed) {
		recorder_log(r, "incident %s: %s: stopped writing it (what it holds stays readable; "
			     "it is finished when there is room again)", inc->part.data,
			     strerror(k.k[1].failed));
		incident_seal(r, NULL);
	}
	return fired;
}

/* ---- the loop ---- */

/* After a write failed: room again?  Then a new segment and the
 * unfinished incident are taken up. */
static void try_resume(struct recorder *r)
{
	/* room for a few samples as large as the largest so far */
	uint64_t big = r->seg.max_sample > (16u << 10) ? r->seg.max_sample : 16u << 10;
	if (ring_free_bytes(&r->ring) < 4 * big + (64u << 10))
		return;
	seg_close(r, NULL);
	struct ms_err err = MS_ERR_INIT;
	if (seg_open(r, &err) < 0) {
		seg_close(r, NULL);
		ms_err_release(&err);
		return;
	}
	recorder_log(r, "there is room again: writing to %s/%s/%s (stopped for %llu s)", r->ring.dir,
		     MS_RING_DIR, r->seg.name.data,
		     (unsigned long long)((ms_clock_us(CLOCK_MONOTONIC) - r->suspended_at) / 1000000));
	r->suspended = 0;
	incident_recover(r);
}

/* The pending triggers (from the watch, PSI, a signal) want a sample now */
static int urgent(const struct recorder *r)
{
	return r->pending.len > 0;
}

/* Wait for the next deadline, a signal or the PSI trigger; handle what
 * came.  Returns 0 to go on, 1 to stop. */
static int wait_event(struct recorder *r, uint64_t *watch_at)
{
	uint64_t next = r->inc.open ? ticker_deadline(&r->inc.tick) : ticker_deadline(&r->tick);
	int watching = !r->inc.open && !r->suspended && r->o->c.interval_ms > WATCH_MS;
	if (watching && *watch_at < next)
		next = *watch_at;
	struct pollfd pfd = { r->psi_fd, POLLPRI, 0 };
	int w = signals_wait(next, &pfd, r->psi_fd >= 0 && !r->suspended);
	struct trigger_signal ts;
	unsigned f = signals_take(&ts);
	if (f & SIGS_STOP)
		return 1;
	if ((f & SIGS_REOPEN) && !r->suspended && seg_rotate(r, "reopen") == 0)
		recorder_log(r, "SIGHUP: new segment %s", r->seg.name.data);
	if (f & SIGS_TRIGGER) {
		triggers_begin(&r->trig, 0, ms_wall_now());
		triggers_manual(&r->trig, ms_wall_now(), ts.trigger_now ? "trigger-now" : "SIGUSR1", ts.pid);
		take_events(r);
	}
	if (w == 2)
		psi_fired(r, pfd.revents);
	uint64_t now = ms_clock_us(CLOCK_MONOTONIC);
	if (watching && now >= *watch_at) {
		watch(r);
		*watch_at = now + WATCH_MS * 1000;
	}
	return 0;
}

static int due(const struct recorder *r, uint64_t now)
{
	if (r->inc.open)
		return now >= ticker_deadline(&r->inc.tick) || urgent(r);
	return now >= ticker_deadline(&r->tick) || urgent(r);
}

/* One turn: a sample when one is due, and what follows from it */
static int turn(struct recorder *r, struct ms_err *err)
{
	uint64_t now = ms_clock_us(CLOCK_MONOTONIC);
	if (r->suspended) {
		if (now >= ticker_deadline(&r->tick))
			try_resume(r);
		ms_buf_reset(&r->pending); /* nothing can hold them */
		r->pend_kind = -1;
		return 0;
	}
	if (!due(r, now))
		return 0;
	cadence_accrue(&r->cad, now);
	if (r->inc.open)
		cadence_accrue(&r->inc.cad, now);
	if (r->inc.open && bundle_writer_bytes(r->inc.w) + r->inc.max_sample + 4096 >
				   r->o->max_incident_size) {
		recorder_log(r, "incident %s reached --max-incident-size", r->inc.name.data);
		incident_seal(r, "max-size");
	}
	/* a segment covers [start, start + --segment): the sample at its end
	 * opens the next one */
	if (seg_due(r, now) && seg_rotate(r, "rotation") < 0)
		return 0;
	if (urgent(r) && !r->inc.open && r->o->max_incidents)
		incident_open(r);
	int fired = sample(r, err);
	if (fired < 0)
		return -1;
	now = ms_clock_us(CLOCK_MONOTONIC);
	if (fired && !r->inc.open && r->o->max_incidents && !r->suspended)
		incident_open(r);
	else if (r->inc.open && incident_due_end(r, now, fired))
		incident_seal(r, "post");
	r->pend_kind = -1;
	ms_buf_reset(&r->pend_cg);
	if (r->inc.open) {
		incident_refocus(r);
		ticker_advance(&r->inc.tick, now);
	}
	if (now >= ticker_deadline(&r->tick))
		ticker_advance(&r->tick, now);
	return 0;
}

static int loop(struct recorder *r, struct ms_err *err)
{
	uint64_t watch_at = ms_clock_us(CLOCK_MONOTONIC) + WATCH_MS * 1000;
	for (;;) {
		if (turn(r, err) < 0)
			return -1;
		if (wait_event(r, &watch_at))
			return 0;
	}
}

/* ---- start and stop ---- */

static void say_start(struct recorder *r)
{
	struct ring_files segs, incs;
	struct ms_err err = MS_ERR_INIT;
	uint64_t bytes = 0;
	size_t nseg = 0, ninc = 0;
	if (ring_list(&r->ring, 0, &segs, &err) == 0) {
		for (size_t i = 0; i < segs.n; i++)
			bytes += segs.f[i].size;
		nseg = segs.n;
		ring_files_release(&segs);
	}
	if (ring_list(&r->ring, 1, &incs, &err) == 0) {
		ninc = incs.n;
		ring_files_release(&incs);
	}
	ms_err_release(&err);
	char used[32], max[32];
	ms_human_bytes(used, sizeof(used), bytes);
	ms_human_bytes(max, sizeof(max), r->o->max_disk);
	ms_buf_reset(&r->text);
	trigger_config_format(&r->o->triggers, &r->text);
	recorder_log(r, "recording to %s (pid %lld): every %llu ms, %zu segments (%s of %s), "
		     "%zu incidents; triggers %s", r->ring.dir, (long long)getpid(),
		     (unsigned long long)r->o->c.interval_ms, nseg, used, max, ninc, r->text.data);
}

static int setup(struct recorder *r, const struct collect_ui *ui, struct ms_err *err)
{
	struct utsname u;
	snprintf(r->host, sizeof(r->host), "%s", uname(&u) == 0 ? u.nodename : "host");
	if (ms_buf_init(&r->pending, 1024) < 0 || ms_buf_init(&r->pend_cg, 256) < 0 ||
	    ms_buf_init(&r->text, 1024) < 0 || ms_buf_init(&r->watchbuf, 16384) < 0 ||
	    ms_buf_init(&r->seg.name, 64) < 0 || ms_buf_init(&r->seg.trig, 256) < 0 ||
	    ms_buf_init(&r->inc.name, 128) < 0 ||
	    ms_buf_init(&r->inc.part, 128) < 0 || ms_buf_init(&r->inc.cgroup, 128) < 0 ||
	    triggers_init(&r->trig, &r->o->triggers) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	ms_buf_reset(&r->text);
	if (ring_open(&r->ring, r->o->dir, &r->text, err) < 0)
		return -1;
	if (r->text.len)
		recorder_log(r, "removed empty segments (a crash before their first sample): %.*s",
			     (int)r->text.len - 1, r->text.data);
	if (sampling_init(&r->g, &r->o->c, ui, err) < 0)
		return -1;
	r->g.s.watch = (struct sample_watch){ triggers_file, &r->trig };
	const struct collect_opts *c = &r->o->c;
	const uint64_t period[MS_TIERS] = { c->interval_ms, c->rollup_ms, c->smaps_ms };
	cadence_init(&r->cad, c->interval_ms, period, c->cpu_budget,
		     c->smaps_ms > 60000 ? c->smaps_ms : 60000);
	ticker_start(&r->tick, ms_clock_us(CLOCK_MONOTONIC), c->interval_ms);
	psi_open(r);
	return 0;
}

static void teardown(struct recorder *r)
{
	if (r->psi_fd >= 0)
		close(r->psi_fd);
	triggers_release(&r->trig);
	sampling_release(&r->g);
	ring_close(&r->ring);
	ms_buf_release(&r->pending);
	ms_buf_release(&r->seg.trig);
	ms_buf_release(&r->pend_cg);
	ms_buf_release(&r->text);
	ms_buf_release(&r->watchbuf);
	ms_buf_release(&r->seg.name);
	ms_buf_release(&r->inc.name);
	ms_buf_release(&r->inc.part);
	ms_buf_release(&r->inc.cgroup);
}

int recorder_run(const struct record_opts *o, const struct collect_ui *ui,
		 const struct record_ui *rui, struct ms_err *err)
{
	struct recorder r;
	memset(&r, 0, sizeof(r));
	r.o = o;
	r.ui = rui;
	r.seg.fd = r.inc.fd = r.psi_fd = -1;
	r.pend_kind = -1;
	signals_install(1, 1);
	int rc = setup(&r, ui, err);
	if (rc == 0) {
		say_start(&r);
		incident_recover(&r);
		if (seg_open(&r, err) < 0) {
			recorder_suspend(&r, err->code ? err->code : EIO, ms_err_msg(err));
			seg_close(&r, NULL);
			ms_err_release(err);
		}
		rc = loop(&r, err);
		char reason[48];
		signals_stop_reason(reason, sizeof(reason));
		if (rc < 0)
			snprintf(reason, sizeof(reason), "error");
		incident_seal(&r, reason);
		seg_close(&r, reason);
		recorder_log(&r, "stopped (%s): %u samples in this run", reason, r.samples);
	}
	teardown(&r);
	return rc;
}

int recorder_trigger_now(const char *dir, int64_t *pid, struct ms_err *err)
{
	int held = ring_holder(dir, pid, err);
	if (held < 0)
		return -1;
	if (!held)
		return ms_err_set(err, ESRCH, "no recorder is running on '%s'", dir);
	union sigval v = { .sival_int = MS_TRIGGER_NOW_VALUE };
	if (sigqueue((pid_t)*pid, SIGUSR1, v) < 0)
		return ms_err_set(err, errno, "the recorder on '%s' (pid %lld): %s", dir,
				  (long long)*pid, strerror(errno));
	return 0;
}
