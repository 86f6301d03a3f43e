/*
 * test_parse_smaps_rollup.c - analyze/parse/smaps_rollup.c on real
 * /proc/PID/smaps_rollup text (6.18 host, 6.1 two-node VM), on a 4.14-era
 * file written from the kernel documentation, and on malformed input.
 *
 * Expected values are the numbers printed in the fixture files (read by
 * eye and with grep), times 1024.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smaps_rollup.h"
#include "test.h"

#define KB(n) ((int64_t)(n) * 1024)

/* Parse from an exact-size heap copy without a NUL (ASan sees over-reads). */
static int parse_exact(const char *s, size_t len, struct smaps_rollup *r, struct ms_err *e)
{
	char *p = malloc(len ? len : 1);
	REQUIRE(p != NULL);
	if (len)
		memcpy(p, s, len);
	int rc = smaps_rollup_parse(p, len, r, &test_rep, e);
	free(p);
	return rc;
}

/* S parses with one line reported as MSG */
static void bad(const char *s, size_t len, const char *msg, int line)
{
	struct ms_err e = MS_ERR_INIT;
	struct smaps_rollup r;
	char want[200];
	snprintf(want, sizeof(want), "%s\n", msg);
	if (!CHECK_EQ_I64(parse_exact(s, len, &r, &e), 0) || !CHECK_STR(e.msg, NULL) ||
	    !CHECK_STR(test_reports(), want))
		fprintf(stderr, "  (from line %d)\n", line);
	ms_err_release(&e);
}

#define ROLLUP_BAD(s, len, msg) bad((s), (len), (msg), __LINE__)

TEST(rollup_host_self)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/self/smaps_rollup", &len);
	struct smaps_rollup r;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &r, &err), 0);
	CHECK(err.msg == NULL);
	CHECK_EQ_U64(r.start, 0x563286172000);
	CHECK_EQ_U64(r.end, 0x7ffc4e07e000);
	CHECK_EQ_I64(r.f.size, -1);
	CHECK_EQ_I64(r.f.kernel_page_size, -1);
	CHECK_EQ_I64(r.f.mmu_page_size, -1);
	CHECK_EQ_I64(r.f.rss, KB(3192));
	CHECK_EQ_I64(r.f.pss, KB(619));
	CHECK_EQ_I64(r.f.pss_dirty, KB(276));
	CHECK_EQ_I64(r.f.pss_anon, KB(276));
	CHECK_EQ_I64(r.f.pss_file, KB(343));
	CHECK_EQ_I64(r.f.pss_shmem, 0);
	CHECK_EQ_I64(r.f.shared_clean, KB(2912));
	CHECK_EQ_I64(r.f.shared_dirty, 0);
	CHECK_EQ_I64(r.f.private_clean, KB(4));
	CHECK_EQ_I64(r.f.private_dirty, KB(276));
	CHECK_EQ_I64(r.f.referenced, KB(3192));
	CHECK_EQ_I64(r.f.anonymous, KB(276));
	CHECK_EQ_I64(r.f.ksm, 0);
	CHECK_EQ_I64(r.f.lazy_free, 0);
	CHECK_EQ_I64(r.f.anon_huge_pages, 0);
	CHECK_EQ_I64(r.f.shmem_pmd_mapped, 0);
	CHECK_EQ_I64(r.f.file_pmd_mapped, 0);
	CHECK_EQ_I64(r.f.shared_hugetlb, 0);
	CHECK_EQ_I64(r.f.private_hugetlb, 0);
	CHECK_EQ_I64(r.f.swap, 0);
	CHECK_EQ_I64(r.f.swap_pss, 0);
	CHECK_EQ_I64(r.f.locked, 0);
	free(text);
}

TEST(rollup_host_special_process)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/24054/smaps_rollup", &len);
	struct smaps_rollup r;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &r, &err), 0);
	CHECK_EQ_U64(r.start, 0x5582aac4a000);
	CHECK_EQ_U64(r.end, 0x7ffd4bc73000);
	CHECK_EQ_I64(r.f.rss, KB(3528));   /* = the sum over its smaps VMAs */
	CHECK_EQ_I64(r.f.pss, KB(2308));
	CHECK_EQ_I64(r.f.pss_anon, KB(2188));
	CHECK_EQ_I64(r.f.pss_file, KB(104));
	CHECK_EQ_I64(r.f.pss_shmem, KB(16));
	CHECK_EQ_I64(r.f.lazy_free, KB(32));
	CHECK_EQ_I64(r.f.anon_huge_pages, KB(2048));
	CHECK_EQ_I64(r.f.locked, KB(8));
	free(text);
}

