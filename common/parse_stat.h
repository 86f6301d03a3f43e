/*
 * parse_stat.h - parser for /proc/PID/stat (one parser for this file kind).
 *
 * Shared by the collector (it needs a process's start time to tell a new
 * process from a reused PID), `memsnap info` and the loader.  Pure: text in,
 * struct out.  comm may hold spaces and ')', so the fields after it are
 * found from the LAST ')' (htop's strrchr rule).
 */
#ifndef PARSE_STAT_H
#define PARSE_STAT_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"

struct proc_stat {
	int64_t pid;
	char comm[64];        /* TASK_COMM_LEN is 16; longer input is cut */
	char state;
	int64_t ppid;
	uint64_t minflt, majflt;
	uint64_t utime, stime; /* clock ticks */
	int64_t num_threads;
	uint64_t starttime;    /* clock ticks after boot: with pid, the identity */
	uint64_t vsize;        /* bytes */
	int64_t rss;           /* pages */
	int64_t processor;     /* CPU last run on; -1 when the kernel omits it */
};

/* Parse TEXT (LEN bytes, need not be NUL-terminated). */
int parse_stat(const char *text, size_t len, struct proc_stat *out,
	       struct ms_err *err);

/* /proc/PID/statm: fills size and resident (pages). */
int parse_statm(const char *text, size_t len, uint64_t *size,
		uint64_t *resident, struct ms_err *err);

#endif
