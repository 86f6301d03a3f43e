/*
 * test_parse_proc_text.c - the small per-process files: analyze/parse/
 * oom_score.c (oom_score and oom_score_adj), comm.c and cmdline.c, on real
 * text: this 6.18 host's and the 6.1 two-node VM's files
 * (tests/fixtures), and records of the recorded bundles (kernel 6.18's
 * long kernel-worker names, a kernel thread's empty command line).  Then
 * what the kernel never writes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "comm.h"
#include "oom_score.h"
#include "test.h"

static void oom_good(const char *s, size_t len, int64_t want, int line)
{
	char *p = test_exact_copy(s, len);
	struct ms_err e = MS_ERR_INIT;
	int64_t v = -12345;
	if (!CHECK_EQ_I64(oom_score_parse(p, len, &v, &e), 0) || !CHECK_EQ_I64(v, want) ||
	    !CHECK(e.msg == NULL))
		fprintf(stderr, "  (from line %d: %s)\n", line, e.msg ? e.msg : "");
	ms_err_release(&e);
	free(p);
}

static void oom_bad(const char *s, size_t len, const char *msg, int line)
{
	char *p = test_exact_copy(s, len);
	struct ms_err e = MS_ERR_INIT;
	int64_t v = -12345;
	if (!CHECK_EQ_I64(oom_score_parse(p, len, &v, &e), -1) || !CHECK_EQ_I64(e.code, EINVAL) ||
	    !CHECK_STR(e.msg, msg) || !CHECK_EQ_I64(v, 0))
		fprintf(stderr, "  (from line %d)\n", line);
	ms_err_release(&e);
	free(p);
}

#define OOM_GOOD(s, want) oom_good((s), sizeof(s) - 1, (want), __LINE__)
#define OOM_BAD(s, msg) oom_bad((s), sizeof(s) - 1, (msg), __LINE__)

/* TEXT through PARSE (comm_parse or cmdline_parse) gives WANT */
static void text_is(int (*parse)(const char *, size_t, struct ms_buf *, struct ms_err *),
		    const char *text, size_t len, const char *want, int line)
{
	char *p = test_exact_copy(text, len);
	struct ms_buf out;
	struct ms_err e = MS_ERR_INIT;
	REQUIRE(ms_buf_init(&out, 16) == 0);
	if (!CHECK_EQ_I64(parse(p, len, &out, &e), 0) || !CHECK_STR(out.data, want) ||
	    !CHECK_EQ_U64(out.len, strlen(want)) || !CHECK(e.msg == NULL))
		fprintf(stderr, "  (from line %d)\n", line);
	ms_buf_release(&out);
	ms_err_release(&e);
	free(p);
}

#define COMM_IS(s, want) text_is(comm_parse, (s), sizeof(s) - 1, (want), __LINE__)
#define CMDLINE_IS(s, want) text_is(cmdline_parse, (s), sizeof(s) - 1, (want), __LINE__)

static void fixture_is(int (*parse)(const char *, size_t, struct ms_buf *, struct ms_err *),
		       const char *file, const char *want)
{
	size_t len;
	char *text = read_fixture(file, &len);
	text_is(parse, text, len, want, __LINE__);
	free(text);
}

TEST(oom_score_fixtures)
{
	static const struct {
		const char *file;
		int64_t value;
	} cases[] = {
		{ "host-6.18/proc/self/oom_score", 666 },
		{ "host-6.18/proc/self/oom_score_adj", 0 },
		{ "numa-2node-6.1/t0/proc/151/oom_score", 1049 },
		{ "numa-2node-6.1/t0/proc/151/oom_score_adj", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		char *text = read_fixture(cases[i].file, &len);
		oom_good(text, len, cases[i].value, __LINE__);
		free(text);
	}
}

/* oom_score_adj is printed "%d\n" (fs/proc/base.c, oom_score_adj_read()),
 * so the OOM killer's exemption, OOM_SCORE_ADJ_MIN, reads "-1000\n" */
TEST(oom_score_adj_negative)
{
	OOM_GOOD("-1000\n", -1000);
	OOM_GOOD("1000\n", 1000);
	OOM_GOOD("666", 666);
}

TEST(oom_score_malformed)
{
	OOM_BAD("", "oom_score:1: expected one number");
	OOM_BAD("\n", "oom_score:1: expected one number");
	OOM_BAD("-\n", "oom_score:1: expected one number");
	OOM_BAD(" 666\n", "oom_score:1: expected one number");
	OOM_BAD("9223372036854775808\n", "oom_score:1: expected one number");
	OOM_BAD("666 \n", "oom_score:1: unexpected text after the number");
	OOM_BAD("666kB\n", "oom_score:1: unexpected text after the number");
	OOM_BAD("666\n667\n", "oom_score:2: unexpected text after the number");
	OOM_BAD("666\n\n", "oom_score:2: unexpected text after the number");
	OOM_BAD("666\0\n", "oom_score:1: unexpected text after the number");
}

TEST(comm_fixtures_and_bundles)
{
	fixture_is(comm_parse, "numa-2node-6.1/t0/proc/1/comm", "init");
	fixture_is(comm_parse, "numa-2node-6.1/t0/proc/151/comm", "numa_hog");
	/* samples/bundles/leak.tar.zst, kernel 6.18, sample 1: a kernel
	 * worker's comm is longer than TASK_COMM_LEN */
	COMM_IS("kworker/R-kvfree_rcu_reclaim\n", "kworker/R-kvfree_rcu_reclaim");
	COMM_IS("pool_workqueue_release\n", "pool_workqueue_release");
}

TEST(comm_unusual)
{
	/* prctl(PR_SET_NAME) takes blanks and parentheses; a NUL (never
	 * written) becomes a space, so the name stays one C string */
	COMM_IS("a b) c\n", "a b) c");
	COMM_IS("x\0y\n", "x y");
	COMM_IS("", "");
	COMM_IS("\n", "");
}

TEST(cmdline_fixtures_and_bundles)
{
	fixture_is(cmdline_parse, "numa-2node-6.1/t0/proc/1/cmdline", "/bin/busybox sh /init");
	fixture_is(cmdline_parse, "numa-2node-6.1/t0/proc/151/cmdline",
		   "numa_hog -s 300 -n 0 -c 1 -S 250 -H -r /tmp/hog.ready");
	/* samples/bundles/thrash.tar.zst, sample 1: one argument; leak.tar.zst:
	 * a kernel thread's command line is empty */
	CMDLINE_IS("head\0", "head");
	CMDLINE_IS("", "");
}

TEST(cmdline_unusual)
{
	/* an argument area rewritten in place: PostgreSQL's ps_status.c
	 * writes its title over argv and pads the rest with NULs on Linux;
	 * an empty argument is two spaces; trailing NULs are dropped */
	CMDLINE_IS("postgres: checkpointer\0\0\0\0", "postgres: checkpointer");
	CMDLINE_IS("a\0\0b\0", "a  b");
	CMDLINE_IS("sh\0-c\0\0\0\0", "sh -c");
}
