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

#endif
