/*
 * bundle_summary.h - what `memsnap info` knows about a bundle.
 *
 * bundle_summarize() streams a bundle once and keeps only counters and a
 * set of process identities, so it runs in bounded memory on any bundle.
 */
#ifndef BUNDLE_SUMMARY_H
#define BUNDLE_SUMMARY_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "bundle_format.h"
#include "bundle_reader.h"
#include "ms_err.h"
#include "recording_format.h"

struct gap_total {
	char *key;                /* owned: "STATUS KIND" */
	uint64_t n;               /* records */
	uint64_t samples;         /* samples with at least one */
	uint64_t last;            /* the sample (count of samples) that last had one */
};

/* a trigger line, as `info` shows it */
struct summary_trigger {
	double t;
	char *kind, *fields;      /* owned, printable */
};

#define SUMMARY_TRIGGERS MS_TRIGGERS_LISTED  /* kept; the rest are counted */

struct bundle_summary {
	uint64_t file_size;
	long format;
	char *collector, *hostname, *kernel, *command, *machine;
	char *redacted;            /* the header's "redacted" line, when there is one */
	uint64_t interval_ms;
	long page_size, cpus;
	size_t nodes;
	char *tz;
	int has_header;
	unsigned samples;                 /* complete (meta seen) */
	unsigned tier_samples[MS_TIERS];
	unsigned incomplete;              /* members seen for a sample without meta */
	unsigned host_members;
	double wall_first, wall_last;     /* UTC seconds; 0 when unknown */
	uint64_t missed_ticks, late_ticks;
	uint64_t deferred;
	uint64_t cpu_total_us;
	uint64_t *cpu_us;                 /* per sample, for the median */
	size_t ncpu, acpu;
	uint64_t wall_max_us;
	uint64_t process_samples;
	uint64_t max_processes;
	uint64_t max_cgroups;
	size_t processes_seen;            /* distinct (pid, start time) */
	struct gap_total *gaps;
	size_t ngaps;
	int has_trailer;
	char *end_reason;
	char *bundle_kind;                /* the recorder's: segment, incident; NULL for collect's */
	char *incident_trigger;           /* an incident's first trigger, and its time */
	double incident_time;
	struct summary_trigger *trig;     /* the first SUMMARY_TRIGGERS trigger lines */
	size_t ntrig;
	uint64_t triggers;                /* all of them */
	struct bundle_read_result read;
	uint64_t bad_records;             /* members whose framing was damaged */
	uint64_t out_of_order;            /* members of a sample already complete, or older */
	char *first_error;                /* first malformed member, if any */
};

int bundle_summarize(const char *path, const struct bundle_limits *limits,
		     struct bundle_summary *out, struct ms_err *err);
void bundle_summary_release(struct bundle_summary *s);

/* What a recording's summary lists of a sealed bundle (header, samples,
 * span, end, triggers), from its header, its first sample and its
 * trailer, when the trailer has them (a collector that writes it in a
 * frame of its own: docs/bundle-format.md): its samples are not read, so
 * damage inside them is not seen.  1 done, 0 when the bundle must be read
 * whole (bundle_summarize()), -1 with ERR on ENOMEM. */
int bundle_summary_quick(const char *path, const struct bundle_limits *limits,
			 struct bundle_summary *out, struct ms_err *err);

/* The `memsnap info` text: "key: value" lines (docs/cli.md). */
void bundle_summary_print(FILE *out, const char *path, struct bundle_summary *s);

/* The trigger lines of S, one a line ("  TIME  KIND  FIELDS"). */
void bundle_summary_triggers(FILE *out, const struct bundle_summary *s);

/* "2026-12-06 15:35:46 UTC" (or "unknown") into BUF */
void summary_time(char *buf, size_t n, double t);

#endif
