/*
 * test_parse_stat.c - common/parse_stat.c on real /proc/PID/stat and statm
 * text, and on malformed input.
 *
 * The expected values were read from the fixture files with an independent
 * split (Python: text up to the LAST ')' gives pid and comm, the rest split
 * on whitespace; see tests/fixtures/host-6.18/README.md), not with the code
 * under test.  Fields are 1-based as in proc(5).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse_stat.h"
#include "test.h"

/* An exact-size heap copy without a NUL, so that ASan catches any read
 * past LEN (the parser promises not to need a terminator). */
static char *dup_exact(const char *s, size_t len)
{
	char *p = calloc(len ? len : 1, 1);
	REQUIRE(p != NULL);
	memcpy(p, s, len);
	return p;
}

/* Parse LEN bytes of S from an exact-size copy. */
static int parse_exact(const char *s, size_t len, struct proc_stat *st, struct ms_err *e)
{
	char *p = dup_exact(s, len);
	int r = parse_stat(p, len, st, &test_rep, e);
	free(p);
	return r;
}

/* Expect parse_stat(S, LEN) to fail with exactly MSG. */
#define STAT_BAD(s, len, msg_) do {                                            \
	struct ms_err e_ = MS_ERR_INIT;                                         \
	struct proc_stat st_;                                                   \
	CHECK_EQ_I64(parse_exact((s), (len), &st_, &e_), -1);                   \
	CHECK_EQ_I64(e_.code, EINVAL);                                          \
	CHECK_STR(e_.msg, (msg_));                                              \
	ms_err_release(&e_);                                                    \
} while (0)

TEST(stat_host_self)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/self/stat", &len);
	struct proc_stat st;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &st, &err), 0);
	CHECK(err.msg == NULL);
	CHECK_EQ_I64(st.pid, 6704);
	CHECK_STR(st.comm, "bash");
	CHECK_EQ_I64(st.state, 'S');
	CHECK_EQ_I64(st.ppid, 6701);
	CHECK_EQ_U64(st.minflt, 181);
	CHECK_EQ_U64(st.majflt, 0);
	CHECK_EQ_U64(st.utime, 0);
	CHECK_EQ_U64(st.stime, 0);
	CHECK_EQ_I64(st.num_threads, 1);
	CHECK_EQ_U64(st.starttime, 337415);
	CHECK_EQ_U64(st.vsize, 4464640);
	CHECK_EQ_I64(st.rss, 777);
	CHECK_EQ_I64(st.processor, 0);
	ms_err_release(&err);
	free(text);
}

TEST(stat_comm_with_space_and_paren)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/6721/stat", &len);
	/* guard against a recaptured fixture: the point is this comm */
	REQUIRE(strncmp(text, "6721 (a b) c) S ", 16) == 0);
	struct proc_stat st;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &st, &err), 0);
	CHECK_EQ_I64(st.pid, 6721);
	CHECK_STR(st.comm, "a b) c");
	CHECK_EQ_I64(st.state, 'S');
	CHECK_EQ_I64(st.ppid, 6701);
	CHECK_EQ_U64(st.minflt, 128);
	CHECK_EQ_I64(st.num_threads, 1);
	CHECK_EQ_U64(st.starttime, 337423);
	CHECK_EQ_U64(st.vsize, 2990080);
	CHECK_EQ_I64(st.rss, 421);
	CHECK_EQ_I64(st.processor, 0);
	ms_err_release(&err);
	free(text);
}

TEST(stat_numa_hog)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/151/stat", &len);
	struct proc_stat st;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &st, &err), 0);
	CHECK_EQ_I64(st.pid, 151);
	CHECK_STR(st.comm, "numa_hog");
	CHECK_EQ_I64(st.state, 'S');
	CHECK_EQ_I64(st.ppid, 1);
	CHECK_EQ_U64(st.minflt, 141267);
	CHECK_EQ_U64(st.majflt, 0);
	CHECK_EQ_U64(st.utime, 11);
	CHECK_EQ_U64(st.stime, 344);
	CHECK_EQ_I64(st.num_threads, 1);
	CHECK_EQ_U64(st.starttime, 345);
	CHECK_EQ_U64(st.vsize, 578502656);
	CHECK_EQ_I64(st.rss, 141106);
	CHECK_EQ_I64(st.processor, 1);   /* pinned to CPU 1 (node 1) */
	ms_err_release(&err);
	free(text);
}

