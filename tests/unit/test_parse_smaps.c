/*
 * test_parse_smaps.c - analyze/parse/smaps.c on real /proc/PID/smaps text
 * (this host's 6.18 kernel, the two-node 6.1 VM), on a 3.10-format file
 * written from the kernel documentation, and on malformed input.
 *
 * Expected values were read from the fixture files with an independent
 * split (Python: a regex for the header, str.split(':') for the fields),
 * not with the code under test; e.g. host-6.18/proc/24054/smaps has 32
 * VMAs whose Rss sum to 3528 kB, the Rss of its smaps_rollup.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smaps.h"
#include "test.h"

#define MAX_GOT 64

/* Deep copies of the VMAs a parse delivered. */
struct got {
	size_t n;
	size_t stop_at;               /* fail the callback on this VMA (1-based), 0 never */
	struct smaps_vma v[MAX_GOT];
	char path[MAX_GOT][160];
	char flags[MAX_GOT][80];
};

static int collect(void *ctx, const struct smaps_vma *vma, struct ms_err *err)
{
	struct got *g = ctx;
	if (g->stop_at && g->n + 1 == g->stop_at)
		return ms_err_set(err, ECANCELED, "stopped at %d", vma->line);
	REQUIRE(g->n < MAX_GOT);
	size_t i = g->n++;
	g->v[i] = *vma;
	int n = snprintf(g->path[i], sizeof(g->path[i]), "%s", vma->path);
	CHECK(n >= 0 && (size_t)n < sizeof(g->path[i]));
	g->v[i].path = g->path[i];
	if (vma->vm_flags) {
		n = snprintf(g->flags[i], sizeof(g->flags[i]), "%s", vma->vm_flags);
		CHECK(n >= 0 && (size_t)n < sizeof(g->flags[i]));
		g->v[i].vm_flags = g->flags[i];
	}
	return 0;
}

/* Parse LEN bytes of S from an exact-size heap copy without a NUL, so that
 * ASan catches any read past LEN. */
static int parse_exact(const char *s, size_t len, struct got *g, struct ms_err *e)
{
	char *p = malloc(len ? len : 1);
	REQUIRE(p != NULL);
	if (len)
		memcpy(p, s, len);
	int r = smaps_parse(p, len, collect, g, &test_rep, e);
	free(p);
	return r;
}

static struct got *got_new(void)
{
	struct got *g = calloc(1, sizeof(*g));
	REQUIRE(g != NULL);
	return g;
}

/* Expect smaps_parse(S, LEN) to report exactly MSG (one line) and
 * deliver N VMAs. */
#define SMAPS_BAD(s, len, msg_, n_) do {                                        \
	struct ms_err e_ = MS_ERR_INIT;                                         \
	struct got *g_ = got_new();                                             \
	CHECK_EQ_I64(parse_exact((s), (len), g_, &e_), 0);                      \
	CHECK_STR(e_.msg, NULL);                                                \
	CHECK_STR(test_reports(), msg_ "\n");                                  \
	CHECK_EQ_U64(g_->n, (n_));                                              \
	free(g_);                                                               \
	ms_err_release(&e_);                                                    \
} while (0)

#define KB(n) ((int64_t)(n) * 1024)

