/*
 * test_parse_num.c - common/parse_num.c: the one checked path for every
 * number memsnap reads from a user (durations, sizes, percentages, counts).
 *
 * Every error case asserts the return value, the errno-style code and the
 * exact message, and that the output was left untouched where parse_num
 * only writes on success.
 */
#include <errno.h>
#include <string.h>

#include "parse_num.h"
#include "test.h"

#define UNTOUCHED 0xDEADBEEFull

/* Parse S as a duration named "--interval"; expect success with value MS. */
#define DUR_OK(s, want) do {                                                  \
	struct ms_err e_ = MS_ERR_INIT;                                        \
	uint64_t v_ = UNTOUCHED;                                               \
	CHECK_EQ_I64(ms_parse_duration((s), &v_, "--interval", &e_), 0);       \
	CHECK_EQ_U64(v_, (want));                                              \
	CHECK(e_.msg == NULL);                                                 \
	ms_err_release(&e_);                                                   \
} while (0)

/* Expect failure with CODE and exactly MSG; the output must be untouched. */
#define BAD(call, v_, code_, msg_) do {                                       \
	struct ms_err e_ = MS_ERR_INIT;                                        \
	v_ = UNTOUCHED;                                                        \
	CHECK_EQ_I64(call, -1);                                                \
	CHECK_EQ_I64(e_.code, (code_));                                        \
	CHECK_STR(e_.msg, (msg_));                                             \
	CHECK_EQ_U64(v_, UNTOUCHED);                                           \
	ms_err_release(&e_);                                                   \
} while (0)

#define DUR_BAD(s, code, msg) do {                                            \
	uint64_t v; BAD(ms_parse_duration((s), &v, "--interval", &e_), v, code, msg); \
} while (0)

#define DUR_SHAPE ": expected a duration like 30s, 10m, 1h30m or 250ms"

TEST(duration_units)
{
	DUR_OK("30s", 30000);
	DUR_OK("10m", 600000);
	DUR_OK("1h30m", 5400000);
	DUR_OK("250ms", 250);
	DUR_OK("1d", 86400000);
	DUR_OK("2h", 7200000);
	DUR_OK("1h1m1s1ms", 3661001);
	DUR_OK("1m30s", 90000);
	DUR_OK("0s", 0);
	DUR_OK("007s", 7000);
}

TEST(duration_bare_number_is_seconds)
{
	DUR_OK("10", 10000);
	DUR_OK("0", 0);
	DUR_OK("1", 1000);
}

TEST(duration_errors)
{
	DUR_BAD("", EINVAL, "invalid --interval ''" DUR_SHAPE);
	DUR_BAD("10x", EINVAL, "invalid --interval '10x'" DUR_SHAPE);
	/* the unit may be left out only when the whole value is one number */
	DUR_BAD("1h30", EINVAL, "invalid --interval '1h30'" DUR_SHAPE);
	DUR_BAD("s", EINVAL, "invalid --interval 's'" DUR_SHAPE);
	DUR_BAD("ms", EINVAL, "invalid --interval 'ms'" DUR_SHAPE);
	DUR_BAD("1.5s", EINVAL, "invalid --interval '1.5s'" DUR_SHAPE);
	DUR_BAD("-1s", EINVAL, "invalid --interval '-1s'" DUR_SHAPE);
	DUR_BAD(" 1s", EINVAL, "invalid --interval ' 1s'" DUR_SHAPE);
	DUR_BAD("1s ", EINVAL, "invalid --interval '1s '" DUR_SHAPE);
	DUR_BAD("1 s", EINVAL, "invalid --interval '1 s'" DUR_SHAPE);
	DUR_BAD("30S", EINVAL, "invalid --interval '30S'" DUR_SHAPE);
	DUR_BAD("1hms", EINVAL, "invalid --interval '1hms'" DUR_SHAPE);
	DUR_BAD("1w", EINVAL, "invalid --interval '1w'" DUR_SHAPE);
}

TEST(duration_overflow)
{
	/* 2^64-1 ms is 213503982334 days and a bit */
	DUR_OK("213503982334d", 18446744073657600000ull);
	DUR_BAD("213503982335d", ERANGE, "invalid --interval '213503982335d': too large");
	/* each group fits, the sum does not */
	DUR_BAD("213503982334d1d", ERANGE, "invalid --interval '213503982334d1d': too large");
	DUR_OK("18446744073709551615ms", 18446744073709551615ull);
	DUR_BAD("18446744073709551615ms1ms", ERANGE,
		"invalid --interval '18446744073709551615ms1ms': too large");
	/* NOTE: a number that does not fit in 64 bits is reported with the
	 * generic shape message, not "too large": ms_scan_u64() cannot tell
	 * overflow from "no digits".  Pinned here; see the report. */
	DUR_BAD("99999999999999999999s", EINVAL, "invalid --interval '99999999999999999999s'" DUR_SHAPE);
}

