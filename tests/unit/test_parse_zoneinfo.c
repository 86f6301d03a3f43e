/*
 * test_parse_zoneinfo.c - analyze/parse/zoneinfo.c on real /proc/zoneinfo
 * text (the two-node 6.1 VM, this 6.18 host), on a 3.10 layout written
 * from the kernel source, and on malformed input.
 *
 * Expected values were read from the fixture files (grep and a short
 * Python state machine); a cross-check with other files of the same
 * capture: node 0's nr_free_pages rows sum to 7585 pages = 30340 kB, the
 * MemFree of t0/sys/devices/system/node/node0/meminfo.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zoneinfo.h"
#include "test.h"

#define MAX_ROWS 400

struct row {
	uint32_t node;
	char zone[16];
	char key[64];
	uint64_t value;
	int per_node, line;
};

struct got {
	size_t n;
	struct row r[MAX_ROWS];
};

static int collect(void *ctx, const struct zoneinfo_row *row, struct ms_err *err)
{
	struct got *g = ctx;
	(void)err;
	REQUIRE(g->n < MAX_ROWS);
	struct row *r = &g->r[g->n++];
	r->node = row->node;
	int a = snprintf(r->zone, sizeof(r->zone), "%s", row->zone);
	int b = snprintf(r->key, sizeof(r->key), "%s", row->key);
	CHECK(a >= 0 && (size_t)a < sizeof(r->zone) && b >= 0 && (size_t)b < sizeof(r->key));
	r->value = row->value;
	r->per_node = row->per_node;
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
	int rc = zoneinfo_parse(p, len, collect, g, &test_rep, e);
	free(p);
	return rc;
}

static struct got *got_new(void)
{
	struct got *g = calloc(1, sizeof(*g));
	REQUIRE(g != NULL);
	return g;
}

/* The row for (NODE, ZONE, KEY), or NULL. */
static const struct row *find(const struct got *g, uint32_t node, const char *zone, const char *key)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->r[i].node == node && !strcmp(g->r[i].zone, zone) && !strcmp(g->r[i].key, key))
			return &g->r[i];
	return NULL;
}

static size_t count_key(const struct got *g, const char *key)
{
	size_t n = 0;
	for (size_t i = 0; i < g->n; i++)
		n += !strcmp(g->r[i].key, key);
	return n;
}

/* S parses with one bad line reported as MSG; or, FILE set, fails as a
 * whole with MSG */
static void bad_as(const char *s, size_t len, int file, const char *msg, int line)
{
	struct ms_err e = MS_ERR_INIT;
	struct got *g = got_new();
	char want[160];
	snprintf(want, sizeof(want), "%s\n", msg);
	if (!CHECK_EQ_I64(parse_exact(s, len, g, &e), file ? -1 : 0) ||
	    !CHECK_STR(e.msg, file ? msg : NULL) || !CHECK_STR(test_reports(), file ? "" : want))
		fprintf(stderr, "  (from line %d)\n", line);
	free(g);
	ms_err_release(&e);
}

static void bad(const char *s, size_t len, const char *msg, int line)
{
	bad_as(s, len, 0, msg, line);
}

#define ZI_BAD(s, msg) bad((s), strlen(s), (msg), __LINE__)
#define ZI_BAD_FILE(s, msg) bad_as((s), strlen(s), 1, (msg), __LINE__)
#define NOT_A_ZONE(n) "zoneinfo:" #n ": expected 'Node N, zone NAME'; the lines up to the " \
		      "next zone are skipped"

#define CHECK_ROW(g, node, zone, key, value_, per_node_, line_) do {          \
	const struct row *r_ = find((g), (node), (zone), (key));                \
	if (CHECK(r_ != NULL)) {                                                \
		CHECK_EQ_U64(r_->value, (value_));                              \
		CHECK_EQ_I64(r_->per_node, (per_node_));                        \
		CHECK_EQ_I64(r_->line, (line_));                                \
	}                                                                       \
} while (0)