TEST(smaps_host_special_paths)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/24054/smaps", &len);
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, g, &err), 0);
	CHECK(err.msg == NULL);
	REQUIRE(g->n == 32);

	int64_t rss = 0;
	for (size_t i = 0; i < g->n; i++) {
		rss += g->v[i].f.rss;
		/* per-VMA smaps never has the rollup-only split */
		CHECK_EQ_I64(g->v[i].f.pss_anon, -1);
		CHECK_EQ_I64(g->v[i].f.pss_file, -1);
		CHECK_EQ_I64(g->v[i].f.pss_shmem, -1);
	}
	CHECK_EQ_I64(rss, KB(3528));

	const struct smaps_vma *v = &g->v[0];
	CHECK_EQ_U64(v->start, 0x5582aac4a000);
	CHECK_EQ_U64(v->end, 0x5582aac4b000);
	CHECK_STR(v->perms, "r--p");
	CHECK_EQ_U64(v->dev_major, 0xfe);
	CHECK_EQ_U64(v->dev_minor, 0);
	CHECK_EQ_U64(v->inode, 10953036);
	CHECK_STR(v->path, "/tmp/mscap/cap");
	CHECK_EQ_I64(v->line, 1);
	CHECK_EQ_I64(v->f.size, KB(4));
	CHECK_EQ_I64(v->f.kernel_page_size, KB(4));
	CHECK_EQ_I64(v->f.mmu_page_size, KB(4));
	CHECK_EQ_I64(v->f.ksm, 0);
	CHECK_EQ_I64(v->thp_eligible, 0);
	CHECK_STR(v->vm_flags, "rd mr mw me");

	CHECK_EQ_U64(g->v[1].offset, 0x1000);
	CHECK_STR(g->v[1].perms, "r-xp");
	CHECK_EQ_U64(g->v[11].offset, 0x17c000);

	v = &g->v[5];
	CHECK_STR(v->path, "[heap]");
	CHECK_EQ_I64(v->f.rss, KB(8));
	CHECK_EQ_I64(v->line, 5 * 25 + 1);

	/* the MADV_HUGEPAGE region: one 2 MiB THP */
	v = &g->v[6];
	CHECK_STR(v->path, "");
	CHECK_EQ_U64(v->inode, 0);
	CHECK_EQ_I64(v->f.size, KB(2048));
	CHECK_EQ_I64(v->f.rss, KB(2048));
	CHECK_EQ_I64(v->f.pss, KB(2048));
	CHECK_EQ_I64(v->f.pss_dirty, KB(2048));
	CHECK_EQ_I64(v->f.private_dirty, KB(2048));
	CHECK_EQ_I64(v->f.anonymous, KB(2048));
	CHECK_EQ_I64(v->f.anon_huge_pages, KB(2048));
	CHECK_EQ_I64(v->thp_eligible, 1);
	CHECK_STR(v->vm_flags, "rd wr mr mw me ac hg");

	CHECK_EQ_I64(g->v[8].f.lazy_free, KB(32));   /* MADV_FREE */
	CHECK_EQ_I64(g->v[8].f.rss, KB(40));
	CHECK_STR(g->v[15].perms, "---p");            /* PROT_NONE */
	CHECK_EQ_I64(g->v[16].f.locked, KB(8));       /* mlock() */
	CHECK_STR(g->v[16].vm_flags, "rd wr mr mw me lo ac");

	v = &g->v[17];
	CHECK_STR(v->path, "/dev/zero (deleted)");
	CHECK_EQ_I64(v->deleted, 1);
	CHECK_STR(v->perms, "rw-s");
	CHECK_EQ_U64(v->dev_major, 0);
	CHECK_EQ_U64(v->dev_minor, 1);
	CHECK_EQ_U64(v->inode, 30);
	CHECK_EQ_I64(v->f.rss, KB(16));
	CHECK_EQ_I64(v->f.private_dirty, KB(16));

	/* smaps escapes only the newline, and not the backslash: kept raw */
	CHECK_STR(g->v[18].path, "/tmp/ms fixture/eq=sign\\012nl");
	CHECK_EQ_I64(g->v[18].deleted, 0);
	CHECK_STR(g->v[19].path, "/tmp/ms fixture/gone.bin (deleted)");
	CHECK_EQ_I64(g->v[19].deleted, 1);
	CHECK_STR(g->v[20].path, "/tmp/ms fixture/data file.bin");
	CHECK_EQ_U64(g->v[20].inode, 10953053);
	CHECK_EQ_I64(g->v[20].f.size, KB(8));

	CHECK_STR(g->v[22].path, "[vvar]");
	CHECK_STR(g->v[24].path, "[vdso]");
	CHECK_STR(g->v[30].path, "[stack]");
	CHECK_STR(g->v[30].vm_flags, "rd wr mr mw me gd ac");

	/* 16 hex digits, a header longer than the padding column */
	v = &g->v[31];
	CHECK_EQ_U64(v->start, 0xffffffffff600000ULL);
	CHECK_EQ_U64(v->end, 0xffffffffff601000ULL);
	CHECK_STR(v->perms, "--xp");
	CHECK_STR(v->path, "[vsyscall]");
	CHECK_STR(v->vm_flags, "ex");
	CHECK_EQ_I64(v->line, 776);
	free(g);
	free(text);
}

