/*
 * collect_opts.h - the options of `memsnap collect`, in one struct.
 *
 * Filled by collect_opts_parse() from argv and passed down by pointer; the
 * collector has no other configuration and no mutable globals.
 */
#ifndef COLLECT_OPTS_H
#define COLLECT_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"
#include "ms_opt.h"

struct collect_opts {
	uint64_t duration_ms;      /* 0: until SIGINT/SIGTERM */
	uint64_t interval_ms;
	uint64_t count;            /* 0: unlimited */
	const char *output;        /* NULL: default name; "-": stdout */
	int64_t *pids;             /* owned; NULL: every process */
	size_t npids;
	uint64_t rollup_ms;        /* tier 1 period */
	uint64_t smaps_ms;         /* tier 2 period */
	uint64_t smaps_top;        /* processes in tier 2 */
	uint64_t walk_limit;       /* bytes of RSS; 0: no limit */
	uint64_t max_size;         /* bytes; 0: no limit */
	uint64_t max_file;         /* bytes read from one file */
	uint64_t cgroup_depth;
	uint64_t cpu_budget;       /* hundredths of a percent of one core */
	uint64_t level;            /* zstd level */
	int redact_cmdline;
	int redact;                /* --redact: argv[0] only, names to pseudonyms */
	const char *redact_map;    /* its mapping file; NULL: OUTPUT.map */
	int no_mlock;
	int keep_priority;
	int fsync;
	int quiet;
	const char *proc_root;     /* /proc, or a host's /proc mounted elsewhere */
	const char *sys_root;      /* /sys, likewise */
	char *argv_line;           /* owned: the command line, for the header */
};

void collect_opts_init(struct collect_opts *o);
void collect_opts_release(struct collect_opts *o);

/* Parse argv (argv[0] is "collect").  Returns 0, 1 when --help was asked
 * (usage printed to stdout), or -1 with ERR set (a usage error, exit 2). */
int collect_opts_parse(struct collect_opts *o, int argc, char **argv,
		       struct ms_err *err);

/* collect's description and options (--help); the sampling options are
 * a table of their own, for the commands that sample (collect, record) */
extern const struct ms_cmd_doc collect_doc;
extern const struct ms_opt collect_sampling_opts[];

/* The handler of collect_sampling_opts; CTX is a struct collect_opts. */
int collect_sampling_opt(void *ctx, int id, const char *arg, struct ms_err *err);

/* After parsing: tier periods no shorter than the interval, and the
 * command line kept for the header (ARGV as the command received it).
 * -1 on ENOMEM. */
int collect_opts_finish(struct collect_opts *o, int argc, char **argv, struct ms_err *err);

#endif
