/*
 * test_schedule.c - collect/schedule.c: which tiers run at which tick, how
 * missed ticks are skipped, and the CPU-budget token bucket.  The schedule
 * is pure, so a loop over tick numbers stands in for the clock.
 */
#include <string.h>

#include "schedule.h"
#include "test.h"

#define T0 1u
#define T1 2u
#define T2 4u
#define ALL (T0 | T1 | T2)

static int near(double a, double b, double eps)
{
	return a > b ? a - b < eps : b - a < eps;
}

TEST(first_tick_runs_all_tiers)
{
	struct schedule s;
	const uint64_t every[MS_TIERS] = { 1, 12, 60 };
	schedule_init(&s, every);
	CHECK_EQ_U64(s.every[0], 1);
	CHECK_EQ_U64(s.every[1], 12);
	CHECK_EQ_U64(s.every[2], 60);
	for (int t = 0; t < MS_TIERS; t++)
		CHECK_EQ_I64(s.last[t], -1);
	CHECK_EQ_U64(s.pending, 0);
	CHECK_EQ_U64(schedule_due(&s, 0, 0), ALL);
	/* whatever the first tick's number (a restart at tick 7) */
	CHECK_EQ_U64(schedule_due(&s, 7, 0), ALL);

	/* a cadence of 0 means every tick */
	const uint64_t zero[MS_TIERS] = { 0, 0, 0 };
	schedule_init(&s, zero);
	CHECK_EQ_U64(s.every[0], 1);
	CHECK_EQ_U64(s.every[1], 1);
	CHECK_EQ_U64(s.every[2], 1);
}

TEST(cadence_every_n_ticks)
{
	struct schedule s;
	const uint64_t every[MS_TIERS] = { 1, 3, 5 };
	schedule_init(&s, every);
	char got[64] = "", want[64] = "";
	size_t gn = 0;
	for (uint64_t tick = 0; tick < 16; tick++) {
		unsigned due = schedule_due(&s, tick, 0);
		CHECK(due & T0); /* t0 every tick */
		got[gn++] = (char)('0' + due);
		schedule_done(&s, tick, due, 0);
		CHECK_EQ_I64(s.last[0], (int64_t)tick);
	}
	got[gn] = '\0';
	/* t1 at 0,3,6,9,12,15; t2 at 0,5,10,15 */
	for (uint64_t tick = 0; tick < 16; tick++)
		want[tick] = (char)('0' + (T0 | (tick % 3 == 0 ? T1 : 0) | (tick % 5 == 0 ? T2 : 0)));
	CHECK_STR(got, want);
	CHECK_EQ_I64(s.last[1], 15);
	CHECK_EQ_I64(s.last[2], 15);
}

TEST(final_tick_runs_all)
{
	struct schedule s;
	const uint64_t every[MS_TIERS] = { 1, 12, 60 };
	schedule_init(&s, every);
	schedule_done(&s, 0, ALL, 0);
	CHECK_EQ_U64(schedule_due(&s, 1, 0), T0);
	CHECK_EQ_U64(schedule_due(&s, 1, 1), ALL);
	schedule_done(&s, 1, T0, 0);
	CHECK_EQ_U64(schedule_due(&s, 2, 1), ALL);
}

TEST(deferred_tiers_stay_pending)
{
	struct schedule s;
	const uint64_t every[MS_TIERS] = { 1, 4, 100 };
	schedule_init(&s, every);
	schedule_done(&s, 0, ALL, 0);
	CHECK_EQ_U64(schedule_due(&s, 3, 0), T0);
	/* tick 4: t1 due, the budget defers it */
	CHECK_EQ_U64(schedule_due(&s, 4, 0), T0 | T1);
	schedule_done(&s, 4, T0, T1);
	CHECK_EQ_U64(s.pending, T1);
	CHECK_EQ_I64(s.last[1], 0);
	/* still due at 5 and 6 while deferred again */
	CHECK_EQ_U64(schedule_due(&s, 5, 0), T0 | T1);
	schedule_done(&s, 5, T0, T1);
	CHECK_EQ_U64(schedule_due(&s, 6, 0), T0 | T1);
	/* it runs at 6: no longer pending, and the cadence restarts from 6 */
	schedule_done(&s, 6, T0 | T1, 0);
	CHECK_EQ_U64(s.pending, 0);
	CHECK_EQ_I64(s.last[1], 6);
	CHECK_EQ_U64(schedule_due(&s, 7, 0), T0);
	CHECK_EQ_U64(schedule_due(&s, 9, 0), T0);
	CHECK_EQ_U64(schedule_due(&s, 10, 0), T0 | T1);

	/* a pending tier is due even before its cadence comes round */
	const uint64_t slow[MS_TIERS] = { 1, 1000, 1000 };
	schedule_init(&s, slow);
	schedule_done(&s, 0, T0 | T1, T2);
	CHECK_EQ_U64(s.pending, T2);
	CHECK_EQ_I64(s.last[2], -1);
	CHECK_EQ_U64(schedule_due(&s, 1, 0), T0 | T2);
	schedule_done(&s, 1, T0 | T2, 0);
	CHECK_EQ_U64(s.pending, 0);
	CHECK_EQ_U64(schedule_due(&s, 2, 0), T0);
	/* "deferred" bits of tiers that ran anyway are dropped */
	schedule_done(&s, 3, ALL, T1 | T2);
	CHECK_EQ_U64(s.pending, 0);
}

