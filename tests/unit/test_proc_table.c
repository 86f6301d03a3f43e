/*
 * test_proc_table.c - collect/proc_table.c: the per-tick process table and
 * the choice of processes for the slow tier (largest RSS alternating with
 * fastest growth, kernel threads and refused processes never, walk-limit
 * filter respected).
 */
#include <stdio.h>
#include <string.h>

#include "proc_table.h"
#include "test.h"

static void add(struct proc_table *t, int64_t pid, uint64_t rss, uint64_t mark, int has_mm)
{
	struct proc_ent e = { .pid = pid, .starttime = (uint64_t)pid * 10, .rss_pages = rss,
			      .mark_pages = mark, .has_mm = has_mm };
	REQUIRE(proc_table_add(t, &e) == 0);
}

TEST(add_find_sorted)
{
	struct proc_table t;
	proc_table_init(&t);
	CHECK(proc_table_find(&t, 1) == NULL);          /* empty */
	/* more than the first allocation (512) to exercise growth */
	for (int64_t pid = 2; pid <= 3000; pid += 2)
		add(&t, pid, (uint64_t)pid, 0, 1);
	CHECK_EQ_U64(t.n, 1500);
	CHECK(t.sorted);
	for (int64_t pid = 2; pid <= 3000; pid += 2) {
		struct proc_ent *e = proc_table_find(&t, pid);
		if (!CHECK(e != NULL))
			break;
		CHECK_EQ_I64(e->pid, pid);
		CHECK_EQ_U64(e->starttime, (uint64_t)pid * 10);
	}
	/* absent: before the first, between, after the last */
	CHECK(proc_table_find(&t, 1) == NULL);
	CHECK(proc_table_find(&t, 0) == NULL);
	CHECK(proc_table_find(&t, -5) == NULL);
	CHECK(proc_table_find(&t, 1001) == NULL);
	CHECK(proc_table_find(&t, 3001) == NULL);
	CHECK(proc_table_find(&t, 4000000) == NULL);
	/* find returns the entry itself: updates stick */
	proc_table_find(&t, 100)->mark_pages = 77;
	CHECK_EQ_U64(proc_table_find(&t, 100)->mark_pages, 77);

	proc_table_reset(&t);
	CHECK_EQ_U64(t.n, 0);
	CHECK(t.sorted);
	CHECK(proc_table_find(&t, 2) == NULL);
	add(&t, 9, 1, 0, 1);
	CHECK(proc_table_find(&t, 9) != NULL);
	proc_table_release(&t);
	CHECK(t.ent == NULL);
	CHECK_EQ_U64(t.n, 0);
	proc_table_release(&t);                         /* twice is harmless */
}

TEST(add_find_unsorted)
{
	struct proc_table t;
	proc_table_init(&t);
	const int64_t pids[] = { 50, 10, 40, 20, 30, 70, 60 };
	for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		add(&t, pids[i], (uint64_t)i, 0, 1);
		CHECK_EQ_I64(t.sorted, i == 0);
	}
	for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		struct proc_ent *e = proc_table_find(&t, pids[i]);
		if (CHECK(e != NULL))
			CHECK_EQ_U64(e->rss_pages, i);
	}
	CHECK(proc_table_find(&t, 35) == NULL);
	CHECK(proc_table_find(&t, 5) == NULL);
	CHECK(proc_table_find(&t, 80) == NULL);

	/* a repeated PID also marks the table unsorted; find gets the first */
	proc_table_reset(&t);
	add(&t, 1, 100, 0, 1);
	add(&t, 2, 200, 0, 1);
	CHECK(t.sorted);
	add(&t, 2, 300, 0, 1);
	CHECK(!t.sorted);
	CHECK_EQ_U64(proc_table_find(&t, 2)->rss_pages, 200);
	/* reset makes it sorted again */
	proc_table_reset(&t);
	add(&t, 5, 1, 0, 1);
	add(&t, 6, 1, 0, 1);
	CHECK(t.sorted);
	CHECK(proc_table_find(&t, 6) != NULL);
	proc_table_release(&t);
}

/* The table most pick tests use (index: pid rss mark has_mm):
 *   0: 1    100  100 1   small, flat
 *   1: 2  99999    0 0   kernel thread: huge numbers, never picked
 *   2: 10  5000 5000 1   largest, flat
 *   3: 11  3000 1000 1   fastest growing (+2000)
 *   4: 12  4000 3900 1   second largest, +100
 *   5: 13   200  100 1   +100 (ties with 4, comes later)
 *   6: 14  2500 3000 1   shrinking
 */
static void pick_table(struct proc_table *t)
{
	proc_table_init(t);
	add(t, 1, 100, 100, 1);
	add(t, 2, 99999, 0, 0);
	add(t, 10, 5000, 5000, 1);
	add(t, 11, 3000, 1000, 1);
	add(t, 12, 4000, 3900, 1);
	add(t, 13, 200, 100, 1);
	add(t, 14, 2500, 3000, 1);
}

/* Render picked indices as a string ("2,3,4") for one readable CHECK_STR. */
static const char *fmt_idx(const size_t *idx, size_t n, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used + 24 < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%zu", i ? "," : "", idx[i]);
	return buf;
}

