/*
 * test_sampler.c - collect/sampler.c's full reads and unchanged processes:
 * when a sample compares a process's stat with the tick before (a sink whose
 * sample before was that tick), when it reads everything (a new bundle, a
 * sink that skipped ticks or was not written at the tick before, a change
 * of MemTotal or SwapTotal), and the listing of /proc skipped while the
 * fork count stands still.
 *
 * The tree is a fake /proc: meminfo from tests/fixtures/host-6.18, and one
 * process (PID 100) whose files are this test's own (real kernel text).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_writer.h"
#include "collect_opts.h"
#include "sampler.h"
#include "test.h"

struct fake {
	char root[64];
	char proc[96];
	struct collect_opts o;
	struct sampler s;
	struct bundle_writer *w[3];
	int fd;
};

static void put(const struct fake *f, const char *rel, const char *text, size_t len)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", f->proc, rel);
	FILE *fp = fopen(path, "w");
	REQUIRE(fp != NULL);
	REQUIRE(fwrite(text, 1, len, fp) == len);
	REQUIRE(fclose(fp) == 0);
}

static void copy_self(const struct fake *f, const char *name)
{
	char path[64], rel[64];
	snprintf(path, sizeof(path), "/proc/self/%s", name);
	size_t len;
	char *text = test_read_file(path, &len);
	snprintf(rel, sizeof(rel), "100/%s", name);
	put(f, rel, text, len);
	free(text);
}

static void forks(const struct fake *f, unsigned n)
{
	char text[128];
	int len = snprintf(text, sizeof(text), "cpu  1 0 1 100 0 0 0 0 0 0\nctxt 10\nbtime 1700000000\n"
			   "processes %u\nprocs_running 1\nprocs_blocked 0\n", n);
	put(f, "stat", text, (size_t)len);
}

static void setup(struct fake *f)
{
	snprintf(f->root, sizeof(f->root), "/tmp/ms-sampler-XXXXXX");
	REQUIRE(mkdtemp(f->root) != NULL);
	snprintf(f->proc, sizeof(f->proc), "%s/proc", f->root);
	REQUIRE(mkdir(f->proc, 0700) == 0);
	char dir[128];
	snprintf(dir, sizeof(dir), "%s/100", f->proc);
	REQUIRE(mkdir(dir, 0700) == 0);
	size_t len;
	char *mi = read_fixture("host-6.18/proc/meminfo", &len);
	put(f, "meminfo", mi, len);
	free(mi);
	const char *names[] = { "stat", "status", "oom_score", "oom_score_adj", "cgroup", "comm" };
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		copy_self(f, names[i]);
	forks(f, 5);
	collect_opts_init(&f->o);
	f->o.proc_root = f->proc;
	f->o.sys_root = f->root; /* no /sys: its files are gaps */
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(sampler_init(&f->s, &f->o, &err) == 0);
	f->fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	REQUIRE(f->fd >= 0);
	struct bundle_writer_opts wo = { 1, 0, 0, 0 };
	for (int i = 0; i < 3; i++)
		REQUIRE(bundle_writer_open(&f->w[i], f->fd, &wo, &err) == 0);
}

static void teardown(struct fake *f)
{
	for (int i = 0; i < 3; i++)
		bundle_writer_free(f->w[i]);
	close(f->fd);
	sampler_release(&f->s);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	CHECK(system(cmd) == 0);
}

/* One tier-0 tick into writers A (sample SA) and, when SB, B (sample SB):
 * 1 when it was a full read */
static int tick(struct fake *f, int a, unsigned sa, int b, unsigned sb)
{
	struct sinks k = { { { f->w[a], sa, 0, 0 } }, 1 };
	if (sb)
		k.k[k.n++] = (struct sink){ f->w[b], sb, 0, 0 };
	struct tick_cost cost;
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(sampler_tick(&f->s, &k, 1, 0, NULL, &cost, &err) == 0);
	return f->s.full_read;
}

