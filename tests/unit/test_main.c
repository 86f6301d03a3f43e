/*
 * test_main.c - the runner linked into every tests/unit/test_*.c executable.
 *
 * Cases register themselves (TEST() constructors) into a list kept in
 * registration order.  One process runs one case, as ctest wants it, so a
 * crash in one case cannot hide the result of another.  Exit status: 0 pass,
 * 1 fail (or unknown case, bad usage), 77 skip (SKIP_RETURN_CODE in
 * unit.cmake).  Diagnostics go to stderr, the --list output to stdout.
 */
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { T_PASS = 0, T_FAIL = 1, T_SKIP = 77 };

static struct test_case *cases_head, **cases_tail = &cases_head;

/* State of the case being run (reset by run_case). */
static unsigned failures;
static jmp_buf jump;

void test_register(struct test_case *tc)
{
	tc->next = NULL;
	*cases_tail = tc;
	cases_tail = &tc->next;
}

static void fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failures++;
}

int test_check(int ok, const char *file, int line, const char *expr)
{
	if (!ok)
		fail_at(file, line, "CHECK(%s) failed", expr);
	return ok;
}

int test_check_u64(uint64_t a, uint64_t b, const char *file, int line,
		   const char *ea, const char *eb)
{
	if (a == b)
		return 1;
	fail_at(file, line, "CHECK_EQ_U64(%s, %s) failed: %" PRIu64 " != %" PRIu64,
		ea, eb, a, b);
	return 0;
}

int test_check_i64(int64_t a, int64_t b, const char *file, int line,
		   const char *ea, const char *eb)
{
	if (a == b)
		return 1;
	fail_at(file, line, "CHECK_EQ_I64(%s, %s) failed: %" PRId64 " != %" PRId64,
		ea, eb, a, b);
	return 0;
}

/* Print LEN bytes of S to stderr as a C-like quoted string. */
static void put_escaped(const void *p, size_t len)
{
	const char *s = p;
	fputc('"', stderr);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(stderr, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", stderr);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	fputc('"', stderr);
}

int test_check_str(const char *a, const char *b, const char *file, int line,
		   const char *ea, const char *eb)
{
	if ((!a && !b) || (a && b && strcmp(a, b) == 0))
		return 1;
	fail_at(file, line, "CHECK_STR(%s, %s) failed:", ea, eb);
	fputs("    got:      ", stderr);
	if (a)
		put_escaped(a, strlen(a));
	else
		fputs("NULL", stderr);
	fputs("\n    expected: ", stderr);
	if (b)
		put_escaped(b, strlen(b));
	else
		fputs("NULL", stderr);
	fputc('\n', stderr);
	return 0;
}

int test_check_mem(const void *a, size_t alen, const void *b, size_t blen,
		   const char *file, int line, const char *ea, const char *eb)
{
	if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
		return 1;
	fail_at(file, line, "CHECK_MEM(%s, %s) failed (%zu vs %zu bytes):", ea, eb,
		alen, blen);
	fputs("    got:      ", stderr);
	put_escaped(a, alen);
	fputs("\n    expected: ", stderr);
	put_escaped(b, blen);
	fputc('\n', stderr);
	return 0;
}

void test_require_failed(const char *file, int line, const char *expr)
{
	fail_at(file, line, "REQUIRE(%s) failed; case abandoned", expr);
	longjmp(jump, T_FAIL);
}

void test_skip(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%d: SKIP: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	/* where everything is installed (.ci/run), a proof never skips */
	const char *req = getenv("MEMSNAP_REQUIRE");
	if (req && !strcmp(req, "1")) {
		fprintf(stderr, "%s:%d: FAIL: MEMSNAP_REQUIRE=1 and the case would skip\n", file, line);
		longjmp(jump, T_FAIL);
	}
	longjmp(jump, T_SKIP);
}

static __attribute__((noreturn)) void fixture_failed(const char *what, const char *path)
{
	fail_at(__FILE__, __LINE__, "%s '%s': %s", what, path, strerror(errno));
	longjmp(jump, T_FAIL);
}

char *read_fixture(const char *rel, size_t *len)
{
	const char *dir = getenv("MEMSNAP_FIXTURES");
	if (!dir || !*dir) {
		fail_at(__FILE__, __LINE__,
			"MEMSNAP_FIXTURES is not set (run through ctest, or set it to tests/fixtures)");
		longjmp(jump, T_FAIL);
	}
	size_t n = strlen(dir) + 1 + strlen(rel) + 1;
	char *path = malloc(n);
	if (!path)
		abort();
	snprintf(path, n, "%s/%s", dir, rel);
	char *buf = test_read_file(path, len);
	free(path);
	return buf;
}

char *test_exact_copy(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);
	if (!p)
		abort();
	if (len)
		memcpy(p, s, len);
	return p;
}

