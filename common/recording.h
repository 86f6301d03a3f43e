/*
 * recording.h - several bundles of one host read as one recording: which
 * bundles, in which order.
 *
 * The inputs of info, load, analyze, report and query are bundles, or a
 * directory: a recorder's DIR (its ring/ segments; the incidents in
 * DIR/incidents/ are recordings of their own and are listed, not mixed
 * in), DIR/ring itself, or any directory of bundles (its *.tar.zst).  Each
 * bundle's header is read (the first member only) for its host and start;
 * the parts are sorted by start time.  Bundles of several hosts are
 * refused; a file that is not a bundle (no header: an empty segment a
 * crash left) is set aside and said.
 *
 * Window selection (the interface --from/--to use): recording_select()
 * keeps the parts that can hold samples in [FROM, TO], a part reaching
 * from its start to the next part's start, so only those are read.
 */
#ifndef RECORDING_H
#define RECORDING_H

#include <stddef.h>

#include "ms_buf.h"
#include "ms_err.h"

struct recording_part {
	char *path;                /* owned */
	double start;              /* header wall_start (UTC seconds) */
	double next;               /* the next part's start; 0 for the last */
	char *kind;                /* header bundle_kind (segment, incident), or NULL */
	unsigned long long interval_ms;
};

struct recording {
	struct recording_part *p;
	size_t n;
	char *name;                /* how to call it: the directory, the bundle, "B (and N more)" */
	char *host;                /* the host of all parts */
	char *incident_dir;        /* a recorder's DIR/incidents, when given DIR */
	struct ms_buf skipped;     /* "PATH: why\n" of inputs set aside */
	int from_dir;              /* given as a directory */
};

int recording_open(struct recording *rec, const char *const *inputs, size_t n, struct ms_err *err);
void recording_release(struct recording *rec);

/* Keep the parts that may hold samples in [FROM, TO] (UTC seconds);
 * returns how many are left. */
size_t recording_select(struct recording *rec, double from, double to);

#endif
