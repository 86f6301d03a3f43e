/*
 * test.h - a tiny unit-test framework, one ctest test per case.
 *
 *     TEST(duration_units) {
 *             uint64_t ms;
 *             CHECK(ms_parse_duration("1h30m", &ms, "x", &err) == 0);
 *             CHECK_EQ_U64(ms, 5400000);
 *     }
 *
 * TEST(name) defines a case and registers it from a constructor, so a file
 * needs no hand-kept list.  tests/unit/unit.cmake scans every test_*.c for
 * lines that START with "TEST(" and adds one ctest test per case
 * ("unit/<file>/<name>"); test_main.c runs the case named in argv[1]:
 *
 *     test_foo NAME          run one case: exit 0 pass, 1 fail, 77 skip
 *     test_foo --list        print the registered cases, one a line
 *     test_foo --all         run every case in this process (quick local loop)
 *     test_foo --check-list NAME...   exit 1 unless exactly these are registered
 *                            (catches a TEST the CMake scan did not see)
 *
 * Invariants:
 *  - CHECK* never abort the case: they print "FILE:LINE: ..." with both values,
 *    mark the case failed and evaluate to 1 (passed) or 0 (failed), so a test
 *    can write `if (!CHECK(p != NULL)) return;` before dereferencing.
 *  - REQUIRE(cond) and SKIP(why) leave the case at once (longjmp back to
 *    test_main.c): use them only where nothing allocated would leak, or
 *    accept the leak on a failure path.
 *  - read_fixture() never returns NULL: a missing fixture fails the case.
 */
#ifndef MS_UNIT_TEST_H
#define MS_UNIT_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "scan.h"

struct test_case {
	const char *name;
	const char *file;
	void (*fn)(void);
	struct test_case *next;
};

/* Called by the constructors TEST() generates. */
void test_register(struct test_case *tc);

#define TEST(name)                                                          \
	static void test_fn_##name(void);                                   \
	static struct test_case test_case_##name = {                        \
		#name, __FILE__, test_fn_##name, NULL };                    \
	__attribute__((constructor)) static void test_reg_##name(void)      \
	{                                                                   \
		test_register(&test_case_##name);                           \
	}                                                                   \
	static void test_fn_##name(void)

/* Each returns 1 when the check passed, 0 (and marks the case failed) when not. */
int test_check(int ok, const char *file, int line, const char *expr);
int test_check_u64(uint64_t a, uint64_t b, const char *file, int line,
		   const char *ea, const char *eb);
int test_check_i64(int64_t a, int64_t b, const char *file, int line,
		   const char *ea, const char *eb);
/* NULL is a value here: both NULL is equal, one NULL is a failure. */
int test_check_str(const char *a, const char *b, const char *file, int line,
		   const char *ea, const char *eb);
/* A and B are LEN bytes each; the failure shows both, escaped. */
int test_check_mem(const void *a, size_t alen, const void *b, size_t blen,
		   const char *file, int line, const char *ea, const char *eb);

__attribute__((noreturn)) void test_require_failed(const char *file, int line,
						   const char *expr);
__attribute__((noreturn, format(printf, 3, 4)))
void test_skip(const char *file, int line, const char *fmt, ...);

#define CHECK(cond) test_check(!!(cond), __FILE__, __LINE__, #cond)
#define CHECK_EQ_U64(a, b) \
	test_check_u64((uint64_t)(a), (uint64_t)(b), __FILE__, __LINE__, #a, #b)
#define CHECK_EQ_I64(a, b) \
	test_check_i64((int64_t)(a), (int64_t)(b), __FILE__, __LINE__, #a, #b)
#define CHECK_STR(a, b) test_check_str((a), (b), __FILE__, __LINE__, #a, #b)
#define CHECK_MEM(a, alen, b, blen) \
	test_check_mem((a), (alen), (b), (blen), __FILE__, __LINE__, #a, #b)
#define REQUIRE(cond) \
	((cond) ? (void)0 : test_require_failed(__FILE__, __LINE__, #cond))
#define SKIP(...) test_skip(__FILE__, __LINE__, __VA_ARGS__)

/* A reporter (scan.h) that keeps what a parser reports about the lines it
 * could not read; test_reports() returns it, one message a line each with
 * its '\n' ("" when nothing), and forgets it.  The string stays valid
 * until the next call. */
extern const struct ms_report test_rep;
const char *test_reports(void);

/* Read $MEMSNAP_FIXTURES/REL into a malloc'd, NUL-terminated buffer (the
 * caller frees); *LEN gets its length (LEN may be NULL).  A missing
 * variable or file fails the case (longjmp), so the result is never NULL. */
char *read_fixture(const char *rel, size_t *len);

/* Read the file at PATH like read_fixture() (absolute or relative path). */
char *test_read_file(const char *path, size_t *len);

/* A malloc'd copy of S's LEN bytes, exactly LEN bytes long (no NUL after
 * them), for parsers: AddressSanitizer then sees any read past the end.
 * Never NULL (a zero-length copy has one byte). */
char *test_exact_copy(const char *s, size_t len);

/* Create an empty temporary file under $TMPDIR (or /tmp) and return its
 * malloc'd path (caller unlinks and frees); fails the case on error. */
char *test_tmpfile(const char *tag);

/* Write LEN bytes of DATA to PATH (created or replaced); fails the case
 * on error. */
void test_write_file(const char *path, const void *data, size_t len);

#endif
