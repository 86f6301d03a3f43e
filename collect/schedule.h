/*
 * schedule.h - when each tier runs, and the CPU budget that can defer it.
 *
 * Pure functions over small structs, so the policy is unit-tested without
 * a clock.  Ticks are counted from the start in units of the interval; a
 * tick that was missed (the previous one overran) is skipped, not queued.
 */
#ifndef SCHEDULE_H
#define SCHEDULE_H

#include <stdint.h>

#include "bundle_format.h"

struct schedule {
	uint64_t every[MS_TIERS];     /* run tier t every EVERY[t] ticks (t0: 1) */
	int64_t last[MS_TIERS];       /* tick it last ran; -1 = never */
	unsigned pending;             /* tiers due but deferred by the budget */
};

void schedule_init(struct schedule *s, const uint64_t every[MS_TIERS]);

/* Bit t set when tier t is due at TICK (FINAL: the last sample, which
 * takes every tier). */
unsigned schedule_due(const struct schedule *s, uint64_t tick, int final);

/* Record that the tiers in RAN ran at TICK and those in DEFERRED did not. */
void schedule_done(struct schedule *s, uint64_t tick, unsigned ran,
		   unsigned deferred);

/* Cadence in ticks for a tier period given in ms (rounded, at least 1). */
uint64_t schedule_ticks(uint64_t period_ms, uint64_t interval_ms);

/* The tick index to sleep until after NOW_MS (ms since start) when tick
 * LAST has just finished: LAST+1, or later when LAST overran. */
uint64_t schedule_next_tick(uint64_t last, uint64_t now_ms, uint64_t interval_ms);

/*
 * CPU budget as a token bucket, in microseconds of CPU: tokens accrue at
 * RATE (fraction of one core, in hundredths of a percent) of wall time, up
 * to CAP; each tick spends what it used.  The cheap tier always runs; an
 * expensive tier runs only if the tokens cover its last measured cost.
 */
struct budget {
	double tokens_us;
	double cap_us;
	double rate;               /* CPU seconds per wall second */
};

void budget_init(struct budget *b, uint64_t centi_percent, uint64_t window_ms);
void budget_accrue(struct budget *b, uint64_t wall_us);
void budget_spend(struct budget *b, uint64_t cpu_us);
int budget_allows(const struct budget *b, uint64_t predicted_us);

/*
 * A cadence: a schedule with its budget and the last measured cost of each
 * tier.  collect has one; record has two (the ring's, and an incident's,
 * which is finer and has a budget of its own).
 */
struct cadence {
	struct schedule sched;
	struct budget budget;
	uint64_t tier_cost[MS_TIERS];   /* last measured CPU of each tier */
	uint64_t accrued_to_us;         /* the budget holds the time up to this */
};

/* Tier t every PERIOD_MS[t] (t0: every tick of INTERVAL_MS), within
 * CENTI_PERCENT of one core over WINDOW_MS. */
void cadence_init(struct cadence *c, uint64_t interval_ms, const uint64_t period_ms[MS_TIERS],
		  uint64_t centi_percent, uint64_t window_ms);
/* The budget gains the wall time from the last call (or the first) to NOW_US. */
void cadence_accrue(struct cadence *c, uint64_t now_us);
/* The tiers to run at TICK (FINAL: every tier); *DEFERRED gets those the
 * budget holds back. */
unsigned cadence_plan(const struct cadence *c, uint64_t tick, int final, unsigned *deferred);
/* The sample at TICK ran RAN (costing COST_US[t] per tier) and used CPU_US
 * in all; DEFERRED were held back. */
void cadence_done(struct cadence *c, uint64_t tick, unsigned ran, unsigned deferred,
		  const uint64_t cost_us[MS_TIERS], uint64_t cpu_us);

/*
 * Ticks on absolute deadlines: tick k is due at START + k * INTERVAL, so
 * they never drift; a sample that overruns skips the deadlines it missed.
 */
struct ticker {
	uint64_t start_us;         /* CLOCK_MONOTONIC */
	uint64_t interval_us;
	uint64_t tick;             /* the current tick */
	uint64_t missed;           /* deadlines skipped before it */
};

void ticker_start(struct ticker *t, uint64_t now_us, uint64_t interval_ms);
/* How late a sample starting at NOW_US is against the current deadline. */
uint64_t ticker_late_us(const struct ticker *t, uint64_t now_us);
/* Move to the next tick after NOW_US; its deadline. */
uint64_t ticker_advance(struct ticker *t, uint64_t now_us);
uint64_t ticker_deadline(const struct ticker *t);

#endif
