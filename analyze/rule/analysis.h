/*
 * analysis.h - one run of the selected rules on a loaded bundle, with what
 * the reports need besides the findings: the bundle's identity and what it
 * did not see.
 */
#ifndef ANALYSIS_H
#define ANALYSIS_H

#include <sqlite3.h>

#include "finding.h"
#include "ms_buf.h"
#include "rule_run.h"
#include "rule_set.h"

struct rule_outcome {
	const struct rule_entry *entry;  /* borrowed */
	char *error;                     /* owned; NULL when it ran clean */
	char *insufficient;              /* owned: why it did not run, "needs 5 min, this
					    recording has 20 s" (its needs: lines); else NULL */
	size_t findings;
	double seconds;
};

/* a trigger of the recorder (trigger_event) */
struct fact_trigger {
	double t;
	char *kind, *cgroup, *detail;   /* owned; cgroup NULL when none */
};

#define FACT_TRIGGERS 200             /* kept; ntriggers counts them all */

/* What the bundle is and what it lacks (from load_info, header, sample;
 * for a recording, recording_part; the recorder's triggers). */
struct bundle_facts {
	char *path, *hash, *host, *kernel, *tz, *damage, *end_reason;
	long long size, samples, processes, nodes, cpus;
	long long rollup_samples, smaps_samples;  /* samples with tier 1, tier 2 */
	double t_first, t_last;
	/* a load cut to --from/--to (load_info): the window, and the first
	 * and last sample of the whole bundle */
	int windowed;
	double win_from, win_to, rec_first, rec_last;
	int truncated, corrupt, clean_end;
	char **gaps;          /* "EACCES smaps_rollup: 12 reads in 12 samples" */
	size_t ngaps;
	long long load_errors;
	/* a recording of several bundles: how many, the time without samples
	 * between them, the samples two of them held (loaded once) */
	long long parts, part_gaps, overlap;
	double gap_s;
	/* an incident bundle's first trigger (NULL: not an incident) */
	char *incident_trigger;
	double incident_time;
	struct fact_trigger *triggers;  /* in time order, the first FACT_TRIGGERS */
	size_t ntriggers;
	long long triggers_total;
};

struct analysis {
	struct finding_list findings;
	struct rule_outcome *outcomes;
	size_t noutcomes;
	size_t failed;        /* rules broken or failed */
	size_t insufficient;  /* rules that could not judge: the recording is too short */
	struct bundle_facts facts;
	double timeout_s;     /* the rules' time limit (the report's chart queries get it too) */
};

/* Told, before each rule and at the end, how many of the TOTAL selected
 * rules have run. */
struct analysis_progress {
	void (*fn)(void *ctx, size_t done, size_t total);
	void *ctx;
};

/* Run every selected rule of SET on DB (opened with rule_db_open), each
 * limited to TIMEOUT_S seconds, and gather the facts; PROGRESS (or NULL)
 * follows the run.  Rule failures are recorded in A, not returned; -1 only
 * when nothing could be done (ENOMEM, a database without the schema). */
int analysis_run(sqlite3 *db, struct rule_sandbox *sb, const struct rule_set *set,
		 double timeout_s, const struct analysis_progress *progress, struct analysis *a,
		 struct ms_err *err);

/* The rules that could not judge, one line per reason, a folder whose
 * selected rules all could not for the same reason said once:
 * "leak/ *: needs 5 min, this recording has 20 s\n", appended to B (nothing
 * when every rule judged).  -1 on ENOMEM. */
int analysis_not_judged(const struct analysis *a, struct ms_buf *b);

void analysis_release(struct analysis *a);

#endif