TEST(smaps_numa_hog)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/151/smaps", &len);
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, g, &err), 0);
	REQUIRE(g->n == 12);
	int64_t rss = 0, pss = 0, size = 0;
	for (size_t i = 0; i < g->n; i++) {
		rss += g->v[i].f.rss;
		pss += g->v[i].f.pss;
		size += g->v[i].f.size;
		CHECK_EQ_I64(g->v[i].f.ksm, -1); /* 6.1 has no KSM line */
		CHECK_EQ_I64(g->v[i].f.pss_dirty >= 0, 1);
	}
	CHECK_EQ_I64(rss, KB(564648));
	CHECK_EQ_I64(pss, KB(564645));
	CHECK_EQ_I64(size, KB(564944));

	/* the MPOL_BIND region: 300 MiB of dirty anonymous memory */
	const struct smaps_vma *v = &g->v[8];
	CHECK_EQ_U64(v->start, 0x7f1571b1f000);
	CHECK_EQ_I64(v->f.size, KB(307200));
	CHECK_EQ_I64(v->f.rss, KB(307200));
	CHECK_EQ_I64(v->f.anonymous, KB(307200));
	CHECK_EQ_I64(v->f.private_dirty, KB(307200));
	CHECK_EQ_I64(v->thp_eligible, 0);
	CHECK_STR(v->path, "");
	CHECK_STR(g->v[0].path, "/bin/numa_hog");
	CHECK_STR(g->v[0].vm_flags, "rd mr mw me sd");
	CHECK_EQ_U64(g->v[0].dev_major, 0);
	CHECK_EQ_U64(g->v[0].dev_minor, 2);
	CHECK_EQ_U64(g->v[0].inode, 32);
	CHECK_STR(g->v[6].path, "[heap]");
	free(g);
	free(text);
}

TEST(smaps_old_3_10)
{
	size_t len;
	char *text = read_fixture("old-kernel/3.10/proc/1234/smaps", &len);
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, g, &err), 0);
	REQUIRE(g->n == 5);
	const struct smaps_vma *v = &g->v[0];
	CHECK_EQ_U64(v->start, 0x400000);
	CHECK_EQ_U64(v->end, 0x4f4000);
	CHECK_STR(v->perms, "r-xp");
	CHECK_EQ_U64(v->dev_major, 0xfd);
	CHECK_EQ_U64(v->inode, 1048);
	CHECK_STR(v->path, "/usr/bin/bash");
	CHECK_EQ_I64(v->f.size, KB(976));
	CHECK_EQ_I64(v->f.rss, KB(600));
	CHECK_EQ_I64(v->f.pss, KB(300));
	CHECK_EQ_I64(v->f.shared_clean, KB(600));
	/* printed after Swap on 3.x: order does not matter */
	CHECK_EQ_I64(v->f.kernel_page_size, KB(4));
	CHECK_EQ_I64(v->f.mmu_page_size, KB(4));
	/* fields 3.10 did not have */
	CHECK_EQ_I64(v->f.pss_dirty, -1);
	CHECK_EQ_I64(v->f.ksm, -1);
	CHECK_EQ_I64(v->f.lazy_free, -1);
	CHECK_EQ_I64(v->f.shmem_pmd_mapped, -1);
	CHECK_EQ_I64(v->f.file_pmd_mapped, -1);
	CHECK_EQ_I64(v->f.shared_hugetlb, -1);
	CHECK_EQ_I64(v->f.private_hugetlb, -1);
	CHECK_EQ_I64(v->f.swap_pss, -1);
	CHECK_EQ_I64(v->thp_eligible, -1);
	CHECK_STR(v->vm_flags, "rd ex mr mw me dw");
	CHECK_EQ_U64(g->v[1].offset, 0xf3000);
	CHECK_STR(g->v[2].path, "[heap]");
	CHECK_EQ_I64(g->v[2].f.swap, KB(12));
	CHECK_STR(g->v[3].path, "");
	CHECK_EQ_I64(g->v[3].f.locked, KB(8));
	CHECK_STR(g->v[4].path, "[stack]");
	CHECK_EQ_I64(g->v[4].line, 65);
	free(g);
	free(text);
}

TEST(smaps_kernel_thread_empty)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/2/smaps", &len);
	CHECK_EQ_U64(len, 0);
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, g, &err), 0);
	CHECK_EQ_U64(g->n, 0);
	CHECK_EQ_I64(smaps_parse(NULL, 0, collect, g, &test_rep, &err), 0);
	CHECK(err.msg == NULL);
	free(g);
	free(text);
}