TEST(stat_numa_init)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/1/stat", &len);
	struct proc_stat st;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &st, &err), 0);
	CHECK_EQ_I64(st.pid, 1);
	CHECK_STR(st.comm, "init");
	CHECK_EQ_I64(st.ppid, 0);
	CHECK_EQ_U64(st.minflt, 1161);
	CHECK_EQ_U64(st.utime, 7);
	CHECK_EQ_U64(st.stime, 142);
	CHECK_EQ_U64(st.starttime, 47);
	CHECK_EQ_U64(st.vsize, 2314240);
	CHECK_EQ_I64(st.rss, 456);
	CHECK_EQ_I64(st.processor, 0);
	ms_err_release(&err);
	free(text);
}

TEST(stat_live_self)
{
	/* this kernel's own text, whatever it is: skipped without /proc */
	char *text = NULL;
	size_t len = 0, alloc = 0;
	FILE *f = fopen("/proc/self/stat", "r");
	if (!f)
		SKIP("no /proc/self/stat: %s", strerror(errno));
	ssize_t n = getline(&text, &alloc, f);
	fclose(f);
	REQUIRE(n > 0);
	len = (size_t)n;
	struct proc_stat st;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &st, &err), 0);
	CHECK_EQ_I64(st.pid, getpid());
	CHECK_EQ_I64(st.ppid, getppid());
	CHECK_STR(st.comm, "unit_test_parse");     /* TASK_COMM_LEN cuts it at 15 */
	CHECK_EQ_I64(st.state, 'R');
	CHECK_EQ_I64(st.num_threads, 1);
	CHECK(st.starttime > 0);
	CHECK(st.vsize > 0);
	CHECK(st.rss > 0);
	CHECK(st.processor >= 0);
	ms_err_release(&err);
	free(text);
}

/* Length of TEXT up to the end of field N (1-based), comm counted as 2. */
static size_t upto_field(const char *text, size_t len, int n)
{
	const char *rp = NULL;
	for (size_t i = 0; i < len; i++)
		if (text[i] == ')')
			rp = text + i;
	REQUIRE(rp != NULL);
	const char *p = rp + 1;
	for (int f = 3; f <= n; f++) {
		REQUIRE(*p == ' ');
		p++;
		while (p < text + len && *p != ' ' && *p != '\n')
			p++;
	}
	return (size_t)(p - text);
}

TEST(stat_truncated)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/self/stat", &len);
	size_t n10 = upto_field(text, len, 10);
	CHECK_MEM(text + n10 - 4, 4, " 181", 4); /* field 10 is minflt, 181 */
	STAT_BAD(text, n10, "stat: only 10 fields, need at least 22");
	/* with the separator after it, still 10 */
	STAT_BAD(text, n10 + 1, "stat: only 10 fields, need at least 22");
	STAT_BAD(text, upto_field(text, len, 21), "stat: only 21 fields, need at least 22");
	STAT_BAD(text, upto_field(text, len, 4), "stat: only 4 fields, need at least 22");
	/* cut inside the command name: the ')' is gone */
	STAT_BAD(text, 8, "stat: no ')' closing the command name");
	/* cut right after the command name, or after the state: both
	 * reported as a missing state (the state needs a space after it) */
	STAT_BAD(text, 11, "stat: expected the state after the command name");
	STAT_BAD(text, 13, "stat: expected the state after the command name");
	CHECK_EQ_U64(upto_field(text, len, 3), 13);

	/* through field 22 (starttime) is enough; the fields after it (vsize,
	 * processor) are then absent, never a made-up value */
	struct proc_stat st;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, upto_field(text, len, 22), &st, &err), 0);
	CHECK_EQ_U64(st.starttime, 337415);
	CHECK_EQ_U64(st.has, PS_PPID | PS_MINFLT | PS_MAJFLT | PS_UTIME | PS_STIME |
			     PS_NUM_THREADS);
	CHECK_EQ_I64(parse_exact(text, upto_field(text, len, 38), &st, &err), 0);
	CHECK_EQ_I64(st.rss, 777);
	CHECK(st.has & PS_RSS);
	CHECK(!(st.has & PS_PROCESSOR));
	CHECK_STR(test_reports(), "");
	ms_err_release(&err);
	free(text);
}

/* S parses; field FIELD was reported as MSG and BIT (0: a field not kept)
 * is absent */
static void bad_field(const char *s, const char *msg, unsigned bit, int line)
{
	struct proc_stat st;
	struct ms_err e = MS_ERR_INIT;
	char want[160];
	snprintf(want, sizeof(want), "%s\n", msg);
	if (!CHECK_EQ_I64(parse_exact(s, strlen(s), &st, &e), 0) ||
	    !CHECK_STR(test_reports(), want) || !CHECK(!(st.has & bit)) ||
	    !CHECK_EQ_U64(st.starttime, 47))
		fprintf(stderr, "  (from line %d)\n", line);
	ms_err_release(&e);
}