TEST(full_reads_follow_the_sinks)
{
	struct fake f;
	setup(&f);
	CHECK(tick(&f, 0, 1, 0, 0) == 1);          /* a bundle's first sample */
	CHECK(tick(&f, 0, 2, 0, 0) == 0);          /* the tick before is its sample 1 */
	CHECK_EQ_U64(f.s.unchanged, 1);            /* 100's stat: the same text */
	CHECK(tick(&f, 0, 3, 1, 1) == 1);          /* B starts */
	CHECK(tick(&f, 0, 4, 1, 2) == 0);
	CHECK_EQ_U64(f.s.unchanged, 1);
	CHECK(tick(&f, 0, 5, 2, 7) == 1);          /* C, not written at the tick before */
	CHECK(tick(&f, 0, 6, 2, 8) == 0);
	CHECK(tick(&f, 0, 8, 0, 0) == 1);          /* A skipped a sample number: a pause */
	CHECK_EQ_U64(f.s.unchanged, 0);
	CHECK(tick(&f, 0, 9, 0, 0) == 0);
	teardown(&f);
}

TEST(totals_and_stat_changes)
{
	struct fake f;
	setup(&f);
	CHECK(tick(&f, 0, 1, 0, 0) == 1);
	CHECK(tick(&f, 0, 2, 0, 0) == 0);
	CHECK_EQ_U64(f.s.unchanged, 1);
	/* swapon: SwapTotal moves, every oom_score with it */
	size_t len;
	char *mi = read_fixture("host-6.18/proc/meminfo", &len);
	char *p = strstr(mi, "SwapTotal:");
	REQUIRE(p != NULL);
	char *eol = strchr(p, '\n');
	REQUIRE(eol != NULL);
	struct ms_buf b = { 0 };
	REQUIRE(ms_buf_init(&b, len + 64) == 0);
	REQUIRE(ms_buf_add(&b, mi, (size_t)(p - mi)) == 0);
	REQUIRE(ms_buf_addstr(&b, "SwapTotal:      1048572 kB") == 0);
	REQUIRE(ms_buf_add(&b, eol, len - (size_t)(eol - mi)) == 0);
	put(&f, "meminfo", b.data, b.len);
	CHECK(tick(&f, 0, 3, 0, 0) == 1);
	CHECK_EQ_U64(f.s.unchanged, 0);
	CHECK(tick(&f, 0, 4, 0, 0) == 0);          /* the new totals stand */
	CHECK_EQ_U64(f.s.unchanged, 1);
	/* 100 ran: its stat differs by one byte */
	char *st = test_read_file("/proc/self/stat", &len);
	char *q = strchr(st, ')');
	REQUIRE(q != NULL && q[2] != 'X');
	q[2] = 'X'; /* the state field */
	put(&f, "100/stat", st, len);
	free(st);
	CHECK(tick(&f, 0, 5, 0, 0) == 0);
	CHECK_EQ_U64(f.s.unchanged, 0);
	CHECK(tick(&f, 0, 6, 0, 0) == 0);
	CHECK_EQ_U64(f.s.unchanged, 1);
	ms_buf_release(&b);
	free(mi);
	teardown(&f);
}

TEST(listing_waits_for_a_fork)
{
	struct fake f;
	setup(&f);
	CHECK(tick(&f, 0, 1, 0, 0) == 1);
	CHECK(f.s.listed);
	CHECK_EQ_U64(f.s.cur.n, 1);
	/* 200 appears without a fork counted: not listed, not sampled */
	char dir[160];
	snprintf(dir, sizeof(dir), "%s/200", f.proc);
	REQUIRE(mkdir(dir, 0700) == 0);
	char *st = test_read_file("/proc/self/stat", NULL);
	REQUIRE(st != NULL);
	char *sp = strchr(st, ' ');
	REQUIRE(sp != NULL);
	char line[4096];
	int n = snprintf(line, sizeof(line), "200%s", sp);
	REQUIRE(n > 0 && (size_t)n < sizeof(line));
	put(&f, "200/stat", line, (size_t)n);
	free(st);
	CHECK(tick(&f, 0, 2, 0, 0) == 0);
	CHECK(!f.s.listed);
	CHECK_EQ_U64(f.s.cur.n, 1);
	forks(&f, 6);
	CHECK(tick(&f, 0, 3, 0, 0) == 0);
	CHECK(f.s.listed);
	CHECK_EQ_U64(f.s.cur.n, 2);
	/* 100 exits: gone from the reused list without a listing */
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -r '%s/100'", f.proc);
	REQUIRE(system(cmd) == 0);
	CHECK(tick(&f, 0, 4, 0, 0) == 0);
	CHECK(!f.s.listed);
	CHECK_EQ_U64(f.s.cur.n, 1);
	CHECK_EQ_U64(f.s.npid, 1);
	teardown(&f);
}
