/*
 * proc_table.c - per-tick process table (see proc_table.h).
 *
 * proc_table_pick() is O(n * k) with k = N (a handful): no sorting, no
 * allocation, which keeps the tick's hot path allocation-free.
 */
#include "proc_table.h"

#include <errno.h>
#include <stdlib.h>

void proc_table_init(struct proc_table *t)
{
	t->ent = NULL;
	t->n = t->alloc = 0;
	t->sorted = 1;
}

void proc_table_reset(struct proc_table *t)
{
	t->n = 0;
	t->sorted = 1;
}

int proc_table_add(struct proc_table *t, const struct proc_ent *e)
{
	if (t->n == t->alloc) {
		size_t na = t->alloc ? t->alloc * 2 : 512;
		struct proc_ent *p = realloc(t->ent, na * sizeof(*p));
		if (!p) {
			errno = ENOMEM;
			return -1;
		}
		t->ent = p;
		t->alloc = na;
	}
	if (t->n && t->ent[t->n - 1].pid >= e->pid)
		t->sorted = 0;
	t->ent[t->n++] = *e;
	return 0;
}

struct proc_ent *proc_table_find(struct proc_table *t, int64_t pid)
{
	if (t->sorted) {
		size_t lo = 0, hi = t->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (t->ent[mid].pid < pid)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo < t->n && t->ent[lo].pid == pid ? &t->ent[lo] : NULL;
	}
	for (size_t i = 0; i < t->n; i++)
		if (t->ent[i].pid == pid)
			return &t->ent[i];
	return NULL;
}

static int taken(const size_t *out, size_t k, size_t i)
{
	for (size_t j = 0; j < k; j++)
		if (out[j] == i)
			return 1;
	return 0;
}

size_t proc_table_pick(const struct proc_table *t, size_t n,
		       int (*walkable)(const struct proc_ent *, void *), void *ctx,
		       size_t *out)
{
	size_t k = 0;
	int by_growth = 0, growth_done = 0, size_done = 0;
	while (k < n && !(growth_done && size_done)) {
		if (by_growth && growth_done)
			by_growth = 0;
		if (!by_growth && size_done)
			by_growth = 1;
		size_t best = (size_t)-1;
		uint64_t best_v = 0;
		for (size_t i = 0; i < t->n; i++) {
			const struct proc_ent *e = &t->ent[i];
			if (!e->has_mm || e->walk_denied || taken(out, k, i) || (walkable && !walkable(e, ctx)))
				continue;
			uint64_t v = by_growth
				? (e->rss_pages > e->mark_pages ? e->rss_pages - e->mark_pages : 0)
				: e->rss_pages;
			if (v > best_v || (v == best_v && v && best == (size_t)-1)) {
				best = i;
				best_v = v;
			}
		}
		if (best == (size_t)-1) {
			if (by_growth)
				growth_done = 1;
			else
				size_done = 1;
		} else {
			out[k++] = best;
		}
		by_growth = !by_growth;
	}
	return k;
}

void proc_table_release(struct proc_table *t)
{
	free(t->ent);
	proc_table_init(t);
}
