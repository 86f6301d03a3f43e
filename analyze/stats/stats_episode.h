/*
 * stats_episode.h - episode(count, t0, t1, min_count, min_seconds,
 * merge_gap) OVER (ORDER BY run), the SQL window function that groups a
 * rule's runs of flagged intervals into the episodes it reports (a swap
 * storm, a thrash, a cgroup at its limit, a full NUMA node): runs that
 * last, those a short lull apart taken together.  Its value is the
 * current run's episode number, NULL for a run too short.  Arguments,
 * result and errors: docs/stats.md.
 */
#ifndef STATS_EPISODE_H
#define STATS_EPISODE_H

#ifdef MS_STATS_EXTENSION
#include <sqlite3ext.h>
#else
#include <sqlite3.h>
#endif

/* Register episode() on DB (borrowed).  Returns SQLITE_OK or the error
 * of sqlite3_create_window_function(). */
int ms_episode_register(sqlite3 *db);

#endif
