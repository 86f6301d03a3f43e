/*
 * recorder.h - `memsnap record`: the collector as a service.
 *
 * Always: a sample every --interval into the open segment of the ring
 * (DIR/ring/, ring.c), rotated every --segment; the oldest segments go
 * beyond --max-disk and --max-age.  Between ticks, once a second, the
 * three system files the triggers read (trigger.c) and the kernel's PSI
 * trigger, so that a condition is seen within a second.  On a trigger: an
 * incident (incident.c) is opened with the last --pre of the ring copied
 * in, and every sample goes to both bundles, at --incident-interval, with
 * tiers 1 and 2 for the processes that matter (the largest, the fastest
 * growing, the cgroup concerned) within the incident's own CPU budget,
 * until --post after the last trigger (longer while a condition holds, at
 * most --max-incident-length); then it is sealed into DIR/incidents/.
 *
 * Crash safety is the collector's: every sample is committed before the
 * next tick, to each bundle; a restart continues the ring with a new
 * segment and finishes an incident left as NAME.part.  A write error
 * (ENOSPC) stops writing with one log line; it resumes when there is room.
 */
#ifndef RECORDER_H
#define RECORDER_H

#include <stdint.h>

#include "bundle_writer.h"
#include "ms_buf.h"
#include "ms_err.h"
#include "record_opts.h"
#include "ring.h"
#include "sampler.h"
#include "sampling.h"
#include "schedule.h"
#include "trigger.h"

/* One line per event (start, trigger, incident, limits, errors, stop):
 * the front end writes it to stderr, for the journal. */
struct record_ui {
	void *ctx;
	void (*log)(void *ctx, const char *msg);
};

struct segment {
	int fd;                        /* -1: none open */
	struct bundle_writer *w;
	struct ms_buf name;
	unsigned samples;
	uint64_t start_mono;
	uint64_t cpu_us;
	uint64_t max_sample;
	struct gaps gaps;
	struct timespec last_wall;     /* of its last sample */
	struct ms_buf trig;            /* its first MS_TRIGGERS_LISTED trigger lines */
	unsigned trig_listed, trig_lines;   /* how many are in trig; all of them */
};

#define FOCUS_MAX 16                   /* largest and fastest-growing processes in focus */

struct incident {
	int open;
	int fd;
	struct bundle_writer *w;
	struct ms_buf name, part;      /* DIR/incidents/NAME, and NAME.part while written */
	unsigned samples;
	int kind;                      /* the first trigger */
	double start_wall;             /* its time */
	uint64_t start_mono, end_mono; /* end: --post after the last trigger */
	unsigned triggers;
	uint64_t cpu_us, max_sample;
	struct gaps gaps;
	struct timespec last_wall;     /* of its last sample taken live */
	int live;                      /* it has one (not only copies) */
	struct cadence cad;
	struct ticker tick;
	struct ms_buf cgroup;          /* the cgroup concerned, as /proc/PID/cgroup writes it */
	int64_t pids[FOCUS_MAX];
	size_t npids;
	struct focus focus;
};

struct recorder {
	const struct record_opts *o;
	const struct record_ui *ui;
	struct sampling g;
	struct ring ring;
	struct triggers trig;
	struct cadence cad;            /* the ring's tiers and budget */
	struct ticker tick;            /* the ring's ticks */
	struct segment seg;
	struct incident inc;
	struct ms_buf pending;         /* trigger lines for the next sample */
	int pend_kind;                 /* the first pending trigger (-1: none) */
	double pend_t;
	struct ms_buf pend_cg;         /* the first pending trigger's cgroup */
	struct ms_buf text, watchbuf;
	int psi_fd;                    /* the kernel PSI trigger, or -1 */
	int suspended;                 /* a write failed: not writing */
	uint64_t suspended_at;
	unsigned samples;              /* in this run */
	unsigned logged;               /* limits already said once (LOGGED_*) */
	char host[256];
};

int recorder_run(const struct record_opts *o, const struct collect_ui *ui,
		 const struct record_ui *rui, struct ms_err *err);

/* Send a manual trigger to the recorder holding DIR: its PID in *PID. */
int recorder_trigger_now(const char *dir, int64_t *pid, struct ms_err *err);

/* ---- shared with incident.c ---- */

void recorder_log(struct recorder *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Open an incident for the pending trigger: the last --pre of the ring
 * copied in.  0, or -1 (logged; the ring goes on without it). */
int incident_open(struct recorder *r);
/* Seal the open incident (REASON in its trailer) into DIR/incidents/. */
void incident_seal(struct recorder *r, const char *reason);
/* Extend the open incident to --post after NOW (capped); 1 when it ends
 * at NOW. */
int incident_due_end(struct recorder *r, uint64_t now, int fired);
/* Which processes tiers 1-2 read in the next incident sample. */
void incident_refocus(struct recorder *r);
/* Finish or resume the incidents left as NAME.part by a crash. */
void incident_recover(struct recorder *r);
/* The header lines of a bundle the recorder writes (KIND segment or
 * incident) into r->text. */
int recorder_header_extra(struct recorder *r, const char *kind, struct ms_err *err);
/* A write to a bundle failed with E: say it once and stop writing. */
void recorder_suspend(struct recorder *r, int e, const char *what);

#endif