TEST(stat_non_numeric_field)
{
	/* a malformed field costs that field: the others, the identity, load */
	/* field 5 (pgrp, not kept) is "x" */
	const char *s5 = "1 (init) S 0 x 0 0 -1 4194560 1161 7072 0 0 7 142 42 106 20 0 1 0 47 2314240 456\n";
	bad_field(s5, "stat: field 5 is not a number: 'x'", 0, __LINE__);
	/* field 14 (utime) has junk after its digits */
	const char *s14 = "1 (init) S 0 0 0 0 -1 4194560 1161 7072 0 0 7a 142 42 106 20 0 1 0 47 2314240 456\n";
	bad_field(s14, "stat: field 14 is not a number; stored as NULL: '7a'", PS_UTIME, __LINE__);
	/* a lone minus in rss */
	const char *s24 = "1 (init) S 0 0 0 0 -1 4194560 1161 7072 0 0 7 142 42 106 20 0 1 0 47 2314240 -\n";
	bad_field(s24, "stat: field 24 is not a number; stored as NULL: '-'", PS_RSS, __LINE__);
	/* a negative unsigned count, a signed one beyond 64 bits */
	const char *s10 = "1 (init) S 0 0 0 0 -1 4194560 -1 7072 0 0 7 142 42 106 20 0 1 0 47 2314240 5\n";
	bad_field(s10, "stat: field 10 is not a number; stored as NULL: '-1'", PS_MINFLT, __LINE__);
	const char *s20 = "1 (init) S 0 0 0 0 -1 4194560 1 7072 0 0 7 142 42 106 20 0 9223372036854775808 0 47 2314240 5\n";
	bad_field(s20, "stat: field 20 is not a number; stored as NULL: '9223372036854775808'",
		  PS_NUM_THREADS, __LINE__);
	/* two spaces: an empty field 4 (and every field after it one later) */
	const char *s4 = "1 (init) S  0 0 0 -1 4194560 1161 7072 0 0 7 142 42 106 20 0 1 0 47 2314240 456\n";
	bad_field(s4, "stat: field 4 is not a number; stored as NULL: ''", PS_PPID, __LINE__);
	/* starttime is the identity: without it, no stat */
	const char *s22 = "1 (init) S 0 0 0 0 -1 4194560 1161 7072 0 0 7 142 42 106 20 0 1 0 4x 2314240 456\n";
	STAT_BAD(s22, strlen(s22), "stat: field 22 (starttime) is not a number");
}

TEST(stat_bad_start)
{
	STAT_BAD("", 0, "stat: expected 'PID (comm)' at the start");
	STAT_BAD("\n", 1, "stat: expected 'PID (comm)' at the start");
	STAT_BAD("x (init) S 0", 12, "stat: expected 'PID (comm)' at the start");
	STAT_BAD("1(init) S 0", 11, "stat: expected 'PID (comm)' at the start");
	STAT_BAD("1 init) S 0", 11, "stat: expected 'PID (comm)' at the start");
	STAT_BAD("1", 1, "stat: expected 'PID (comm)' at the start");
	STAT_BAD("1 (", 3, "stat: no ')' closing the command name");
	const char *noparen = "1 (init S 0 0 0 0 -1 4194560 1161 7072 0 0 7 142 42 106 20 0 1 0 47 2314240 456\n";
	STAT_BAD(noparen, strlen(noparen), "stat: no ')' closing the command name");
	/* state must be one character between single spaces */
	const char *st2 = "1 (init) SS 0 0 0 0 -1 4194560 1161 7072 0 0 7 142 42 106 20 0 1 0 47 2314240 456\n";
	STAT_BAD(st2, strlen(st2), "stat: expected the state after the command name");
}

