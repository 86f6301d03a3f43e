/*
 * test_parse_buddyinfo.c - analyze/parse/buddyinfo.c on real /proc/buddyinfo
 * text (this 6.18 host, the two-node 6.1 VM) and on malformed input.
 *
 * Expected values are the columns of the fixture files, read by eye: the
 * host has three zones of one node, the VM DMA/DMA32 on node 0 and DMA32
 * on node 1, all with 11 orders (x86-64, 4 KiB pages).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buddyinfo.h"
#include "test.h"

#define MAX_ROWS 64

struct row {
	uint32_t node;
	char zone[16];
	int order;
	uint64_t free_blocks;
	int line;
};

struct got {
	size_t n;
	size_t stop_at;
	struct row r[MAX_ROWS];
};

static int collect(void *ctx, const struct buddyinfo_row *row, struct ms_err *err)
{
	struct got *g = ctx;
	if (g->stop_at && g->n + 1 == g->stop_at)
		return ms_err_set(err, ECANCELED, "stop");
	REQUIRE(g->n < MAX_ROWS);
	struct row *r = &g->r[g->n++];
	r->node = row->node;
	int n = snprintf(r->zone, sizeof(r->zone), "%s", row->zone);
	CHECK(n >= 0 && (size_t)n < sizeof(r->zone));
	r->order = row->order;
	r->free_blocks = row->free_blocks;
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
	int rc = buddyinfo_parse(p, len, collect, g, &test_rep, e);
	free(p);
	return rc;
}

/* S parses with its bad lines reported as REPORTS (each with its '\n'),
 * and N rows from its good lines; or, when REPORTS is NULL, fails as a
 * whole with ERRMSG. */
static void bad(const char *s, size_t len, const char *reports, size_t n, const char *errmsg,
		int line)
{
	struct ms_err e = MS_ERR_INIT;
	struct got g;
	memset(&g, 0, sizeof(g));
	int rc = parse_exact(s, len, &g, &e);
	if (!CHECK_EQ_I64(rc, reports ? 0 : -1) || !CHECK_STR(test_reports(), reports ? reports : "") ||
	    !CHECK_STR(e.msg, reports ? NULL : errmsg) || !CHECK_EQ_U64(g.n, n))
		fprintf(stderr, "  (from line %d)\n", line);
	ms_err_release(&e);
}

/* a bad line: reported, no row */
#define BUDDY_BAD(s, msg) bad((s), strlen(s), msg "\n", 0, NULL, __LINE__)
/* a text that is not a buddyinfo at all */
#define BUDDY_BAD_FILE(s, msg) bad((s), strlen(s), NULL, 0, (msg), __LINE__)

#define CHECK_ROW(r, node_, zone_, order_, free_, line_) do {                  \
	CHECK_EQ_U64((r).node, (node_));                                        \
	CHECK_STR((r).zone, (zone_));                                           \
	CHECK_EQ_I64((r).order, (order_));                                      \
	CHECK_EQ_U64((r).free_blocks, (free_));                                 \
	CHECK_EQ_I64((r).line, (line_));                                        \
} while (0)

TEST(buddyinfo_host)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/buddyinfo", &len);
	struct got g;
	memset(&g, 0, sizeof(g));
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &g, &err), 0);
	CHECK(err.msg == NULL);
	REQUIRE(g.n == 33);
	CHECK_ROW(g.r[0], 0, "DMA", 0, 0, 1);
	CHECK_ROW(g.r[8], 0, "DMA", 8, 1, 1);
	CHECK_ROW(g.r[10], 0, "DMA", 10, 3, 1);
	CHECK_ROW(g.r[11], 0, "DMA32", 0, 2, 2);
	CHECK_ROW(g.r[21], 0, "DMA32", 10, 752, 2);
	CHECK_ROW(g.r[22], 0, "Normal", 0, 768, 3);
	CHECK_ROW(g.r[23], 0, "Normal", 1, 1659, 3);
	CHECK_ROW(g.r[32], 0, "Normal", 10, 62, 3);
	/* free pages in Normal: sum of count << order */
	uint64_t pages = 0;
	for (size_t i = 22; i < 33; i++)
		pages += g.r[i].free_blocks << g.r[i].order;
	CHECK_EQ_U64(pages, 768 + 1659 * 2 + 1133 * 4 + 634 * 8 + 306 * 16 + 177 * 32 + 83 * 64 +
			    52 * 128 + 20 * 256 + 8 * 512 + 62 * 1024);
	free(text);
}

TEST(buddyinfo_two_node)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/buddyinfo", &len);
	struct got g;
	memset(&g, 0, sizeof(g));
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &g, &err), 0);
	REQUIRE(g.n == 33);
	CHECK_ROW(g.r[0], 0, "DMA", 0, 2, 1);
	CHECK_ROW(g.r[21], 0, "DMA32", 10, 5, 2);
	CHECK_ROW(g.r[22], 1, "DMA32", 0, 1, 3);
	CHECK_ROW(g.r[24], 1, "DMA32", 2, 3, 3);
	CHECK_ROW(g.r[32], 1, "DMA32", 10, 81, 3);
	free(text);
}

