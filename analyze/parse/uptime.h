/*
 * uptime.h - parser for /proc/uptime.
 *
 *     3374.21 6645.66
 *
 * One line of two seconds counts with two decimals (fs/proc/uptime.c,
 * "%lu.%02lu %lu.%02lu\n" since 2.6): the time since boot (suspend
 * included on current kernels), and the time the CPUs spent idle, summed
 * over all CPUs (so it grows up to NCPU times faster than the first).
 *
 * Pure: no I/O, no globals, no locale; TEXT is borrowed and need not be
 * NUL-terminated.
 */
#ifndef UPTIME_H
#define UPTIME_H

#include <stddef.h>

#include "ms_err.h"

struct uptime {
	double up_s;     /* seconds since boot */
	double idle_s;   /* idle seconds, summed over the CPUs */
};

/* Parse TEXT (LEN bytes): two decimals separated by blanks, then
 * optionally one '\n', and nothing else.  Returns 0, or -1 with ERR set
 * ("uptime:LINE: what"). */
int uptime_parse(const char *text, size_t len, struct uptime *out, struct ms_err *err);

#endif
