/*
 * cmdline.h - parser for /proc/PID/cmdline.
 *
 *     numa_hog\0-s\0300\0-n\0
 *
 * The arguments, each followed by a NUL.  A process may rewrite its
 * argument area (setproctitle: "postgres: writer", no NULs at all), a
 * kernel thread has none (an empty file), and the collector's
 * --redact-cmdline keeps argv[0] and its NUL only.
 *
 * Pure: no I/O, no globals; TEXT is borrowed and need not be
 * NUL-terminated.
 */
#ifndef CMDLINE_H
#define CMDLINE_H

#include <stddef.h>

#include "ms_buf.h"
#include "ms_err.h"

/* The command line in TEXT (LEN bytes) into OUT (replacing its contents),
 * as one C string: the arguments joined by spaces (each separating NUL
 * becomes a space), the trailing NULs and newlines dropped.  Every text is
 * a command line: fails only for memory (-1, ERR set). */
int cmdline_parse(const char *text, size_t len, struct ms_buf *out, struct ms_err *err);

#endif
