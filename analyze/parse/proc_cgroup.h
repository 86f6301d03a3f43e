/*
 * proc_cgroup.h - parser for /proc/PID/cgroup.
 *
 *     4:memory:/process_api/ef4562634e165ec717a013d4f1dbf73f   cgroup v1
 *     9:name=systemd:/                                         v1, named
 *     0::/user.slice/user-1000.slice/session-2.scope           cgroup v2
 *
 * One row per line: hierarchy id, controllers (comma-separated, "" on v2)
 * and the path.  A hybrid host has both kinds of line.  The path is the
 * rest of the line (it may hold ':'); the kernel does not escape it.
 *
 * Pure: no I/O, no globals; TEXT is borrowed and need not be
 * NUL-terminated.  Strings are parser-owned, valid during the callback.
 */
#ifndef PROC_CGROUP_H
#define PROC_CGROUP_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"
#include "scan.h"

struct proc_cgroup_row {
	uint32_t hierarchy;       /* 0 for the v2 unified hierarchy */
	const char *controllers;  /* "memory", "cpu,cpuacct", "name=systemd", "" */
	const char *path;         /* "/user.slice" */
	int line;
};

/* Return 0 to go on, -1 to stop (set ERR). */
typedef int (*proc_cgroup_fn)(void *ctx, const struct proc_cgroup_row *row,
			      struct ms_err *err);

/* Parse TEXT (LEN bytes; NULL allowed when LEN is 0) and call FN once per
 * line.  A line it cannot read goes to REP ("proc_cgroup:LINE: what") and
 * is skipped.  Returns 0, or -1 with ERR set when FN or REP stopped the
 * parse, or no memory.  An empty text (no hierarchy mounted on an old
 * kernel) yields nothing. */
int proc_cgroup_parse(const char *text, size_t len, proc_cgroup_fn fn, void *ctx,
		      const struct ms_report *rep, struct ms_err *err);

#endif
