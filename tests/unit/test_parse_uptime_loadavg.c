/*
 * test_parse_uptime_loadavg.c - analyze/parse/uptime.c and loadavg.c on
 * real text: this 6.18 host's and the 6.1 two-node VM's /proc/uptime and
 * /proc/loadavg (tests/fixtures), and lines from other projects' tests of
 * their parsers of the same files: hnakamur/sysstat uptime_test.go (a host
 * up for 123 days), sysstat's tests/root1/proc/uptime, the pfs C++
 * library's uptime and loadavg tests, kellyjonbrazil/jc's
 * tests/fixtures/linux-proc/loadavg, prometheus/procfs's fixtures and
 * elastic/go-sysinfo's Ubuntu 17.10 testdata (the last three as copied into
 * tests/fixtures/kernels/ on main).  Then malformed input.
 *
 * Expected values are the numbers printed in the texts.  Doubles are
 * compared exactly: the parser must give the double nearest to the
 * decimal text, which is what the compiler makes of the same literal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loadavg.h"
#include "test.h"
#include "uptime.h"

static int uptime_exact(const char *s, size_t len, struct uptime *u, struct ms_err *e)
{
	char *p = test_exact_copy(s, len);
	int rc = uptime_parse(p, len, u, e);
	free(p);
	return rc;
}

static int loadavg_exact(const char *s, size_t len, struct loadavg *a, struct ms_err *e)
{
	char *p = test_exact_copy(s, len);
	int rc = loadavg_parse(p, len, a, e);
	free(p);
	return rc;
}

static void uptime_good(const char *s, size_t len, double up, double idle, int line)
{
	struct uptime u;
	struct ms_err e = MS_ERR_INIT;
	if (!CHECK_EQ_I64(uptime_exact(s, len, &u, &e), 0) || !CHECK(u.up_s == up) ||
	    !CHECK(u.idle_s == idle) || !CHECK(e.msg == NULL))
		fprintf(stderr, "  (from line %d: %s)\n", line, e.msg ? e.msg : "");
	ms_err_release(&e);
}

static void uptime_bad(const char *s, size_t len, const char *msg, int line)
{
	struct uptime u;
	struct ms_err e = MS_ERR_INIT;
	if (!CHECK_EQ_I64(uptime_exact(s, len, &u, &e), -1) || !CHECK_EQ_I64(e.code, EINVAL) ||
	    !CHECK_STR(e.msg, msg) || !CHECK(u.up_s == 0 && u.idle_s == 0))
		fprintf(stderr, "  (from line %d)\n", line);
	ms_err_release(&e);
}

#define UPTIME_GOOD(s, up, idle) uptime_good((s), strlen(s), (up), (idle), __LINE__)
#define UPTIME_BAD(s, msg) uptime_bad((s), sizeof(s) - 1, (msg), __LINE__)

struct la {
	double l1, l5, l15;
	uint64_t runnable, threads;
	int64_t last_pid;
};

static void loadavg_good(const char *s, size_t len, struct la want, int line)
{
	struct loadavg a;
	struct ms_err e = MS_ERR_INIT;
	if (!CHECK_EQ_I64(loadavg_exact(s, len, &a, &e), 0) || !CHECK(a.load1 == want.l1) ||
	    !CHECK(a.load5 == want.l5) || !CHECK(a.load15 == want.l15) ||
	    !CHECK_EQ_U64(a.runnable, want.runnable) || !CHECK_EQ_U64(a.threads, want.threads) ||
	    !CHECK_EQ_I64(a.last_pid, want.last_pid))
		fprintf(stderr, "  (from line %d: %s)\n", line, e.msg ? e.msg : "");
	ms_err_release(&e);
}

static void loadavg_bad(const char *s, size_t len, const char *msg, int line)
{
	struct loadavg a;
	struct ms_err e = MS_ERR_INIT;
	if (!CHECK_EQ_I64(loadavg_exact(s, len, &a, &e), -1) || !CHECK_EQ_I64(e.code, EINVAL) ||
	    !CHECK_STR(e.msg, msg) || !CHECK(a.load1 == 0 && a.threads == 0 && a.last_pid == 0))
		fprintf(stderr, "  (from line %d)\n", line);
	ms_err_release(&e);
}

#define LOADAVG_GOOD(s, ...) loadavg_good((s), strlen(s), (struct la){ __VA_ARGS__ }, __LINE__)
#define LOADAVG_BAD(s, msg) loadavg_bad((s), sizeof(s) - 1, (msg), __LINE__)

static const char la_shape[] = "loadavg:1: expected 'L1 L5 L15 RUNNABLE/THREADS LAST_PID'";
static const char up_shape[] = "uptime:1: expected 'UP IDLE' (seconds, e.g. 3374.21 6645.66)";

TEST(uptime_fixtures)
{
	static const struct {
		const char *file;
		double up, idle;
	} cases[] = {
		{ "host-6.18/proc/uptime", 3374.21, 6645.66 },
		{ "numa-2node-6.1/t0/proc/uptime", 7.69, 6.08 },
		{ "numa-2node-6.1/t1/proc/uptime", 10.14, 10.48 },
		{ "numa-2node-6.1/t2/proc/uptime", 12.60, 14.87 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		char *text = read_fixture(cases[i].file, &len);
		uptime_good(text, len, cases[i].up, cases[i].idle, __LINE__);
		free(text);
	}
}

TEST(uptime_other_projects)
{
	/* hnakamur/sysstat uptime_test.go: 123 days up, idle summed over CPUs */
	UPTIME_GOOD("10654673.98 20455002.81\n", 10654673.98, 20455002.81);
	/* sysstat tests/root1/proc/uptime */
	UPTIME_GOOD("7192.55 29212.05\n", 7192.55, 29212.05);
	/* pfs (C++ procfs library) test: the line without its newline */
	UPTIME_GOOD("523340.48 2063904.01", 523340.48, 2063904.01);
}