TEST(zoneinfo_two_node)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/zoneinfo", &len);
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, g, &err), 0);
	CHECK(err.msg == NULL);
	CHECK_EQ_U64(g->n, 243);   /* 233 and a protection row per zone */
	size_t per_node = 0;
	uint64_t free0 = 0;
	for (size_t i = 0; i < g->n; i++) {
		per_node += g->r[i].per_node;
		if (g->r[i].node == 0 && !strcmp(g->r[i].key, "nr_free_pages"))
			free0 += g->r[i].value;
	}
	CHECK_EQ_U64(per_node, 86);
	CHECK_EQ_U64(free0 * 4, 30340);
	/* per-node stats print under the first populated zone of a node */
	CHECK_ROW(g, 0, "DMA", "nr_inactive_anon", 105321, 1, 3);
	CHECK_ROW(g, 1, "DMA32", "nr_inactive_anon", 36308, 1, 173);
	CHECK(find(g, 1, "DMA", "nr_inactive_anon") == NULL);
	CHECK_ROW(g, 0, "DMA", "pages free", 672, 0, 46);
	CHECK_ROW(g, 0, "DMA", "boost", 0, 0, 47);
	CHECK_ROW(g, 0, "DMA", "min", 190, 0, 48);
	CHECK_ROW(g, 0, "DMA", "low", 237, 0, 49);
	CHECK_ROW(g, 0, "DMA", "high", 284, 0, 50);
	CHECK_ROW(g, 0, "DMA", "spanned", 4095, 0, 51);
	CHECK_ROW(g, 0, "DMA", "present", 3998, 0, 52);
	CHECK_ROW(g, 0, "DMA", "managed", 3840, 0, 53);
	CHECK_ROW(g, 0, "DMA", "cma", 0, 0, 54);
	CHECK_ROW(g, 0, "DMA", "nr_free_pages", 672, 0, 56);
	CHECK_ROW(g, 0, "DMA", "start_pfn", 1, 0, 85);
	CHECK_ROW(g, 0, "DMA", "node_unreclaimable", 0, 0, 84);
	CHECK_ROW(g, 1, "DMA32", "pages free", 84927, 0, 216);
	CHECK_ROW(g, 1, "DMA32", "numa_miss", 37257, 0, 238);
	CHECK_ROW(g, 1, "DMA32", "start_pfn", 131072, 0, 255);
	CHECK_ROW(g, 1, "Device", "pages free", 0, 0, 279);
	CHECK_ROW(g, 1, "Device", "managed", 0, 0, 286);
	/* protection: its largest value, one row a zone */
	CHECK_EQ_U64(count_key(g, "protection"), 10);
	CHECK_ROW(g, 0, "DMA", "protection", 435, 0, 55);
	CHECK_ROW(g, 0, "DMA32", "protection", 0, 0, 96);
	/* skipped: the per-CPU part */
	CHECK_EQ_U64(count_key(g, "count"), 0);
	CHECK_EQ_U64(count_key(g, "batch"), 0);
	CHECK_EQ_U64(count_key(g, "cpu"), 0);
	CHECK_EQ_U64(count_key(g, "vm stats threshold"), 0);
	CHECK_EQ_U64(count_key(g, "pages free"), 10);
	free(g);
	free(text);
}

TEST(zoneinfo_host)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/zoneinfo", &len);
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, g, &err), 0);
	CHECK_EQ_U64(g->n, 163);
	CHECK_ROW(g, 0, "DMA", "nr_inactive_anon", 3192, 1, 3);
	CHECK_ROW(g, 0, "DMA", "nr_kernel_file_pages", 0, 1, 53);
	CHECK_ROW(g, 0, "DMA", "promo", 107, 0, 59);
	CHECK_ROW(g, 0, "DMA", "nr_free_pages_blocks", 3584, 0, 66);
	CHECK_ROW(g, 0, "DMA32", "pages free", 772808, 0, 100);
	CHECK_ROW(g, 0, "Normal", "pages free", 108952, 0, 146);
	CHECK_ROW(g, 0, "Normal", "promo", 7458, 0, 151);
	CHECK_ROW(g, 0, "Normal", "start_pfn", 1048576, 0, 190);
	CHECK_ROW(g, 0, "DMA", "protection", 4042, 0, 64);
	CHECK_ROW(g, 0, "DMA32", "protection", 1024, 0, 110);
	/* 6.7+ per-CPU lines are skipped too */
	CHECK_EQ_U64(count_key(g, "high_min"), 0);
	CHECK_EQ_U64(count_key(g, "high_max"), 0);
	CHECK_EQ_U64(count_key(g, "high"), 5);   /* the watermark only */
	free(g);
	free(text);
}

