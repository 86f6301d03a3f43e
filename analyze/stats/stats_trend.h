/*
 * stats_trend.h - trend statistics of a time series of (t, y) points:
 * ordinary least squares, Theil-Sen slope with its confidence interval,
 * Mann-Kendall trend test (ties, continuity correction, optional
 * quantization) with the Hamed-Rao autocorrelation correction, the share
 * of rising steps and the saturation index.  Formulas: docs/stats.md.
 *
 *     struct stats_trend tr;
 *     struct stats_trend_opts o = STATS_TREND_OPTS_INIT;
 *     double *work = malloc(stats_trend_work_len(n, STATS_TREND_ALL) * sizeof(double));
 *     if (stats_trend_compute(pts, n, &o, STATS_TREND_ALL, work, &tr) == 0)
 *             ... tr.ts_slope, tr.mk_p_inc_hr ...
 *
 * Pure: no I/O, no allocation of its own (the caller hands in the work
 * area, so the SQLite glue can allocate it with sqlite3_malloc64 and
 * report ENOMEM; only glibc's qsort() may take a temporary buffer of the
 * points' size), no globals.  A value that is undefined for the series (too few points,
 * no distinct times, an overflow) is NaN in struct stats_trend; nothing
 * else is ever NaN.  Infinity appears only where an input overflowed a
 * double (for instance a slope over a femtosecond); callers that must not
 * show it test isfinite().
 */
#ifndef STATS_TREND_H
#define STATS_TREND_H

#include <stddef.h>
#include <stdint.h>

/* Pairwise statistics are O(n^2) in time and the slopes O(n^2) in memory
 * (4096 points: 8 386 560 slopes, 64 MiB): longer series must be bucketed
 * first. */
#define STATS_TREND_MAX_POINTS 4096

/* Mann-Kendall Z and p-values need n >= 10 (normal approximation). */
#define STATS_TREND_MIN_MK 10

/* saturation: "first half flat or falling, second half rising" (an
 * infinite ratio), and the bound every finite ratio is clamped to, so a
 * rule can write "saturation(t, y) >= 0.5" and get late growth too. */
#define STATS_TREND_SAT_INF 1e9

struct stats_pt {
	double t, y;
};

/* Which results to compute; dependencies are added by
 * stats_trend_compute() itself (TS_CI needs HR, HR needs MK and TS). */
enum stats_trend_part {
	STATS_TREND_OLS = 1 << 0,    /* ols_slope, ols_r2 */
	STATS_TREND_TS = 1 << 1,     /* ts_slope */
	STATS_TREND_TS_CI = 1 << 2,  /* ts_lo, ts_hi */
	STATS_TREND_MK = 1 << 3,     /* mk_s, mk_var, tau, mk_z, mk_p_inc, mk_p_dec */
	STATS_TREND_HR = 1 << 4,     /* hr_ratio, mk_z_hr, mk_p_inc_hr, mk_p_dec_hr */
	STATS_TREND_RISE = 1 << 5,   /* rise_frac */
	STATS_TREND_SAT = 1 << 6,    /* saturation */
	STATS_TREND_ALL = (1 << 7) - 1,
	/* the O(n^2) ones, limited to STATS_TREND_MAX_POINTS */
	STATS_TREND_PAIRWISE = STATS_TREND_TS | STATS_TREND_TS_CI | STATS_TREND_MK |
			       STATS_TREND_HR | STATS_TREND_SAT,
};

struct stats_trend_opts {
	double q;      /* > 0: Mann-Kendall compares round(y / q); 0: y itself */
	double alpha;  /* ts_lo/ts_hi: two-sided 1 - alpha interval, 0 < alpha < 1 */
};
#define STATS_TREND_OPTS_INIT { 0, 0.10 }

struct stats_trend {
	size_t n;                  /* points */
	double t_first, t_last;    /* as given (not centered) */
	double y_first, y_last;    /* at t_first and t_last (the lowest and the
	                            * highest y when several share that t) */
	double ols_slope, ols_r2;  /* r2 is 0 when Sxx or Syy is 0 */
	double ts_slope, ts_lo, ts_hi;
	int64_t mk_s;              /* 0 when MK was not asked for */
	double mk_var;             /* Var(S), ties in y and in t accounted */
	double tau;                /* S / (n (n - 1) / 2) */
	double mk_z, mk_p_inc, mk_p_dec;
	double hr_ratio;           /* n / n*, clamped to >= 1 as applied */
	double mk_z_hr, mk_p_inc_hr, mk_p_dec_hr;
	double rise_frac;
	double saturation;         /* see STATS_TREND_SAT_INF */
};

/* How many doubles of work area stats_trend_compute() needs for N points
 * and PARTS: N(N-1)/2 for the slopes (TS, TS_CI, HR, SAT), 2N for MK, 3N
 * more for HR; 0 for OLS and RISE alone (for STATS_TREND_ALL and N = 4096,
 * 8 407 040 doubles, 64.1 MiB).  0 when N is too large for PARTS. */
size_t stats_trend_work_len(size_t n, unsigned parts);

/* Compute PARTS of the trend of P[0..N) into OUT.  P is borrowed and
 * reordered: sorted by (t, y), with t then centered at its minimum (so
 * the caller sees t - t_first afterwards).  Every t and y must be finite.
 * WORK (stats_trend_work_len(N, PARTS) doubles) is scratch space.  Returns
 * 0, or -1 when N > STATS_TREND_MAX_POINTS with a pairwise part (OLS and
 * RISE take any N) or O is out of range (q < 0 or not finite, alpha
 * outside (0, 1)); OUT is then untouched.  WORK may be NULL when its
 * length is 0. */
int stats_trend_compute(struct stats_pt *p, size_t n, const struct stats_trend_opts *o,
			unsigned parts, double *work, struct stats_trend *out);

/* Sort P[0..N) by (t, y), the order every statistic reads points in. */
void stats_trend_sort(struct stats_pt *p, size_t n);

/* The 1-based ranks, among N sorted slopes, of the Theil-Sen interval
 * bounds for C = z * sqrt(Var(S)) (C >= 0): lower round((N - C) / 2),
 * upper round((N + C) / 2) + 1, both clamped to [1, N] (as R's
 * trend::sens.slope and scipy.stats.theilslopes).  N > 0. */
void stats_trend_ci_ranks(size_t n_slopes, double c, size_t *lo, size_t *hi);

#endif
