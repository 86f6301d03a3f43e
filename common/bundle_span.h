/*
 * bundle_span.h - when a bundle starts and ends, without reading it all.
 *
 * The one place that knows a bundle's time span (the loader resolves
 * --from/--to against it; a reader of several bundles picks the ones a
 * window overlaps with it):
 *
 *   start   the header's wall_start, and the first complete sample (its
 *           meta): read from the bundle's first bytes, stopping there;
 *   end     the last complete sample and the trailer: read from the start
 *           of the bundle's last zstd frame to its end.  A collector of
 *           this version writes its trailer in a frame of its own, with the
 *           last sample's number and wall (samples, last_wall): the end is
 *           then that small frame alone.
 *
 * The collector ends a zstd frame at a sample boundary after 64 MiB of tar
 * (docs/bundle-format.md), so the last frame holds at most about 64 MiB of
 * tar: the end of a week-long bundle costs what the end of a short one
 * does.  The frame is found from the end of the file: the last zstd frame
 * magic whose frame decodes to a tar member (a byte pattern inside
 * compressed data does not); when that frame holds no complete sample (an
 * earlier collector's trailer alone, without last_wall, or a cut), the
 * frame before it is read from, and so on; a bundle of one frame is read
 * whole.  The header and the trailer are kept (copies) for the caller.
 */
#ifndef BUNDLE_SPAN_H
#define BUNDLE_SPAN_H

#include <stdint.h>

#include "bundle_reader.h"
#include "ms_err.h"

struct bundle_span {
	double wall_start;         /* header wall_start, UTC seconds; NAN when absent */
	double first, last;        /* wall of the first and last complete sample; NAN: none */
	unsigned first_sample, last_sample;   /* their numbers (0: none) */
	int clean_end;             /* the trailer was read */
	int truncated, corrupt;    /* how the read of the end stopped (as bundle_read) */
	char *end_reason;          /* owned: the trailer's end_reason (from TRAILER), or NULL */
	uint64_t tail_offset;      /* the byte the end was read from (0: the whole bundle) */
	char *header, *trailer;    /* owned copies of the two members (NULL: not read) */
	size_t header_len, trailer_len;
};

/* Fill SPAN for the bundle at PATH.  -1 with ERR set when PATH is not a
 * readable bundle (the same errors as bundle_read()). */
int bundle_span(const char *path, const struct bundle_limits *limits, struct bundle_span *span,
		struct ms_err *err);

void bundle_span_release(struct bundle_span *span);

#endif