TEST(zoneinfo_old_3_10)
{
	size_t len;
	char *text = read_fixture("old-kernel/3.10/proc/zoneinfo", &len);
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, g, &err), 0);
	CHECK(err.msg == NULL);
	CHECK_EQ_U64(g->n, 138);
	for (size_t i = 0; i < g->n; i++)
		CHECK_EQ_I64(g->r[i].per_node, 0);
	CHECK_ROW(g, 0, "DMA", "pages free", 3977, 0, 2);
	CHECK_ROW(g, 0, "DMA", "scanned", 0, 0, 6);
	CHECK_ROW(g, 0, "DMA", "nr_free_pages", 3977, 0, 10);
	CHECK_ROW(g, 0, "DMA", "all_unreclaimable", 1, 0, 56);
	CHECK_ROW(g, 0, "DMA", "protection", 3886, 0, 44);
	CHECK_ROW(g, 0, "DMA32", "nr_inactive_anon", 12006, 0, 69);
	CHECK_ROW(g, 0, "DMA32", "nr_anon_transparent_hugepages", 8, 0, 100);
	CHECK_ROW(g, 0, "DMA32", "inactive_ratio", 5, 0, 116);
	CHECK_ROW(g, 0, "Normal", "start_pfn", 1048576, 0, 173);
	CHECK_EQ_U64(count_key(g, "count"), 0);
	free(g);
	free(text);
}

/* A real capture (PCP's QA, meminfo-root-006) with a counter printed
 * without its name: that line is skipped, the rest of the zone parsed. */
TEST(zoneinfo_nameless_counter)
{
	size_t len;
	char *text = read_fixture("kernels/unstated-pcp-meminfo-root-006/proc/zoneinfo", &len);
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, g, &err), 0);
	CHECK(err.msg == NULL);
	/* nothing to key it by: it costs its line, said so */
	CHECK_STR(test_reports(), "zoneinfo:30: a number without a key: '176096'\n");
	CHECK_ROW(g, 0, "DMA", "nr_written", 17146999, 1, 29);
	CHECK_ROW(g, 0, "DMA", "pages free", 3975, 0, 31);
	CHECK_ROW(g, 0, "DMA", "low", 86, 0, 33);
	for (size_t i = 0; i < g->n; i++)
		CHECK(g->r[i].line != 30);
	free(g);
	free(text);
}

