/*
 * stats_trend.c - trend statistics of (t, y) series (see stats_trend.h;
 * formulas and references in docs/stats.md).
 *
 * One call does the O(n^2) work once for every result asked: a single pass
 * over the pairs i < j of the time-sorted points stores the Theil-Sen
 * slopes and sums the Mann-Kendall signs.  On top of it come O(n) and
 * O(n log n) steps (tie counts, quickselects, ranks) and the Hamed-Rao
 * rank autocorrelation, about n^2/2 multiply-adds over all lags.
 *
 * Invariants and choices:
 *  - Points are sorted by (t, y) first, so no result depends on the input
 *    order; t is centered at its minimum before any arithmetic (epoch
 *    seconds squared would lose the fraction).
 *  - A pair with equal t has neither slope nor sign: it is left out of the
 *    Theil-Sen median and of S, and Var(S) accounts for ties in t as well
 *    as in y with Kendall's tie formula (with distinct times, the normal
 *    case, it is the textbook n(n-1)(2n+5) - sum u(u-1)(2u+5) over 18).
 *  - With q > 0, Mann-Kendall (S, its ties, Z, p) compares round(y / q);
 *    the slopes, the Theil-Sen interval (whose variance counts the ties of
 *    y itself) and the Hamed-Rao ratio use y, so ts_lo/ts_hi and hr_ratio
 *    do not depend on q.
 *  - Hamed-Rao (1998), as pyMannKendall implements it but on t rather than
 *    the sample index (the same for evenly spaced samples): residuals
 *    y_i - b_TS t_i, their average ranks, the rank autocorrelation rho_k at
 *    the lags 1..n-3 (the weight (n-k)(n-k-1)(n-k-2) is 0 beyond), only
 *    lags with |rho_k| > 1.96/sqrt(n), and n/n* clamped to >= 1 before it
 *    multiplies Var(S), so the correction never makes the test more liberal.
 *  - A series whose t or y range overflows a double gets NaN everywhere (it
 *    has no meaningful difference), and nothing NaN ever reaches qsort()
 *    or the quickselect: slopes are finite or infinite, never NaN, because
 *    every difference is finite and every time step is > 0.
 */
#include "stats_trend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats_normal.h"
#include "stats_select.h"

/* Hamed-Rao keeps the lags significant at the 5 % level (two-sided). */
#define HR_Z 1.959963984540054

/* Sums over the tie groups (of size u) of one variable. */
struct ties {
	double a;  /* u(u-1)(2u+5) */
	double b;  /* u(u-1) */
	double c;  /* u(u-1)(u-2) */
};

static int cmp_pt(const void *pa, const void *pb);
static int cmp_double(const void *pa, const void *pb);
static int cmp_pair(const void *pa, const void *pb);
static void ties_add(struct ties *ts, size_t u);
static void ties_of_sorted(const double *v, size_t n, struct ties *ts);
static void ties_of_t(const struct stats_pt *p, size_t n, struct ties *ts);
static double mk_variance(size_t n, const struct ties *tt, const struct ties *ty);
static double ties_variance(const struct stats_pt *p, size_t n, const double *v, double *scratch);
static void mk_tests(int64_t s, double var, double *z, double *p_inc, double *p_dec);
static void ols(const struct stats_pt *p, size_t n, struct stats_trend *tr);
static double rise_frac(const struct stats_pt *p, size_t n);
static size_t pair_pass(const struct stats_pt *p, size_t n, const double *v, double *d,
			int64_t *s_out);
static double ts_median(const struct stats_pt *p, size_t n, double *d);
static double hamed_rao(const struct stats_pt *p, size_t n, double b, double *pairs, double *c);
static double saturation(const struct stats_pt *p, size_t n, double *d);
static void trend_clear(struct stats_trend *tr, size_t n);
static unsigned parts_closure(unsigned parts);
static size_t slopes_len(size_t n, unsigned parts);