TEST(uptime_malformed)
{
	UPTIME_BAD("", up_shape);
	UPTIME_BAD("\n", up_shape);
	UPTIME_BAD("3374.21\n", up_shape);
	UPTIME_BAD("3374.21 6645.66 1.00\n", up_shape);
	UPTIME_BAD("3374,21 6645,66\n", up_shape);
	UPTIME_BAD("-3374.21 6645.66\n", up_shape);
	UPTIME_BAD("3374.21 6645.\n", up_shape);
	UPTIME_BAD("3374.21 6645.66\n3374.22 6645.70\n",
		   "uptime:2: unexpected text after the first line");
	UPTIME_BAD("3374.21 6645.66\n\n", "uptime:2: unexpected text after the first line");
	UPTIME_BAD("3374.21\0 6645.66\n", "uptime:1: NUL byte");
}

TEST(loadavg_fixtures)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/loadavg", &len);
	loadavg_good(text, len, (struct la){ 0.44, 0.25, 0.10, 3, 93, 6718 }, __LINE__);
	free(text);
	text = read_fixture("numa-2node-6.1/t0/proc/loadavg", &len);
	loadavg_good(text, len, (struct la){ 0.16, 0.03, 0.01, 1, 64, 234 }, __LINE__);
	free(text);
	text = read_fixture("numa-2node-6.1/t2/proc/loadavg", &len);
	loadavg_good(text, len, (struct la){ 0.23, 0.05, 0.02, 1, 64, 344 }, __LINE__);
	free(text);
}

TEST(loadavg_other_projects)
{
	/* kellyjonbrazil/jc tests/fixtures/linux-proc/loadavg */
	LOADAVG_GOOD("0.00 0.01 0.03 2/111 2039\n", 0.00, 0.01, 0.03, 2, 111, 2039);
	/* prometheus/procfs testdata fixtures.ttar, fixtures/proc/loadavg */
	LOADAVG_GOOD("0.02 0.04 0.05 1/497 11947\n", 0.02, 0.04, 0.05, 1, 497, 11947);
	/* elastic/go-sysinfo testdata/ubuntu1710/proc/loadavg: 1318 threads */
	LOADAVG_GOOD("1.55 1.74 1.73 2/1318 46377\n", 1.55, 1.74, 1.73, 2, 1318, 46377);
	/* pfs (C++ procfs library) test: a 15-minute load above 5, no newline */
	LOADAVG_GOOD("0.12 0.34 5.04 1/112 5935", 0.12, 0.34, 5.04, 1, 112, 5935);
}

TEST(loadavg_malformed)
{
	LOADAVG_BAD("", la_shape);
	LOADAVG_BAD("0.44 0.25 0.10\n", la_shape);
	LOADAVG_BAD("0.44 0.25 0.10 3/93\n", la_shape);
	LOADAVG_BAD("0.44 0.25 0.10 3 93 6718\n", la_shape);
	LOADAVG_BAD("0.44 0.25 0.10 3/ 6718\n", la_shape);
	LOADAVG_BAD("0.44 0.25 0.10 3/93 6718 9\n", la_shape);
	LOADAVG_BAD("0.44 0.25 x 3/93 6718\n", la_shape);
	LOADAVG_BAD("0.44 0.25 0.10 3/93 99999999999999999999\n", la_shape);
	LOADAVG_BAD("0.44 0.25 0.10 3/93 6718\n0.44\n",
		    "loadavg:2: unexpected text after the first line");
	LOADAVG_BAD("0.44 0.25 0.10 3/93\0 6718\n", "loadavg:1: NUL byte");
}
