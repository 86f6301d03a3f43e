/*
 * test_collect_opts.c - collect/collect_opts.c: defaults, every option, and
 * the exact one-line message of each usage error (cmd_collect prints it as
 * "memsnap: collect: MSG" and exits 2).
 *
 * Each parse gets its own argv array: getopt keeps pointers into argv.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_opts.h"
#include "test.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

/* collect_opts_parse() on the NULL-terminated ARGV. */
static int parse_argv(struct collect_opts *o, struct ms_err *e, char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	return collect_opts_parse(o, argc, argv, e);
}

/* Parse "collect" followed by the given arguments (the array lives until
 * the end of the enclosing block). */
#define PARSE(o, e, ...) \
	parse_argv((o), (e), (char *[]){ "collect", __VA_ARGS__, NULL })

/* Expect the arguments to be refused with exactly MSG. */
#define OPTS_BAD(msg_, ...) do {                                                \
	struct collect_opts o_;                                                  \
	struct ms_err e_ = MS_ERR_INIT;                                          \
	collect_opts_init(&o_);                                                  \
	char *argv_[] = { "collect", __VA_ARGS__, NULL };                        \
	CHECK_EQ_I64(collect_opts_parse(&o_, ARGC(argv_), argv_, &e_), -1);      \
	CHECK(e_.code != 0);                                                     \
	CHECK_STR(e_.msg, (msg_));                                               \
	collect_opts_release(&o_);                                               \
	ms_err_release(&e_);                                                     \
} while (0)

static void check_defaults(const struct collect_opts *o)
{
	CHECK_EQ_U64(o->duration_ms, 0);
	CHECK_EQ_U64(o->interval_ms, 5000);
	CHECK_EQ_U64(o->count, 0);
	CHECK(o->output == NULL);
	CHECK(o->pids == NULL);
	CHECK_EQ_U64(o->npids, 0);
	CHECK_EQ_U64(o->rollup_ms, 60000);
	CHECK_EQ_U64(o->smaps_ms, 300000);
	CHECK_EQ_U64(o->smaps_top, 5);
	CHECK_EQ_U64(o->walk_limit, 2ull << 30);
	CHECK_EQ_U64(o->max_size, 0);
	CHECK_EQ_U64(o->max_file, 32ull << 20);
	CHECK_EQ_U64(o->cgroup_depth, 4);
	CHECK_EQ_U64(o->cpu_budget, 100);
	CHECK_EQ_U64(o->level, 3);
	CHECK_EQ_I64(o->redact_cmdline, 0);
	CHECK_EQ_I64(o->redact, 0);
	CHECK(o->redact_map == NULL);
	CHECK_EQ_I64(o->no_mlock, 0);
	CHECK_EQ_I64(o->keep_priority, 0);
	CHECK_EQ_I64(o->fsync, 0);
	CHECK_EQ_I64(o->quiet, 0);
	CHECK_STR(o->proc_root, "/proc");
	CHECK_STR(o->sys_root, "/sys");
}

TEST(defaults)
{
	struct collect_opts o;
	struct ms_err err = MS_ERR_INIT;
	collect_opts_init(&o);
	check_defaults(&o);
	CHECK(o.argv_line == NULL);
	char *argv[] = { "collect", NULL };
	CHECK_EQ_I64(collect_opts_parse(&o, 1, argv, &err), 0);
	check_defaults(&o);
	CHECK_STR(o.argv_line, "collect");
	CHECK(err.msg == NULL);
	collect_opts_release(&o);
	CHECK(o.argv_line == NULL);
	CHECK(o.pids == NULL);
}

