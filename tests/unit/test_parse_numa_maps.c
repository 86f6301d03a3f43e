/*
 * test_parse_numa_maps.c - analyze/parse/numa_maps.c on real
 * /proc/PID/numa_maps text (the two-node 6.1 VM, this 6.18 host), on
 * shapes the fixtures lack (hugetlb, multi-word policies, 1024 nodes), and
 * on malformed input.
 *
 * Expected values were read from the fixture files with an independent
 * split (Python: str.split() and a regex for N<node>=<pages>); per-node
 * totals for t0/proc/151 are N0=104921 N1=36240, and the two regions in
 * hog.log (main: N0=76800; spill: N0=27949 N1=36051) appear as lines 9
 * and 8.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numa_maps.h"
#include "test.h"

#define MAX_GOT 40

struct got {
	size_t n;
	struct numa_maps_vma v[MAX_GOT];
	char policy[MAX_GOT][48];
	char file[MAX_GOT][96];
	struct numa_maps_node nodes[MAX_GOT][4];
	uint64_t node_total[NUMA_MAPS_MAX_NODES];
	size_t max_nodes;             /* most entries seen on one line */
};

static int collect(void *ctx, const struct numa_maps_vma *vma, struct ms_err *err)
{
	struct got *g = ctx;
	(void)err;
	for (size_t k = 0; k < vma->n_nodes; k++)
		g->node_total[vma->nodes[k].node] += vma->nodes[k].pages;
	if (vma->n_nodes > g->max_nodes)
		g->max_nodes = vma->n_nodes;
	REQUIRE(g->n < MAX_GOT);
	size_t i = g->n++;
	g->v[i] = *vma;
	int n = snprintf(g->policy[i], sizeof(g->policy[i]), "%s", vma->policy);
	CHECK(n >= 0 && (size_t)n < sizeof(g->policy[i]));
	g->v[i].policy = g->policy[i];
	if (vma->file) {
		n = snprintf(g->file[i], sizeof(g->file[i]), "%s", vma->file);
		CHECK(n >= 0 && (size_t)n < sizeof(g->file[i]));
		g->v[i].file = g->file[i];
	}
	CHECK((vma->nodes == NULL) == (vma->n_nodes == 0));
	for (size_t k = 0; k < vma->n_nodes && k < 4; k++)
		g->nodes[i][k] = vma->nodes[k];
	g->v[i].nodes = NULL;
	return 0;
}

/* Parse from an exact-size heap copy without a NUL (ASan sees over-reads). */
static int parse_exact(const char *s, size_t len, struct got *g, struct ms_err *e)
{
	char *p = malloc(len ? len : 1);
	REQUIRE(p != NULL);
	if (len)
		memcpy(p, s, len);
	int rc = numa_maps_parse(p, len, collect, g, &test_rep, e);
	free(p);
	return rc;
}

static struct got *got_new(void)
{
	struct got *g = calloc(1, sizeof(*g));
	REQUIRE(g != NULL);
	return g;
}

/* S parses with one bad line, reported as MSG, and ROWS from the others */
static void bad(const char *s, size_t len, const char *msg, size_t rows, int line)
{
	struct ms_err e = MS_ERR_INIT;
	struct got *g = got_new();
	char want[160];
	snprintf(want, sizeof(want), "%s\n", msg);
	if (!CHECK_EQ_I64(parse_exact(s, len, g, &e), 0) || !CHECK_STR(e.msg, NULL) ||
	    !CHECK_STR(test_reports(), want) || !CHECK_EQ_U64(g->n, rows))
		fprintf(stderr, "  (from line %d)\n", line);
	free(g);
	ms_err_release(&e);
}

#define NM_BAD(s, msg) bad((s), strlen(s), (msg), 0, __LINE__)

