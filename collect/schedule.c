/*
 * schedule.c - tier cadence and CPU budget (see schedule.h).
 */
#include "schedule.h"

void schedule_init(struct schedule *s, const uint64_t every[MS_TIERS])
{
	for (int t = 0; t < MS_TIERS; t++) {
		s->every[t] = every[t] ? every[t] : 1;
		s->last[t] = -1;
	}
	s->pending = 0;
}

unsigned schedule_due(const struct schedule *s, uint64_t tick, int final)
{
	unsigned due = 1u | s->pending;
	for (int t = 1; t < MS_TIERS; t++)
		if (final || s->last[t] < 0 ||
		    tick - (uint64_t)s->last[t] >= s->every[t])
			due |= 1u << t;
	return due;
}

void schedule_done(struct schedule *s, uint64_t tick, unsigned ran,
		   unsigned deferred)
{
	for (int t = 0; t < MS_TIERS; t++)
		if (ran & (1u << t))
			s->last[t] = (int64_t)tick;
	s->pending = deferred & ~ran;
}

uint64_t schedule_ticks(uint64_t period_ms, uint64_t interval_ms)
{
	if (!interval_ms)
		return 1;
	uint64_t n = (period_ms + interval_ms / 2) / interval_ms;
	return n ? n : 1;
}

uint64_t schedule_next_tick(uint64_t last, uint64_t now_ms, uint64_t interval_ms)
{
	uint64_t next = last + 1;
	if (interval_ms && now_ms / interval_ms >= next)
		next = now_ms / interval_ms + 1; /* overran: skip missed ticks */
	return next;
}

void budget_init(struct budget *b, uint64_t centi_percent, uint64_t window_ms)
{
	b->rate = (double)centi_percent / 10000.0;
	b->cap_us = b->rate * (double)window_ms * 1000.0;
	b->tokens_us = b->cap_us;
}

void budget_accrue(struct budget *b, uint64_t wall_us)
{
	b->tokens_us += b->rate * (double)wall_us;
	if (b->tokens_us > b->cap_us)
		b->tokens_us = b->cap_us;
}

void budget_spend(struct budget *b, uint64_t cpu_us)
{
	b->tokens_us -= (double)cpu_us;
	if (b->tokens_us < -b->cap_us)
		b->tokens_us = -b->cap_us;
}

int budget_allows(const struct budget *b, uint64_t predicted_us)
{
	return b->tokens_us >= (double)predicted_us;
}

void cadence_init(struct cadence *c, uint64_t interval_ms, const uint64_t period_ms[MS_TIERS],
		  uint64_t centi_percent, uint64_t window_ms)
{
	uint64_t every[MS_TIERS];
	for (int t = 0; t < MS_TIERS; t++)
		every[t] = t ? schedule_ticks(period_ms[t], interval_ms) : 1;
	schedule_init(&c->sched, every);
	budget_init(&c->budget, centi_percent, window_ms);
	for (int t = 0; t < MS_TIERS; t++)
		c->tier_cost[t] = 0;
	c->accrued_to_us = 0;
}

void cadence_accrue(struct cadence *c, uint64_t now_us)
{
	if (c->accrued_to_us && now_us > c->accrued_to_us)
		budget_accrue(&c->budget, now_us - c->accrued_to_us);
	if (now_us > c->accrued_to_us)
		c->accrued_to_us = now_us;
}

unsigned cadence_plan(const struct cadence *c, uint64_t tick, int final, unsigned *deferred)
{
	unsigned due = schedule_due(&c->sched, tick, final), ran = due;
	*deferred = 0;
	for (int t = 1; t < MS_TIERS; t++)
		if ((due & (1u << t)) && !final && !budget_allows(&c->budget, c->tier_cost[t])) {
			ran &= ~(1u << t);
			*deferred |= 1u << t;
		}
	return ran;
}

void cadence_done(struct cadence *c, uint64_t tick, unsigned ran, unsigned deferred,
		  const uint64_t cost_us[MS_TIERS], uint64_t cpu_us)
{
	for (int t = 1; t < MS_TIERS; t++)
		if (ran & (1u << t))
			c->tier_cost[t] = cost_us[t];
	budget_spend(&c->budget, cpu_us);
	schedule_done(&c->sched, tick, ran, deferred);
}

void ticker_start(struct ticker *t, uint64_t now_us, uint64_t interval_ms)
{
	t->start_us = now_us;
	t->interval_us = interval_ms * 1000;
	t->tick = 0;
	t->missed = 0;
}

uint64_t ticker_deadline(const struct ticker *t)
{
	return t->start_us + t->tick * t->interval_us;
}

uint64_t ticker_late_us(const struct ticker *t, uint64_t now_us)
{
	uint64_t d = ticker_deadline(t);
	return now_us > d ? now_us - d : 0;
}

uint64_t ticker_advance(struct ticker *t, uint64_t now_us)
{
	uint64_t elapsed_ms = now_us > t->start_us ? (now_us - t->start_us) / 1000 : 0;
	uint64_t next = schedule_next_tick(t->tick, elapsed_ms, t->interval_us / 1000);
	t->missed = next - t->tick - 1;
	t->tick = next;
	return ticker_deadline(t);
}
