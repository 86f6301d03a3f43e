/*
 * sample_copy.h - copy complete samples of one bundle into another, sample
 * by sample: the incident bundle's window before its trigger comes from
 * the ring's segments this way, and an incident left unfinished by a crash
 * is carried over into a new bundle.
 *
 * Two passes over the source: the first finds the complete samples (those
 * with a meta) in the window, their times and sizes; the second copies
 * their members under the destination's numbers, the meta's "sample" and
 * "offset" rewritten and a "copied_from" line added, and commits each.
 * The destination's first sample gets a host member even when the source
 * wrote it earlier (the last one before the window is carried along).
 * Memory: one member at a time, plus the host member and a list of the
 * window's samples.
 */
#ifndef SAMPLE_COPY_H
#define SAMPLE_COPY_H

#include <stdint.h>

#include "bundle_writer.h"
#include "ms_err.h"

struct copy_window {
	double from, to;          /* wall times; samples starting in [from, to] */
	uint64_t max_bytes;       /* the oldest samples are left out beyond this (0: no cap) */
};

struct copy_state {
	unsigned next;            /* the destination's next sample number (from 1) */
	int host_written;         /* the destination has a host member */
	unsigned copied;          /* samples copied by the last call */
	double last_wall;         /* the last copied sample's wall time */
	unsigned trigger_lines;   /* in the trigger members copied (all calls) */
};

/* Copy the samples of SRC (a bundle file; NAME is how copied_from names
 * it) in W into destination W, going on from ST.  Returns 0 (the source's
 * damage only ends what can be copied), -1 when W failed or memory ran
 * out. */
int sample_copy(const char *src, const char *name, const struct copy_window *win,
		struct bundle_writer *w, struct copy_state *st, struct ms_err *err);

#endif
