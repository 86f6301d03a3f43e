/*
 * stats_sql.h - trend statistics and percentiles as SQLite aggregate
 * functions, so that rules stay declarative SQL:
 *
 *     SELECT pid, ts_slope(t, anon) AS slope, mk_p_inc_hr(t, anon, 65536) AS p
 *       FROM buckets GROUP BY pid HAVING p < 0.05 AND ts_lo(t, anon) > 0;
 *
 * Registered: ols_slope, ols_r2, ts_slope, ts_lo, ts_hi, mk_s, mk_z,
 * mk_p_inc, mk_p_dec, mk_z_hr, mk_p_inc_hr, mk_p_dec_hr, rise_frac,
 * saturation, trend, percentile, median, segments, onset, episode
 * (stats_episode.h); and the scalar fmt_* functions
 * that word a message's numbers (stats_fmt.h).  Arguments, results, limits
 * and errors: docs/stats.md.  Every function is deterministic and innocuous
 * (usable in views and by the read-only rule sandbox), independent of row
 * order, and ignores rows where an argument t or y is NULL or not finite.
 *
 * The same sources also build the loadable module memsnap_stats.so (see
 * extension.c): compiled with MS_STATS_EXTENSION defined, stats_sql.c
 * calls SQLite through the extension API table instead of the library.
 */
#ifndef STATS_SQL_H
#define STATS_SQL_H

#ifdef MS_STATS_EXTENSION
#include <sqlite3ext.h>
#else
#include <sqlite3.h>
#endif

/* Pairwise functions (Theil-Sen, Mann-Kendall, saturation, trend) refuse
 * more points than this (STATS_TREND_MAX_POINTS); ols_*, rise_frac,
 * percentile and median refuse more than MS_STATS_MAX_VALUES rows. */
#define MS_STATS_MAX_VALUES (1u << 22)

/* Register every function, the fmt_* ones too, on DB (borrowed; the
 * functions live as long as the connection or until re-registered).
 * Returns SQLITE_OK or the first error sqlite3_create_function_v2()
 * returned. */
int ms_stats_register(sqlite3 *db);

/* Argument V (number ARGI, 1-based, of function FN) as a double: 1; 0 for
 * NULL or an infinite number (the row is skipped, the result NULL); -1
 * with the error set for text or a blob that is not a number. */
int ms_stats_take_number(sqlite3_context *ctx, const char *fn, sqlite3_value *v, int argi,
			 double *out);

#endif
