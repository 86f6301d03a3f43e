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
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms_buf.h"
#include "parse_num.h"

const char collect_usage[] =
	"usage: memsnap collect [-d DURATION] [-i INTERVAL] [-n COUNT] [-o FILE] [-p PID,...] [options]\n"
	"\n"
	"Capture /proc and /sys memory state into a bundle (tar.zst), one sample per tick.\n"
	"\n"
	"  -d, --duration DURATION   stop after DURATION (30s, 10m, 1h30m); default: until SIGINT/SIGTERM\n"
	"  -i, --interval DURATION   time between samples (default 5s, minimum 100ms)\n"
	"  -n, --count N             stop after N samples\n"
	"  -o, --output FILE         bundle to create (default memsnap-HOST-YYYYmmddTHHMMSSZ.tar.zst;\n"
	"                            never overwritten; '-' writes to standard output)\n"
	"  -p, --pid PID,...         capture only these processes (default: every process)\n"
	"      --rollup-interval D   smaps_rollup of every process every D (default 60s)\n"
	"      --smaps-interval D    full smaps and numa_maps every D (default 5m)\n"
	"      --smaps-top N         ... of the N largest or fastest-growing processes (default 5)\n"
	"      --walk-limit SIZE     skip page-walking reads of processes whose RSS exceeds SIZE\n"
	"                            (default 2G; 0 = no limit)\n"
	"      --max-size SIZE       stop cleanly before the bundle exceeds SIZE\n"
	"      --max-file-size SIZE  read at most SIZE of one file, record it as truncated (default 32M)\n"
	"      --cgroup-depth N      memory cgroups down to depth N below the root (default 4)\n"
	"      --cpu-budget PCT      CPU budget in percent of one core; the expensive tiers are\n"
	"                            deferred while it is exceeded (default 1)\n"
	"      --level N             zstd compression level 1-19 (default 3)\n"
	"      --redact-cmdline      keep only argv[0] of command lines\n"
	"      --fsync               fdatasync the bundle after every sample\n"
	"      --no-mlock            do not lock the collector in memory\n"
	"      --keep-priority       do not lower CPU and I/O priority\n"
	"  -q, --quiet               no live status line on a terminal\n"
	"      --root DIR            read DIR/proc and DIR/sys instead of /proc and /sys (testing)\n"
	"  -h, --help                show this help\n"
	"\n"
	"Exit status: 0 the bundle was completed (duration, count, signal or --max-size reached);\n"
	"1 a runtime error (the bundle holds every sample completed before it); 2 a usage error.\n";

enum {
	OPT_ROLLUP = 256, OPT_SMAPS, OPT_TOP, OPT_WALK, OPT_MAXSIZE, OPT_MAXFILE,
	OPT_CGDEPTH, OPT_BUDGET, OPT_LEVEL, OPT_REDACT, OPT_FSYNC, OPT_NOMLOCK,
	OPT_KEEPPRIO, OPT_ROOT,
};

