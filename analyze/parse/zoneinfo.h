/*
 * zoneinfo.h - parser for /proc/zoneinfo.
 *
 *     Node 0, zone   Normal
 *       per-node stats                      (first populated zone of a node)
 *           nr_inactive_anon 105321
 *       pages free     6913
 *             min      5540
 *             ...
 *             protection: (0, 0, 0, 0, 0)   one row: the largest
 *           nr_free_pages 6913
 *           numa_hit     108361
 *       pagesets                            per-CPU part, skipped
 *         cpu: 0
 *                   count: 158
 *       vm stats threshold: 12
 *       node_unreclaimable:  0
 *       start_pfn:           4096
 *
 * One row per "key value" line of a zone: the watermarks ("pages free",
 * "boost", "min", "low", "high", "promo", "spanned", "present", "managed",
 * "cma"; "scanned" on old kernels), the nr_* and numa_* counters and the
 * lines after the per-CPU part (node_unreclaimable, start_pfn;
 * all_unreclaimable, inactive_ratio on old kernels).  Keys are as written,
 * without a trailing ':' ("pages free", "start_pfn").  Counters under
 * "per-node stats" belong to the node, not the zone they are printed under:
 * their rows have per_node set.  Values are pages (counts for numa_* and
 * the flags), never converted.  "protection: (...)", the zone's
 * lowmem_reserve against each higher zone, is one row "protection" with
 * the largest of them (what the kernel's totalreserve_pages counts, and
 * MemAvailable's estimate needs: docs/schema.md).  The per-CPU "pagesets"
 * part is skipped.  An unpopulated zone stops after its
 * protection line.
 *
 * Pure: no I/O, no globals; TEXT is borrowed and need not be
 * NUL-terminated.  Strings are parser-owned, valid during the callback.
 */
#ifndef ZONEINFO_H
#define ZONEINFO_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"
#include "scan.h"

struct zoneinfo_row {
	uint32_t node;
	const char *zone;   /* "DMA32" */
	const char *key;    /* "pages free", "min", "nr_free_pages" ... */
	uint64_t value;
	int per_node;       /* 1: a node counter printed under this zone */
	int line;
};

/* Return 0 to go on, -1 to stop (set ERR). */
typedef int (*zoneinfo_fn)(void *ctx, const struct zoneinfo_row *row, struct ms_err *err);

/* Parse TEXT (LEN bytes) and call FN once per row.  A line it cannot read
 * goes to REP ("zoneinfo:LINE: what") and costs that line; a bad zone
 * header costs its zone's lines (they belong to no zone that can be named),
 * reported once.  Returns 0, or -1 with ERR set when FN or REP stopped the
 * parse, or the text is empty, too large or has no zone header at all. */
int zoneinfo_parse(const char *text, size_t len, zoneinfo_fn fn, void *ctx,
		   const struct ms_report *rep, struct ms_err *err);

#endif
