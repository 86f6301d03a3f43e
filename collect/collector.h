/*
 * collector.h - the collect loop: schedule ticks, take samples, write the
 * bundle, stop cleanly.
 */
#ifndef COLLECTOR_H
#define COLLECTOR_H

#include <stdint.h>

#include "collect_opts.h"
#include "ms_err.h"
#include "sampling.h"

struct collect_result {
	unsigned samples;          /* complete samples in the bundle */
	uint64_t bytes;            /* bundle size */
	char *path;                /* owned: the bundle's file name */
	char end_reason[32];
};

/* Run a collection.  Returns 0 when the bundle was completed and closed;
 * -1 with ERR set otherwise (RES->samples still says how many complete
 * samples the bundle holds). */
int collector_run(const struct collect_opts *o, const struct collect_ui *ui,
		  struct collect_result *res, struct ms_err *err);

void collect_result_release(struct collect_result *res);

#endif
