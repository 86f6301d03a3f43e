/*
 * parse_stat.h - parser for /proc/PID/stat (one parser for this file kind).
 *
 * Shared by the collector (it needs a process's start time to tell a new
 * process from a reused PID), `memsnap info` and the loader.  Pure: text in,
 * struct out.  comm may hold spaces and ')', so the fields after it are
 * found from the LAST ')' (htop's strrchr rule).
 *
 * The identity (pid, comm, state, and starttime, field 22) must be there;
 * any other field the text lacks (an old kernel stops before processor,
 * field 39) or holds in a shape the kernel never prints is absent: its bit
 * in HAS is clear (a field the kernel did not give is NULL in the database,
 * never a made-up value), and a malformed one is reported.
 */
#ifndef PARSE_STAT_H
#define PARSE_STAT_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"
#include "scan.h"

/* the fields of struct proc_stat besides the identity, as bits of HAS */
enum {
	PS_PPID = 1 << 0, PS_MINFLT = 1 << 1, PS_MAJFLT = 1 << 2, PS_UTIME = 1 << 3,
	PS_STIME = 1 << 4, PS_NUM_THREADS = 1 << 5, PS_VSIZE = 1 << 6, PS_RSS = 1 << 7,
	PS_PROCESSOR = 1 << 8,
};

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
	int64_t processor;     /* CPU last run on */
	unsigned has;          /* PS_*: the fields above the text gave (else 0) */
};

/* Parse TEXT (LEN bytes, need not be NUL-terminated).  A field other than
 * the identity that is not a number of its kind (unsigned, or signed for
 * ppid, num_threads, rss, processor) goes to REP ("stat: field N ...") and
 * is absent; REP may be NULL (problems dropped: the collector needs the
 * identity only).  Returns 0, or -1 with ERR set when the identity cannot
 * be read, or REP stopped the parse. */
int parse_stat(const char *text, size_t len, struct proc_stat *out,
	       const struct ms_report *rep, struct ms_err *err);

/* /proc/PID/statm: fills size and resident (pages). */
int parse_statm(const char *text, size_t len, uint64_t *size,
		uint64_t *resident, struct ms_err *err);

#endif