/* Shapes the fixtures lack, written from Documentation/filesystems/proc.rst. */
TEST(smaps_inline_shapes)
{
	const char *s =
		"7f0000000000-7f0000001000 rw-p 00000000 00:00 0                          [anon:ms fixture]\n"
		"Size:                  4 kB\n"
		"Rss:                   4 kB\n"
		"Pss_Future:            7 kB\n"        /* unknown kB key: ignored */
		"ProtectionKey:         0\n"           /* unknown other key: ignored */
		"\n"                                   /* blank: ignored */
		"7f0000001000-7f0000002000 rw-p 00000000 00:00 0\n" /* no trailing blank */
		"Rss:\t0 kB\n"
		"VmFlags:\n"                           /* present but empty */
		"7f0000002000-7f0000003000 r--p 00000000 103:02 42                       /a:b c\n"
		"Rss:                   4 kB";         /* last line without '\n' */
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(s, strlen(s), g, &err), 0);
	REQUIRE(g->n == 3);
	CHECK_STR(g->v[0].path, "[anon:ms fixture]");
	CHECK_EQ_I64(g->v[0].f.size, KB(4));
	CHECK_EQ_I64(g->v[0].f.pss, -1);
	CHECK(g->v[0].vm_flags == NULL);
	CHECK_STR(g->v[1].path, "");
	CHECK_EQ_I64(g->v[1].f.rss, 0);
	CHECK_STR(g->v[1].vm_flags, "");
	CHECK_EQ_I64(g->v[1].line, 7);
	CHECK_EQ_U64(g->v[2].dev_major, 0x103);
	CHECK_EQ_U64(g->v[2].dev_minor, 2);
	CHECK_STR(g->v[2].path, "/a:b c");
	CHECK_EQ_I64(g->v[2].f.rss, KB(4));
	free(g);
}

/* Expect a mapping header followed by BODY to parse, with the one bad line
 * reported as MSG; the mapping is delivered, its Rss as RSS (-1: absent). */
static void body_bad(const char *body, const char *msg, int64_t rss, int line)
{
	static const char h[] =
		"00400000-00401000 r--p 00000000 00:02 32                                 /bin/x\n";
	char buf[512], want[160];
	int n = snprintf(buf, sizeof(buf), "%s%s", h, body);
	REQUIRE(n > 0 && (size_t)n < sizeof(buf));
	snprintf(want, sizeof(want), "%s\n", msg);
	struct ms_err e = MS_ERR_INIT;
	struct got *g = got_new();
	if (!CHECK_EQ_I64(parse_exact(buf, (size_t)n, g, &e), 0) || !CHECK_STR(e.msg, NULL) ||
	    !CHECK_STR(test_reports(), want) || !CHECK_EQ_U64(g->n, 1) ||
	    !CHECK_EQ_I64(g->v[0].f.rss, rss))
		fprintf(stderr, "  (from line %d)\n", line);
	free(g);
	ms_err_release(&e);
}

#define BODY_BAD(body, msg) body_bad((body), (msg), -1, __LINE__)

TEST(smaps_malformed_values)
{
	/* truncated last line: the unit is cut off */
	BODY_BAD("Size:                  4 kB\nRss:                   4",
		  "smaps:3: expected 'Rss: N kB'");
	BODY_BAD("Size:                  4 kB\nRss:                   4 k",
		  "smaps:3: expected 'Rss: N kB'");
	BODY_BAD("Rss:        abc kB\n", "smaps:2: expected 'Rss: N kB'");
	BODY_BAD("Rss:        -4 kB\n", "smaps:2: expected 'Rss: N kB'");
	BODY_BAD("Rss:        4 kB x\n", "smaps:2: expected 'Rss: N kB'");
	BODY_BAD("Rss:        4 MB\n", "smaps:2: expected 'Rss: N kB'");
	BODY_BAD("Rss:\n", "smaps:2: expected 'Rss: N kB'");
	/* huge numbers: past 2^64, and past INT64_MAX once in bytes (no
	 * mapping is that large) */
	BODY_BAD("Swap: 99999999999999999999 kB\n",
		  "smaps:2: the value of 'Swap' is out of range (above 2^63-1 bytes)");
	BODY_BAD("Swap: 9007199254740992 kB\n",
		  "smaps:2: the value of 'Swap' is out of range (above 2^63-1 bytes)");
	/* a field given twice keeps its first value */
	body_bad("Rss: 4 kB\nRss: 8 kB\n", "smaps:3: a second 'Rss' in one mapping; the first kept",
		 4096, __LINE__);
	BODY_BAD("THPeligible:    2\n", "smaps:2: expected 'THPeligible: 0 or 1'");
	BODY_BAD("VmFlags: rd\nVmFlags: rd\n",
		  "smaps:3: a second 'VmFlags' in one mapping; the first kept");
	/* a bad line costs that line: the fields after it are read */
	body_bad("this is not a field\nRss: 12 kB\n",
		 "smaps:2: expected 'Key: N kB' or a mapping header", 12288, __LINE__);
	/* the largest value that fits: (2^63 - 1) / 1024 kB */
	const char *ok = "0-1000 rw-p 00000000 00:00 0\nSwap: 9007199254740991 kB\n";
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(ok, strlen(ok), g, &err), 0);
	REQUIRE(g->n == 1);
	CHECK_EQ_I64(g->v[0].f.swap, 9007199254740991LL * 1024);
	free(g);
}