TEST(numa_maps_two_node_hog)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/151/numa_maps", &len);
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, g, &err), 0);
	CHECK(err.msg == NULL);
	REQUIRE(g->n == 12);
	CHECK_EQ_U64(g->node_total[0], 104921);
	CHECK_EQ_U64(g->node_total[1], 36240);
	CHECK_EQ_U64(g->max_nodes, 2);

	/* the MPOL_PREFERRED spill region: node 0 filled up, rest on node 1 */
	const struct numa_maps_vma *v = &g->v[7];
	CHECK_EQ_U64(v->start, 0x7f156211f000);
	CHECK_STR(v->policy, "prefer:0");
	CHECK(v->file == NULL);
	CHECK_EQ_I64(v->heap + v->stack + v->huge, 0);
	CHECK_EQ_I64(v->anon, 64000);
	CHECK_EQ_I64(v->dirty, 64000);
	CHECK_EQ_I64(v->active, 0);
	CHECK_EQ_I64(v->mapped, -1);
	CHECK_EQ_I64(v->mapmax, -1);
	CHECK_EQ_I64(v->swapcache, -1);
	CHECK_EQ_I64(v->writeback, -1);
	CHECK_EQ_I64(v->page_size_bytes, 4096);
	CHECK_EQ_U64(v->pages, 64000);
	REQUIRE(v->n_nodes == 2);
	CHECK_EQ_U64(g->nodes[7][0].node, 0);
	CHECK_EQ_U64(g->nodes[7][0].pages, 27949);
	CHECK_EQ_U64(g->nodes[7][1].node, 1);
	CHECK_EQ_U64(g->nodes[7][1].pages, 36051);
	CHECK_EQ_I64(v->line, 8);

	/* the MPOL_BIND region: all on node 0 */
	v = &g->v[8];
	CHECK_STR(v->policy, "bind:0");
	CHECK_EQ_U64(v->pages, 76800);
	REQUIRE(v->n_nodes == 1);
	CHECK_EQ_U64(g->nodes[8][0].pages, 76800);

	v = &g->v[0];
	CHECK_EQ_U64(v->start, 0x400000);
	CHECK_STR(v->policy, "default");
	CHECK_STR(v->file, "/bin/numa_hog");
	CHECK_EQ_I64(v->dirty, 1);
	CHECK_EQ_I64(v->anon, -1);
	CHECK_EQ_I64(v->active, -1);    /* absent: every page active */

	v = &g->v[6];
	CHECK_EQ_U64(v->start, 0x3e26a000);
	CHECK_EQ_I64(v->heap, 1);
	CHECK_EQ_I64(v->anon, 190);
	CHECK_EQ_U64(g->nodes[6][0].pages, 2);
	CHECK_EQ_U64(g->nodes[6][1].pages, 188);

	CHECK_EQ_I64(g->v[9].stack, 1);
	CHECK_EQ_I64(g->v[9].active, 1);

	/* "7ffd28bc3000 default": no pages, so nothing else is printed */
	v = &g->v[10];
	CHECK_EQ_U64(v->start, 0x7ffd28bc3000);
	CHECK_STR(v->policy, "default");
	CHECK_EQ_U64(v->n_nodes, 0);
	CHECK_EQ_U64(v->pages, 0);
	CHECK_EQ_I64(v->page_size_bytes, -1);
	CHECK_EQ_I64(v->anon, -1);
	free(g);
	free(text);
}

TEST(numa_maps_two_node_init)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/1/numa_maps", &len);
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, g, &err), 0);
	REQUIRE(g->n == 10);
	CHECK_EQ_U64(g->node_total[0], 432);
	CHECK_EQ_U64(g->node_total[1], 23);
	CHECK_EQ_I64(g->v[2].mapmax, 2);
	CHECK_EQ_I64(g->v[3].mapmax, 2);
	CHECK_EQ_I64(g->v[3].anon, 2);
	CHECK_EQ_I64(g->v[3].dirty, 7);
	CHECK_EQ_I64(g->v[3].active, 5);
	CHECK_EQ_U64(g->v[3].pages, 7);
	CHECK_STR(g->v[3].file, "/bin/busybox");
	/* a line with only N1: the node id is kept, not the index */
	REQUIRE(g->v[4].n_nodes == 1);
	CHECK_EQ_U64(g->nodes[4][0].node, 1);
	CHECK_EQ_U64(g->nodes[4][0].pages, 3);
	free(g);
	free(text);
}

TEST(numa_maps_host_escaped_paths)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/24054/numa_maps", &len);
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, g, &err), 0);
	REQUIRE(g->n == 31);
	CHECK_EQ_U64(g->node_total[0], 881);
	CHECK_EQ_U64(g->max_nodes, 1);
	/* \040 is a blank, \075 '=', \012 a newline */
	CHECK_STR(g->v[17].file, "/dev/zero (deleted)");
	CHECK_EQ_I64(g->v[17].dirty, 4);
	CHECK_STR(g->v[18].file, "/tmp/ms fixture/eq=sign\nnl");
	CHECK_STR(g->v[19].file, "/tmp/ms fixture/gone.bin (deleted)");
	CHECK_STR(g->v[20].file, "/tmp/ms fixture/data file.bin");
	CHECK_EQ_I64(g->v[20].dirty, 2);
	/* shared libc: mapped and mapmax */
	CHECK_STR(g->v[10].file, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	CHECK_EQ_I64(g->v[10].mapped, 207);
	CHECK_EQ_I64(g->v[10].mapmax, 34);
	/* the THP region counts 4 KiB pages: 512 of them */
	CHECK_EQ_U64(g->v[6].start, 0x7f7835e00000);
	CHECK_EQ_I64(g->v[6].anon, 512);
	CHECK_EQ_I64(g->v[6].page_size_bytes, 4096);
	CHECK_EQ_I64(g->v[5].heap, 1);
	CHECK_EQ_I64(g->v[30].stack, 1);
	free(g);
	free(text);
}

