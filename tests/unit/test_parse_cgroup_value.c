/*
 * test_parse_cgroup_value.c - analyze/parse/cgroup_value.c on real
 * single-value cgroup files (this host's v1 memory group) and on the v2
 * shapes ("max", numbers), plus malformed input.
 *
 * Expected values are the fixture files' contents, read by eye.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_value.h"
#include "test.h"

#define V1 "host-6.18/sys/fs/cgroup/memory/process_api/ef4562634e165ec717a013d4f1dbf73f/"

/* Parse from an exact-size heap copy without a NUL (ASan sees over-reads). */
static int parse_exact(const char *s, size_t len, struct cgroup_value *v, struct ms_err *e)
{
	char *p = malloc(len ? len : 1);
	REQUIRE(p != NULL);
	if (len)
		memcpy(p, s, len);
	int rc = cgroup_value_parse(p, len, v, e);
	free(p);
	return rc;
}

static void bad(const char *s, size_t len, int code, const char *msg, int line)
{
	struct ms_err e = MS_ERR_INIT;
	struct cgroup_value v;
	if (!CHECK_EQ_I64(parse_exact(s, len, &v, &e), -1) || !CHECK_EQ_I64(e.code, code) ||
	    !CHECK_STR(e.msg, msg))
		fprintf(stderr, "  (from line %d)\n", line);
	ms_err_release(&e);
}

static void good_big(const char *s, size_t len, int64_t want, uint64_t big, int unlimited,
		     int line)
{
	struct ms_err e = MS_ERR_INIT;
	struct cgroup_value v;
	if (!CHECK_EQ_I64(parse_exact(s, len, &v, &e), 0) || !CHECK_EQ_I64(v.value, want) ||
	    !CHECK_EQ_U64(v.big, big) || !CHECK_EQ_I64(v.unlimited, unlimited))
		fprintf(stderr, "  (from line %d)\n", line);
	ms_err_release(&e);
}

static void good(const char *s, size_t len, int64_t want, int unlimited, int line)
{
	good_big(s, len, want, 0, unlimited, line);
}

#define CGV_BAD(s, code, msg) bad((s), strlen(s), (code), (msg), __LINE__)
#define CGV_GOOD(s, want, unl) good((s), strlen(s), (want), (unl), __LINE__)

TEST(cgroup_value_v1_files)
{
	static const struct {
		const char *file;
		int64_t value;
	} cases[] = {
		/* v1 "unlimited": PAGE_COUNTER_MAX pages of 4 KiB, a number */
		{ V1 "memory.limit_in_bytes", 9223372036854771712LL },
		{ V1 "memory.usage_in_bytes", 54063104 },
		{ V1 "memory.max_usage_in_bytes", 58699776 },
		{ V1 "memory.swappiness", 60 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		char *text = read_fixture(cases[i].file, &len);
		good(text, len, cases[i].value, 0, __LINE__);
		free(text);
	}
}

TEST(cgroup_value_v2_shapes)
{
	CGV_GOOD("max\n", INT64_MAX, 1);
	CGV_GOOD("max", INT64_MAX, 1);
	CGV_GOOD("0\n", 0, 0);
	CGV_GOOD("268435456\n", 268435456, 0);
	CGV_GOOD("9223372036854775807\n", INT64_MAX, 0);
	CGV_GOOD("-20\n", -20, 0);
	CGV_GOOD("-9223372036854775808\n", INT64_MIN, 0);
	/* above INT64_MAX: the v1 "unlimited" of 3.12 to 3.18 (ULLONG_MAX) */
	good_big("9223372036854775808\n", 20, INT64_MAX, 9223372036854775808ULL, 0, __LINE__);
	good_big("18446744073709551615\n", 21, INT64_MAX, UINT64_MAX, 0, __LINE__);
}

TEST(cgroup_value_malformed)
{
	const char *shape = "cgroup_value:1: expected a number or 'max'";
	CGV_BAD("", EINVAL, "cgroup_value:1: empty file");
	CGV_BAD("\n", EINVAL, shape);
	CGV_BAD("maximum\n", EINVAL, shape);
	CGV_BAD("Max\n", EINVAL, shape);
	CGV_BAD(" 12\n", EINVAL, shape);
	CGV_BAD("12 \n", EINVAL, shape);
	CGV_BAD("12k\n", EINVAL, shape);
	CGV_BAD("-\n", EINVAL, shape);
	CGV_BAD("--1\n", EINVAL, shape);
	CGV_BAD("-9223372036854775809\n", ERANGE,
		"cgroup_value:1: value out of range (below -2^63)");
	CGV_BAD("18446744073709551616\n", ERANGE,
		"cgroup_value:1: value out of range (more than 64 bits)");
	CGV_BAD("99999999999999999999\n", ERANGE,
		"cgroup_value:1: value out of range (more than 64 bits)");
	CGV_BAD("12\n13\n", EINVAL, "cgroup_value:2: unexpected text after the value");
	CGV_BAD("max\n\n", EINVAL, "cgroup_value:2: unexpected text after the value");
	/* a multi-line file (memory.stat) given by mistake */
	CGV_BAD("cache 0\nrss 0\n", EINVAL, shape);
}

TEST(cgroup_value_truncated_nul_long)
{
	size_t len;
	char *text = read_fixture(V1 "memory.usage_in_bytes", &len);
	/* a cut value still reads as a (smaller) number: the shape cannot
	 * tell, so only "nothing left" is an error */
	good(text, len - 3, 540631, 0, __LINE__);
	bad(text, 0, EINVAL, "cgroup_value:1: empty file", __LINE__);
	bad("1\0\n", 3, EINVAL, "cgroup_value:1: NUL byte", __LINE__);
	bad("max\n\0", 5, EINVAL, "cgroup_value:2: unexpected text after the value", __LINE__);
	size_t big = 100 * 1024;
	char *s = malloc(big + 1);
	REQUIRE(s != NULL);
	memset(s, '9', big);
	s[big] = '\n';
	bad(s, big + 1, EINVAL, "cgroup_value:1: line longer than 4096 bytes", __LINE__);
	bad(s, big, EINVAL, "cgroup_value:1: line longer than 4096 bytes", __LINE__);
	free(s);
	free(text);
}