TEST(rollup_numa_hog)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/151/smaps_rollup", &len);
	struct smaps_rollup r;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &r, &err), 0);
	CHECK_EQ_U64(r.start, 0x400000);
	CHECK_EQ_U64(r.end, 0x7ffd28bc9000);
	CHECK_EQ_I64(r.f.rss, KB(564648));
	CHECK_EQ_I64(r.f.pss, KB(564645));
	CHECK_EQ_I64(r.f.pss_dirty, KB(564644));
	CHECK_EQ_I64(r.f.pss_anon, KB(563996));
	CHECK_EQ_I64(r.f.pss_file, KB(1));
	CHECK_EQ_I64(r.f.pss_shmem, KB(648));
	CHECK_EQ_I64(r.f.private_dirty, KB(564644));
	CHECK_EQ_I64(r.f.ksm, -1);  /* 6.1 prints no KSM line */
	free(text);

	text = read_fixture("numa-2node-6.1/t0/proc/1/smaps_rollup", &len);
	CHECK_EQ_I64(parse_exact(text, len, &r, &err), 0);
	CHECK_EQ_I64(r.f.rss, KB(1824));
	CHECK_EQ_I64(r.f.pss_shmem, KB(1724));
	CHECK_EQ_I64(r.f.shared_dirty, KB(8));
	free(text);
}

TEST(rollup_old_4_14)
{
	size_t len;
	char *text = read_fixture("old-kernel/4.14/proc/2345/smaps_rollup", &len);
	struct smaps_rollup r;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &r, &err), 0);
	CHECK(err.msg == NULL);
	CHECK_EQ_U64(r.start, 0x400000);
	CHECK_EQ_U64(r.end, 0x7ffd2d7f5000);
	CHECK_EQ_I64(r.f.rss, KB(3204));
	CHECK_EQ_I64(r.f.pss, KB(1247));
	CHECK_EQ_I64(r.f.shared_clean, KB(2012));
	CHECK_EQ_I64(r.f.private_clean, KB(760));
	CHECK_EQ_I64(r.f.private_dirty, KB(432));
	CHECK_EQ_I64(r.f.anonymous, KB(432));
	CHECK_EQ_I64(r.f.private_hugetlb, 0); /* "Private_Hugetlb: %7lu kB" */
	CHECK_EQ_I64(r.f.swap, KB(48));
	CHECK_EQ_I64(r.f.swap_pss, KB(48));
	CHECK_EQ_I64(r.f.locked, 0);
	/* not printed by 4.14 */
	CHECK_EQ_I64(r.f.pss_anon, -1);
	CHECK_EQ_I64(r.f.pss_file, -1);
	CHECK_EQ_I64(r.f.pss_shmem, -1);
	CHECK_EQ_I64(r.f.pss_dirty, -1);
	CHECK_EQ_I64(r.f.ksm, -1);
	CHECK_EQ_I64(r.f.file_pmd_mapped, -1);
	free(text);
}

TEST(rollup_odd_but_valid)
{
	struct smaps_rollup r;
	struct ms_err err = MS_ERR_INIT;
	/* header only: every total absent */
	const char *h = "00400000-7ffd2d7f5000 ---p 00000000 00:00 0       [rollup]";
	CHECK_EQ_I64(parse_exact(h, strlen(h), &r, &err), 0);
	CHECK_EQ_U64(r.end, 0x7ffd2d7f5000);
	CHECK_EQ_I64(r.f.rss, -1);
	/* unknown keys ignored, blank lines skipped, no final newline */
	const char *s = "1000-2000 ---p 00000000 00:00 0 [rollup]\nRss: 8 kB\n\nFuture: 3 kB\nPss: 4 kB";
	CHECK_EQ_I64(parse_exact(s, strlen(s), &r, &err), 0);
	CHECK_EQ_I64(r.f.rss, KB(8));
	CHECK_EQ_I64(r.f.pss, KB(4));
	CHECK_EQ_I64(r.f.swap, -1);
	CHECK(err.msg == NULL);
}

TEST(rollup_bad_header)
{
	static const char want[] = "smaps_rollup:1: expected 'start-end ---p 00000000 00:00 0 [rollup]'";
	struct smaps_rollup r;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(smaps_rollup_parse("", 0, &r, &test_rep, &err), -1);
	CHECK_STR(err.msg, "smaps_rollup:1: empty file");
	ms_err_release(&err);
	/* a bad header costs that line: the totals after it are read */
	ROLLUP_BAD("Rss: 4 kB\nPss: 2 kB\n", 20, want);
	CHECK_EQ_I64(parse_exact("Rss: 4 kB\nPss: 2 kB\n", 20, &r, &err), 0);
	CHECK_EQ_I64(r.f.rss, -1); /* line 1, taken for the header */
	CHECK_EQ_I64(r.f.pss, KB(2));
	CHECK_EQ_U64(r.start, 0);
	test_reports();
	/* a per-VMA smaps given as a rollup */
	const char *vma = "00400000-00401000 r--p 00000000 00:02 32   /bin/numa_hog\nRss: 4 kB\n";
	ROLLUP_BAD(vma, strlen(vma), want);
	const char *perms = "00400000-7ffd2d7f5000 r--p 00000000 00:00 0 [rollup]\n";
	ROLLUP_BAD(perms, strlen(perms), want);
	/* cut inside the header */
	ROLLUP_BAD("00400000-7ffd2d7f5000 ---p 0000", 31, want);
	ROLLUP_BAD("00400000-7ffd2d7f5000 ---p 00000000 00:00 0 [roll", 49, want);
}