TEST(stat_odd_but_valid)
{
	struct proc_stat st;
	struct ms_err err = MS_ERR_INIT;
	/* empty comm, no trailing newline, negative signed fields */
	const char *s = "42 () Z -1 0 0 0 -1 0 5 0 6 0 7 8 0 0 20 0 -3 0 99 0 -5";
	CHECK_EQ_I64(parse_exact(s, strlen(s), &st, &err), 0);
	CHECK_EQ_I64(st.pid, 42);
	CHECK_STR(st.comm, "");
	CHECK_EQ_I64(st.state, 'Z');
	CHECK_EQ_I64(st.ppid, -1);
	CHECK_EQ_U64(st.minflt, 5);
	CHECK_EQ_U64(st.majflt, 6);
	CHECK_EQ_U64(st.utime, 7);
	CHECK_EQ_U64(st.stime, 8);
	CHECK_EQ_I64(st.num_threads, -3);
	CHECK_EQ_U64(st.starttime, 99);
	CHECK_EQ_I64(st.rss, -5);
	CHECK(!(st.has & PS_PROCESSOR));

	/* a comm longer than the struct holds is cut to 63 bytes, not overrun */
	char buf[512];
	char comm[101];
	memset(comm, 'c', 100);
	comm[100] = '\0';
	int n = snprintf(buf, sizeof(buf),
			 "7 (%s) R 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 12345 0 0\n", comm);
	REQUIRE(n > 0 && (size_t)n < sizeof(buf));
	CHECK_EQ_I64(parse_exact(buf, (size_t)n, &st, &err), 0);
	CHECK_EQ_U64(strlen(st.comm), 63);
	CHECK_EQ_I64(st.state, 'R');
	CHECK_EQ_U64(st.starttime, 12345);

	/* rsslim (field 25) is 2^64-1 on every real process: it must not
	 * break the parse of the fields after it */
	const char *big = "9 (x) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 6 7 18446744073709551615 "
			  "0 0 0 0 0 0 0 0 0 0 0 0 17 3\n";
	CHECK_EQ_I64(parse_exact(big, strlen(big), &st, &err), 0);
	CHECK_EQ_U64(st.vsize, 6);
	CHECK_EQ_I64(st.rss, 7);
	CHECK_EQ_I64(st.processor, 3);
	/* a field past 2^64 is reported, not a silent wrap */
	const char *over = "9 (x) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 6 7 18446744073709551616\n";
	CHECK_EQ_I64(parse_exact(over, strlen(over), &st, &err), 0);
	CHECK_STR(test_reports(), "stat: field 25 is not a number: '18446744073709551616'\n");
	/* unsigned counters keep every value up to 2^64-1 */
	const char *umax = "9 (x) S 1 0 0 0 -1 0 18446744073709551615 0 9223372036854775808 0 0 0 "
			   "0 0 20 0 1 0 5 6 7\n";
	CHECK_EQ_I64(parse_exact(umax, strlen(umax), &st, &err), 0);
	CHECK_EQ_U64(st.minflt, UINT64_MAX);
	CHECK_EQ_U64(st.majflt, 9223372036854775808ULL);
	CHECK(err.msg == NULL);
	ms_err_release(&err);
}

TEST(statm_good)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/self/statm", &len);
	uint64_t size = 0, res = 0;
	struct ms_err err = MS_ERR_INIT;
	char *p = dup_exact(text, len);
	CHECK_EQ_I64(parse_statm(p, len, &size, &res, &err), 0);
	CHECK_EQ_U64(size, 1090);
	CHECK_EQ_U64(res, 798);
	free(p);
	free(text);

	text = read_fixture("numa-2node-6.1/t0/proc/151/statm", &len);
	p = dup_exact(text, len);
	CHECK_EQ_I64(parse_statm(p, len, &size, &res, &err), 0);
	CHECK_EQ_U64(size, 141236);
	CHECK_EQ_U64(res, 141106);
	free(p);
	free(text);

	/* a kernel thread: all zero */
	CHECK_EQ_I64(parse_statm("0 0 0 0 0 0 0\n", 14, &size, &res, &err), 0);
	CHECK_EQ_U64(size, 0);
	CHECK_EQ_U64(res, 0);
	/* only two fields, no newline */
	CHECK_EQ_I64(parse_statm("5 3", 3, &size, &res, &err), 0);
	CHECK_EQ_U64(size, 5);
	CHECK_EQ_U64(res, 3);
	CHECK(err.msg == NULL);
	ms_err_release(&err);
}

#define STATM_BAD(s, len) do {                                                 \
	struct ms_err e_ = MS_ERR_INIT;                                         \
	uint64_t a_, b_;                                                        \
	char *p_ = dup_exact((s), (len));                                       \
	CHECK_EQ_I64(parse_statm(p_, (len), &a_, &b_, &e_), -1);                \
	CHECK_EQ_I64(e_.code, EINVAL);                                          \
	CHECK_STR(e_.msg, "statm: expected 'size resident ...' page counts");   \
	free(p_);                                                               \
	ms_err_release(&e_);                                                    \
} while (0)

TEST(statm_bad)
{
	STATM_BAD("", 0);
	STATM_BAD("\n", 1);
	STATM_BAD("1090", 4);
	STATM_BAD("1090\n", 5);
	STATM_BAD("1090 ", 5);
	STATM_BAD("1090 x", 6);
	STATM_BAD("x 798", 5);
	STATM_BAD("1090  798", 9);
	STATM_BAD("-1 798", 6);
	STATM_BAD("18446744073709551616 1", 22);
	/* LEN cuts the text before the second number */
	STATM_BAD("1090 798", 5);
}