#define SIZE_OK(s, want) do {                                                 \
	struct ms_err e_ = MS_ERR_INIT;                                        \
	uint64_t v_ = UNTOUCHED;                                               \
	CHECK_EQ_I64(ms_parse_size((s), &v_, "--max-size", &e_), 0);           \
	CHECK_EQ_U64(v_, (want));                                              \
	ms_err_release(&e_);                                                   \
} while (0)
#define SIZE_BAD(s, code, msg) do {                                           \
	uint64_t v; BAD(ms_parse_size((s), &v, "--max-size", &e_), v, code, msg); \
} while (0)
#define SIZE_SHAPE ": expected a size like 100M, 2G or 4096"

TEST(size_units)
{
	SIZE_OK("100M", 100ull << 20);
	SIZE_OK("2G", 2ull << 30);
	SIZE_OK("4096", 4096);
	SIZE_OK("1GiB", 1ull << 30);
	SIZE_OK("512k", 512ull << 10);
	SIZE_OK("512K", 512ull << 10);
	SIZE_OK("3T", 3ull << 40);
	SIZE_OK("1mib", 1ull << 20);
	SIZE_OK("1KB", 1024);
	SIZE_OK("1Mi", 1ull << 20);
	SIZE_OK("10B", 10);
	SIZE_OK("10b", 10);
	SIZE_OK("0", 0);
	SIZE_OK("0G", 0);
}

TEST(size_errors)
{
	SIZE_BAD("", EINVAL, "invalid --max-size ''" SIZE_SHAPE);
	SIZE_BAD("M", EINVAL, "invalid --max-size 'M'" SIZE_SHAPE);
	SIZE_BAD("abc", EINVAL, "invalid --max-size 'abc'" SIZE_SHAPE);
	SIZE_BAD("10X", EINVAL, "invalid --max-size '10X'" SIZE_SHAPE);
	SIZE_BAD("1.5G", EINVAL, "invalid --max-size '1.5G'" SIZE_SHAPE);
	SIZE_BAD("-1", EINVAL, "invalid --max-size '-1'" SIZE_SHAPE);
	SIZE_BAD("1 M", EINVAL, "invalid --max-size '1 M'" SIZE_SHAPE);
	SIZE_BAD("1GiBx", EINVAL, "invalid --max-size '1GiBx'" SIZE_SHAPE);
	SIZE_BAD("1Bi", EINVAL, "invalid --max-size '1Bi'" SIZE_SHAPE);
	SIZE_BAD("1MM", EINVAL, "invalid --max-size '1MM'" SIZE_SHAPE);
	SIZE_BAD("1iB", EINVAL, "invalid --max-size '1iB'" SIZE_SHAPE);
	/* 2^24 TiB is 2^64 bytes: one past the top */
	SIZE_OK("16777215T", 16777215ull << 40);
	SIZE_BAD("16777216T", ERANGE, "invalid --max-size '16777216T': too large");
	SIZE_OK("18446744073709551615", 18446744073709551615ull);
	/* NOTE: as for durations, a number past 2^64 gets the shape message */
	SIZE_BAD("18446744073709551616", EINVAL, "invalid --max-size '18446744073709551616'" SIZE_SHAPE);
}

#define PCT_OK(s, want) do {                                                  \
	struct ms_err e_ = MS_ERR_INIT;                                        \
	uint64_t v_ = UNTOUCHED;                                               \
	CHECK_EQ_I64(ms_parse_percent((s), &v_, "--cpu-budget", &e_), 0);      \
	CHECK_EQ_U64(v_, (want));                                              \
	ms_err_release(&e_);                                                   \
} while (0)
/* ms_parse_percent does not promise to leave the output alone on error
 * ("100.5" stores 10050 before rejecting it), so only the result is checked. */
#define PCT_BAD(s) do {                                                       \
	struct ms_err e_ = MS_ERR_INIT;                                        \
	uint64_t v_;                                                           \
	CHECK_EQ_I64(ms_parse_percent((s), &v_, "--cpu-budget", &e_), -1);     \
	CHECK_EQ_I64(e_.code, EINVAL);                                         \
	CHECK_STR(e_.msg, "invalid --cpu-budget '" s "': expected a percentage " \
		  "between 0 and 100, e.g. 1 or 0.5%");                        \
	ms_err_release(&e_);                                                   \
} while (0)

TEST(percent_values)
{
	PCT_OK("1", 100);
	PCT_OK("0.5", 50);
	PCT_OK("2.5%", 250);
	PCT_OK("100", 10000);
	PCT_OK("100%", 10000);
	PCT_OK("100.0", 10000);
	PCT_OK("0", 0);
	PCT_OK("0.05", 5);
	PCT_OK("0.25%", 25);
	PCT_OK("99.99", 9999);
	/* digits past hundredths are dropped, not rounded */
	PCT_OK("0.129", 12);
}

