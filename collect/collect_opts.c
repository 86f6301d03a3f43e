/*
 * collect_opts.c - option parsing and validation for `memsnap collect`.
 *
 * Defaults (see docs/collector.md for the measurements behind them):
 * a 5 s tick reads the cheap files; smaps_rollup of every process every
 * 60 s; full smaps and numa_maps of the 5 largest or fastest-growing
 * processes every 5 min; page-walking reads skip processes above 2 GiB RSS;
 * a 1 % CPU budget defers the expensive tiers when exceeded.
 */
#include "collect_opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms_buf.h"
#include "ms_opt.h"
#include "parse_num.h"

enum {
	OPT_ROLLUP = 256, OPT_SMAPS, OPT_TOP, OPT_WALK, OPT_MAXSIZE, OPT_MAXFILE,
	OPT_CGDEPTH, OPT_BUDGET, OPT_LEVEL, OPT_REDACT, OPT_FSYNC, OPT_NOMLOCK,
	OPT_KEEPPRIO, OPT_PROCROOT, OPT_SYSROOT, OPT_REDACT_ALL, OPT_REDACT_MAP,
};

/* what a bundle is made of: shared with every command that samples */
const struct ms_opt collect_sampling_opts[] = {
	{ 'i', "interval", "DURATION", "time between samples (default 5s, minimum 100ms)" },
	{ 'p', "pid", "PID,...", "capture only these processes (default: every process)" },
	{ OPT_ROLLUP, "rollup-interval", "D", "smaps_rollup of every process every D (default 60s)" },
	{ OPT_SMAPS, "smaps-interval", "D", "full smaps and numa_maps every D (default 5m)" },
	{ OPT_TOP, "smaps-top", "N", "... of the N largest or fastest-growing processes (default 5)" },
	{ OPT_WALK, "walk-limit", "SIZE", "skip page-walking reads of processes whose RSS exceeds SIZE\n"
	  "(default 2G; 0 = no limit)" },
	{ OPT_MAXFILE, "max-file-size", "SIZE", "read at most SIZE of one file, record it as truncated (default 32M)" },
	{ OPT_CGDEPTH, "cgroup-depth", "N", "memory cgroups down to depth N below the root (default 4)" },
	{ OPT_BUDGET, "cpu-budget", "PCT", "CPU budget in percent of one core; the expensive tiers are\n"
	  "deferred while it is exceeded (default 1)" },
	{ OPT_LEVEL, "level", "N", "zstd compression level 1-19 (default 3)" },
	{ OPT_REDACT, "redact-cmdline", NULL, "keep only argv[0] of command lines" },
	{ OPT_FSYNC, "fsync", NULL, "fdatasync the bundle after every sample" },
	{ OPT_NOMLOCK, "no-mlock", NULL, "do not lock the collector in memory" },
	{ OPT_KEEPPRIO, "keep-priority", NULL, "do not lower CPU and I/O priority" },
	{ 'q', "quiet", NULL, "no live status line on a terminal" },
	{ OPT_PROCROOT, "proc-root", "DIR", "read the host's /proc mounted at DIR (a container with the\n"
	  "host's PID namespace; default /proc)" },
	{ OPT_SYSROOT, "sys-root", "DIR", "read the host's /sys mounted at DIR (default /sys)" },
	{ 0, NULL, NULL, NULL },
};

/* when a collect stops and where it writes (--redact: the bundle writer
 * of collect's own, collect_redact.c) */
static const struct ms_opt collect_run_opts[] = {
	{ 'd', "duration", "DURATION", "stop after DURATION (30s, 10m, 1h30m); default: until SIGINT/SIGTERM" },
	{ 'n', "count", "N", "stop after N samples" },
	{ 'o', "output", "FILE", "bundle to create (default memsnap-HOST-YYYYmmddTHHMMSSZ.tar.zst;\n"
	  "never overwritten; '-' writes to standard output)" },
	{ OPT_MAXSIZE, "max-size", "SIZE", "stop cleanly before the bundle exceeds SIZE" },
	{ OPT_REDACT_ALL, "redact", NULL, "keep only argv[0] of command lines, and write host,\n"
	  "cgroup and user names as pseudonyms (see memsnap redact)" },
	{ OPT_REDACT_MAP, "redact-map", "FILE", "with --redact: write the mapping to the real names to\n"
	  "FILE (default: the bundle's name with .map added;\n"
	  "needed with -o -)" },
	{ 0, NULL, NULL, NULL },
};

