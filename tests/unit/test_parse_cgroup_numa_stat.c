/*
 * test_parse_cgroup_numa_stat.c - analyze/parse/cgroup_numa_stat.c on real
 * memory.numa_stat text: cgroup v2 on the 6.1 two-node VM (bytes; the root
 * group and a child, tests/fixtures/cgroup-v2-6.1), cgroup v1 on this 6.18
 * host (pages, one node, tests/fixtures/cgroup-v1-6.18), and runc's test
 * text of a four-node v1 host followed by the lines a vendor kernel adds
 * (opencontainers/runc libcontainer/cgroups/fs/memory_test.go:
 * memoryNUMAStatContents and memoryNUMAStatExtraContents).  And two texts
 * of other projects' test data: influxdata/telegraf's
 * plugins/inputs/cgroup/testdata/v2/memory.numa_stat (a 6.x two-node host,
 * with sec_pagetables) and PCP's qa/linux/cgroups-root-002.tgz v1 root
 * (as copied into tests/fixtures/kernels/ on main).  Then malformed input.
 *
 * Expected values are the numbers printed in the texts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_numa_stat.h"
#include "test.h"

#define MAX_ROWS 256

struct row {
	char key[40];
	int total;
	uint32_t node;
	uint64_t value;
	int line;
};

struct got {
	size_t n;
	struct row r[MAX_ROWS];
};

static int collect(void *ctx, const struct cgroup_numa_row *row, struct ms_err *err)
{
	struct got *g = ctx;
	(void)err;
	REQUIRE(g->n < MAX_ROWS && row->key_len < sizeof(g->r[0].key));
	struct row *r = &g->r[g->n++];
	memcpy(r->key, row->key, row->key_len);
	r->key[row->key_len] = '\0';
	r->total = row->is_total;
	r->node = row->is_total ? 0 : row->node;
	r->value = row->value;
	r->line = row->line;
	return 0;
}

static int parse(const char *s, size_t len, struct got *g, struct ms_err *e)
{
	char *p = test_exact_copy(s, len);
	memset(g, 0, sizeof(*g));
	int rc = cgroup_numa_stat_parse(p, len, collect, g, &test_rep, e);
	free(p);
	return rc;
}

/* TEXT parsed without an error: its rows (the caller frees them) */
static struct got *parse_ok(const char *text, size_t len)
{
	struct got *g = malloc(sizeof(*g));
	REQUIRE(g != NULL);
	struct ms_err e = MS_ERR_INIT;
	CHECK_EQ_I64(parse(text, len, g, &e), 0);
	CHECK_STR(e.msg, NULL);
	CHECK_STR(test_reports(), "");
	ms_err_release(&e);
	return g;
}

static struct got *parse_fixture(const char *file)
{
	size_t len;
	char *text = read_fixture(file, &len);
	struct got *g = parse_ok(text, len);
	free(text);
	return g;
}

/* the row of KEY at NODE (TOTAL: v1's total), or NULL */
static const struct row *find(const struct got *g, const char *key, int total, uint32_t node)
{
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->r[i].key, key) && g->r[i].total == total &&
		    (total || g->r[i].node == node))
			return &g->r[i];
	return NULL;
}

static void expect(const struct got *g, const char *key, int total, uint32_t node,
		   uint64_t value, int line, int src)
{
	const struct row *r = find(g, key, total, node);
	if (!CHECK(r != NULL) || !CHECK_EQ_U64(r->value, value) || !CHECK_EQ_I64(r->line, line))
		fprintf(stderr, "  (%s %s node %u, from line %d)\n", key, total ? "total" : "",
			node, src);
}

#define NODE(g, key, node, value, line) expect((g), (key), 0, (node), (value), (line), __LINE__)
#define TOTAL(g, key, value, line) expect((g), (key), 1, 0, (value), (line), __LINE__)

/* S parses with its bad line reported as MSG, and ROWS rows from the
 * other lines */
static void bad(const char *s, size_t len, const char *msg, size_t rows, int src)
{
	struct got *g = malloc(sizeof(*g));
	REQUIRE(g != NULL);
	struct ms_err e = MS_ERR_INIT;
	char want[128];
	snprintf(want, sizeof(want), "%s\n", msg);
	if (!CHECK_EQ_I64(parse(s, len, g, &e), 0) || !CHECK_STR(e.msg, NULL) ||
	    !CHECK_STR(test_reports(), want) || !CHECK_EQ_U64(g->n, rows))
		fprintf(stderr, "  (from line %d)\n", src);
	ms_err_release(&e);
	free(g);
}