TEST(rollup_bad_values)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/self/smaps_rollup", &len);
	const char *nl = memchr(text, '\n', len);
	REQUIRE(nl != NULL);
	size_t hl = (size_t)(nl - text) + 1;
	char buf[8192];
	REQUIRE(hl + 200 < sizeof(buf));
	memcpy(buf, text, hl);
	/* each body follows the real header line */
#define BODY(b) (memcpy(buf + hl, (b), strlen(b)), hl + strlen(b))
	size_t n;
	n = BODY("Rss:                3192 kB\nPss:                 abc kB\n");
	ROLLUP_BAD(buf, n, "smaps_rollup:3: expected a number after 'Pss', got 'abc kB'");
	n = BODY("Rss:                3192\n");
	ROLLUP_BAD(buf, n, "smaps_rollup:2: expected 'Rss: N kB'");
	n = BODY("Rss:                -3192 kB\n");
	ROLLUP_BAD(buf, n, "smaps_rollup:2: expected 'Rss: N kB'");
	n = BODY("Rss: 1 kB\nSwap: 2 kB\nRss: 1 kB\n");
	ROLLUP_BAD(buf, n, "smaps_rollup:4: a second 'Rss'; the first kept");
	n = BODY("Rss: 9007199254740992 kB\n");
	ROLLUP_BAD(buf, n, "smaps_rollup:2: the value of 'Rss' is out of range (more than 2^63-1 "
			   "bytes): '9007199254740992 kB'");
	n = BODY("Rss: 4 kB\ngarbage\n");
	ROLLUP_BAD(buf, n, "smaps_rollup:3: no value after 'garbage'");
	/* a header line again in the middle */
	n = BODY("Rss: 4 kB\n00400000-00401000 ---p 00000000 00:00 0 [rollup]\n");
	ROLLUP_BAD(buf, n, "smaps_rollup:3: expected a number after '00400000-00401000', got "
			   "'---p 00000000 00:00 0 [rollup]'");
	/* a bad line costs that line: the totals before and after it are read */
	n = BODY("Rss: 4 kB\nPss: x kB\nSwap: 8 kB\n");
	struct smaps_rollup r;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(buf, n, &r, &err), 0);
	CHECK_STR(test_reports(), "smaps_rollup:3: expected a number after 'Pss', got 'x kB'\n");
	CHECK_EQ_I64(r.f.rss, KB(4));
	CHECK_EQ_I64(r.f.pss, -1);
	CHECK_EQ_I64(r.f.swap, KB(8));
#undef BODY
	/* the real file cut inside its last line ("Locked:    0 kB") */
	ROLLUP_BAD(text, len - 4, "smaps_rollup:23: expected 'Locked: N kB'");
	ROLLUP_BAD(text, len - 2, "smaps_rollup:23: unexpected text after the value of 'Locked': "
				  "'0 k'");
	/* cut after "Locked:": no value at all */
	const char *lk = strstr(text, "Locked:");
	REQUIRE(lk != NULL);
	ROLLUP_BAD(text, (size_t)(lk - text) + 7, "smaps_rollup:23: no value after 'Locked'");
	free(text);
}

TEST(rollup_nul_and_long_lines)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/151/smaps_rollup", &len);
	char *c = malloc(len);
	REQUIRE(c != NULL);
	memcpy(c, text, len);
	char *pss = strstr(c, "\nPss:");
	REQUIRE(pss != NULL);
	pss[3] = '\0';
	ROLLUP_BAD(c, len, "smaps_rollup:3: NUL byte");
	memcpy(c, text, len);
	c[5] = '\0';
	ROLLUP_BAD(c, len, "smaps_rollup:1: NUL byte");
	free(c);

	/* a 100 KB line: as the header, and as line 3 */
	size_t big = 100 * 1024;
	char *s = malloc(big + len);
	REQUIRE(s != NULL);
	memset(s, '0', big);
	memcpy(s + big, "\nRss: 4 kB\n", 11);
	ROLLUP_BAD(s, big + 11, "smaps_rollup:1: line longer than 4096 bytes");
	const char *nl2 = strstr(text, "\nPss:");
	REQUIRE(nl2 != NULL);
	size_t head = (size_t)(nl2 - text) + 1;
	memcpy(s, text, head);
	memset(s + head, 'x', big);
	ROLLUP_BAD(s, head + big, "smaps_rollup:3: line longer than 65536 bytes");
	free(s);

	struct smaps_rollup r;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(smaps_rollup_parse("", (size_t)INT_MAX + 1, &r, &test_rep, &err), -1);
	CHECK_STR(err.msg, "smaps_rollup: text of 2147483648 bytes is too large");
	ms_err_release(&err);
	free(text);
}