char *test_read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fixture_failed("cannot open", path);
	size_t alloc = 4096, used = 0;
	char *buf = malloc(alloc);
	if (!buf)
		abort();
	for (;;) {
		if (alloc - used < 2) {
			alloc *= 2;
			char *p = realloc(buf, alloc);
			if (!p)
				abort();
			buf = p;
		}
		ssize_t r = read(fd, buf + used, alloc - used - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			free(buf);
			errno = e;
			fixture_failed("cannot read", path);
		}
		if (r == 0)
			break;
		used += (size_t)r;
	}
	close(fd);
	buf[used] = '\0';
	if (len)
		*len = used;
	return buf;
}

char *test_tmpfile(const char *tag)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	size_t n = strlen(dir) + strlen(tag) + 32;
	char *path = malloc(n);
	if (!path)
		abort();
	snprintf(path, n, "%s/memsnap-unit-%s-XXXXXX", dir, tag);
	int fd = mkstemp(path);
	if (fd < 0)
		fixture_failed("cannot create temporary file", path);
	close(fd);
	return path;
}

void test_write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		fixture_failed("cannot create", path);
	const char *p = data;
	while (len) {
		ssize_t r = write(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			errno = e;
			fixture_failed("cannot write", path);
		}
		p += r;
		len -= (size_t)r;
	}
	if (close(fd) < 0)
		fixture_failed("cannot close", path);
}

/* what parsers reported to test_rep since the last test_reports() */
static char *reports;
static size_t reports_len;

static int keep_report(void *ctx, const char *problem, struct ms_err *err)
{
	(void)ctx;
	(void)err;
	size_t n = strlen(problem);
	char *r = realloc(reports, reports_len + n + 2);
	if (!r)
		fixture_failed("out of memory keeping", problem);
	memcpy(r + reports_len, problem, n);
	reports_len += n;
	r[reports_len++] = '\n';
	r[reports_len] = '\0';
	reports = r;
	return 0;
}

const struct ms_report test_rep = { keep_report, NULL };

const char *test_reports(void)
{
	static char *last;
	free(last);
	last = reports ? reports : strdup("");
	if (!last)
		fixture_failed("out of memory", "test_reports");
	reports = NULL;
	reports_len = 0;
	return last;
}

static struct test_case *find_case(const char *name)
{
	for (struct test_case *tc = cases_head; tc; tc = tc->next)
		if (strcmp(tc->name, name) == 0)
			return tc;
	return NULL;
}

static int run_case(struct test_case *tc)
{
	/* volatile: read after longjmp */
	volatile int result;
	failures = 0;
	result = setjmp(jump);
	if (result == 0) {
		tc->fn();
		result = T_PASS;
	}
	if (result == T_PASS && failures)
		result = T_FAIL;
	fflush(stdout);
	switch (result) {
	case T_PASS:
		fprintf(stderr, "PASS %s\n", tc->name);
		break;
	case T_SKIP:
		fprintf(stderr, "SKIP %s\n", tc->name);
		break;
	default:
		fprintf(stderr, "FAIL %s (%u failed check%s)\n", tc->name, failures,
			failures == 1 ? "" : "s");
		result = T_FAIL;
		break;
	}
	return result;
}

/* --check-list NAME...: the registered cases must be exactly NAMES. */
static int check_list(int argc, char **argv)
{
	int bad = 0, n = 0;
	for (struct test_case *tc = cases_head; tc; tc = tc->next) {
		int seen = 0;
		for (int i = 0; i < argc; i++)
			seen += strcmp(argv[i], tc->name) == 0;
		if (seen != 1) {
			fprintf(stderr, "%s: case '%s' is registered but the CMake scan found it %d times "
				"(TEST( must start the line; re-run cmake)\n", tc->file, tc->name, seen);
			bad = 1;
		}
		n++;
	}
	for (int i = 0; i < argc; i++)
		if (!find_case(argv[i])) {
			fprintf(stderr, "case '%s' was found by the CMake scan but is not registered\n",
				argv[i]);
			bad = 1;
		}
	if (!bad)
		fprintf(stderr, "%d cases, all known to ctest\n", n);
	return bad ? T_FAIL : T_PASS;
}

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fprintf(stderr, "usage: %s CASE | --list | --all | --check-list CASE...\n",
			argv[0]);
		return argc < 2 ? T_FAIL : T_PASS;
	}
	if (strcmp(argv[1], "--list") == 0) {
		for (struct test_case *tc = cases_head; tc; tc = tc->next)
			printf("%s\n", tc->name);
		return T_PASS;
	}
	if (strcmp(argv[1], "--check-list") == 0)
		return check_list(argc - 2, argv + 2);
	if (strcmp(argv[1], "--all") == 0) {
		int failed = 0;
		for (struct test_case *tc = cases_head; tc; tc = tc->next)
			failed += run_case(tc) == T_FAIL;
		return failed ? T_FAIL : T_PASS;
	}
	struct test_case *tc = find_case(argv[1]);
	if (!tc) {
		fprintf(stderr, "%s: no case named '%s' (see --list)\n", argv[0], argv[1]);
		return T_FAIL;
	}
	return run_case(tc);
}
