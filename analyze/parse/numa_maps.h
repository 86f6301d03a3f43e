/*
 * numa_maps.h - parser for /proc/PID/numa_maps (one line per VMA).
 *
 *     7f156211f000 prefer:0 anon=64000 dirty=64000 active=0 N0=27949 N1=36051 kernelpagesize_kB=4
 *     3e26a000 default heap anon=190 dirty=190 active=0 N0=2 N1=188 kernelpagesize_kB=4
 *     7ffd28bc3000 default
 *
 * Each line is a start address, the memory policy, then words: file=PATH,
 * heap, stack, huge, and key=N page counts.  The kernel prints a count only
 * when it says something, which gives "absent" (-1 here) a meaning:
 *     anon, dirty, swapcache, writeback   absent = 0
 *     mapped      absent = equal to anon or to dirty (or no pages at all)
 *     mapmax      absent = 1 (no page mapped more than once)
 *     active      absent = every page active (or a hugetlb mapping)
 * and a VMA with no pages present has no counts, no N<node>= entries and
 * no kernelpagesize_kB.  Counts are in pages of kernelpagesize_kB (2048 or
 * 1048576 for hugetlb): page_size_bytes gives that size in bytes.
 * Unknown key=value words are ignored (new kernels); unknown bare words
 * are an error.
 *
 * Pure: no I/O, no globals; TEXT is borrowed and need not be
 * NUL-terminated.  The strings and the node array handed to the callback
 * are owned by the parser and valid until the callback returns.
 */
#ifndef NUMA_MAPS_H
#define NUMA_MAPS_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"
#include "scan.h"

/* MAX_NUMNODES is at most 1 << 10: node ids 0..1023. */
#define NUMA_MAPS_MAX_NODES 1024

struct numa_maps_node {
	uint32_t node;
	uint64_t pages;               /* units of page_size_bytes */
};

struct numa_maps_vma {
	uint64_t start;
	/* The policy as written: "default", "local", "bind:0", "prefer:1",
	 * "interleave:0-1", "bind=static:0-3", "weighted interleave:0-1",
	 * "prefer (many):0-1" (the last two contain a space). */
	const char *policy;
	/* file=PATH decoded ("\040" -> ' ', "\075" -> '=', "\012" -> '\n');
	 * NULL for a mapping without a file.  A name holding a literal
	 * backslash followed by three octal digits cannot be told apart (the
	 * kernel does not escape '\\' here). */
	const char *file;
	int heap, stack, huge;        /* the bare markers */
	int64_t anon, dirty, mapped, mapmax, swapcache, active, writeback; /* -1 absent */
	int64_t page_size_bytes;      /* kernelpagesize_kB * 1024; -1 absent */
	uint64_t pages;               /* sum of the node entries */
	const struct numa_maps_node *nodes; /* in file order; NULL when none */
	size_t n_nodes;
	int line;
};

/* Return 0 to go on, -1 to stop (set ERR). */
typedef int (*numa_maps_fn)(void *ctx, const struct numa_maps_vma *vma, struct ms_err *err);

/* Parse TEXT (LEN bytes; NULL allowed when LEN is 0) and call FN once per
 * line.  A line it cannot read goes to REP ("numa_maps:LINE: what") and is
 * skipped: a node id of 1024 or more, a line with pages but no
 * kernelpagesize_kB (a cut line), an unknown bare word, a bad count.
 * Returns 0, or -1 with ERR set when FN or REP stopped the parse, or no
 * memory.  An empty text (a kernel thread) yields nothing. */
int numa_maps_parse(const char *text, size_t len, numa_maps_fn fn, void *ctx,
		    const struct ms_report *rep, struct ms_err *err);

#endif
