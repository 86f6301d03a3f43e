/*
 * loadavg.h - parser for /proc/loadavg.
 *
 *     0.44 0.25 0.10 3/93 6718
 *
 * One line (fs/proc/loadavg.c, "%lu.%02lu %lu.%02lu %lu.%02lu %u/%d %d\n"
 * since 2.6): the load averages over 1, 5 and 15 minutes (runnable plus
 * uninterruptible tasks, two decimals), the tasks runnable now and the
 * tasks (threads) that exist, and the last PID allocated in the reader's
 * PID namespace.
 *
 * Pure: no I/O, no globals, no locale; TEXT is borrowed and need not be
 * NUL-terminated.
 */
#ifndef LOADAVG_H
#define LOADAVG_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"

struct loadavg {
	double load1, load5, load15;
	uint64_t runnable;   /* tasks runnable now */
	uint64_t threads;    /* tasks that exist (every thread counts) */
	int64_t last_pid;    /* printed signed ("%d") */
};

/* Parse TEXT (LEN bytes): "L1 L5 L15 RUNNABLE/THREADS LAST_PID", then
 * optionally one '\n', and nothing else.  Returns 0, or -1 with ERR set
 * ("loadavg:LINE: what"). */
int loadavg_parse(const char *text, size_t len, struct loadavg *out, struct ms_err *err);

#endif
