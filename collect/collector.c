/*
 * collector.c - the collect loop.
 *
 * Per tick: decide the tiers (schedule + CPU budget), take the sample
 * (sampling.c: its members, then its meta, the commit record: a sample
 * without meta is incomplete), and commit, which writes the sample to the
 * file in one write().  Ticks sit on absolute monotonic deadlines (start +
 * k*interval) so they never drift; a tick that overruns skips the missed
 * deadlines and the next meta records how many.
 *
 * Stopping: the duration or count is reached (the last sample takes every
 * tier), SIGINT/SIGTERM/SIGHUP (the sample in progress is finished), or
 * --max-size would be exceeded by one more sample.  Each closes the
 * archive and writes the trailer.  A write error (ENOSPC, EFBIG) ends the
 * run with an error; the file then holds every sample committed before.
 */
#include "collector.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bundle_writer.h"
#include "collect_redact.h"
#include "private_file.h"
#include "schedule.h"
#include "signals.h"

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

struct run {
	const struct collect_opts *o;
	struct sampling g;
	struct bundle_writer *w;
	struct collect_redact red;
	struct cadence cad;
	struct gaps gaps;              /* the run's, for the trailer */
	uint64_t max_sample_bytes;
	uint64_t cpu_total;
	struct timespec last_wall;     /* of the last sample written */
};

/* One sample at the ticker's current tick; FINAL takes every tier. */
static int take(struct run *r, const struct ticker *t, unsigned sample, int final,
		struct ms_err *err)
{
	struct sample_plan p = { 0 };
	p.ran = cadence_plan(&r->cad, t->tick, final, &p.deferred);
	p.missed = t->missed;
	p.late_us = ticker_late_us(t, ms_clock_us(CLOCK_MONOTONIC));
	p.check_host = (p.ran & 2) != 0;
	struct sinks k = { { { r->w, sample, 0, 0 } }, 1 };
	if (sampling_read(&r->g, &k, &p, err) < 0 || sampling_finish(&r->g, &k, NULL, err) < 0)
		return -1;
	r->cpu_total += r->g.last_cpu_us;
	r->last_wall = r->g.clocks.wall;
	sampler_gaps_merge(&r->gaps, &r->g.s.gaps);
	uint64_t bytes = bundle_writer_bytes(r->w) - k.k[0].offset;
	if (bytes > r->max_sample_bytes)
		r->max_sample_bytes = bytes;
	cadence_done(&r->cad, t->tick, p.ran, p.deferred, r->g.cost.cpu_us, r->g.last_cpu_us);
	return 0;
}

/* Why the run stops after this sample, or NULL to go on */
static const char *stop_reason(const struct run *r, unsigned sample, int final)
{
	const struct collect_opts *o = r->o;
	if (signals_stop_asked())
		return "signal";
	if (final)
		return o->count && sample >= o->count ? "count" : "duration";
	/* the next sample could be as large as the largest so far */
	if (o->max_size && bundle_writer_bytes(r->w) + r->max_sample_bytes + 4096 > o->max_size)
		return "max-size";
	return NULL;
}

static int loop(struct run *r, const struct collect_ui *ui, struct collect_result *res,
		struct ms_err *err)
{
	const struct collect_opts *o = r->o;
	struct ticker t;
	ticker_start(&t, ms_clock_us(CLOCK_MONOTONIC), o->interval_ms);
	const char *reason;
	for (;;) {
		unsigned sample = res->samples + 1;
		int final = (o->count && sample >= o->count) ||
			    (o->duration_ms && (t.tick + 1) * o->interval_ms >= o->duration_ms);
		cadence_accrue(&r->cad, ms_clock_us(CLOCK_MONOTONIC));
		if (take(r, &t, sample, final, err) < 0)
			return -1;
		res->samples = sample;
		uint64_t now = ms_clock_us(CLOCK_MONOTONIC);
		if (ui && ui->progress)
			ui->progress(ui->ctx, (now - t.start_us) / 1000, sample,
				     bundle_writer_bytes(r->w));
		if ((reason = stop_reason(r, sample, final)))
			break;
		uint64_t deadline = ticker_advance(&t, now);
		if (o->duration_ms && t.tick * o->interval_ms >= o->duration_ms) {
			reason = "duration";
			break;
		}
		if (signals_wait(deadline, NULL, 0) < 0)
			return ms_err_set(err, errno, "waiting for the next tick: %s", strerror(errno));
		if (signals_stop_asked()) {
			reason = "signal";
			break;
		}
	}
	if (!strcmp(reason, "signal"))
		signals_stop_reason(res->end_reason, sizeof(res->end_reason));
	else
		snprintf(res->end_reason, sizeof(res->end_reason), "%s", reason);
	struct trailer_info tr = { res->samples, res->end_reason, r->cpu_total, &r->gaps,
				   res->samples ? &r->last_wall : NULL, NULL };
	return sampling_trailer(&r->g, r->w, &tr, err) < 0 || bundle_writer_close(r->w, err) < 0
		       ? -1
		       : 0;
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
	signals_install(0, 0);
	if (sampling_init(&r.g, o, ui, err) < 0)
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
	const uint64_t period[MS_TIERS] = { o->interval_ms, o->rollup_ms, o->smaps_ms };
	cadence_init(&r.cad, o->interval_ms, period, o->cpu_budget,
		     o->smaps_ms > 60000 ? o->smaps_ms : 60000);
	if (sampling_header(&r.g, r.w, NULL, err) < 0)
		goto out;
	rc = loop(&r, ui, res, err);
	res->bytes = bundle_writer_bytes(r.w);
out:
	if (rc < 0 && res->path && err->msg && strncmp(err->msg, "'", 1))
		ms_err_prefix(err, "'%s'", res->path);
	bundle_writer_free(r.w);
	collect_redact_end(&r.red);
	if (fd > 1)
		close(fd);
	sampling_release(&r.g);
	return rc;
}

void collect_result_release(struct collect_result *res)
{
	free(res->path);
	res->path = NULL;
}