TEST(smaps_malformed_headers)
{
	const char *shape = "smaps:1: expected 'start-end perms offset dev inode [path]'; the "
			    "mapping's lines are skipped";
	SMAPS_BAD("Rss: 4 kB\n", 10, "smaps:1: 'Rss' before the first mapping header", 0);
	char want[160];
	snprintf(want, sizeof(want), "%s\n", shape);
	static const char *const heads[] = {
		"00400000-00401000 r--p 00000000 00:02\n",
		"00400000-00401000 rxwp 00000000 00:02 32 /x\n",
		"00400000-00401000 r--p 00000000 0002 32 /x\n",
		"00400000-00401000 r--p 00000000 00:02 3x /x\n",
		"00400000-1ffffffffffffffff r--p 00000000 00:02 3 /x\n",
		"00400000-00401000 r-",   /* a cut header: the line ends in the perms */
	};
	for (size_t i = 0; i < sizeof(heads) / sizeof(*heads); i++) {
		struct got *g = got_new();
		struct ms_err e = MS_ERR_INIT;
		CHECK_EQ_I64(parse_exact(heads[i], strlen(heads[i]), g, &e), 0);
		if (!CHECK_STR(test_reports(), want) || !CHECK_EQ_U64(g->n, 0))
			fprintf(stderr, "  (header %zu)\n", i);
		free(g);
	}
	SMAPS_BAD("00401000-00400000 r--p 00000000 00:02 32 /x\n", 44,
		  "smaps:1: mapping ends before it starts; its lines are skipped", 0);
	/* a bad header costs its mapping (its field lines too), not the others */
	const char *three = "0-1000 rw-p 00000000 00:00 0\nRss: 4 kB\n"
			    "1000-2000 rw-p 0000000x 00:00 0\nRss: 8 kB\nSize: 4 kB\n"
			    "2000-3000 rw-p 00000000 00:00 0\nRss: 12 kB\n";
	struct got *g = got_new();
	struct ms_err e = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(three, strlen(three), g, &e), 0);
	CHECK_STR(test_reports(), "smaps:3: expected 'start-end perms offset dev inode [path]'; "
				  "the mapping's lines are skipped\n");
	REQUIRE(g->n == 2);
	CHECK_EQ_U64(g->v[0].end, 0x1000);
	CHECK_EQ_I64(g->v[0].f.rss, 4096);
	CHECK_EQ_I64(g->v[0].f.size, -1);
	CHECK_EQ_U64(g->v[1].start, 0x2000);
	CHECK_EQ_I64(g->v[1].f.rss, 12288);
	free(g);
}

