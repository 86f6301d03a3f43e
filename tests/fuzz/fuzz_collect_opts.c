/*
 * fuzz_collect_opts.c - collect_opts_parse(), the option parser of
 * `memsnap collect` (getopt_long and the duration, size, percentage and
 * PID-list parsers behind it), on argument vectors: the input split at NUL
 * bytes, after argv[0] "collect".  What parses meets the documented
 * bounds (collect_opts.c and --help); what does not says why.
 */
#include "collect_opts.h"
#include "fuzz.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	if (!quiet) {
		/* --help prints the usage to stdout */
		FUZZ_CHECK(freopen("/dev/null", "w", stdout) != NULL);
		quiet = 1;
	}
	char *buf = malloc(size + 1);
	FUZZ_CHECK(buf != NULL);
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *argv[MAX_ARGS + 2];
	int argc = 0;
	argv[argc++] = "collect";
	for (char *p = buf; p < buf + size && argc <= MAX_ARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;

	struct collect_opts o;
	struct ms_err err = MS_ERR_INIT;
	collect_opts_init(&o);
	int rc = collect_opts_parse(&o, argc, argv, &err);
	FUZZ_CHECK(rc >= -1 && rc <= 1);
	if (rc < 0) {
		FUZZ_CHECK(err.msg != NULL);
	} else if (rc == 0) {
		FUZZ_CHECK(err.msg == NULL);
		FUZZ_CHECK(o.interval_ms >= 100);
		FUZZ_CHECK(o.count <= UINT32_MAX);
		FUZZ_CHECK(o.rollup_ms >= o.interval_ms && o.smaps_ms >= o.interval_ms);
		FUZZ_CHECK(o.smaps_top <= 1000 && o.cgroup_depth <= 64);
		FUZZ_CHECK(o.max_file >= 4096 && o.max_file <= (1ull << 30));
		FUZZ_CHECK(o.max_size == 0 || o.max_size >= 64 * 1024);
		FUZZ_CHECK(o.cpu_budget >= 1 && o.cpu_budget <= 10000);
		FUZZ_CHECK(o.level >= 1 && o.level <= 19);
		FUZZ_CHECK(o.proc_root && o.proc_root[0] && o.sys_root && o.sys_root[0]);
		FUZZ_CHECK(!o.output || o.output[0]);
		FUZZ_CHECK(o.argv_line != NULL);
		for (size_t i = 0; i < o.npids; i++)
			FUZZ_CHECK(o.pids[i] >= 1 && o.pids[i] <= 4194304);
	}
	collect_opts_release(&o);
	ms_err_release(&err);
	free(buf);
	return 0;
}