#define BAD(s, msg, rows) bad((s), sizeof(s) - 1, (msg), (rows), __LINE__)

TEST(numa_stat_v2_two_nodes)
{
	struct got *g = parse_fixture("cgroup-v2-6.1/sys/fs/cgroup/ms-jobs/ms-grower/memory.numa_stat");
	CHECK_EQ_U64(g->n, 27 * 2); /* 27 lines, two nodes, no totals */
	NODE(g, "anon", 0, 0, 1);
	NODE(g, "anon", 1, 28155904, 1);
	NODE(g, "file", 1, 4096, 2);
	NODE(g, "pagetables", 1, 73728, 4);
	NODE(g, "inactive_anon", 1, 28147712, 14);
	NODE(g, "active_anon", 1, 8192, 15);
	NODE(g, "slab_unreclaimable", 0, 200, 20);
	NODE(g, "slab_unreclaimable", 1, 4288, 20);
	NODE(g, "workingset_nodereclaim", 1, 0, 27);
	CHECK(find(g, "anon", 1, 0) == NULL);
	free(g);

	g = parse_fixture("cgroup-v2-6.1/sys/fs/cgroup/memory.numa_stat");
	CHECK_EQ_U64(g->n, 27 * 2);
	free(g);
}

TEST(numa_stat_v1_one_node)
{
	struct got *g = parse_fixture("cgroup-v1-6.18/sys/fs/cgroup/memory/memory.numa_stat");
	CHECK_EQ_U64(g->n, 8 * 2); /* a total and node 0 on each of 8 lines */
	TOTAL(g, "total", 5929, 1);
	NODE(g, "total", 0, 5929, 1);
	TOTAL(g, "unevictable", 4559, 4);
	TOTAL(g, "hierarchical_total", 597376, 5);
	NODE(g, "hierarchical_anon", 0, 72858, 7);
	NODE(g, "hierarchical_unevictable", 0, 4559, 8);
	/* the total comes before the nodes of its line */
	CHECK(g->r[0].total && !g->r[1].total);
	free(g);
}

TEST(numa_stat_v1_four_nodes_and_vendor_lines)
{
	static const char text[] =
		"total=44611 N0=32631 N1=7501 N2=1982 N3=2497\n"
		"file=44428 N0=32614 N1=7335 N2=1982 N3=2497\n"
		"anon=183 N0=17 N1=166 N2=0 N3=0\n"
		"unevictable=0 N0=0 N1=0 N2=0 N3=0\n"
		"hierarchical_total=768133 N0=509113 N1=138887 N2=20464 N3=99669\n"
		"hierarchical_file=722017 N0=496516 N1=119997 N2=20181 N3=85323\n"
		"hierarchical_anon=46096 N0=12597 N1=18890 N2=283 N3=14326\n"
		"hierarchical_unevictable=20 N0=0 N1=0 N2=0 N3=20\n"
		"numa_locality 0 0 0 0 0 0 0 0 0 0\n"
		"numa_exectime 0\n"
		"whatever=100 N0=0\n";
	struct got *g = parse_ok(text, sizeof(text) - 1);
	/* 8 lines of a total and 4 nodes; the two vendor lines skipped; a
	 * new statistic of the per-node shape kept */
	CHECK_EQ_U64(g->n, 8 * 5 + 2);
	TOTAL(g, "total", 44611, 1);
	NODE(g, "total", 3, 2497, 1);
	NODE(g, "anon", 1, 166, 3);
	NODE(g, "hierarchical_total", 0, 509113, 5);
	TOTAL(g, "hierarchical_unevictable", 20, 8);
	NODE(g, "hierarchical_unevictable", 3, 20, 8);
	CHECK(find(g, "numa_locality", 0, 0) == NULL && find(g, "numa_exectime", 1, 0) == NULL);
	TOTAL(g, "whatever", 100, 11);
	NODE(g, "whatever", 0, 0, 11);
	free(g);
}

