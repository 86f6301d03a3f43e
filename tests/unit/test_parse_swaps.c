/*
 * test_parse_swaps.c - analyze/parse/swaps.c on real /proc/swaps text
 * (this 6.18 host without swap and with two swap files whose names need
 * escapes, the 6.1 VM) and on malformed input.
 *
 * Expected values are the columns of host-6.18-swapon/proc/swaps, read by
 * eye: "/tmp/ms\040fixture/swap\040file file 8188 0 5" and
 * "/tmp/ms\040fixture/back\134slash file 4092 0 -2".
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swaps.h"
#include "test.h"

#define MAX_ROWS 8

struct row {
	char filename[64];
	char type[16];
	uint64_t size_bytes, used_bytes;
	int64_t priority;
	int line;
};

struct got {
	size_t n;
	struct row r[MAX_ROWS];
};

static int collect(void *ctx, const struct swaps_row *row, struct ms_err *err)
{
	struct got *g = ctx;
	(void)err;
	REQUIRE(g->n < MAX_ROWS);
	struct row *r = &g->r[g->n++];
	int a = snprintf(r->filename, sizeof(r->filename), "%s", row->filename);
	int b = snprintf(r->type, sizeof(r->type), "%s", row->type);
	CHECK(a >= 0 && (size_t)a < sizeof(r->filename) && b >= 0 && (size_t)b < sizeof(r->type));
	r->size_bytes = row->size_bytes;
	r->used_bytes = row->used_bytes;
	r->priority = row->priority;
	r->line = row->line;
	return 0;
}

/* Parse from an exact-size heap copy without a NUL (ASan sees over-reads). */
static int parse_exact(const char *s, size_t len, struct got *g, struct ms_err *e)
{
	char *p = malloc(len ? len : 1);
	REQUIRE(p != NULL);
	if (len)
		memcpy(p, s, len);
	int rc = swaps_parse(p, len, collect, g, &test_rep, e);
	free(p);
	return rc;
}

/* S parses with one bad line reported as MSG, and ROWS rows from the
 * others */
static void bad(const char *s, size_t len, const char *msg, size_t rows, int line)
{
	struct ms_err e = MS_ERR_INIT;
	struct got g;
	char want[160];
	snprintf(want, sizeof(want), "%s\n", msg);
	memset(&g, 0, sizeof(g));
	if (!CHECK_EQ_I64(parse_exact(s, len, &g, &e), 0) || !CHECK_STR(e.msg, NULL) ||
	    !CHECK_STR(test_reports(), want) || !CHECK_EQ_U64(g.n, rows))
		fprintf(stderr, "  (from line %d)\n", line);
	ms_err_release(&e);
}

#define HDR "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
#define SWAPS_BAD(s, msg) bad((s), strlen(s), (msg), 0, __LINE__)

TEST(swaps_escaped_names)
{
	size_t len;
	char *text = read_fixture("host-6.18-swapon/proc/swaps", &len);
	struct got g;
	memset(&g, 0, sizeof(g));
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &g, &err), 0);
	CHECK(err.msg == NULL);
	REQUIRE(g.n == 2);
	CHECK_STR(g.r[0].filename, "/tmp/ms fixture/swap file");
	CHECK_STR(g.r[0].type, "file");
	CHECK_EQ_U64(g.r[0].size_bytes, 8188ULL * 1024);
	CHECK_EQ_U64(g.r[0].used_bytes, 0);
	CHECK_EQ_I64(g.r[0].priority, 5);
	CHECK_EQ_I64(g.r[0].line, 2);
	CHECK_STR(g.r[1].filename, "/tmp/ms fixture/back\\slash");
	CHECK_EQ_U64(g.r[1].size_bytes, 4092ULL * 1024);
	CHECK_EQ_I64(g.r[1].priority, -2);
	CHECK_EQ_I64(g.r[1].line, 3);
	free(text);
}

TEST(swaps_none)
{
	const char *files[] = { "host-6.18/proc/swaps", "numa-2node-6.1/t0/proc/swaps" };
	for (size_t i = 0; i < 2; i++) {
		size_t len;
		char *text = read_fixture(files[i], &len);
		struct got g;
		memset(&g, 0, sizeof(g));
		struct ms_err err = MS_ERR_INIT;
		CHECK_EQ_I64(parse_exact(text, len, &g, &err), 0);
		CHECK_EQ_U64(g.n, 0);
		free(text);
	}
}

/* The partition layout of the proc(5) example, with used space. */
TEST(swaps_partition)
{
	const char *s = HDR
		"/dev/sda2                               partition\t8388604\t\t1048576\t\t-1\n"
		"/dev/zram0                              partition\t16777212\t123456\t\t100";
	struct got g;
	memset(&g, 0, sizeof(g));
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(s, strlen(s), &g, &err), 0);
	REQUIRE(g.n == 2);
	CHECK_STR(g.r[0].filename, "/dev/sda2");
	CHECK_STR(g.r[0].type, "partition");
	CHECK_EQ_U64(g.r[0].size_bytes, 8388604ULL * 1024);
	CHECK_EQ_U64(g.r[0].used_bytes, 1048576ULL * 1024);
	CHECK_EQ_I64(g.r[0].priority, -1);
	CHECK_EQ_U64(g.r[1].size_bytes, 16777212ULL * 1024);
	CHECK_EQ_I64(g.r[1].priority, 100);
}