TEST(buddyinfo_odd_but_valid)
{
	struct got g;
	memset(&g, 0, sizeof(g));
	struct ms_err err = MS_ERR_INIT;
	/* fewer orders, tabs, a blank line, no final newline, big numbers */
	const char *s = "Node 3,\tzone\tMovable 1 2\n\nNode 4294967295, zone HighMem 18446744073709551615";
	CHECK_EQ_I64(parse_exact(s, strlen(s), &g, &err), 0);
	REQUIRE(g.n == 3);
	CHECK_ROW(g.r[0], 3, "Movable", 0, 1, 1);
	CHECK_ROW(g.r[1], 3, "Movable", 1, 2, 1);
	CHECK_ROW(g.r[2], 4294967295u, "HighMem", 0, UINT64_MAX, 3);
	CHECK(err.msg == NULL);
}

TEST(buddyinfo_malformed)
{
	BUDDY_BAD("Node 0, zone DMA 1 x 3\n", "buddyinfo:1: order 1 count is not a number");
	BUDDY_BAD("Node 0, zone DMA 1 2x 3\n", "buddyinfo:1: order 1 count is not a number");
	BUDDY_BAD("Node 0, zone DMA 1 -2\n", "buddyinfo:1: order 1 count is not a number");
	BUDDY_BAD("Node 0, zone DMA 18446744073709551616\n",
		  "buddyinfo:1: order 0 count is not a number");
	BUDDY_BAD("Node 0, zone DMA\n", "buddyinfo:1: no free counts after the zone name");
	BUDDY_BAD("Node 0 zone DMA 1\n", "buddyinfo:1: expected 'Node N, zone NAME counts...'");
	BUDDY_BAD("Node x, zone DMA 1\n", "buddyinfo:1: expected 'Node N, zone NAME counts...'");
	BUDDY_BAD("Node 4294967296, zone DMA 1\n",
		  "buddyinfo:1: expected 'Node N, zone NAME counts...'");
	BUDDY_BAD("Node 0, zon DMA 1\n", "buddyinfo:1: expected 'Node N, zone NAME counts...'");
	BUDDY_BAD("Node 0, zone ThisZoneNameIsFarTooLongToBeReal 1\n",
		  "buddyinfo:1: zone name longer than 31 bytes");
	/* a bad line costs that line: the zones before and after it load */
	const char *mid = "Node 0, zone DMA 1\nfoo\nNode 0, zone Normal 2 3\n";
	bad(mid, strlen(mid),
	    "buddyinfo:2: expected 'Node N, zone NAME counts...'\n", 3, NULL, __LINE__);
	BUDDY_BAD_FILE("", "buddyinfo:1: empty file");
	BUDDY_BAD_FILE("\n \n", "buddyinfo:2: no zone lines");
}

TEST(buddyinfo_truncated_nul_long)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/buddyinfo", &len);
	/* cut in the middle of line 2's zone name: "Node 0, zone    DM" */
	const char *l2 = strchr(text, '\n');
	REQUIRE(l2 != NULL);
	size_t at = (size_t)(l2 - text) + 1;
	bad(text, at + 18, "buddyinfo:2: no free counts after the zone name\n", 11, NULL, __LINE__);
	/* a bad line delivers none of its rows, the others all of theirs */
	char *c = malloc(len);
	REQUIRE(c != NULL);
	memcpy(c, text, len);
	c[len - 3] = 'x';   /* the last count of line 3 */
	bad(c, len, "buddyinfo:3: order 10 count is not a number\n", 22, NULL, __LINE__);
	memcpy(c, text, len);
	c[at + 2] = 'x';    /* line 2's "Node" */
	bad(c, len, "buddyinfo:2: expected 'Node N, zone NAME counts...'\n", 22, NULL, __LINE__);
	memcpy(c, text, len);
	c[at + 2] = '\0';
	bad(c, len, "buddyinfo:2: NUL byte\n", 22, NULL, __LINE__);
	free(c);
	/* the callback can stop the parse */
	struct got g;
	struct ms_err err = MS_ERR_INIT;
	memset(&g, 0, sizeof(g));
	g.stop_at = 5;
	CHECK_EQ_I64(parse_exact(text, len, &g, &err), -1);
	CHECK_STR(err.msg, "stop");
	CHECK_EQ_U64(g.n, 4);
	ms_err_release(&err);
	for (size_t cut = 0; cut <= len; cut++) {
		memset(&g, 0, sizeof(g));
		if (parse_exact(text, cut, &g, &err) < 0)
			CHECK(err.msg && strncmp(err.msg, "buddyinfo:", 10) == 0);
		const char *r = test_reports();
		CHECK(!*r || strncmp(r, "buddyinfo:", 10) == 0);
		ms_err_release(&err);
	}

	size_t big = 100 * 1024;
	char *s = malloc(big + 32);
	REQUIRE(s != NULL);
	memcpy(s, "Node 0, zone DMA", 16);
	memset(s + 16, ' ', big);
	memcpy(s + 16 + big, "1\n", 2);
	bad(s, big + 18, "buddyinfo:1: line longer than 4096 bytes\n", 0, NULL, __LINE__);
	free(s);
	CHECK_EQ_I64(buddyinfo_parse("", (size_t)INT_MAX + 1, collect, NULL, &test_rep, &err), -1);
	CHECK_STR(err.msg, "buddyinfo: text of 2147483648 bytes is too large");
	ms_err_release(&err);
	free(text);
}