TEST(numa_stat_other_projects)
{
	static const char telegraf[] =
		"anon N0=1330585600 N1=1141161984\n"
		"file N0=4531773440 N1=4001075200\n"
		"kernel_stack N0=4161536 N1=5537792\n"
		"pagetables N0=7839744 N1=8462336\n"
		"sec_pagetables N0=0 N1=0\n"
		"shmem N0=0 N1=4096\n"
		"file_mapped N0=10272768 N1=3940352\n"
		"file_dirty N0=258048 N1=45056\n"
		"file_writeback N0=0 N1=0\n"
		"swapcached N0=0 N1=0\n"
		"anon_thp N0=0 N1=2097152\n"
		"file_thp N0=0 N1=0\n"
		"shmem_thp N0=0 N1=0\n"
		"inactive_anon N0=1330479104 N1=1141067776\n"
		"active_anon N0=81920 N1=98304\n"
		"inactive_file N0=1584979968 N1=1350430720\n"
		"active_file N0=2946760704 N1=2650640384\n"
		"unevictable N0=0 N1=0\n"
		"slab_reclaimable N0=950447920 N1=1081869088\n"
		"slab_unreclaimable N0=2654816 N1=2661512\n"
		"workingset_refault_anon N0=0 N1=0\n"
		"workingset_refault_file N0=346752 N1=282604\n"
		"workingset_activate_anon N0=0 N1=0\n"
		"workingset_activate_file N0=40145 N1=65541\n"
		"workingset_restore_anon N0=0 N1=0\n"
		"workingset_restore_file N0=19386 N1=10010\n"
		"workingset_nodereclaim N0=0 N1=0\n";
	static const char pcp[] =
		"total=587104 N0=587104\n"
		"file=423715 N0=423715\n"
		"anon=163381 N0=163381\n"
		"unevictable=8 N0=8\n"
		"hierarchical_total=587104 N0=587104\n"
		"hierarchical_file=423715 N0=423715\n"
		"hierarchical_anon=163381 N0=163381\n"
		"hierarchical_unevictable=8 N0=8\n";
	struct got *g = parse_ok(telegraf, sizeof(telegraf) - 1);
	CHECK_EQ_U64(g->n, 27 * 2);
	NODE(g, "anon", 0, 1330585600, 1);
	NODE(g, "file", 1, 4001075200, 2);
	NODE(g, "sec_pagetables", 1, 0, 5);
	NODE(g, "slab_reclaimable", 1, 1081869088, 19);
	NODE(g, "workingset_restore_file", 0, 19386, 26);
	free(g);
	g = parse_ok(pcp, sizeof(pcp) - 1);
	CHECK_EQ_U64(g->n, 8 * 2);
	TOTAL(g, "anon", 163381, 3);
	NODE(g, "unevictable", 0, 8, 4);
	TOTAL(g, "hierarchical_total", 587104, 5);
	free(g);
}

TEST(numa_stat_empty_and_blank)
{
	struct got g;
	struct ms_err e = MS_ERR_INIT;
	CHECK_EQ_I64(parse("", 0, &g, &e), 0);
	CHECK_EQ_U64(g.n, 0);
	CHECK_EQ_I64(parse("\n  \nanon N0=4096\n", strlen("\n  \nanon N0=4096\n"), &g, &e), 0);
	CHECK_EQ_U64(g.n, 1);
	CHECK_EQ_I64(g.r[0].line, 3);
	CHECK(e.msg == NULL);
}

TEST(numa_stat_malformed)
{
	static const char shape[] = "memory.numa_stat:%d: expected 'KEY[=TOTAL] N0=VALUE ...'";
	char m1[80], m2[80];
	snprintf(m1, sizeof(m1), shape, 1);
	snprintf(m2, sizeof(m2), shape, 2);
	BAD("anon\n", m1, 0);
	BAD("anon N0\n", m1, 0);
	BAD("anon N0=\n", m1, 0);
	BAD("anon N0=1x\n", m1, 0);
	BAD("anon Nx=1\n", m1, 0);
	BAD("anon N0=1 2\n", m1, 0);
	BAD("anon=12 7\n", m1, 0);
	BAD("anon=x N0=1\n", m1, 0);
	BAD("=5 N0=1\n", m1, 0);
	BAD("anon N4294967296=1\n", m1, 0);
	BAD("anon N0=18446744073709551616\n", m1, 0);
	/* a bad line costs that line: the rows of the lines before and after it
	 * are handed over */
	BAD("anon N0=1 N1=2\nfile N0=3 N1=x\nshmem N0=5\n", m2, 3);
	BAD("anon N0=1\0\n", "memory.numa_stat:1: NUL byte", 0);
}