static int cmp_pt(const void *pa, const void *pb)
{
	const struct stats_pt *a = pa, *b = pb;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return (a->y > b->y) - (a->y < b->y);
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

/* (residual, index) pairs, by residual. */
static int cmp_pair(const void *pa, const void *pb)
{
	return cmp_double(pa, pb);
}

static void ties_add(struct ties *ts, size_t u)
{
	double x = (double)u;
	ts->a += x * (x - 1) * (2 * x + 5);
	ts->b += x * (x - 1);
	ts->c += x * (x - 1) * (x - 2);
}

/* Tie groups of the sorted V[0..N): runs of equal values. */
static void ties_of_sorted(const double *v, size_t n, struct ties *ts)
{
	memset(ts, 0, sizeof *ts);
	for (size_t i = 0; i < n;) {
		size_t e = i + 1;
		while (e < n && v[e] == v[i])
			e++;
		if (e - i > 1)
			ties_add(ts, e - i);
		i = e;
	}
}

static void ties_of_t(const struct stats_pt *p, size_t n, struct ties *ts)
{
	memset(ts, 0, sizeof *ts);
	for (size_t i = 0; i < n;) {
		size_t e = i + 1;
		while (e < n && p[e].t == p[i].t)
			e++;
		if (e - i > 1)
			ties_add(ts, e - i);
		i = e;
	}
}

/* Var(S) with ties in both variables (Kendall's rank correlation variance,
 * the one scipy.stats.kendalltau uses for its asymptotic p-value).  The last two terms vanish without ties
 * in t. */
static double mk_variance(size_t n, const struct ties *tt, const struct ties *ty)
{
	double x = (double)n;
	double v = (x * (x - 1) * (2 * x + 5) - tt->a - ty->a) / 18;
	if (tt->b > 0 && ty->b > 0)
		v += tt->b * ty->b / (2 * x * (x - 1));
	if (tt->c > 0 && ty->c > 0)
		v += tt->c * ty->c / (9 * x * (x - 1) * (x - 2));
	return v;
}

/* Var(S) of the values V[0..N) against the times of P; SCRATCH holds N. */
static double ties_variance(const struct stats_pt *p, size_t n, const double *v, double *scratch)
{
	struct ties tt, ty;
	ties_of_t(p, n, &tt);
	memcpy(scratch, v, n * sizeof *scratch);
	qsort(scratch, n, sizeof *scratch, cmp_double);
	ties_of_sorted(scratch, n, &ty);
	return mk_variance(n, &tt, &ty);
}

/* Z with the continuity correction, and both one-sided p-values. */
static void mk_tests(int64_t s, double var, double *z, double *p_inc, double *p_dec)
{
	double zz;
	if (s == 0)
		zz = 0;
	else if (!(var > 0))
		zz = NAN;
	else
		zz = (double)(s > 0 ? s - 1 : s + 1) / sqrt(var);
	*z = zz;
	*p_inc = stats_normal_sf(zz);
	*p_dec = stats_normal_sf(-zz);
}

/* Two-pass OLS on centered t. */
static void ols(const struct stats_pt *p, size_t n, struct stats_trend *tr)
{
	if (n < 2)
		return;
	double st = 0, sy = 0;
	for (size_t i = 0; i < n; i++) {
		st += p[i].t;
		sy += p[i].y;
	}
	double mt = st / (double)n, my = sy / (double)n;
	double sxx = 0, sxy = 0, syy = 0;
	for (size_t i = 0; i < n; i++) {
		double dt = p[i].t - mt, dy = p[i].y - my;
		sxx += dt * dt;
		sxy += dt * dy;
		syy += dy * dy;
	}
	if (!isfinite(sxx) || !isfinite(sxy) || !isfinite(syy))
		return;
	if (sxx > 0)
		tr->ols_slope = sxy / sxx;
	if (sxx == 0 || syy == 0) {
		tr->ols_r2 = 0;
	} else {
		double r2 = (sxy / sxx) * (sxy / syy);
		tr->ols_r2 = r2 > 1 ? 1 : r2;
	}
}

/* Among consecutive points whose y differs, the share where it rises. */
static double rise_frac(const struct stats_pt *p, size_t n)
{
	size_t changes = 0, rises = 0;
	for (size_t i = 1; i < n; i++) {
		if (p[i].y != p[i - 1].y) {
			changes++;
			rises += p[i].y > p[i - 1].y;
		}
	}
	return changes ? (double)rises / (double)changes : NAN;
}

/*
 * The pairs i < j of the time-sorted P[0..N) with t_j > t_i: their slopes
 * into D (when D is not NULL) and the sum of sgn(v_j - v_i) into *S_OUT
 * (when V is not NULL).  Returns the number of such pairs.  The points of
 * equal t following i are skipped before the inner loop, which then needs
 * no test.
 */
static size_t pair_pass(const struct stats_pt *p, size_t n, const double *v, double *d,
			int64_t *s_out)
{
	size_t m = 0;
	int64_t s = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		double ti = p[i].t, yi = p[i].y;
		size_t j0 = i + 1;
		while (j0 < n && p[j0].t == ti)
			j0++;
		if (d && v) {
			double vi = v[i];
			for (size_t j = j0; j < n; j++) {
				d[m++] = (p[j].y - yi) / (p[j].t - ti);
				s += (v[j] > vi) - (v[j] < vi);
			}
		} else if (d) {
			for (size_t j = j0; j < n; j++)
				d[m++] = (p[j].y - yi) / (p[j].t - ti);
		} else {
			if (v) {
				double vi = v[i];
				for (size_t j = j0; j < n; j++)
					s += (v[j] > vi) - (v[j] < vi);
			}
			m += n - j0;
		}
	}
	if (s_out)
		*s_out = s;
	return m;
}

