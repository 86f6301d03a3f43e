/*
 * proc_read.h - the one reader for /proc and /sys files.
 *
 * Reads to EOF (never trusting st_size, which is 0 on /proc), loops on
 * EINTR, NUL-terminates.  A file larger than CAP is cut at CAP and reported
 * as truncated, never silently.
 */
#ifndef PROC_READ_H
#define PROC_READ_H

#include <stddef.h>

#include "ms_buf.h"

/* Read DIRFD/REL into B (its old contents are replaced).  Returns 0, or
 * -1 with errno set (ENOENT, ESRCH, EACCES ... are data to the caller:
 * the file is absent, the process exited, or we lack the right).
 * *TRUNCATED is set when the file was longer than CAP. */
int proc_read_at(int dirfd, const char *rel, struct ms_buf *b, size_t cap,
		 int *truncated);

#endif