TEST(late_tick_counts_from_last_run)
{
	/* ticks skipped by an overrun: a tier due at a skipped tick runs at
	 * the next one taken (tick - last >= every), not later */
	struct schedule s;
	const uint64_t every[MS_TIERS] = { 1, 3, 5 };
	schedule_init(&s, every);
	schedule_done(&s, 0, ALL, 0);
	CHECK_EQ_U64(schedule_due(&s, 2, 0), T0);
	CHECK_EQ_U64(schedule_due(&s, 4, 0), T0 | T1);
	schedule_done(&s, 4, T0 | T1, 0);
	CHECK_EQ_U64(schedule_due(&s, 6, 0), T0 | T2);
	CHECK_EQ_U64(schedule_due(&s, 7, 0), T0 | T1 | T2);
}

TEST(ticks_from_periods)
{
	CHECK_EQ_U64(schedule_ticks(60000, 5000), 12);    /* the defaults */
	CHECK_EQ_U64(schedule_ticks(300000, 5000), 60);
	CHECK_EQ_U64(schedule_ticks(5000, 5000), 1);
	CHECK_EQ_U64(schedule_ticks(2500, 1000), 3);      /* rounded half up */
	CHECK_EQ_U64(schedule_ticks(2499, 1000), 2);
	CHECK_EQ_U64(schedule_ticks(7000, 5000), 1);
	CHECK_EQ_U64(schedule_ticks(7500, 5000), 2);
	CHECK_EQ_U64(schedule_ticks(400, 1000), 1);       /* at least 1 */
	CHECK_EQ_U64(schedule_ticks(0, 1000), 1);
	CHECK_EQ_U64(schedule_ticks(1000, 0), 1);         /* no interval */
	CHECK_EQ_U64(schedule_ticks(86400000, 100), 864000);
}

TEST(next_tick_skips_missed)
{
	/* on time: the next tick */
	CHECK_EQ_U64(schedule_next_tick(0, 0, 1000), 1);
	CHECK_EQ_U64(schedule_next_tick(5, 5010, 1000), 6);
	CHECK_EQ_U64(schedule_next_tick(5, 5999, 1000), 6);
	/* tick 5 overran into tick 6's slot: 6 is skipped, not queued */
	CHECK_EQ_U64(schedule_next_tick(5, 6001, 1000), 7);
	CHECK_EQ_U64(schedule_next_tick(5, 6999, 1000), 7);
	/* ... and several: from 8.2 s the next is tick 9 */
	CHECK_EQ_U64(schedule_next_tick(5, 8200, 1000), 9);
	/* exactly at tick 6's start (ms resolution) counts as missed */
	CHECK_EQ_U64(schedule_next_tick(5, 6000, 1000), 7);
	/* a tick that started late (after a skip) and finished in time */
	CHECK_EQ_U64(schedule_next_tick(9, 9500, 1000), 10);
	/* the clock behind the tick (cannot happen, must not go backwards) */
	CHECK_EQ_U64(schedule_next_tick(9, 100, 1000), 10);
	/* no interval: always the next */
	CHECK_EQ_U64(schedule_next_tick(5, 123456, 0), 6);
	/* 5 s ticks: tick 41 ended 17 intervals late, 1 ms into tick 58 */
	CHECK_EQ_U64(schedule_next_tick(41, 58 * 5000 + 1, 5000), 59);
}

TEST(budget_token_bucket)
{
	struct budget b;
	/* 50 %: rate exactly 0.5, window 10 s: cap 5 s of CPU */
	budget_init(&b, 5000, 10000);
	CHECK(b.rate == 0.5);
	CHECK(b.cap_us == 5000000.0);
	CHECK(b.tokens_us == 5000000.0);     /* starts full */
	CHECK(budget_allows(&b, 5000000));
	CHECK(!budget_allows(&b, 5000001));
	budget_spend(&b, 4000000);
	CHECK(b.tokens_us == 1000000.0);
	CHECK(budget_allows(&b, 1000000));
	CHECK(!budget_allows(&b, 1000001));
	/* overspend: in debt, even a zero-cost prediction is refused */
	budget_spend(&b, 3000000);
	CHECK(b.tokens_us == -2000000.0);
	CHECK(!budget_allows(&b, 0));
	/* 4 s of wall time earn 2 s of CPU: back to zero */
	budget_accrue(&b, 4000000);
	CHECK(b.tokens_us == 0.0);
	CHECK(budget_allows(&b, 0));
	CHECK(!budget_allows(&b, 1));
	/* accrual stops at the cap */
	budget_accrue(&b, 60000000);
	CHECK(b.tokens_us == 5000000.0);
	/* debt stops at minus the cap */
	budget_spend(&b, 100000000);
	CHECK(b.tokens_us == -5000000.0);
	budget_accrue(&b, 10000000);
	CHECK(b.tokens_us == 0.0);
}

TEST(budget_default_one_percent)
{
	struct budget b;
	/* 1 % of a core over the 5 min smaps window: 3 s of CPU */
	budget_init(&b, 100, 300000);
	CHECK(near(b.rate, 0.01, 1e-12));
	CHECK(near(b.cap_us, 3000000.0, 1e-3));
	CHECK(budget_allows(&b, 2999999));
	CHECK(!budget_allows(&b, 3000001));
	budget_spend(&b, 3000000 + 50000);   /* 50 ms over */
	CHECK(!budget_allows(&b, 0));
	budget_accrue(&b, 4000000);          /* 4 s wall: +40 ms */
	CHECK(!budget_allows(&b, 0));
	budget_accrue(&b, 2000000);          /* 2 s more: +20 ms, 10 ms ahead */
	CHECK(budget_allows(&b, 9000));
	CHECK(!budget_allows(&b, 11000));

	/* 0 %: nothing expensive ever fits, a free tier does */
	budget_init(&b, 0, 300000);
	CHECK(budget_allows(&b, 0));
	CHECK(!budget_allows(&b, 1));
	budget_accrue(&b, 1000000000);
	CHECK(!budget_allows(&b, 1));
}