static const struct option longopts[] = {
	{ "duration", required_argument, NULL, 'd' },
	{ "interval", required_argument, NULL, 'i' },
	{ "count", required_argument, NULL, 'n' },
	{ "output", required_argument, NULL, 'o' },
	{ "pid", required_argument, NULL, 'p' },
	{ "rollup-interval", required_argument, NULL, OPT_ROLLUP },
	{ "smaps-interval", required_argument, NULL, OPT_SMAPS },
	{ "smaps-top", required_argument, NULL, OPT_TOP },
	{ "walk-limit", required_argument, NULL, OPT_WALK },
	{ "max-size", required_argument, NULL, OPT_MAXSIZE },
	{ "max-file-size", required_argument, NULL, OPT_MAXFILE },
	{ "cgroup-depth", required_argument, NULL, OPT_CGDEPTH },
	{ "cpu-budget", required_argument, NULL, OPT_BUDGET },
	{ "level", required_argument, NULL, OPT_LEVEL },
	{ "redact-cmdline", no_argument, NULL, OPT_REDACT },
	{ "fsync", no_argument, NULL, OPT_FSYNC },
	{ "no-mlock", no_argument, NULL, OPT_NOMLOCK },
	{ "keep-priority", no_argument, NULL, OPT_KEEPPRIO },
	{ "quiet", no_argument, NULL, 'q' },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
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
	o->root = "/";
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

/* The option getopt complained about: a long one as written, a short one
 * from optopt (argv may hold a cluster such as "-zq").  Returns ARG or BUF
 * (3 bytes) holding "-X". */
static const char *opt_name(const char *arg, int opt, char *buf)
{
	if (!strncmp(arg, "--", 2) || opt <= ' ' || opt > '~')
		return arg;
	buf[0] = '-';
	buf[1] = (char)opt;
	buf[2] = '\0';
	return buf;
}

int collect_opts_parse(struct collect_opts *o, int argc, char **argv,
		       struct ms_err *err)
{
	int c;
	uint64_t v;
	char nb[3];
	optind = 0; /* 0: a full reset of glibc getopt, even after a stop mid-cluster */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:i:n:o:p:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (ms_parse_duration(optarg, &o->duration_ms, "--duration", err) < 0)
				return -1;
			if (!o->duration_ms)
				return ms_err_set(err, EINVAL, "invalid --duration '%s': must be more than 0", optarg);
			break;
		case 'i':
			if (ms_parse_duration(optarg, &o->interval_ms, "--interval", err) < 0)
				return -1;
			if (o->interval_ms < 100)
				return ms_err_set(err, EINVAL, "invalid --interval '%s': must be at least 100ms", optarg);
			break;
		case 'n':
			if (ms_parse_u64(optarg, 1, UINT32_MAX, &o->count, "--count", err) < 0)
				return -1;
			break;
		case 'o':
			if (!*optarg)
				return ms_err_set(err, EINVAL, "invalid --output '': empty file name");
			o->output = optarg;
			break;
		case 'p':
			if (parse_pids(o, optarg, err) < 0)
				return -1;
			break;
		case OPT_ROLLUP:
			if (ms_parse_duration(optarg, &o->rollup_ms, "--rollup-interval", err) < 0)
				return -1;
			break;
		case OPT_SMAPS:
			if (ms_parse_duration(optarg, &o->smaps_ms, "--smaps-interval", err) < 0)
				return -1;
			break;
		case OPT_TOP:
			if (ms_parse_u64(optarg, 0, 1000, &o->smaps_top, "--smaps-top", err) < 0)
				return -1;
			break;
		case OPT_WALK:
			if (ms_parse_size(optarg, &o->walk_limit, "--walk-limit", err) < 0)
				return -1;
			break;
		case OPT_MAXSIZE:
			if (ms_parse_size(optarg, &o->max_size, "--max-size", err) < 0)
				return -1;
			if (o->max_size < 64 * 1024)
				return ms_err_set(err, EINVAL, "invalid --max-size '%s': must be at least 64K", optarg);
			break;
		case OPT_MAXFILE:
			if (ms_parse_size(optarg, &o->max_file, "--max-file-size", err) < 0)
				return -1;
			if (o->max_file < 4096 || o->max_file > (1ull << 30))
				return ms_err_set(err, EINVAL, "invalid --max-file-size '%s': must be between 4K and 1G", optarg);
			break;
		case OPT_CGDEPTH:
			if (ms_parse_u64(optarg, 0, 64, &o->cgroup_depth, "--cgroup-depth", err) < 0)
				return -1;
			break;
		case OPT_BUDGET:
			if (ms_parse_percent(optarg, &o->cpu_budget, "--cpu-budget", err) < 0)
				return -1;
			if (!o->cpu_budget)
				return ms_err_set(err, EINVAL, "invalid --cpu-budget '%s': must be more than 0", optarg);
			break;
		case OPT_LEVEL:
			if (ms_parse_u64(optarg, 1, 19, &v, "--level", err) < 0)
				return -1;
			o->level = v;
			break;
		case OPT_REDACT: o->redact_cmdline = 1; break;
		case OPT_FSYNC: o->fsync = 1; break;
		case OPT_NOMLOCK: o->no_mlock = 1; break;
		case OPT_KEEPPRIO: o->keep_priority = 1; break;
		case 'q': o->quiet = 1; break;
		case OPT_ROOT:
			if (!*optarg)
				return ms_err_set(err, EINVAL, "invalid --root '': empty directory name");
			o->root = optarg;
			break;
		case 'h':
			fputs(collect_usage, stdout);
			return 1;
		case ':':
			return ms_err_set(err, EINVAL, "option '%s' needs a value",
					  opt_name(argv[optind - 1], optopt, nb));
		default:
			return ms_err_set(err, EINVAL, "unknown option '%s'",
					  opt_name(argv[optind - 1], optopt, nb));
		}
	}
	if (optind < argc)
		return ms_err_set(err, EINVAL, "unexpected argument '%s'", argv[optind]);
	if (o->rollup_ms < o->interval_ms)
		o->rollup_ms = o->interval_ms;
	if (o->smaps_ms < o->interval_ms)
		o->smaps_ms = o->interval_ms;
	if (join_argv(o, argc, argv) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	return 0;
}