/* The Theil-Sen slope of P[0..N) (slopes stored in D), NaN without a pair. */
static double ts_median(const struct stats_pt *p, size_t n, double *d)
{
	size_t m = pair_pass(p, n, NULL, d, NULL);
	return m ? stats_select_median(d, m) : NAN;
}

/*
 * n/n* of Hamed & Rao (1998) for the residuals of P around slope B (not
 * clamped).  PAIRS holds 2N doubles, C holds N.  1 below 3 points or when
 * every residual is equal (no autocorrelation to measure); NaN when B is
 * not finite.
 */
static double hamed_rao(const struct stats_pt *p, size_t n, double b, double *pairs, double *c)
{
	if (n < 3)
		return 1;
	if (!isfinite(b))
		return NAN;
	for (size_t i = 0; i < n; i++) {
		pairs[2 * i] = p[i].y - b * p[i].t;
		pairs[2 * i + 1] = (double)i;
	}
	qsort(pairs, n, 2 * sizeof *pairs, cmp_pair);
	/* average ranks, centered: the mean rank is exactly (n + 1) / 2 */
	double mean = ((double)n + 1) / 2;
	for (size_t i = 0; i < n;) {
		size_t e = i + 1;
		while (e < n && pairs[2 * e] == pairs[2 * i])
			e++;
		double rank = ((double)(i + 1) + (double)e) / 2;
		for (size_t k = i; k < e; k++)
			c[(size_t)pairs[2 * k + 1]] = rank - mean;
		i = e;
	}
	double den = 0;
	for (size_t i = 0; i < n; i++)
		den += c[i] * c[i];
	if (den == 0)
		return 1;
	double x = (double)n, bound = HR_Z / sqrt(x), sum = 0;
	for (size_t k = 1; k + 2 < n; k++) {
		double num = 0;
		for (size_t i = 0; i + k < n; i++)
			num += c[i] * c[i + k];
		double rho = num / den;
		if (fabs(rho) > bound) {
			double w = (x - (double)k) * (x - (double)k - 1) * (x - (double)k - 2);
			sum += w * rho;
		}
	}
	return 1 + 2 * sum / (x * (x - 1) * (x - 2));
}

/*
 * b_TS(second half) / b_TS(first half), halves split at the time midpoint
 * (a point exactly on it belongs to both).  See STATS_TREND_SAT_INF for
 * the infinite cases; NaN when a half has no slope or both are flat.
 */
static double saturation(const struct stats_pt *p, size_t n, double *d)
{
	if (n < 2)
		return NAN;
	double mid = p[n - 1].t / 2;  /* t is centered: t_first = 0 */
	size_t e1 = 0, s2;
	while (e1 < n && p[e1].t <= mid)
		e1++;
	s2 = e1;
	while (s2 > 0 && p[s2 - 1].t >= mid)
		s2--;
	double b1 = ts_median(p, e1, d);
	double b2 = ts_median(p + s2, n - s2, d);
	double r;
	if (isnan(b1) || isnan(b2))
		return NAN;
	if (b1 > 0)
		r = b2 / b1;
	else if (b2 > 0)
		return STATS_TREND_SAT_INF;
	else if (b1 == 0 && b2 == 0)
		return NAN;
	else if (b1 == 0)
		return -STATS_TREND_SAT_INF;  /* flat, then falling */
	else
		r = b2 / b1;  /* falling, then falling or flat */
	if (isnan(r))
		return NAN;
	if (r > STATS_TREND_SAT_INF)
		r = STATS_TREND_SAT_INF;
	if (r < -STATS_TREND_SAT_INF)
		r = -STATS_TREND_SAT_INF;
	return r + 0.0;  /* no -0 */
}