static const struct ms_opt *const collect_opts_tables[] = { collect_run_opts, collect_sampling_opts, NULL };

const struct ms_cmd_doc collect_doc = {
	"collect",
	"collect [-d DURATION] [-i INTERVAL] [-n COUNT] [-o FILE] [-p PID,...] [options]",
	"Capture /proc and /sys memory state into a bundle (tar.zst), one sample per tick.",
	collect_opts_tables,
	"Exit status: 0 the bundle was completed (duration, count, signal or --max-size reached);\n"
	"1 a runtime error (the bundle holds every sample completed before it); 2 a usage error.\n",
};

void collect_opts_init(struct collect_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->interval_ms = 5000;
	o->rollup_ms = 60 * 1000;
	o->smaps_ms = 5 * 60 * 1000;
	o->smaps_top = 5;
	o->walk_limit = 2ull << 30;
	o->max_file = 32ull << 20;
	o->cgroup_depth = 4;
	o->cpu_budget = 100;
	o->level = 3;
	o->proc_root = "/proc";
	o->sys_root = "/sys";
}

void collect_opts_release(struct collect_opts *o)
{
	free(o->pids);
	free(o->argv_line);
	o->pids = NULL;
	o->argv_line = NULL;
}

static int parse_pids(struct collect_opts *o, const char *arg, struct ms_err *err)
{
	size_t n = 1;
	for (const char *c = arg; *c; c++)
		n += *c == ',';
	int64_t *v = realloc(o->pids, (o->npids + n) * sizeof(*v));
	if (!v)
		return ms_err_set(err, ENOMEM, "out of memory");
	o->pids = v;
	const char *p = arg;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char tmp[24];
		uint64_t pid;
		if (len == 0 || len >= sizeof(tmp))
			return ms_err_set(err, EINVAL, "invalid --pid '%s': expected PID[,PID...]", arg);
		memcpy(tmp, p, len);
		tmp[len] = '\0';
		if (ms_parse_u64(tmp, 1, 4194304, &pid, "--pid", err) < 0)
			return -1;
		o->pids[o->npids++] = (int64_t)pid;
		if (!end)
			return 0;
		p = end + 1;
	}
}

static int join_argv(struct collect_opts *o, int argc, char **argv)
{
	struct ms_buf b;
	if (ms_buf_init(&b, 128) < 0)
		return -1;
	for (int i = 0; i < argc; i++)
		if ((i && ms_buf_add(&b, " ", 1) < 0) || ms_buf_addstr(&b, argv[i]) < 0) {
			ms_buf_release(&b);
			return -1;
		}
	o->argv_line = b.data;
	return 0;
}

/* One option of collect_run_opts into the struct collect_opts CTX. */
static int collect_run_opt(void *ctx, int c, const char *arg, struct ms_err *err)
{
	struct collect_opts *o = ctx;
	switch (c) {
	case 'd':
		if (ms_parse_duration(arg, &o->duration_ms, "--duration", err) < 0)
			return -1;
		if (!o->duration_ms)
			return ms_err_set(err, EINVAL, "invalid --duration '%s': must be more than 0", arg);
		return 0;
	case 'n':
		return ms_parse_u64(arg, 1, UINT32_MAX, &o->count, "--count", err);
	case 'o':
		if (!*arg)
			return ms_err_set(err, EINVAL, "invalid --output '': empty file name");
		o->output = arg;
		return 0;
	case OPT_MAXSIZE:
		if (ms_parse_size(arg, &o->max_size, "--max-size", err) < 0)
			return -1;
		if (o->max_size < 64 * 1024)
			return ms_err_set(err, EINVAL, "invalid --max-size '%s': must be at least 64K", arg);
		return 0;
	case OPT_REDACT_ALL: o->redact = o->redact_cmdline = 1; return 0;
	case OPT_REDACT_MAP:
		if (!*arg)
			return ms_err_set(err, EINVAL, "invalid --redact-map '': empty file name");
		o->redact_map = arg;
		return 0;
	}
	return ms_err_set(err, EINVAL, "unknown option");
}

