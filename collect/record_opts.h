/*
 * record_opts.h - the options of `memsnap record`: its own (the ring, the
 * incidents, the triggers) and collect's sampling options, shared through
 * collect_sampling_opts.
 */
#ifndef RECORD_OPTS_H
#define RECORD_OPTS_H

#include <stdint.h>

#include "collect_opts.h"
#include "ms_err.h"
#include "ms_opt.h"
#include "trigger.h"

struct record_opts {
	struct collect_opts c;          /* sampling options (interval, tiers, roots ...) */
	const char *dir;
	uint64_t max_disk;              /* bytes of DIR/ring */
	uint64_t max_age_ms;
	uint64_t segment_ms;
	uint64_t pre_ms, post_ms;
	uint64_t incident_interval_ms;
	uint64_t incident_max_ms;       /* an incident's length cap */
	uint64_t max_incidents;
	uint64_t max_incident_size;     /* bytes */
	uint64_t incident_budget;       /* hundredths of a percent of one core */
	struct trigger_config triggers;
	int trigger_now;
};

extern const struct ms_cmd_doc record_doc;

void record_opts_init(struct record_opts *o);
void record_opts_release(struct record_opts *o);

/* Parse argv (argv[0] is "record"): 0, 1 after --help, -1 with ERR set
 * (a usage error). */
int record_opts_parse(struct record_opts *o, int argc, char **argv, struct ms_err *err);

/* The cap of one segment: --max-disk / 8 (the ring holds at least 7
 * closed segments). */
uint64_t record_segment_cap(const struct record_opts *o);

#endif