static void trend_clear(struct stats_trend *tr, size_t n)
{
	tr->n = n;
	tr->t_first = tr->t_last = tr->y_first = tr->y_last = NAN;
	tr->ols_slope = tr->ols_r2 = NAN;
	tr->ts_slope = tr->ts_lo = tr->ts_hi = NAN;
	tr->mk_s = 0;
	tr->mk_var = tr->tau = NAN;
	tr->mk_z = tr->mk_p_inc = tr->mk_p_dec = NAN;
	tr->hr_ratio = tr->mk_z_hr = tr->mk_p_inc_hr = tr->mk_p_dec_hr = NAN;
	tr->rise_frac = tr->saturation = NAN;
}

/* PARTS with what they depend on. */
static unsigned parts_closure(unsigned parts)
{
	if (parts & STATS_TREND_TS_CI)
		parts |= STATS_TREND_HR;
	if (parts & STATS_TREND_HR)
		parts |= STATS_TREND_MK | STATS_TREND_TS;
	return parts;
}

/* Work layout: [slopes: n(n-1)/2] [v: n, scratch: n] [hr: 3n], each
 * present only when a part needs it. */
static size_t slopes_len(size_t n, unsigned parts)
{
	if (!(parts & (STATS_TREND_TS | STATS_TREND_SAT)) || n < 2)
		return 0;
	return n * (n - 1) / 2;
}

size_t stats_trend_work_len(size_t n, unsigned parts)
{
	parts = parts_closure(parts);
	if (n > STATS_TREND_MAX_POINTS && (parts & STATS_TREND_PAIRWISE))
		return 0;
	return slopes_len(n, parts) + ((parts & STATS_TREND_MK) ? 2 * n : 0) +
	       ((parts & STATS_TREND_HR) ? 3 * n : 0);
}

void stats_trend_sort(struct stats_pt *p, size_t n)
{
	qsort(p, n, sizeof *p, cmp_pt);
}

void stats_trend_ci_ranks(size_t n_slopes, double c, size_t *lo, size_t *hi)
{
	double m = (double)n_slopes;
	double l = round((m - c) / 2), h = round((m + c) / 2) + 1;
	if (!(l >= 1))
		l = 1;
	if (l > m)
		l = m;
	if (!(h >= 1))
		h = 1;
	if (h > m)
		h = m;
	*lo = (size_t)l;
	*hi = (size_t)h;
}

/* Sort P by time, note the ends, and shift times to start at 0: 0, or -1
 * when the span or the range is not finite (nothing more to compute). */
static int prepare(struct stats_pt *p, size_t n, struct stats_trend *tr)
{
	stats_trend_sort(p, n);
	tr->t_first = p[0].t;
	tr->t_last = p[n - 1].t;
	tr->y_first = p[0].y;
	tr->y_last = p[n - 1].y;
	double ymin = p[0].y, ymax = p[0].y;
	for (size_t i = 1; i < n; i++) {
		if (p[i].y < ymin)
			ymin = p[i].y;
		if (p[i].y > ymax)
			ymax = p[i].y;
	}
	if (!isfinite(tr->t_last - tr->t_first) || !isfinite(ymax - ymin))
		return -1;
	for (size_t i = 0; i < n; i++)
		p[i].t -= tr->t_first;
	return 0;
}

/* the work array cut as stats_trend_work_len() sized it */
struct work {
	double *slopes, *v, *scratch, *hr;
};

static struct work work_layout(double *work, size_t n, unsigned parts)
{
	struct work w = { NULL, NULL, NULL, NULL };
	size_t off = slopes_len(n, parts);
	if (off > 0)
		w.slopes = work;
	if (parts & STATS_TREND_MK) {
		w.v = work + off;
		w.scratch = w.v + n;
		off += 2 * n;
	}
	if (parts & STATS_TREND_HR)
		w.hr = work + off;
	return w;
}