static int dir_arg(const char *arg, const char **out, const char *what, struct ms_err *err)
{
	if (!*arg)
		return ms_err_set(err, EINVAL, "invalid %s '': empty directory name", what);
	*out = arg;
	return 0;
}

int collect_sampling_opt(void *ctx, int c, const char *arg, struct ms_err *err)
{
	struct collect_opts *o = ctx;
	switch (c) {
	case 'i':
		if (ms_parse_duration(arg, &o->interval_ms, "--interval", err) < 0)
			return -1;
		if (o->interval_ms < 100)
			return ms_err_set(err, EINVAL, "invalid --interval '%s': must be at least 100ms", arg);
		return 0;
	case 'p':
		return parse_pids(o, arg, err);
	case OPT_ROLLUP:
		return ms_parse_duration(arg, &o->rollup_ms, "--rollup-interval", err);
	case OPT_SMAPS:
		return ms_parse_duration(arg, &o->smaps_ms, "--smaps-interval", err);
	case OPT_TOP:
		return ms_parse_u64(arg, 0, 1000, &o->smaps_top, "--smaps-top", err);
	case OPT_WALK:
		return ms_parse_size(arg, &o->walk_limit, "--walk-limit", err);
	case OPT_MAXFILE:
		if (ms_parse_size(arg, &o->max_file, "--max-file-size", err) < 0)
			return -1;
		if (o->max_file < 4096 || o->max_file > (1ull << 30))
			return ms_err_set(err, EINVAL, "invalid --max-file-size '%s': must be between 4K and 1G", arg);
		return 0;
	case OPT_CGDEPTH:
		return ms_parse_u64(arg, 0, 64, &o->cgroup_depth, "--cgroup-depth", err);
	case OPT_BUDGET:
		if (ms_parse_percent(arg, &o->cpu_budget, "--cpu-budget", err) < 0)
			return -1;
		if (!o->cpu_budget)
			return ms_err_set(err, EINVAL, "invalid --cpu-budget '%s': must be more than 0", arg);
		return 0;
	case OPT_LEVEL:
		return ms_parse_u64(arg, 1, 19, &o->level, "--level", err);
	case OPT_REDACT: o->redact_cmdline = 1; return 0;
	case OPT_FSYNC: o->fsync = 1; return 0;
	case OPT_NOMLOCK: o->no_mlock = 1; return 0;
	case OPT_KEEPPRIO: o->keep_priority = 1; return 0;
	case 'q': o->quiet = 1; return 0;
	case OPT_PROCROOT: return dir_arg(arg, &o->proc_root, "--proc-root", err);
	case OPT_SYSROOT: return dir_arg(arg, &o->sys_root, "--sys-root", err);
	}
	return ms_err_set(err, EINVAL, "unknown option");
}

int collect_opts_finish(struct collect_opts *o, int argc, char **argv, struct ms_err *err)
{
	if (o->rollup_ms < o->interval_ms)
		o->rollup_ms = o->interval_ms;
	if (o->smaps_ms < o->interval_ms)
		o->smaps_ms = o->interval_ms;
	if (join_argv(o, argc, argv) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	return 0;
}

int collect_opts_parse(struct collect_opts *o, int argc, char **argv,
		       struct ms_err *err)
{
	const struct ms_opt_handler h[] = { { collect_run_opt, o }, { collect_sampling_opt, o } };
	int first;
	int r = ms_opt_parse(&collect_doc, h, argc, argv, &first, err);
	if (r != 0)
		return r;
	if (first < argc)
		return ms_err_set(err, EINVAL, "unexpected argument '%s'", argv[first]);
	if (o->redact_map && !o->redact)
		return ms_err_set(err, EINVAL, "--redact-map is for --redact");
	if (o->redact && !o->redact_map && o->output && !strcmp(o->output, "-"))
		return ms_err_set(err, EINVAL, "--redact with -o -: name the mapping file with --redact-map FILE");
	return collect_opts_finish(o, argc, argv, err);
}
