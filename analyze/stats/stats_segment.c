/*
 * stats_segment.c - change points by PELT on straight segments (see
 * stats_segment.h; method and penalty in docs/stats.md, "segments").
 *
 * Choices:
 *  - The cost of a segment is the residual sum of squares of its
 *    least-squares line, from prefix sums of u = t - t_0, v = y - y_0 and
 *    their squares and product in long double, so each cost is O(1).  This
 *    cost is additive and never grows when a segment is cut, so PELT's
 *    pruning (drop a candidate s once F(s) + C(s, t) > F(t)) is exact.
 *  - Segments are not joined at their ends: a level shift (a step) is a
 *    change like a change of slope.
 *  - sigma is the noise of one point: the residual of each point from the
 *    line through its two neighbours, normalised for uneven spacing (for
 *    white noise its variance is sigma^2 (1 + (h1^2 + h2^2) / (h1 + h2)^2)),
 *    its median absolute deviation times 1.4826.  A change point moves
 *    only the residuals next to it, so the median does not see it.
 *  - Points with the same t are never split between two segments.
 */
#include "stats_segment.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "stats_select.h"

#define MAD_TO_SIGMA 1.482602218505602  /* 1 / Phi^-1(3/4) */

/* prefix sums: index i holds the sums over points [0, i) */
struct sums {
	long double *u, *uu, *v, *vv, *uv;
};

struct seg_work {
	struct sums s;
	double *f;      /* F(i): the least penalised cost of points [0, i) */
	double *r;      /* noise residuals */
	size_t *cp;     /* the last change before i in the best cut of [0, i) */
	size_t *cand;   /* PELT's candidates */
};

size_t stats_segment_work_bytes(size_t n)
{
	if (n > STATS_SEGMENT_MAX_POINTS)
		return 0;
	/* room to align the start for long double: an allocator such as
	 * SQLite's gives 8-byte alignment, x86-64's long double wants 16 */
	return (n + 1) * (5 * sizeof(long double) + sizeof(double) + 2 * sizeof(size_t)) +
	       n * sizeof(double) + _Alignof(long double) - 1;
}

static struct seg_work work_layout(void *work, size_t n)
{
	struct seg_work w;
	uintptr_t at = ((uintptr_t)work + _Alignof(long double) - 1) &
		       ~(uintptr_t)(_Alignof(long double) - 1);
	long double *ld = (long double *)at;
	w.s.u = ld;
	w.s.uu = ld + (n + 1);
	w.s.v = ld + 2 * (n + 1);
	w.s.vv = ld + 3 * (n + 1);
	w.s.uv = ld + 4 * (n + 1);
	w.f = (double *)(ld + 5 * (n + 1));
	w.r = w.f + (n + 1);
	w.cp = (size_t *)(w.r + n);
	w.cand = w.cp + (n + 1);
	return w;
}

static void prefix_sums(const struct stats_pt *p, size_t n, struct sums *s)
{
	s->u[0] = s->uu[0] = s->v[0] = s->vv[0] = s->uv[0] = 0;
	for (size_t i = 0; i < n; i++) {
		long double u = (long double)p[i].t - p[0].t, v = (long double)p[i].y - p[0].y;
		s->u[i + 1] = s->u[i] + u;
		s->uu[i + 1] = s->uu[i] + u * u;
		s->v[i + 1] = s->v[i] + v;
		s->vv[i + 1] = s->vv[i] + v * v;
		s->uv[i + 1] = s->uv[i] + u * v;
	}
}

/* The least-squares line of points [a, b): slope, intercept (in u, v) and
 * the residual sum of squares (>= 0). */
static double line_fit(const struct sums *s, size_t a, size_t b, long double *slope,
		       long double *icpt)
{
	long double m = (long double)(b - a);
	long double su = s->u[b] - s->u[a], sv = s->v[b] - s->v[a];
	long double suu = s->uu[b] - s->uu[a] - su * su / m;
	long double svv = s->vv[b] - s->vv[a] - sv * sv / m;
	long double suv = s->uv[b] - s->uv[a] - su * sv / m;
	long double k = suu > 0 ? suv / suu : 0;
	long double sse = suu > 0 ? svv - suv * suv / suu : svv;
	*slope = k;
	*icpt = sv / m - k * su / m;
	return sse > 0 ? (double)sse : 0.0;
}

static double seg_cost(const struct sums *s, size_t a, size_t b)
{
	long double k, c;
	return line_fit(s, a, b, &k, &c);
}

