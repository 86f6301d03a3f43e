/*
 * comm.h - parser for /proc/PID/comm.
 *
 *     numa_hog
 *
 * The task's name and a newline.  The name is the one stat shows between
 * parentheses, at most 15 bytes (TASK_COMM_LEN) for a process, but a
 * kernel worker's name is longer on 6.x ("kworker/R-kvfree_rcu_reclaim"),
 * and a name may hold blanks and parentheses (prctl(PR_SET_NAME) takes any
 * byte but NUL).
 *
 * Pure: no I/O, no globals; TEXT is borrowed and need not be
 * NUL-terminated.
 */
#ifndef COMM_H
#define COMM_H

#include <stddef.h>

#include "ms_buf.h"
#include "ms_err.h"

/* The name in TEXT (LEN bytes) into OUT (replacing its contents), as one
 * C string: without the trailing newline; a NUL byte (the kernel writes
 * none) becomes a space.  Every text is a name (an empty one too): fails
 * only for memory (-1, ERR set). */
int comm_parse(const char *text, size_t len, struct ms_buf *out, struct ms_err *err);

#endif
