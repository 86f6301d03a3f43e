/*
 * test_parse_pressure.c - analyze/parse/pressure.c on real PSI text (this
 * 6.18 host's /proc/pressure/{memory,io} and a v2 cgroup's memory.pressure,
 * the 6.1 VM), on a pre-5.13 cpu file with only "some" written from the
 * kernel documentation, and on malformed input.
 *
 * Expected values are the numbers printed in the fixture files.  Doubles
 * are compared exactly: the parser must give the double nearest to the
 * decimal text, which is what the compiler makes of the same literal.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pressure.h"
#include "test.h"

struct got {
	size_t n;
	struct pressure_row r[4];
};

static int collect(void *ctx, const struct pressure_row *row, struct ms_err *err)
{
	struct got *g = ctx;
	(void)err;
	REQUIRE(g->n < 4);
	g->r[g->n++] = *row;
	return 0;
}

/* Parse from an exact-size heap copy without a NUL (ASan sees over-reads). */
static int parse_exact(const char *s, size_t len, struct got *g, struct ms_err *e)
{
	char *p = malloc(len ? len : 1);
	REQUIRE(p != NULL);
	if (len)
		memcpy(p, s, len);
	memset(g, 0, sizeof(*g));
	int rc = pressure_parse(p, len, collect, g, &test_rep, e);
	free(p);
	return rc;
}

/* S parses with one bad line reported as MSG and ROWS rows from the
 * others; or, FILE set, fails as a whole with MSG */
static void bad_as(const char *s, size_t len, int file, const char *msg, size_t rows, int line)
{
	struct ms_err e = MS_ERR_INIT;
	struct got g;
	char want[160];
	snprintf(want, sizeof(want), "%s\n", msg);
	if (!CHECK_EQ_I64(parse_exact(s, len, &g, &e), file ? -1 : 0) ||
	    !CHECK_STR(e.msg, file ? msg : NULL) || !CHECK_STR(test_reports(), file ? "" : want) ||
	    !CHECK_EQ_U64(g.n, rows))
		fprintf(stderr, "  (from line %d)\n", line);
	ms_err_release(&e);
}

static void bad(const char *s, size_t len, const char *msg, size_t rows, int line)
{
	bad_as(s, len, 0, msg, rows, line);
}

#define PSI_BAD(s, msg) bad((s), strlen(s), (msg), 0, __LINE__)
#define PSI_BAD_FILE(s, msg) bad_as((s), strlen(s), 1, (msg), 0, __LINE__)

#define CHECK_PSI(r, kind_, a10, a60, a300, total_, line_) do {                \
	CHECK_EQ_I64((r).kind, (kind_));                                        \
	CHECK((r).avg10 == (a10));                                              \
	CHECK((r).avg60 == (a60));                                              \
	CHECK((r).avg300 == (a300));                                            \
	CHECK_EQ_U64((r).total_us, (total_));                                   \
	CHECK_EQ_I64((r).line, (line_));                                        \
} while (0)

TEST(pressure_host_io)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/pressure/io", &len);
	struct got g;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &g, &err), 0);
	CHECK(err.msg == NULL);
	REQUIRE(g.n == 2);
	CHECK_PSI(g.r[0], PRESSURE_SOME, 0.43, 0.41, 0.13, 5277228, 1);
	CHECK_PSI(g.r[1], PRESSURE_FULL, 0.31, 0.24, 0.07, 4665852, 2);
	free(text);
}

TEST(pressure_zero_files)
{
	const char *files[] = {
		"host-6.18/proc/pressure/memory",
		"host-6.18/sys/fs/cgroup/unified/memory.pressure",
		"numa-2node-6.1/t0/proc/pressure/memory",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len;
		char *text = read_fixture(files[i], &len);
		struct got g;
		struct ms_err err = MS_ERR_INIT;
		CHECK_EQ_I64(parse_exact(text, len, &g, &err), 0);
		REQUIRE(g.n == 2);
		CHECK_PSI(g.r[0], PRESSURE_SOME, 0.0, 0.0, 0.0, 0, 1);
		CHECK_PSI(g.r[1], PRESSURE_FULL, 0.0, 0.0, 0.0, 0, 2);
		free(text);
	}
}

TEST(pressure_old_cpu_some_only)
{
	size_t len;
	char *text = read_fixture("old-kernel/5.4/proc/pressure/cpu", &len);
	struct got g;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &g, &err), 0);
	REQUIRE(g.n == 1);
	CHECK_PSI(g.r[0], PRESSURE_SOME, 1.53, 0.87, 0.29, 13782513, 1);
	free(text);
}

TEST(pressure_decimals)
{
	struct got g;
	struct ms_err err = MS_ERR_INIT;
	/* the kernel's largest shape, and other orders and spacing */
	const char *s = "full total=18446744073709551615 avg300=100.00 avg60=7.41 avg10=99.99 future=1\n"
			"some\tavg10=7  avg60=0.5 avg300=123456789012.123456789012345 total=0";
	CHECK_EQ_I64(parse_exact(s, strlen(s), &g, &err), 0);
	REQUIRE(g.n == 2);
	CHECK_PSI(g.r[0], PRESSURE_FULL, 99.99, 7.41, 100.00, UINT64_MAX, 1);
	CHECK_PSI(g.r[1], PRESSURE_SOME, 7.0, 0.5, 123456789012.123456789012345, 0, 2);
	CHECK(err.msg == NULL);
}

