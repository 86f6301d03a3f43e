/*
 * cgroup_numa_stat.h - parser for a memory cgroup's memory.numa_stat.
 *
 *     anon N0=1097728 N1=188416                    (cgroup v2: bytes)
 *     total=44611 N0=32631 N1=7501 N2=1982 N3=2497  (cgroup v1: pages)
 *
 * One line per statistic: its name, in v1 followed by "=TOTAL" (the
 * cgroup's own total), then "N<node>=<value>" for each node with memory.
 * v2 counts bytes (anon, file, kernel_stack, shmem, file_mapped, ...,
 * workingset_*); v1 counts pages (total, file, anon, unevictable and their
 * hierarchical_* sums over the subtree).  The parser hands over numbers as
 * the kernel prints them; the unit follows from the cgroup's version.
 *
 * Some vendor kernels add lines that are not per node ("numa_locality 0 0
 * 0 ...", "numa_exectime 0": a name and plain numbers): those are skipped.
 *
 * Pure: no I/O, no globals; TEXT is borrowed and need not be
 * NUL-terminated.
 */
#ifndef CGROUP_NUMA_STAT_H
#define CGROUP_NUMA_STAT_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"
#include "scan.h"

struct cgroup_numa_row {
	const char *key;     /* borrowed from TEXT, NOT NUL-terminated */
	size_t key_len;
	int is_total;        /* v1's "KEY=TOTAL": the cgroup's total (NODE unset) */
	uint32_t node;
	uint64_t value;      /* as printed: v1 pages, v2 bytes */
	int line;            /* 1-based */
};

/* Return 0 to go on, -1 to stop (set ERR). */
typedef int (*cgroup_numa_fn)(void *ctx, const struct cgroup_numa_row *row,
			      struct ms_err *err);

/* Parse TEXT (LEN bytes) and call FN for the total (v1) and then each node
 * of every line; a line is checked whole before its first row is handed
 * over.  A malformed line goes to REP ("memory.numa_stat:LINE: what") and
 * hands over no row; the lines after it are read.  An empty text is no
 * rows.  Returns 0, or -1 with ERR set when FN or REP stopped the parse. */
int cgroup_numa_stat_parse(const char *text, size_t len, cgroup_numa_fn fn, void *ctx,
			   const struct ms_report *rep, struct ms_err *err);

#endif