TEST(every_option)
{
	struct collect_opts o;
	struct ms_err err = MS_ERR_INIT;
	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "-d", "1h30m", "-i", "250ms", "-n", "12", "-o", "x.tar.zst",
			   "-p", "1,22,333", "--pid", "4194304", "--rollup-interval", "30s",
			   "--smaps-interval", "10m", "--smaps-top", "0", "--walk-limit", "0",
			   "--max-size", "64K", "--max-file-size", "1G", "--cgroup-depth", "64",
			   "--cpu-budget", "0.5%", "--level", "19", "--redact-cmdline", "--fsync",
			   "--no-mlock", "--keep-priority", "-q", "--proc-root", "tests/fixtures/x/proc",
			   "--sys-root", "tests/fixtures/x/sys"), 0);
	CHECK(err.msg == NULL);
	CHECK_EQ_U64(o.duration_ms, 5400000);
	CHECK_EQ_U64(o.interval_ms, 250);
	CHECK_EQ_U64(o.count, 12);
	CHECK_STR(o.output, "x.tar.zst");
	REQUIRE(o.npids == 4);
	CHECK_EQ_I64(o.pids[0], 1);
	CHECK_EQ_I64(o.pids[1], 22);
	CHECK_EQ_I64(o.pids[2], 333);
	CHECK_EQ_I64(o.pids[3], 4194304);
	CHECK_EQ_U64(o.rollup_ms, 30000);
	CHECK_EQ_U64(o.smaps_ms, 600000);
	CHECK_EQ_U64(o.smaps_top, 0);
	CHECK_EQ_U64(o.walk_limit, 0);
	CHECK_EQ_U64(o.max_size, 65536);
	CHECK_EQ_U64(o.max_file, 1ull << 30);
	CHECK_EQ_U64(o.cgroup_depth, 64);
	CHECK_EQ_U64(o.cpu_budget, 50);
	CHECK_EQ_U64(o.level, 19);
	CHECK_EQ_I64(o.redact_cmdline, 1);
	CHECK_EQ_I64(o.fsync, 1);
	CHECK_EQ_I64(o.no_mlock, 1);
	CHECK_EQ_I64(o.keep_priority, 1);
	CHECK_EQ_I64(o.quiet, 1);
	CHECK_STR(o.proc_root, "tests/fixtures/x/proc");
	CHECK_STR(o.sys_root, "tests/fixtures/x/sys");
	CHECK_STR(o.argv_line,
		  "collect -d 1h30m -i 250ms -n 12 -o x.tar.zst -p 1,22,333 --pid 4194304 "
		  "--rollup-interval 30s --smaps-interval 10m --smaps-top 0 --walk-limit 0 "
		  "--max-size 64K --max-file-size 1G --cgroup-depth 64 --cpu-budget 0.5% "
		  "--level 19 --redact-cmdline --fsync --no-mlock --keep-priority -q "
		  "--proc-root tests/fixtures/x/proc --sys-root tests/fixtures/x/sys");
	collect_opts_release(&o);
}

TEST(long_forms_and_attached_values)
{
	struct collect_opts o;
	struct ms_err err = MS_ERR_INIT;
	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "--duration=10m", "--interval=1s", "--count=3",
			   "--output=-", "-p7", "-qn4", "--quiet"), 0);
	CHECK_EQ_U64(o.duration_ms, 600000);
	CHECK_EQ_U64(o.interval_ms, 1000);
	CHECK_EQ_U64(o.count, 4);               /* the last one wins */
	CHECK_STR(o.output, "-");
	REQUIRE(o.npids == 1);
	CHECK_EQ_I64(o.pids[0], 7);
	CHECK_EQ_I64(o.quiet, 1);
	collect_opts_release(&o);
}

TEST(slow_tiers_never_faster_than_the_tick)
{
	struct collect_opts o;
	struct ms_err err = MS_ERR_INIT;
	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "-i", "10m"), 0);
	CHECK_EQ_U64(o.interval_ms, 600000);
	CHECK_EQ_U64(o.rollup_ms, 600000);      /* raised from 60 s */
	CHECK_EQ_U64(o.smaps_ms, 600000);       /* raised from 5 min */
	collect_opts_release(&o);

	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "--rollup-interval", "1s", "--smaps-interval", "0", "-i", "2s"), 0);
	CHECK_EQ_U64(o.rollup_ms, 2000);
	CHECK_EQ_U64(o.smaps_ms, 2000);
	collect_opts_release(&o);
}

TEST(bad_durations)
{
	OPTS_BAD("invalid --interval '50ms': must be at least 100ms", "-i", "50ms");
	OPTS_BAD("invalid --interval '0': must be at least 100ms", "-i", "0");
	OPTS_BAD("invalid --interval '5x': expected a duration like 30s, 10m, 1h30m or 250ms",
		 "--interval", "5x");
	OPTS_BAD("invalid --duration '0': must be more than 0", "-d", "0");
	OPTS_BAD("invalid --duration '0s': must be more than 0", "--duration=0s");
	OPTS_BAD("invalid --duration '': expected a duration like 30s, 10m, 1h30m or 250ms",
		 "-d", "");
	OPTS_BAD("invalid --rollup-interval '1h30': expected a duration like 30s, 10m, 1h30m or 250ms",
		 "--rollup-interval", "1h30");
	OPTS_BAD("invalid --smaps-interval '-5m': expected a duration like 30s, 10m, 1h30m or 250ms",
		 "--smaps-interval", "-5m");
}