TEST(zoneinfo_malformed)
{
	ZI_BAD("  pages free 5\n", NOT_A_ZONE(1));
	ZI_BAD("Node x, zone DMA\n", NOT_A_ZONE(1));
	ZI_BAD("Node 0 zone DMA\n", NOT_A_ZONE(1));
	ZI_BAD("Node 0, zone\n", NOT_A_ZONE(1));
	ZI_BAD("Node 0, zone DMA extra\n", NOT_A_ZONE(1));
	ZI_BAD("Node 0, zone AVeryLongZoneNameThatIsNotReal32\n", NOT_A_ZONE(1));
	ZI_BAD("Node 0, zone DMA\n  pages free     x\n", "zoneinfo:2: expected 'key value'");
	ZI_BAD("Node 0, zone DMA\n  pages free     12x\n", "zoneinfo:2: expected 'key value'");
	ZI_BAD("Node 0, zone DMA\n  pages free\n", "zoneinfo:2: expected 'key value'");
	ZI_BAD("Node 0, zone DMA\n  nr_free_pages 99999999999999999999\n", "zoneinfo:2: expected 'key value'");
	ZI_BAD("Node 0, zone DMA\n  protection: 0, 1)\n", "zoneinfo:2: expected 'protection: (N, ...)'");
	ZI_BAD("Node 0, zone DMA\n  protection: (0, 1\n", "zoneinfo:2: expected 'protection: (N, ...)'");
	ZI_BAD("Node 0, zone DMA\n  protection: (0,, 1)\n", "zoneinfo:2: expected 'protection: (N, ...)'");
	ZI_BAD("Node 0, zone DMA\n  protection: (0, 1) x\n", "zoneinfo:2: expected 'protection: (N, ...)'");
	ZI_BAD_FILE("\n\n", "zoneinfo:2: no 'Node N, zone NAME' line");
	ZI_BAD_FILE("", "zoneinfo:1: empty file");
	/* the largest value, and a key of 63 bytes, are fine */
	const char *ok = "Node 4294967295, zone DMA\n"
			 "  abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk 18446744073709551615";
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(ok, strlen(ok), g, &err), 0);
	REQUIRE(g->n == 1);
	CHECK_EQ_U64(g->r[0].node, 4294967295u);
	CHECK_EQ_U64(g->r[0].value, UINT64_MAX);
	free(g);
	ZI_BAD("Node 4294967296, zone DMA\n", NOT_A_ZONE(1));
	ZI_BAD("Node 0, zone DMA\n  abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl 1\n",
	       "zoneinfo:2: expected 'key value'");
}

TEST(zoneinfo_truncated_nul_long)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/zoneinfo", &len);
	/* cut inside "  pages free     672" (line 46): "  pages fr" */
	const char *pf = strstr(text, "  pages free");
	REQUIRE(pf != NULL);
	bad(text, (size_t)(pf - text) + 10, "zoneinfo:46: expected 'key value'", __LINE__);
	/* every prefix: no crash; a clean parse (its problems "zoneinfo:"
	 * lines) or a "zoneinfo:" error */
	for (size_t cut = 0; cut <= len; cut += 7) {
		struct got *g = got_new();
		struct ms_err err = MS_ERR_INIT;
		if (parse_exact(text, cut, g, &err) < 0)
			CHECK(err.msg && strncmp(err.msg, "zoneinfo:", 9) == 0);
		const char *r = test_reports();
		CHECK(!*r || strncmp(r, "zoneinfo:", 9) == 0);
		ms_err_release(&err);
		free(g);
	}
	char *c = malloc(len);
	REQUIRE(c != NULL);
	memcpy(c, text, len);
	c[(pf - text) + 4] = '\0';
	bad(c, len, "zoneinfo:46: NUL byte", __LINE__);
	free(c);

	size_t big = 100 * 1024;
	char *s = malloc(big + 64);
	REQUIRE(s != NULL);
	memcpy(s, "Node 0, zone DMA\n  ", 19);
	memset(s + 19, 'k', big);
	memcpy(s + 19 + big, " 1\n", 3);
	bad(s, big + 22, "zoneinfo:2: line longer than 4096 bytes", __LINE__);
	/* a zone header refused: its lines go, not under the zone before it */
	memcpy(s, "Node 0, zone DMA\n  low 1\nNode 0, zone ", 37);
	memset(s + 37, 'k', big);
	memcpy(s + 37 + big, "\n  low 2\n", 9);
	struct got *g = got_new();
	struct ms_err e2 = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(s, 37 + big + 9, g, &e2), 0);
	CHECK_STR(test_reports(), "zoneinfo:3: line longer than 4096 bytes\n");
	REQUIRE(g->n == 1);
	CHECK_ROW(g, 0, "DMA", "low", 1, 0, 2);
	free(g);
	free(s);
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(zoneinfo_parse("", (size_t)INT_MAX + 1, collect, NULL, &test_rep, &err), -1);
	CHECK_STR(err.msg, "zoneinfo: text of 2147483648 bytes is too large");
	ms_err_release(&err);
	free(text);
}