TEST(pressure_malformed)
{
	const char *shape = "pressure:1: expected 'some|full avg10=N avg60=N avg300=N total=N'";
	PSI_BAD("half avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", shape);
	PSI_BAD("somewhat avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", shape);
	PSI_BAD("some avg10=0.00 avg60=0.00 avg300=0.00\n", shape);
	PSI_BAD("some avg10=0.00 avg60=0.00 avg300=0.00 total=0 extra\n", shape);
	PSI_BAD("some\n", shape);
	PSI_BAD("some avg10=x avg60=0.00 avg300=0.00 total=0\n",
		"pressure:1: bad value for 'avg10'");
	PSI_BAD("some avg10=1. avg60=0.00 avg300=0.00 total=0\n",
		"pressure:1: bad value for 'avg10'");
	PSI_BAD("some avg10=-1.00 avg60=0.00 avg300=0.00 total=0\n",
		"pressure:1: bad value for 'avg10'");
	PSI_BAD("some avg10=1,50 avg60=0.00 avg300=0.00 total=0\n",
		"pressure:1: bad value for 'avg10'");
	PSI_BAD("some avg10=0.1234567890123456 avg60=0.00 avg300=0.00 total=0\n",
		"pressure:1: bad value for 'avg10'");
	PSI_BAD("some avg10=0.00 avg60=0.00 avg300=0.00 total=18446744073709551616\n",
		"pressure:1: bad value for 'total'");
	PSI_BAD("some avg10=0.00 avg60=0.00 avg300=0.00 total=1.5\n",
		"pressure:1: bad value for 'total'");
	PSI_BAD("some avg10=0.00 avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
		"pressure:1: duplicate 'avg10'");
	const char *two = "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
			  "some avg10=1.00 avg60=0.00 avg300=0.00 total=0\n"
			  "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";
	bad(two, strlen(two), "pressure:2: a second 'some' line; the first kept", 2, __LINE__);
	PSI_BAD_FILE("", "pressure:1: empty file");
	PSI_BAD_FILE("\n\n", "pressure:2: no 'some' or 'full' line");
}

TEST(pressure_truncated_nul_long)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/pressure/io", &len);
	/* the second line cut right after "total=" */
	const char *tot = strstr(text + 50, "total=");
	REQUIRE(tot != NULL);
	bad(text, (size_t)(tot - text) + 6, "pressure:2: bad value for 'total'", 1, __LINE__);
	/* cut inside "avg300=0.07": "avg300=0." is not a decimal */
	const char *a300 = strstr(text + 50, "avg300=");
	REQUIRE(a300 != NULL);
	bad(text, (size_t)(a300 - text) + 9, "pressure:2: bad value for 'avg300'", 1, __LINE__);
	/* "avg300=0" is, but then there is no total */
	bad(text, (size_t)(a300 - text) + 8,
	    "pressure:2: expected 'some|full avg10=N avg60=N avg300=N total=N'", 1, __LINE__);
	/* the first line whole, the second gone: a 'some'-only file */
	struct got g;
	struct ms_err err = MS_ERR_INIT;
	const char *nl = strchr(text, '\n');
	REQUIRE(nl != NULL);
	CHECK_EQ_I64(parse_exact(text, (size_t)(nl - text) + 1, &g, &err), 0);
	CHECK_EQ_U64(g.n, 1);
	for (size_t cut = 0; cut <= len; cut++) {
		if (parse_exact(text, cut, &g, &err) < 0)
			CHECK(err.msg && strncmp(err.msg, "pressure:", 9) == 0);
		const char *r = test_reports();
		CHECK(!*r || strncmp(r, "pressure:", 9) == 0);
		ms_err_release(&err);
	}
	char *c = malloc(len);
	REQUIRE(c != NULL);
	memcpy(c, text, len);
	c[len - 3] = '\0';
	bad(c, len, "pressure:2: NUL byte", 1, __LINE__);
	free(c);

	size_t big = 100 * 1024;
	char *s = malloc(big + 64);
	REQUIRE(s != NULL);
	memcpy(s, "some avg10=0.", 13);
	memset(s + 13, '0', big);
	memcpy(s + 13 + big, " avg60=0 avg300=0 total=0\n", 26);
	bad(s, big + 39, "pressure:1: line longer than 4096 bytes", 0, __LINE__);
	free(s);
	CHECK_EQ_I64(pressure_parse("", (size_t)INT_MAX + 1, collect, NULL, &test_rep, &err), -1);
	CHECK_STR(err.msg, "pressure: text of 2147483648 bytes is too large");
	ms_err_release(&err);
	free(text);
}
