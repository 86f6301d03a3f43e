/*
 * analysis.h - one run of the selected rules on a loaded bundle, with what
 * the reports need besides the findings: the bundle's identity and what it
 * did not see.
 */
#ifndef ANALYSIS_H
#define ANALYSIS_H

#include <sqlite3.h>

#include "finding.h"
#include "rule_run.h"
#include "rule_set.h"

struct rule_outcome {
	const struct rule_entry *entry;  /* borrowed */
	char *error;                     /* owned; NULL when it ran clean */
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
	double t_first, t_last;
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
	struct bundle_facts facts;
};

/* Run every selected rule of SET on DB (opened with rule_db_open), each
 * limited to TIMEOUT_S seconds, and gather the facts.  Rule failures are
 * recorded in A, not returned; -1 only when nothing could be done (ENOMEM,
 * a database without the schema). */
int analysis_run(sqlite3 *db, struct rule_sandbox *sb, const struct rule_set *set,
		 double timeout_s, struct analysis *a, struct ms_err *err);

void analysis_release(struct analysis *a);

#endif
