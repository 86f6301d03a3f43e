/*
 * proc_table.h - the processes seen at one tick, for planning.
 *
 * One entry per live process: identity (pid, start time) and RSS.  Two
 * tables (previous and current tick) are swapped each tick, so memory
 * grows with the number of live processes, never with the number of
 * samples.  Entries are appended in /proc order (ascending PID).
 */
#ifndef PROC_TABLE_H
#define PROC_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct proc_ent {
	int64_t pid;
	uint64_t starttime;    /* clock ticks after boot */
	uint64_t stat_hash;    /* of its stat text (the sampler's seed) */
	uint64_t rss_pages;
	uint64_t mark_pages;   /* RSS when growth was last measured from */
	int has_mm;            /* stat vsize > 0 (not a kernel thread) */
	int walk_denied;       /* its smaps_rollup was refused (EACCES) */
	int in_focus;          /* in the sample's focus (see sampler.h) */
};

struct proc_table {
	struct proc_ent *ent;
	size_t n, alloc;
	int sorted;            /* ent is in ascending pid order */
};

void proc_table_init(struct proc_table *t);
void proc_table_reset(struct proc_table *t);
/* Append; -1 on ENOMEM. */
int proc_table_add(struct proc_table *t, const struct proc_ent *e);
/* The entry for PID, or NULL. */
struct proc_ent *proc_table_find(struct proc_table *t, int64_t pid);
/* Pick up to N entries, alternating largest RSS and fastest growth since
 * the mark (growth > 0 only), skipping kernel threads, processes whose
 * page-walking files were refused, and those WALKABLE rejects; writes
 * their indices to OUT (room for N) and returns how many. */
size_t proc_table_pick(const struct proc_table *t, size_t n,
		       int (*walkable)(const struct proc_ent *, void *), void *ctx,
		       size_t *out);
void proc_table_release(struct proc_table *t);

#endif