TEST(numa_maps_kernel_thread_empty)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/2/numa_maps", &len);
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, g, &err), 0);
	CHECK_EQ_U64(g->n, 0);
	CHECK_EQ_I64(numa_maps_parse(NULL, 0, collect, g, &test_rep, &err), 0);
	free(g);
	free(text);
}

/* Shapes from mm/mempolicy.c and Documentation/admin-guide/mm/numa_memory_policy.rst */
TEST(numa_maps_inline_shapes)
{
	const char *s =
		"7f0000000000 bind:0 file=/dev/hugepages/x huge dirty=2 N0=2 kernelpagesize_kB=2048\n"
		"7f0000400000 weighted interleave:0-1 anon=3 dirty=3 N0=2 N1=1 kernelpagesize_kB=4\n"
		"7f0000500000 prefer (many):0-1 anon=1 dirty=1 N1=1 kernelpagesize_kB=4\n"
		"7f0000600000 bind=static:0-3 anon=1 dirty=1 swapcache=1 writeback=1 N3=1 kernelpagesize_kB=4\n"
		"7f0000700000 local future=5 anon=1 dirty=1 N0=1 kernelpagesize_kB=4\n"
		"7f0000800000 default file=/a\\b\\1x anon=1 dirty=1 N0=1 kernelpagesize_kB=4"; /* no '\n' */
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(s, strlen(s), g, &err), 0);
	REQUIRE(g->n == 6);
	CHECK_STR(g->v[0].policy, "bind:0");
	CHECK_EQ_I64(g->v[0].huge, 1);
	CHECK_EQ_I64(g->v[0].page_size_bytes, 2048 * 1024);
	CHECK_EQ_I64(g->v[0].active, -1);
	CHECK_STR(g->v[1].policy, "weighted interleave:0-1");
	CHECK_EQ_U64(g->v[1].pages, 3);
	CHECK_STR(g->v[2].policy, "prefer (many):0-1");
	CHECK_STR(g->v[3].policy, "bind=static:0-3");
	CHECK_EQ_I64(g->v[3].swapcache, 1);
	CHECK_EQ_I64(g->v[3].writeback, 1);
	CHECK_EQ_U64(g->nodes[3][0].node, 3);
	CHECK_STR(g->v[4].policy, "local");
	CHECK_EQ_I64(g->v[4].anon, 1);
	/* a literal backslash is not an escape unless 3 octal digits follow */
	CHECK_STR(g->v[5].file, "/a\\b\\1x");
	free(g);
}

TEST(numa_maps_node_limit)
{
	/* 1024 nodes on one line: accepted, in file order */
	size_t cap = 64 + NUMA_MAPS_MAX_NODES * 16, n = 0;
	char *s = malloc(cap);
	REQUIRE(s != NULL);
	n += (size_t)snprintf(s, cap, "7f0000000000 interleave:0-1023");
	for (int k = NUMA_MAPS_MAX_NODES - 1; k >= 0; k--)
		n += (size_t)snprintf(s + n, cap - n, " N%d=%d", k, k + 1);
	n += (size_t)snprintf(s + n, cap - n, " kernelpagesize_kB=4\n");
	REQUIRE(n < cap);
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(s, n, g, &err), 0);
	REQUIRE(g->n == 1);
	CHECK_EQ_U64(g->v[0].n_nodes, 1024);
	CHECK_EQ_U64(g->v[0].pages, 1024 * 1025 / 2);
	CHECK_EQ_U64(g->nodes[0][0].node, 1023);
	CHECK_EQ_U64(g->node_total[0], 1);
	CHECK_EQ_U64(g->node_total[1023], 1024);
	free(g);
	free(s);

	NM_BAD("7f0000000000 default N1024=1 kernelpagesize_kB=4\n",
	       "numa_maps:1: node 1024 beyond the 1024-node limit");
	NM_BAD("7f0000000000 default N99999999999999999999=1 kernelpagesize_kB=4\n",
	       "numa_maps:1: bad value in 'N99999999999999999999=1'");
	NM_BAD("7f0000000000 default N0=1 N1=2 N0=3 kernelpagesize_kB=4\n",
	       "numa_maps:1: node 0 listed twice");
}

