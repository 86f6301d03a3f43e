/*
 * stats_episode.c - the window function
 *
 *     episode(count, t0, t1, min_count, min_seconds, merge_gap)
 *       OVER (ORDER BY run)
 *
 * over the runs of flagged intervals (or samples) of a rule, one row a run
 * in time order: the run's number of intervals and its first and last
 * time.  A run is kept when it has at least MIN_COUNT intervals and spans
 * at least MIN_SECONDS (T1 - T0); a kept run starts a new episode unless
 * the lull since the previous kept run (its T0 less that run's T1) is at
 * most MERGE_GAP (NULL: never merged).  The value is the episode number
 * of the current row's run, from 1, or NULL when the run is not kept (see
 * stats_episode.h; reference: docs/stats.md, "episode").
 *
 * The value depends on the runs before the current one, so the frame must
 * start at the partition's start, as OVER (ORDER BY ...) does: xInverse
 * (a frame that drops rows) is an error.  No memory beyond the aggregate
 * context.  Compiled twice, like stats_sql.c.
 */
#include "stats_episode.h"
#include "stats_sql.h"

#ifdef MS_STATS_EXTENSION
SQLITE_EXTENSION_INIT3
#endif

#include <math.h>
#include <stddef.h>

/* The window's state (zeroed by SQLite). */
struct ep_state {
	int have_opts;
	double min_count, min_seconds, merge_gap;
	int merge;             /* 0: MERGE_GAP was NULL */
	sqlite3_int64 episode; /* the last episode's number; 0: none yet */
	double prev_end;       /* the last kept run's T1 */
	int current;           /* the current row's run was kept */
};

static const char opts_error[] = "episode: min_count must be a whole number of at least 1, "
				 "min_seconds a number of at least 0, merge_gap NULL or at least 0, "
				 "the same in every row";

/* Reads the options of a row into S (the first) or checks them against
 * S (the others): 0, or -1 with the error set. */
static int take_opts(sqlite3_context *ctx, struct ep_state *s, sqlite3_value **argv)
{
	double c = 0, sec = 0, gap = 0;
	int rc = ms_stats_take_number(ctx, "episode", argv[3], 4, &c);
	int rs = rc < 0 ? -1 : ms_stats_take_number(ctx, "episode", argv[4], 5, &sec);
	int rg = rs < 0 ? -1 : ms_stats_take_number(ctx, "episode", argv[5], 6, &gap);
	if (rc < 0 || rs < 0 || rg < 0)
		return -1;
	int merge = sqlite3_value_type(argv[5]) != SQLITE_NULL;
	int ok = rc == 1 && c >= 1 && c == floor(c) && rs == 1 && sec >= 0 &&
		 (!merge || (rg == 1 && gap >= 0));
	if (ok && s->have_opts)
		ok = c == s->min_count && sec == s->min_seconds && merge == s->merge &&
		     (!merge || gap == s->merge_gap);
	if (!ok) {
		sqlite3_result_error(ctx, opts_error, -1);
		return -1;
	}
	s->have_opts = 1;
	s->min_count = c;
	s->min_seconds = sec;
	s->merge_gap = gap;
	s->merge = merge;
	return 0;
}

static void episode_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	struct ep_state *s = sqlite3_aggregate_context(ctx, sizeof *s);
	if (!s) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	if (take_opts(ctx, s, argv) < 0)
		return;
	double x[3];
	s->current = 0;
	for (int i = 0; i < 3; i++) {
		int k = ms_stats_take_number(ctx, "episode", argv[i], i + 1, &x[i]);
		if (k <= 0)
			return;  /* an error, or a NULL: this run is not kept */
	}
	if (x[0] < s->min_count || x[2] - x[1] < s->min_seconds)
		return;
	if (s->episode == 0 || !s->merge || x[1] - s->prev_end > s->merge_gap)
		s->episode++;
	s->prev_end = x[2];
	s->current = 1;
}

static void episode_value(sqlite3_context *ctx)
{
	struct ep_state *s = sqlite3_aggregate_context(ctx, 0);
	if (s && s->current)
		sqlite3_result_int64(ctx, s->episode);
	else
		sqlite3_result_null(ctx);
}

static void episode_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_error(ctx, "episode: the window must start at the partition's start "
				  "(OVER (ORDER BY ...) without a frame)", -1);
}

int ms_episode_register(sqlite3 *db)
{
	const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	return sqlite3_create_window_function(db, "episode", 6, flags, NULL, episode_step,
					      episode_value, episode_value, episode_inverse, NULL);
}