/* sigma from the residuals of each point against its neighbours' line */
static double noise_sigma(const struct stats_pt *p, size_t n, double *r)
{
	size_t m = 0;
	for (size_t i = 1; i + 1 < n; i++) {
		double h1 = p[i].t - p[i - 1].t, h2 = p[i + 1].t - p[i].t;
		if (!(h1 > 0 && h2 > 0))
			continue;
		double mid = (p[i - 1].y * h2 + p[i + 1].y * h1) / (h1 + h2);
		double w = 1 + (h1 * h1 + h2 * h2) / ((h1 + h2) * (h1 + h2));
		r[m++] = (p[i].y - mid) / sqrt(w);
	}
	if (m == 0)
		return 0;
	double med = stats_select_median(r, m);
	for (size_t i = 0; i < m; i++)
		r[i] = fabs(r[i] - med);
	return MAD_TO_SIGMA * stats_select_median(r, m);
}

/* a segment may start at point I: the first point, or one whose t differs
 * from the point before it */
static int can_cut(const struct stats_pt *p, size_t i)
{
	return i == 0 || p[i].t != p[i - 1].t;
}

/* PELT: W->f and W->cp for every admissible end. */
static void pelt(const struct stats_pt *p, size_t n, size_t min_len, double beta,
		 struct seg_work *w)
{
	size_t ncand = 1;
	w->f[0] = -beta;
	w->cand[0] = 0;
	for (size_t t = 1; t <= n; t++) {
		w->f[t] = INFINITY;
		w->cp[t] = 0;
		if (t < min_len || (t < n && !can_cut(p, t)))
			continue;
		for (size_t i = 0; i < ncand; i++) {
			size_t s = w->cand[i];
			if (t - s < min_len)
				continue;
			double v = w->f[s] + seg_cost(&w->s, s, t) + beta;
			if (v < w->f[t]) {
				w->f[t] = v;
				w->cp[t] = s;
			}
		}
		size_t k = 0;
		for (size_t i = 0; i < ncand; i++) {
			size_t s = w->cand[i];
			if (t - s < min_len || w->f[s] + seg_cost(&w->s, s, t) <= w->f[t])
				w->cand[k++] = s;
		}
		ncand = k;
		if (isfinite(w->f[t]) && t + min_len <= n)
			w->cand[ncand++] = t;
	}
}

static void segment_of(const struct stats_pt *p, const struct sums *s, size_t a, size_t b,
		       struct stats_segment *out)
{
	long double k, c;
	double sse = line_fit(s, a, b, &k, &c);
	out->n = b - a;
	out->t_start = p[a].t;
	out->t_end = p[b - 1].t;
	out->slope = (double)k;
	out->y_start = (double)((long double)p[0].y + c + k * ((long double)p[a].t - p[0].t));
	out->y_end = (double)((long double)p[0].y + c + k * ((long double)p[b - 1].t - p[0].t));
	out->rmse = sqrt(sse / (double)(b - a));
}

int stats_segment_compute(struct stats_pt *p, size_t n, const struct stats_segment_opts *o,
			  void *work, struct stats_segment *seg, struct stats_segment_fit *fit)
{
	if (n == 0 || n > STATS_SEGMENT_MAX_POINTS || o->min_len < 2 || !(o->penalty > 0) ||
	    !isfinite(o->penalty) || !(o->floor >= 0) || !isfinite(o->floor))
		return -1;
	stats_trend_sort(p, n);
	double ymin = p[0].y, ymax = p[0].y;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(p[i].t) || !isfinite(p[i].y))
			return -1;
		ymin = fmin(ymin, p[i].y);
		ymax = fmax(ymax, p[i].y);
	}
	if (!isfinite(p[n - 1].t - p[0].t) || !isfinite(ymax - ymin))
		return -1;
	struct seg_work w = work_layout(work, n);
	prefix_sums(p, n, &w.s);
	double sigma = fmax(o->floor, noise_sigma(p, n, w.r));
	if (!(sigma > 0))
		sigma = 1e-9 * fmax(ymax - ymin, fmax(fabs(ymax), 1.0));
	double beta = o->penalty * sigma * sigma * log((double)n);
	size_t nseg = 0;
	if (n < 2 * o->min_len || !(beta > 0)) {
		segment_of(p, &w.s, 0, n, &seg[nseg++]);
	} else {
		pelt(p, n, o->min_len, beta, &w);
		/* the cut, from the end back; then in time order */
		for (size_t t = n; t > 0; t = w.cp[t])
			segment_of(p, &w.s, w.cp[t], t, &seg[nseg++]);
		for (size_t i = 0; i < nseg / 2; i++) {
			struct stats_segment x = seg[i];
			seg[i] = seg[nseg - 1 - i];
			seg[nseg - 1 - i] = x;
		}
	}
	fit->nseg = nseg;
	fit->sigma = sigma;
	fit->beta = beta;
	return 0;
}

size_t stats_segment_run(const struct stats_segment *seg, size_t nseg, double min_slope)
{
	size_t i = nseg;
	while (i > 0 && (min_slope > 0 ? seg[i - 1].slope >= min_slope
					: seg[i - 1].slope <= min_slope))
		i--;
	return i < nseg ? i : nseg;
}
