/*
 * smaps_rollup.h - parser for /proc/PID/smaps_rollup (4.14 and later).
 *
 * The file is one smaps record summed over every VMA: a header line
 * "start-end ---p 00000000 00:00 0   [rollup]" (lowest start, highest end)
 * and "Key: N kB" lines.  The totals use struct smaps_fields (smaps.h), in
 * bytes, -1 for a line the kernel did not print: Size, KernelPageSize and
 * MMUPageSize never appear here; Pss_Anon/Pss_File/Pss_Shmem appear from
 * 5.x, Pss_Dirty and KSM in 6.x.  Unknown "Key: N kB" lines are ignored.
 *
 * Pure: no I/O, no globals; TEXT is borrowed and need not be
 * NUL-terminated.  The struct owns nothing (no release needed).
 */
#ifndef SMAPS_ROLLUP_H
#define SMAPS_ROLLUP_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"
#include "smaps.h"

struct smaps_rollup {
	uint64_t start, end;   /* from the header: the address range summed */
	struct smaps_fields f; /* bytes; -1 absent */
};

/* Parse TEXT (LEN bytes) into *OUT (overwritten).  A line it cannot read
 * goes to REP ("smaps_rollup:LINE: what") and costs that line: a bad total
 * stays absent (a repeated one keeps its first value), a bad header leaves
 * start and end 0.  Returns 0, or -1 with ERR set (*OUT then unspecified)
 * when REP stopped the parse, or the text is empty (the kernel fails the
 * read instead of writing nothing) or too large. */
int smaps_rollup_parse(const char *text, size_t len, struct smaps_rollup *out,
		       const struct ms_report *rep, struct ms_err *err);

#endif