/* Mann-Kendall's S, its variance with ties, tau and the p-values; the
 * variance of y itself (no quantization) for the Theil-Sen interval. */
static void mann_kendall(const struct stats_pt *p, size_t n, const struct stats_trend_opts *o,
			 unsigned parts, int64_t s, struct work *w, struct stats_trend *tr,
			 double *var_y)
{
	tr->mk_s = s;
	tr->mk_var = ties_variance(p, n, w->v, w->scratch);
	if (n >= 2)
		tr->tau = (double)s / ((double)n * (double)(n - 1) / 2);
	if (n >= STATS_TREND_MIN_MK)
		mk_tests(s, tr->mk_var, &tr->mk_z, &tr->mk_p_inc, &tr->mk_p_dec);
	if (!(parts & STATS_TREND_TS_CI))
		return;
	if (o->q > 0) {
		for (size_t i = 0; i < n; i++)
			w->v[i] = p[i].y;
		*var_y = ties_variance(p, n, w->v, w->scratch);
	} else {
		*var_y = tr->mk_var;
	}
}

/* The Theil-Sen interval from the M slopes (already split by the median) */
static void ts_interval(double *slopes, size_t m, double alpha, double var_y, struct stats_trend *tr)
{
	double c = stats_normal_isf(alpha / 2) * sqrt(var_y * tr->hr_ratio);
	size_t lo, hi;
	stats_trend_ci_ranks(m, c, &lo, &hi);
	/* the median left the slopes split around (m - 1) / 2 */
	tr->ts_lo = stats_select_kth_after(slopes, m, (m - 1) / 2, lo - 1);
	tr->ts_hi = stats_select_kth_after(slopes, m, (m - 1) / 2, hi - 1);
}

int stats_trend_compute(struct stats_pt *p, size_t n, const struct stats_trend_opts *o,
			unsigned parts, double *work, struct stats_trend *out)
{
	struct stats_trend tr;
	parts = parts_closure(parts);
	if ((n > STATS_TREND_MAX_POINTS && (parts & STATS_TREND_PAIRWISE)) || !(o->q >= 0) ||
	    !isfinite(o->q) || !(o->alpha > 0 && o->alpha < 1))
		return -1;
	trend_clear(&tr, n);
	if (n == 0 || prepare(p, n, &tr) < 0) {
		*out = tr;
		return 0;
	}
	if (parts & STATS_TREND_OLS)
		ols(p, n, &tr);
	if (parts & STATS_TREND_RISE)
		tr.rise_frac = rise_frac(p, n);
	struct work w = work_layout(work, n, parts);
	size_t m = 0;
	int64_t s = 0;
	double var_y = NAN;  /* Var(S) of y itself, for the interval */
	if (parts & STATS_TREND_MK)
		for (size_t i = 0; i < n; i++)
			w.v[i] = o->q > 0 ? round(p[i].y / o->q) : p[i].y;
	if (parts & (STATS_TREND_TS | STATS_TREND_MK))
		m = pair_pass(p, n, (parts & STATS_TREND_MK) ? w.v : NULL,
			      (parts & STATS_TREND_TS) ? w.slopes : NULL, &s);
	if (parts & STATS_TREND_MK)
		mann_kendall(p, n, o, parts, s, &w, &tr, &var_y);
	if ((parts & STATS_TREND_TS) && m > 0)
		tr.ts_slope = stats_select_median(w.slopes, m);
	if (parts & STATS_TREND_HR) {
		double r = hamed_rao(p, n, tr.ts_slope, w.hr, w.hr + 2 * n);
		tr.hr_ratio = r < 1 ? 1 : r;
		if (n >= STATS_TREND_MIN_MK && !isnan(tr.hr_ratio))
			mk_tests(s, tr.mk_var * tr.hr_ratio, &tr.mk_z_hr, &tr.mk_p_inc_hr,
				 &tr.mk_p_dec_hr);
	}
	if ((parts & STATS_TREND_TS_CI) && m > 0 && !isnan(tr.hr_ratio))
		ts_interval(w.slopes, m, o->alpha, var_y, &tr);
	if (parts & STATS_TREND_SAT)
		tr.saturation = saturation(p, n, w.slopes);
	*out = tr;
	return 0;
}