TEST(smaps_nul_and_long_lines)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/1/smaps", &len);
	REQUIRE(len > 100);
	struct got *whole = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, whole, &err), 0);
	/* a NUL inside line 4 ("MMUPageSize"): that field is absent */
	char *copy = malloc(len);
	REQUIRE(copy != NULL);
	memcpy(copy, text, len);
	char *l3 = strstr(copy, "MMUPageSize");
	REQUIRE(l3 != NULL);
	l3[3] = '\0';
	struct got *g = got_new();
	CHECK_EQ_I64(parse_exact(copy, len, g, &err), 0);
	CHECK_STR(test_reports(), "smaps:4: NUL byte\n");
	CHECK_EQ_U64(g->n, whole->n);
	CHECK_EQ_I64(g->v[0].f.mmu_page_size, -1);
	CHECK_EQ_I64(g->v[0].f.kernel_page_size, 4096);
	free(copy);

	/* a 100 KB path on the header of the second VMA: that mapping is lost,
	 * its fields are not taken for the first one's */
	size_t big = 100 * 1024;
	char *s = malloc(len + big);
	REQUIRE(s != NULL);
	const char *second = strstr(text, "\n00401000-");
	REQUIRE(second != NULL);
	size_t head = (size_t)(second - text) + 1;
	const char *eol = strchr(text + head, '\n');
	REQUIRE(eol != NULL);
	memcpy(s, text, (size_t)(eol - text));
	memset(s + (eol - text), 'p', big);
	memcpy(s + (eol - text) + big, eol, len - (size_t)(eol - text));
	memset(g, 0, sizeof(*g));
	CHECK_EQ_I64(parse_exact(s, len + big, g, &err), 0);
	CHECK_STR(test_reports(), "smaps:26: line longer than 65536 bytes\n");
	REQUIRE(g->n == whole->n - 1);
	CHECK_EQ_U64(g->v[0].start, whole->v[0].start);
	CHECK_EQ_I64(g->v[0].f.rss, whole->v[0].f.rss);
	CHECK_EQ_U64(g->v[1].start, whole->v[2].start);
	free(g);
	free(whole);
	free(s);
	CHECK_EQ_I64(smaps_parse("", (size_t)INT_MAX + 1, collect, NULL, &test_rep, &err), -1);
	CHECK_STR(err.msg, "smaps: text of 2147483648 bytes is too large");
	ms_err_release(&err);
	free(text);
}

TEST(smaps_callback_stops)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/1/smaps", &len);
	struct got *g = got_new();
	g->stop_at = 3;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, g, &err), -1);
	CHECK_EQ_U64(g->n, 2);
	CHECK_EQ_I64(err.code, ECANCELED);
	CHECK_STR(err.msg, "stopped at 51");
	/* the last VMA is delivered at the end of the text, not by a header */
	g->n = 0;
	g->stop_at = 10;
	CHECK_EQ_I64(parse_exact(text, len, g, &err), -1);
	CHECK_EQ_U64(g->n, 9);
	CHECK_STR(err.msg, "stopped at 226");
	ms_err_release(&err);
	free(g);
	free(text);
}

/* Every prefix of a real file: never a crash or an over-read, a clean
 * parse whose problems are "smaps:" lines; never more VMAs than the whole
 * file. */
TEST(smaps_every_truncation)
{
	size_t len;
	char *text = read_fixture("old-kernel/3.10/proc/1234/smaps", &len);
	size_t clean = 0, reported = 0;
	for (size_t cut = 0; cut <= len; cut++) {
		struct got *g = got_new();
		struct ms_err err = MS_ERR_INIT;
		CHECK_EQ_I64(parse_exact(text, cut, g, &err), 0);
		CHECK(err.msg == NULL);
		const char *r = test_reports();
		if (!*r)
			clean++;
		else if (CHECK(strncmp(r, "smaps:", 6) == 0))
			reported++;
		CHECK(g->n <= 5);
		ms_err_release(&err);
		free(g);
	}
	CHECK(clean > 0 && reported > 0);
	free(text);
}

TEST(smaps_fields_helpers)
{
	struct smaps_fields f;
	smaps_fields_init(&f);
	CHECK_EQ_I64(f.size, -1);
	CHECK_EQ_I64(f.locked, -1);
	CHECK(smaps_fields_slot(&f, "Locked", 6) == &f.locked);
	CHECK(smaps_fields_slot(&f, "Pss_Anon", 8) == &f.pss_anon);
	CHECK(smaps_fields_slot(&f, "Pss", 3) == &f.pss);
	CHECK(smaps_fields_slot(&f, "Pss_", 4) == NULL);
	CHECK(smaps_fields_slot(&f, "VmFlags", 7) == NULL);

	struct smaps_header h;
	const char *l = "7f78365c6000-7f78365c8000 rw-s 00000000 fe:00 10953053                   /tmp/ms fixture/data file.bin";
	CHECK_EQ_I64(smaps_header_parse(l, strlen(l), &h), 0);
	CHECK_EQ_U64(h.start, 0x7f78365c6000);
	CHECK_MEM(h.path, h.path_len, "/tmp/ms fixture/data file.bin", 29);
	CHECK_EQ_I64(smaps_header_parse(l, 20, &h), -1);
	CHECK_EQ_I64(smaps_header_parse("", 0, &h), -1);
}
