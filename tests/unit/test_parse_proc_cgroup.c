/*
 * test_parse_proc_cgroup.c - analyze/parse/proc_cgroup.c on real
 * /proc/PID/cgroup text (this hybrid 6.18 host), on a cgroup-v1-only file
 * of the 3.10 era, on a v2-only file, and on malformed input.
 *
 * Expected values are the fields of the fixture lines, read by eye.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc_cgroup.h"
#include "test.h"

#define MAX_ROWS 16

struct row {
	uint32_t hierarchy;
	char controllers[32];
	char path[96];
	int line;
};

struct got {
	size_t n;
	struct row r[MAX_ROWS];
};

static int collect(void *ctx, const struct proc_cgroup_row *row, struct ms_err *err)
{
	struct got *g = ctx;
	(void)err;
	REQUIRE(g->n < MAX_ROWS);
	struct row *r = &g->r[g->n++];
	r->hierarchy = row->hierarchy;
	int a = snprintf(r->controllers, sizeof(r->controllers), "%s", row->controllers);
	int b = snprintf(r->path, sizeof(r->path), "%s", row->path);
	CHECK(a >= 0 && (size_t)a < sizeof(r->controllers) && b >= 0 && (size_t)b < sizeof(r->path));
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
	memset(g, 0, sizeof(*g));
	int rc = proc_cgroup_parse(p, len, collect, g, &test_rep, e);
	free(p);
	return rc;
}

/* S parses with one bad line, reported as MSG, and ROWS rows from the
 * others */
static void bad(const char *s, size_t len, const char *msg, size_t rows, int line)
{
	struct ms_err e = MS_ERR_INIT;
	struct got g;
	char want[128];
	snprintf(want, sizeof(want), "%s\n", msg);
	if (!CHECK_EQ_I64(parse_exact(s, len, &g, &e), 0) || !CHECK_STR(e.msg, NULL) ||
	    !CHECK_STR(test_reports(), want) || !CHECK_EQ_U64(g.n, rows))
		fprintf(stderr, "  (from line %d)\n", line);
	ms_err_release(&e);
}

#define CG_BAD(s, msg) bad((s), strlen(s), (msg), 0, __LINE__)

#define CHECK_CG(r, id, ctl, path_, line_) do {                                \
	CHECK_EQ_U64((r).hierarchy, (id));                                      \
	CHECK_STR((r).controllers, (ctl));                                      \
	CHECK_STR((r).path, (path_));                                           \
	CHECK_EQ_I64((r).line, (line_));                                        \
} while (0)

TEST(proc_cgroup_host_hybrid)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/self/cgroup", &len);
	struct got g;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &g, &err), 0);
	CHECK(err.msg == NULL);
	REQUIRE(g.n == 10);
	CHECK_CG(g.r[0], 9, "name=systemd", "/", 1);
	CHECK_CG(g.r[5], 4, "memory", "/process_api/55a1a9fc638c06fd1c78a5b3a5631b5d", 6);
	CHECK_CG(g.r[8], 1, "cpu", "/", 9);
	CHECK_CG(g.r[9], 0, "", "/", 10);   /* the v2 line of a hybrid host */
	free(text);

	text = read_fixture("host-6.18/proc/24054/cgroup", &len);
	CHECK_EQ_I64(parse_exact(text, len, &g, &err), 0);
	REQUIRE(g.n == 10);
	CHECK_CG(g.r[5], 4, "memory", "/process_api/ef4562634e165ec717a013d4f1dbf73f", 6);
	free(text);
}

TEST(proc_cgroup_old_v1_only)
{
	size_t len;
	char *text = read_fixture("old-kernel/3.10/proc/1234/cgroup", &len);
	struct got g;
	struct ms_err err = MS_ERR_INIT;
	CHECK_EQ_I64(parse_exact(text, len, &g, &err), 0);
	REQUIRE(g.n == 10);
	CHECK_CG(g.r[0], 10, "hugetlb", "/", 1);
	CHECK_CG(g.r[3], 7, "net_prio,net_cls", "/", 4);
	CHECK_CG(g.r[6], 4, "memory", "/user.slice", 7);
	CHECK_CG(g.r[7], 3, "cpuacct,cpu", "/user.slice", 8);
	CHECK_CG(g.r[9], 1, "name=systemd", "/user.slice/user-1000.slice/session-1.scope", 10);
	free(text);
}