TEST(bad_numbers)
{
	OPTS_BAD("invalid --level '20': must be between 1 and 19", "--level", "20");
	OPTS_BAD("invalid --level '0': must be between 1 and 19", "--level", "0");
	OPTS_BAD("invalid --level 'fast': expected a whole number", "--level", "fast");
	OPTS_BAD("invalid --count '0': must be between 1 and 4294967295", "-n", "0");
	OPTS_BAD("invalid --count '4294967296': must be between 1 and 4294967295", "-n", "4294967296");
	OPTS_BAD("invalid --count '-1': expected a whole number", "-n", "-1");
	OPTS_BAD("invalid --smaps-top '1001': must be between 0 and 1000", "--smaps-top", "1001");
	OPTS_BAD("invalid --cgroup-depth '65': must be between 0 and 64", "--cgroup-depth", "65");
	OPTS_BAD("invalid --cpu-budget '0': must be more than 0", "--cpu-budget", "0");
	OPTS_BAD("invalid --cpu-budget '101': expected a percentage between 0 and 100, e.g. 1 or 0.5%",
		 "--cpu-budget", "101");
}

TEST(bad_sizes)
{
	OPTS_BAD("invalid --max-size '1K': must be at least 64K", "--max-size", "1K");
	OPTS_BAD("invalid --max-size '65535': must be at least 64K", "--max-size", "65535");
	OPTS_BAD("invalid --max-size '10 M': expected a size like 100M, 2G or 4096", "--max-size", "10 M");
	OPTS_BAD("invalid --max-file-size '4095': must be between 4K and 1G", "--max-file-size", "4095");
	OPTS_BAD("invalid --max-file-size '2G': must be between 4K and 1G", "--max-file-size", "2G");
	OPTS_BAD("invalid --walk-limit '2X': expected a size like 100M, 2G or 4096", "--walk-limit", "2X");
}

TEST(bad_pids)
{
	OPTS_BAD("invalid --pid 'x': expected a whole number", "-p", "1,x");
	OPTS_BAD("invalid --pid '1,,2': expected PID[,PID...]", "-p", "1,,2");
	OPTS_BAD("invalid --pid '1,': expected PID[,PID...]", "-p", "1,");
	OPTS_BAD("invalid --pid ',1': expected PID[,PID...]", "-p", ",1");
	OPTS_BAD("invalid --pid '': expected PID[,PID...]", "-p", "");
	OPTS_BAD("invalid --pid '0': must be between 1 and 4194304", "-p", "0");
	OPTS_BAD("invalid --pid '4194305': must be between 1 and 4194304", "--pid", "4194305");
	OPTS_BAD("invalid --pid '-1': expected a whole number", "--pid=-1");
	OPTS_BAD("invalid --pid ' 1': expected a whole number", "-p", "2, 1");
	/* an element too long for any PID */
	OPTS_BAD("invalid --pid '1,123456789012345678901234': expected PID[,PID...]",
		 "-p", "1,123456789012345678901234");
}

TEST(bad_command_line)
{
	OPTS_BAD("unknown option '--bogus'", "--bogus");
	OPTS_BAD("unknown option '--bogus=3'", "--bogus=3");
	OPTS_BAD("unknown option '-z'", "-z");
	OPTS_BAD("unknown option '--help=x'", "--help=x");
	OPTS_BAD("option '-i' needs a value", "-i");
	OPTS_BAD("option '--interval' needs a value", "-q", "--interval");
	OPTS_BAD("option '-d' needs a value", "-d");
	OPTS_BAD("option '--proc-root' needs a value", "--proc-root");
	OPTS_BAD("unexpected argument 'foo'", "foo");
	OPTS_BAD("unexpected argument 'foo'", "-q", "foo", "-n", "3");
	OPTS_BAD("unexpected argument '-q'", "--", "-q");
	OPTS_BAD("invalid --output '': empty file name", "-o", "");
	OPTS_BAD("invalid --proc-root '': empty directory name", "--proc-root", "");
	OPTS_BAD("invalid --sys-root '': empty directory name", "--sys-root", "");
}

