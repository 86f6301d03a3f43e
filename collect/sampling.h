/*
 * sampling.h - what collect and record share around the sampler: the
 * process's own preparation (priority, mlock), a bundle's header and
 * trailer, and one sample taken into its sinks and committed (its meta
 * member is the commit record).  The loops (collector.c, recorder.c)
 * decide when to sample, which tiers, and into which bundles.
 */
#ifndef SAMPLING_H
#define SAMPLING_H

#include <stdint.h>
#include <time.h>

#include "bundle_writer.h"
#include "collect_opts.h"
#include "ms_buf.h"
#include "ms_err.h"
#include "sampler.h"

/* What the loop tells its front end (cmd_collect prints; tests record). */
struct collect_ui {
	void *ctx;
	/* once per completed sample */
	void (*progress)(void *ctx, uint64_t elapsed_ms, unsigned samples, uint64_t bytes);
	/* a one-line warning (the run goes on) */
	void (*warn)(void *ctx, const char *msg);
};

/* One sample's plan, decided by the loop. */
struct sample_plan {
	unsigned ran, deferred;     /* tiers (bit t = tier t) */
	uint64_t missed, late_us;   /* deadlines skipped before it; its lateness */
	int check_host;             /* re-read the host member (and write it if changed) */
	const struct focus *focus;  /* NULL: every process */
};

struct sampling {
	const struct collect_opts *o;
	const struct collect_ui *ui;
	struct sampler s;
	struct ms_buf text;         /* meta, header and trailer being built */
	struct ms_buf self;         /* header lines: what was done to the process */
	int warned_gaps;
	/* the sample in progress (sampling_read to sampling_finish) */
	struct sample_plan plan;
	struct tick_cost cost;
	uint64_t cpu_start, mono_start;
	struct {
		struct timespec wall, mono, boot;
	} clocks;                   /* at its start */
	/* the last finished sample */
	uint64_t last_cpu_us, last_wall_us;
};

uint64_t ms_clock_us(clockid_t c);
/* CLOCK_REALTIME as UTC seconds, with the fraction */
double ms_wall_now(void);

/* "812 B", "3.2 KiB", "41.0 MiB" into BUF */
void ms_human_bytes(char *buf, size_t n, uint64_t bytes);

/* Open what sampling needs, lower the process's priority and lock it in
 * memory as O asks (said in every header). */
int sampling_init(struct sampling *g, const struct collect_opts *o, const struct collect_ui *ui,
		  struct ms_err *err);
void sampling_release(struct sampling *g);

/* Write the header member to W: the format, host, options, and EXTRA
 * ("key value" lines, or NULL) at the end. */
int sampling_header(struct sampling *g, struct bundle_writer *w, const char *extra,
		    struct ms_err *err);

/* Read one sample as P says into the sinks K (each sink's offset is set
 * here).  Members go to the sinks' writers, nothing to a file yet. */
int sampling_read(struct sampling *g, struct sinks *k, const struct sample_plan *p,
		  struct ms_err *err);

/* Close the sample read last: its meta (with EXTRA lines, or NULL) to each
 * sink, then commit each.  A sink whose commit fails gets its errno in
 * ->failed and the others are still committed; -1 when any failed (ERR:
 * the first failure), 0 otherwise.  Sets last_cpu_us and last_wall_us. */
int sampling_finish(struct sampling *g, struct sinks *k, const char *extra, struct ms_err *err);

/* What a bundle's trailer says */
struct trailer_info {
	unsigned samples;                   /* complete samples, numbered 1..SAMPLES */
	const char *reason;                 /* why it ended */
	uint64_t cpu_us;                    /* the CPU its samples used */
	const struct gaps *gaps;            /* their gaps */
	const struct timespec *last_wall;   /* the last sample's wall (NULL: not known) */
	const char *extra;                  /* lines at the end (or NULL) */
};

/* End W's frame and write the trailer T in a frame of its own (a reader
 * reads it without the samples: docs/bundle-format.md). */
int sampling_trailer(struct sampling *g, struct bundle_writer *w, const struct trailer_info *t,
		     struct ms_err *err);

void sampling_warn(const struct sampling *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
