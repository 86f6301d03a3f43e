/*
 * oom_score.h - parser for /proc/PID/oom_score and /proc/PID/oom_score_adj.
 *
 *     666
 *
 * One signed decimal and a newline (fs/proc/base.c: oom_score "%lu\n" of
 * the badness points, 0..2000 since 2.6.36 and unbounded before it;
 * oom_score_adj "%d\n", -1000..1000).  The two files share the shape, so
 * they share this parser.
 *
 * Pure: no I/O, no globals; TEXT is borrowed and need not be
 * NUL-terminated.
 */
#ifndef OOM_SCORE_H
#define OOM_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"

/* Parse TEXT (LEN bytes): an optionally negative decimal, then optionally
 * one '\n', and nothing else.  Returns 0, or -1 with ERR set
 * ("oom_score:LINE: what"). */
int oom_score_parse(const char *text, size_t len, int64_t *out, struct ms_err *err);

#endif