TEST(redact)
{
	struct collect_opts o;
	struct ms_err err = MS_ERR_INIT;
	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "--redact", "-o", "-", "--redact-map", "m.tsv"), 0);
	CHECK_EQ_I64(o.redact, 1);
	CHECK_EQ_I64(o.redact_cmdline, 1); /* the header says the command lines were cut */
	CHECK_STR(o.redact_map, "m.tsv");
	collect_opts_release(&o);
	OPTS_BAD("--redact with -o -: name the mapping file with --redact-map FILE", "--redact", "-o", "-");
	OPTS_BAD("--redact-map is for --redact", "--redact-map", "m.tsv", "--redact-cmdline");
	OPTS_BAD("invalid --redact-map '': empty file name", "--redact", "--redact-map", "");
}

/* Regression (was a bug in collect/collect_opts.c:243): an unknown short option that is not
 * the last of a cluster is reported with argv[optind - 1], which getopt has
 * not advanced yet: `memsnap collect -zq` says "unknown option 'collect'".
 * getopt's optopt holds the character.  */
TEST(unknown_option_in_a_cluster)
{
	OPTS_BAD("unknown option '-z'", "-zq");
}

/* Regression (was a bug in collect/collect_opts.c:155): `optind = 1` does not reset glibc's
 * getopt; a parse that stopped inside a cluster (-zq, -hq) leaves getopt's
 * "next char" pointing into the OLD argv, so the next collect_opts_parse()
 * on a fresh argv first reads that stale "q" (a dangling pointer when the
 * old argv is gone) and loses the fresh argv[1].  glibc resets fully only
 * with optind = 0.  */
TEST(parse_twice_after_a_stop_mid_cluster)
{
	struct collect_opts o;
	struct ms_err err = MS_ERR_INIT;
	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "-zq"), -1);
	collect_opts_release(&o);
	ms_err_release(&err);

	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "-n", "5"), 0);
	CHECK_STR(err.msg, NULL);
	CHECK_EQ_U64(o.count, 5);
	CHECK_EQ_I64(o.quiet, 0);
	collect_opts_release(&o);
	ms_err_release(&err);

	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "-hq"), 1);
	collect_opts_release(&o);
	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "-n", "6"), 0);
	CHECK_STR(err.msg, NULL);
	CHECK_EQ_U64(o.count, 6);
	CHECK_EQ_I64(o.quiet, 0);
	collect_opts_release(&o);
	ms_err_release(&err);
}

TEST(parse_twice)
{
	/* after complete parses (no stop inside a cluster) a second parse on
	 * a new argv starts afresh */
	struct collect_opts o;
	struct ms_err err = MS_ERR_INIT;
	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "-q", "-n", "2"), 0);
	collect_opts_release(&o);
	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "-i", "1s"), 0);
	CHECK_EQ_U64(o.count, 0);
	CHECK_EQ_I64(o.quiet, 0);
	CHECK_EQ_U64(o.interval_ms, 1000);
	collect_opts_release(&o);
	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "--level", "99"), -1);
	collect_opts_release(&o);
	ms_err_release(&err);
	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "-n", "7"), 0);
	CHECK_EQ_U64(o.count, 7);
	CHECK(err.msg == NULL);
	collect_opts_release(&o);
}

TEST(help)
{
	struct collect_opts o;
	struct ms_err err = MS_ERR_INIT;
	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "--help"), 1);
	CHECK(err.msg == NULL);
	collect_opts_release(&o);
	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "-h"), 1);
	collect_opts_release(&o);
	/* --help wins over what follows it, even a bad value */
	collect_opts_init(&o);
	CHECK_EQ_I64(PARSE(&o, &err, "-h", "--level", "99"), 1);
	CHECK(err.msg == NULL);
	collect_opts_release(&o);
	/* the usage, printed from the option tables, names every option */
	char *usage = NULL;
	size_t usage_len = 0;
	FILE *f = open_memstream(&usage, &usage_len);
	CHECK(f != NULL);
	ms_opt_usage(&collect_doc, f);
	CHECK(fclose(f) == 0);
	static const char *const longs[] = {
		"--duration", "--interval", "--count", "--output", "--pid",
		"--rollup-interval", "--smaps-interval", "--smaps-top", "--walk-limit",
		"--max-size", "--max-file-size", "--cgroup-depth", "--cpu-budget", "--level",
		"--redact-cmdline", "--redact", "--redact-map", "--fsync", "--no-mlock",
		"--keep-priority", "--quiet", "--proc-root", "--sys-root", "--help",
	};
	for (size_t i = 0; i < sizeof(longs) / sizeof(longs[0]); i++)
		if (!strstr(usage, longs[i]))
			test_check(0, __FILE__, __LINE__, longs[i]); /* names the missing one */
	CHECK(strncmp(usage, "usage: memsnap collect ", 23) == 0);
	free(usage);
}