#define PICK(t, n, fn, ctx, want) do {                                          \
	size_t out_[16];                                                         \
	char buf_[128];                                                          \
	memset(out_, 0xff, sizeof(out_));                                        \
	size_t k_ = proc_table_pick((t), (n), (fn), (ctx), out_);                \
	CHECK_STR(fmt_idx(out_, k_, buf_, sizeof(buf_)), (want));                \
	/* nothing written past the returned count */                            \
	for (size_t i_ = k_; i_ < 16; i_++)                                      \
		CHECK_EQ_U64(out_[i_], (size_t)-1);                              \
} while (0)

TEST(pick_alternates_largest_and_fastest)
{
	struct proc_table t;
	pick_table(&t);
	PICK(&t, 0, NULL, NULL, "");
	PICK(&t, 1, NULL, NULL, "2");           /* largest */
	PICK(&t, 2, NULL, NULL, "2,3");         /* then fastest growing */
	PICK(&t, 3, NULL, NULL, "2,3,4");       /* next largest */
	PICK(&t, 4, NULL, NULL, "2,3,4,5");     /* next growing (4 is taken) */
	/* growth runs out (6 shrinks, 0 is flat): the rest by size */
	PICK(&t, 5, NULL, NULL, "2,3,4,5,6");
	PICK(&t, 6, NULL, NULL, "2,3,4,5,6,0");
	/* never the kernel thread, however many are asked for */
	PICK(&t, 10, NULL, NULL, "2,3,4,5,6,0");
	proc_table_release(&t);
}

TEST(pick_growth_leader_is_also_largest)
{
	struct proc_table t;
	proc_table_init(&t);
	add(&t, 1, 5000, 1000, 1);   /* largest and fastest */
	add(&t, 2, 100, 50, 1);      /* +50 */
	add(&t, 3, 4000, 4000, 1);   /* flat */
	add(&t, 4, 300, 290, 1);     /* +10 */
	PICK(&t, 2, NULL, NULL, "0,1");
	PICK(&t, 3, NULL, NULL, "0,1,2");
	PICK(&t, 4, NULL, NULL, "0,1,2,3");
	proc_table_release(&t);
}

TEST(pick_ties_take_table_order)
{
	struct proc_table t;
	proc_table_init(&t);
	add(&t, 1, 700, 700, 1);
	add(&t, 2, 700, 600, 1);     /* +100 */
	add(&t, 3, 700, 600, 1);     /* +100 */
	add(&t, 4, 700, 700, 1);
	/* size: 0 (first of four equals); growth: 1 (first of two +100);
	 * size: 2; growth: none left (3 is flat), so size: 3 */
	PICK(&t, 4, NULL, NULL, "0,1,2,3");
	proc_table_release(&t);
}

TEST(pick_kernel_threads_never)
{
	struct proc_table t;
	proc_table_init(&t);
	add(&t, 2, 0, 0, 0);
	add(&t, 3, 5000, 0, 0);      /* even with made-up RSS and growth */
	add(&t, 4, 0, 0, 0);
	PICK(&t, 5, NULL, NULL, "");
	/* a process without RSS is not worth a page walk either */
	add(&t, 5, 0, 0, 1);
	PICK(&t, 5, NULL, NULL, "");
	add(&t, 6, 1, 0, 1);
	PICK(&t, 5, NULL, NULL, "4");
	proc_table_release(&t);

	proc_table_init(&t);
	PICK(&t, 5, NULL, NULL, "");  /* empty table */
	proc_table_release(&t);
}

struct walk_ctx {
	uint64_t limit;
	unsigned calls;
	const void *seen_ctx;
};

static int under_limit(const struct proc_ent *e, void *ctx)
{
	struct walk_ctx *w = ctx;
	w->calls++;
	w->seen_ctx = ctx;
	return e->rss_pages <= w->limit;
}

static int reject_all(const struct proc_ent *e, void *ctx)
{
	(void)e;
	(void)ctx;
	return 0;
}

TEST(pick_respects_walkable)
{
	struct proc_table t;
	pick_table(&t);
	struct walk_ctx w = { 4500, 0, NULL };
	/* 2 (5000 pages) is over the limit: largest is now 4 */
	PICK(&t, 4, under_limit, &w, "4,3,6,5");
	CHECK(w.calls > 0);
	CHECK(w.seen_ctx == &w);
	w.limit = 2000;
	PICK(&t, 10, under_limit, &w, "5,0");
	w.limit = 2000;
	PICK(&t, 1, under_limit, &w, "5");
	PICK(&t, 10, reject_all, NULL, "");
	proc_table_release(&t);
}

TEST(pick_skips_walk_denied)
{
	struct proc_table t;
	pick_table(&t);
	/* smaps_rollup of the largest (2) and the fastest (3) was refused */
	proc_table_find(&t, 10)->walk_denied = 1;
	proc_table_find(&t, 11)->walk_denied = 1;
	PICK(&t, 10, NULL, NULL, "4,5,6,0");
	struct walk_ctx w = { 4500, 0, NULL };
	PICK(&t, 10, under_limit, &w, "4,5,6,0");
	w.limit = 3000;
	PICK(&t, 10, under_limit, &w, "6,5,0");
	proc_table_release(&t);
}