TEST(numa_maps_malformed)
{
	NM_BAD("7f0000000000\n", "numa_maps:1: expected 'address policy ...'");
	NM_BAD("xyz default\n", "numa_maps:1: expected 'address policy ...'");
	NM_BAD("7f0000000000default\n", "numa_maps:1: expected 'address policy ...'");
	/* a bad line costs that line: the lines before and after it are read */
	const char *mid = "7f0000000000 default\n 7f0000001000 default\n7f0000002000 local\n";
	bad(mid, strlen(mid), "numa_maps:2: expected 'address policy ...'", 2, __LINE__);
	NM_BAD("7f0000000000 default anon=x N0=1 kernelpagesize_kB=4\n",
	       "numa_maps:1: bad value in 'anon=x'");
	NM_BAD("7f0000000000 default anon=-1 N0=1 kernelpagesize_kB=4\n",
	       "numa_maps:1: bad value in 'anon=-1'");
	NM_BAD("7f0000000000 default anon=9223372036854775808 N0=1 kernelpagesize_kB=4\n",
	       "numa_maps:1: bad value in 'anon=9223372036854775808'");
	NM_BAD("7f0000000000 default N0=1 kernelpagesize_kB=9007199254740992\n",
	       "numa_maps:1: bad value in 'kernelpagesize_kB=9007199254740992'");
	NM_BAD("7f0000000000 default N0= kernelpagesize_kB=4\n",
	       "numa_maps:1: bad value in 'N0='");
	NM_BAD("7f0000000000 default anon=1 anon=1 N0=1 kernelpagesize_kB=4\n",
	       "numa_maps:1: duplicate 'anon'");
	NM_BAD("7f0000000000 default file=/a file=/b\n", "numa_maps:1: duplicate 'file'");
	NM_BAD("7f0000000000 default heapx\n", "numa_maps:1: unexpected 'heapx'");
	NM_BAD("7f0000000000 default anon=1 dirty=1 N0=1\n",
	       "numa_maps:1: pages but no kernelpagesize_kB");
}

TEST(numa_maps_truncated)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/151/numa_maps", &len);
	/* cut inside the last word of line 8 ("kernelpagesize_k") */
	const char *l8 = strstr(text, "7f156211f000");
	REQUIRE(l8 != NULL);
	const char *eol = strchr(l8, '\n');
	REQUIRE(eol != NULL);
	bad(text, (size_t)(eol - text) - 3, "numa_maps:8: unexpected 'kernelpagesize_k'", 7,
	    __LINE__);
	/* cut before that word: the line has pages but no page size */
	bad(text, (size_t)(eol - text) - 20, "numa_maps:8: pages but no kernelpagesize_kB", 7,
	    __LINE__);
	/* every prefix: no crash; a clean parse, its problems "numa_maps:" */
	for (size_t cut = 0; cut <= len; cut++) {
		struct got *g = got_new();
		struct ms_err err = MS_ERR_INIT;
		CHECK_EQ_I64(parse_exact(text, cut, g, &err), 0);
		const char *r = test_reports();
		CHECK(!*r || strncmp(r, "numa_maps:", 10) == 0);
		CHECK(g->n <= 12);
		ms_err_release(&err);
		free(g);
	}
	free(text);
}

TEST(numa_maps_nul_and_long_lines)
{
	size_t len;
	char *text = read_fixture("numa-2node-6.1/t0/proc/151/numa_maps", &len);
	char *c = malloc(len);
	REQUIRE(c != NULL);
	memcpy(c, text, len);
	char *heap = strstr(c, " heap ");
	REQUIRE(heap != NULL);
	heap[2] = '\0';
	bad(c, len, "numa_maps:7: NUL byte", 11, __LINE__);
	free(c);

	size_t big = 100 * 1024;
	char *s = malloc(len + big);
	REQUIRE(s != NULL);
	const char *l3 = strstr(text, "\n0047b000");
	REQUIRE(l3 != NULL);
	size_t head = (size_t)(l3 - text) + 1;
	memcpy(s, text, head);
	memcpy(s + head, "0047b000 default file=/", 23);
	memset(s + head + 23, 'f', big);
	memcpy(s + head + 23 + big, "\n", 1);
	struct got *g = got_new();
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(s, head + 24 + big, g, &err), 0);
	CHECK_STR(test_reports(), "numa_maps:3: line longer than 65536 bytes\n");
	CHECK_EQ_U64(g->n, 2);  /* the lines before it were delivered */
	ms_err_release(&err);
	free(g);
	free(s);
	CHECK_EQ_I64(numa_maps_parse("", (size_t)INT_MAX + 1, collect, NULL, &test_rep, &err), -1);
	CHECK_STR(err.msg, "numa_maps: text of 2147483648 bytes is too large");
	ms_err_release(&err);
	free(text);
}