TEST(proc_cgroup_v2_and_odd_paths)
{
	struct got g;
	struct ms_err err = MS_ERR_INIT;
	/* a pure v2 host; a path with ':' and blanks; no final newline */
	const char *s = "0::/user.slice/user-1000.slice/session-2.scope\n"
			"\n"
			"5:cpu,cpuacct:/a:b c/../d";
	CHECK_EQ_I64(parse_exact(s, strlen(s), &g, &err), 0);
	REQUIRE(g.n == 2);
	CHECK_CG(g.r[0], 0, "", "/user.slice/user-1000.slice/session-2.scope", 1);
	CHECK_CG(g.r[1], 5, "cpu,cpuacct", "/a:b c/../d", 3);
	/* empty: no hierarchy at all */
	CHECK_EQ_I64(parse_exact("", 0, &g, &err), 0);
	CHECK_EQ_U64(g.n, 0);
	CHECK_EQ_I64(proc_cgroup_parse(NULL, 0, collect, &g, &test_rep, &err), 0);
	CHECK(err.msg == NULL);
}

TEST(proc_cgroup_malformed)
{
	const char *shape = "proc_cgroup:1: expected 'ID:CONTROLLERS:PATH'";
	CG_BAD("x:memory:/\n", shape);
	CG_BAD(":memory:/\n", shape);
	CG_BAD("4:memory\n", shape);
	CG_BAD("4:memory:\n", shape);
	CG_BAD("4 :memory:/\n", shape);
	CG_BAD("-1::/\n", shape);
	CG_BAD("4294967296::/\n", shape);
	CG_BAD(" \n", shape);
	/* a bad line costs that line: the lines before and after it are read */
	bad("0::/\n4\n1:name=x:/y\n", 19, "proc_cgroup:2: expected 'ID:CONTROLLERS:PATH'", 2,
	    __LINE__);
}

TEST(proc_cgroup_truncated_nul_long)
{
	size_t len;
	char *text = read_fixture("host-6.18/proc/self/cgroup", &len);
	/* cut right after "4:memory:" */
	const char *m = strstr(text, "4:memory:");
	REQUIRE(m != NULL);
	bad(text, (size_t)(m - text) + 9, "proc_cgroup:6: expected 'ID:CONTROLLERS:PATH'", 5,
	    __LINE__);
	struct got g;
	struct ms_err err = MS_ERR_INIT;
	for (size_t cut = 0; cut <= len; cut++) {
		CHECK_EQ_I64(parse_exact(text, cut, &g, &err), 0);
		const char *r = test_reports();
		CHECK(!*r || strncmp(r, "proc_cgroup:", 12) == 0);
		ms_err_release(&err);
	}
	char *c = malloc(len);
	REQUIRE(c != NULL);
	memcpy(c, text, len);
	c[(m - text) + 3] = '\0';
	bad(c, len, "proc_cgroup:6: NUL byte", 9, __LINE__);
	free(c);

	size_t big = 100 * 1024;
	char *s = malloc(big + 16);
	REQUIRE(s != NULL);
	memcpy(s, "0::/", 4);
	memset(s + 4, 'd', big);
	memcpy(s + 4 + big, "\n", 1);
	bad(s, big + 5, "proc_cgroup:1: line longer than 65536 bytes", 0, __LINE__);
	free(s);
	CHECK_EQ_I64(proc_cgroup_parse("", (size_t)INT_MAX + 1, collect, NULL, &test_rep, &err), -1);
	CHECK_STR(err.msg, "proc_cgroup: text of 2147483648 bytes is too large");
	ms_err_release(&err);
	free(text);
}