TEST(swaps_malformed)
{
	const char *hdr_msg = "swaps:1: expected the header 'Filename Type Size Used Priority'";
	struct got g;
	memset(&g, 0, sizeof(g));
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(swaps_parse("", 0, collect, &g, &test_rep, &err), -1);
	CHECK_STR(err.msg, hdr_msg);
	ms_err_release(&err);
	/* no header: line 1 is lost (it is not read as an area) */
	SWAPS_BAD("/dev/sda2 partition 1 0 -1\n", hdr_msg);
	/* a bad line costs that line: the areas before and after it load */
	const char *mid = HDR "/a file 1 0 -1\n/b file x 0 -2\n/c file 3 0 -3\n";
	bad(mid, strlen(mid), "swaps:3: bad size", 2, __LINE__);
	SWAPS_BAD(HDR "/a\\04 file 1 0 -1\n", "swaps:2: bad escape in the file name");
	SWAPS_BAD(HDR "/a\\000b file 1 0 -1\n", "swaps:2: bad escape in the file name");
	SWAPS_BAD(HDR "/a\\\\b file 1 0 -1\n", "swaps:2: bad escape in the file name");
	SWAPS_BAD(HDR "/a\\400 file 1 0 -1\n", "swaps:2: bad escape in the file name");
	SWAPS_BAD(HDR "/a file x 0 -1\n", "swaps:2: bad size");
	SWAPS_BAD(HDR "/a file 1k 0 -1\n", "swaps:2: bad size");
	SWAPS_BAD(HDR "/a file 18014398509481984 0 -1\n", "swaps:2: bad size");
	SWAPS_BAD(HDR "/a file 1 -5 -1\n", "swaps:2: bad used size");
	SWAPS_BAD(HDR "/a file 1 0 high\n", "swaps:2: bad priority");
	SWAPS_BAD(HDR "/a file 1 0 -\n", "swaps:2: bad priority");
	SWAPS_BAD(HDR "/a file 1 0 -1 extra\n", "swaps:2: unexpected text after the priority");
	SWAPS_BAD(HDR "/a file 1 0 5x\n", "swaps:2: unexpected text after the priority");
	SWAPS_BAD(HDR "/a\n", "swaps:2: expected 'filename type size used priority'");
	/* the largest size that fits in bytes */
	const char *ok = HDR "/a file 18014398509481983 0 -9223372036854775807\n";
	memset(&g, 0, sizeof(g));
	CHECK_EQ_I64(parse_exact(ok, strlen(ok), &g, &err), 0);
	REQUIRE(g.n == 1);
	CHECK_EQ_U64(g.r[0].size_bytes, 18014398509481983ULL * 1024);
	CHECK_EQ_I64(g.r[0].priority, -INT64_MAX);
}

TEST(swaps_truncated_nul_long)
{
	size_t len;
	char *text = read_fixture("host-6.18-swapon/proc/swaps", &len);
	/* cut after the used column of the last line: no priority */
	bad(text, len - 4, "swaps:3: bad priority", 1, __LINE__);
	/* cut inside the header: still a header */
	struct got g;
	memset(&g, 0, sizeof(g));
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, 10, &g, &err), 0);
	/* cut in the middle of an escape */
	const char *esc = strstr(text, "back\\134");
	REQUIRE(esc != NULL);
	bad(text, (size_t)(esc - text) + 6, "swaps:3: bad escape in the file name", 1, __LINE__);
	for (size_t cut = 0; cut <= len; cut++) {
		memset(&g, 0, sizeof(g));
		if (parse_exact(text, cut, &g, &err) < 0)
			CHECK(cut == 0 && err.msg && strncmp(err.msg, "swaps:", 6) == 0);
		const char *r = test_reports();
		CHECK(!*r || strncmp(r, "swaps:", 6) == 0);
		ms_err_release(&err);
	}
	char *c = malloc(len);
	REQUIRE(c != NULL);
	memcpy(c, text, len);
	c[len - 2] = '\0';
	bad(c, len, "swaps:3: NUL byte", 1, __LINE__);
	free(c);

	size_t big = 100 * 1024;
	char *s = malloc(big + 64);
	REQUIRE(s != NULL);
	memcpy(s, HDR, strlen(HDR));
	memset(s + strlen(HDR), 'a', big);
	memcpy(s + strlen(HDR) + big, " file 1 0 -1\n", 13);
	bad(s, strlen(HDR) + big + 13, "swaps:2: line longer than 65536 bytes", 0, __LINE__);
	free(s);
	CHECK_EQ_I64(swaps_parse("", (size_t)INT_MAX + 1, collect, NULL, &test_rep, &err), -1);
	CHECK_STR(err.msg, "swaps: text of 2147483648 bytes is too large");
	ms_err_release(&err);
	free(text);
}