TEST(percent_errors)
{
	PCT_BAD("101");
	PCT_BAD("100.01");
	PCT_BAD("abc");
	PCT_BAD("");
	PCT_BAD("%");
	PCT_BAD("1.");
	PCT_BAD(".5");
	PCT_BAD("-1");
	PCT_BAD(" 1");
	PCT_BAD("1 %");
	PCT_BAD("1%%");
	PCT_BAD("%1");
	PCT_BAD("1e2");
	PCT_BAD("99999999999999999999");
}

#define U64_OK(s, lo, hi, want) do {                                          \
	struct ms_err e_ = MS_ERR_INIT;                                        \
	uint64_t v_ = UNTOUCHED;                                               \
	CHECK_EQ_I64(ms_parse_u64((s), (lo), (hi), &v_, "--count", &e_), 0);   \
	CHECK_EQ_U64(v_, (want));                                              \
	ms_err_release(&e_);                                                   \
} while (0)
#define U64_BAD(s, lo, hi, code, msg) do {                                    \
	uint64_t v; BAD(ms_parse_u64((s), (lo), (hi), &v, "--count", &e_), v, code, msg); \
} while (0)

TEST(u64_bounds)
{
	U64_OK("1", 1, 10, 1);
	U64_OK("10", 1, 10, 10);
	U64_OK("007", 1, 10, 7);
	U64_BAD("0", 1, 10, ERANGE, "invalid --count '0': must be between 1 and 10");
	U64_BAD("11", 1, 10, ERANGE, "invalid --count '11': must be between 1 and 10");
	U64_OK("0", 0, 0, 0);
	U64_BAD("1", 0, 0, ERANGE, "invalid --count '1': must be between 0 and 0");
	U64_OK("18446744073709551615", 0, UINT64_MAX, UINT64_MAX);
	U64_BAD("18446744073709551615", 0, UINT64_MAX - 1, ERANGE,
		"invalid --count '18446744073709551615': must be between 0 and 18446744073709551614");
	U64_BAD("18446744073709551616", 0, UINT64_MAX, EINVAL,
		"invalid --count '18446744073709551616': expected a whole number");
}

TEST(u64_not_a_number)
{
	U64_BAD("", 0, 100, EINVAL, "invalid --count '': expected a whole number");
	U64_BAD("-1", 0, 100, EINVAL, "invalid --count '-1': expected a whole number");
	U64_BAD("+1", 0, 100, EINVAL, "invalid --count '+1': expected a whole number");
	U64_BAD(" 1", 0, 100, EINVAL, "invalid --count ' 1': expected a whole number");
	U64_BAD("1 ", 0, 100, EINVAL, "invalid --count '1 ': expected a whole number");
	U64_BAD("0x10", 0, 100, EINVAL, "invalid --count '0x10': expected a whole number");
	U64_BAD("1e3", 0, 100, EINVAL, "invalid --count '1e3': expected a whole number");
	U64_BAD("5k", 0, 100, EINVAL, "invalid --count '5k': expected a whole number");
}

TEST(scan_u64_stops_at_end_and_non_digits)
{
	const char *s = "12345 rest", *p = s;
	uint64_t v = 0;
	/* END cuts the digits: the scan must not look past it */
	CHECK_EQ_I64(ms_scan_u64(&p, s + 3, &v), 0);
	CHECK_EQ_U64(v, 123);
	CHECK(p == s + 3);
	p = s;
	CHECK_EQ_I64(ms_scan_u64(&p, s + strlen(s), &v), 0);
	CHECK_EQ_U64(v, 12345);
	CHECK(p == s + 5);
	/* no digits, or nothing at all: -1 and P unmoved */
	p = s + 5;
	v = 7;
	CHECK_EQ_I64(ms_scan_u64(&p, s + strlen(s), &v), -1);
	CHECK(p == s + 5);
	CHECK_EQ_U64(v, 7);
	p = s;
	CHECK_EQ_I64(ms_scan_u64(&p, s, &v), -1);
	CHECK(p == s);
	/* overflow: -1 and P unmoved */
	const char *big = "18446744073709551616";
	p = big;
	CHECK_EQ_I64(ms_scan_u64(&p, big + strlen(big), &v), -1);
	CHECK(p == big);
	const char *max = "18446744073709551615x";
	p = max;
	CHECK_EQ_I64(ms_scan_u64(&p, max + strlen(max), &v), 0);
	CHECK_EQ_U64(v, UINT64_MAX);
	CHECK(*p == 'x');
}
