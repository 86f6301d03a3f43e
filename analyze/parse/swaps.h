/*
 * swaps.h - parser for /proc/swaps.
 *
 *     Filename                                Type            Size    Used    Priority
 *     /tmp/ms\040fixture/swap\040file         file            8188    0       5
 *
 * One row per swap area after the header line.  The kernel escapes blank,
 * tab, newline and backslash in the file name as \ooo (so it never holds a
 * blank and the decoding is exact); the row carries the decoded name.
 * Size and Used are kB in the file and bytes here.
 *
 * Pure: no I/O, no globals; TEXT is borrowed and need not be
 * NUL-terminated.  The strings handed to the callback are owned by the
 * parser and valid until the callback returns.
 */
#ifndef SWAPS_H
#define SWAPS_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"
#include "scan.h"

struct swaps_row {
	const char *filename;  /* decoded, e.g. "/tmp/ms fixture/swap file" */
	const char *type;      /* "partition" or "file" */
	uint64_t size_bytes;
	uint64_t used_bytes;
	int64_t priority;      /* negative for areas given no priority */
	int line;
};

/* Return 0 to go on, -1 to stop (set ERR). */
typedef int (*swaps_fn)(void *ctx, const struct swaps_row *row, struct ms_err *err);

/* Parse TEXT (LEN bytes) and call FN once per swap area.  Line 1 must be
 * the "Filename Type Size Used Priority" header (no swap: only the header).
 * A line it cannot read goes to REP ("swaps:LINE: what") and is skipped.
 * Returns 0, or -1 with ERR set when FN or REP stopped the parse, or the
 * text is empty or too large. */
int swaps_parse(const char *text, size_t len, swaps_fn fn, void *ctx,
		const struct ms_report *rep, struct ms_err *err);

#endif
