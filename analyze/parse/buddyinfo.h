/*
 * buddyinfo.h - parser for /proc/buddyinfo (free blocks per order).
 *
 *     Node 0, zone      DMA      2      1      1      1      1      0 ...
 *
 * One row per (node, zone, order): column k after the zone name is the
 * number of free blocks of 2^k pages.  The number of orders is whatever the
 * line holds (11 on x86 with 4K pages; other arches and configs differ).
 *
 * Pure: no I/O, no globals; TEXT is borrowed and need not be
 * NUL-terminated.  The zone string is owned by the parser and valid until
 * the callback returns.
 */
#ifndef BUDDYINFO_H
#define BUDDYINFO_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"
#include "scan.h"

struct buddyinfo_row {
	uint32_t node;
	const char *zone;    /* "DMA", "DMA32", "Normal", "Movable" ...; parser-owned */
	int order;           /* 0.. */
	uint64_t free_blocks;
	int line;
};

/* Return 0 to go on, -1 to stop (set ERR). */
typedef int (*buddyinfo_fn)(void *ctx, const struct buddyinfo_row *row, struct ms_err *err);

/* Parse TEXT (LEN bytes) and call FN once per order of every zone line.
 * A line it cannot read goes to REP ("buddyinfo:LINE: what") and delivers
 * no row; the lines after it are read.  Returns 0, or -1 with ERR set when
 * FN or REP stopped the parse, or the text is too large or holds no line
 * (the kernel always lists at least one zone). */
int buddyinfo_parse(const char *text, size_t len, buddyinfo_fn fn, void *ctx,
		    const struct ms_report *rep, struct ms_err *err);

#endif
