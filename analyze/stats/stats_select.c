/*
 * stats_select.c - quickselect, median and percentile (see stats_select.h).
 *
 * stats_select_kth() narrows a window [lo, hi) that always contains rank K:
 * every value left of the window is <= every value in it, every value right
 * of it is >=.  Each round partitions the window three ways around a
 * median-of-three pivot (Dijkstra's "Dutch flag": < pivot, == pivot,
 * > pivot) and keeps the part holding K; K inside the == part ends the
 * search.  The three-way split matters here: memory series are full of
 * plateaus, so Theil-Sen slope arrays hold long runs of exact zeros, which
 * a two-way Lomuto partition would turn quadratic.  A round budget of
 * 4*log2(N) + 8 bounds crafted inputs: past it the window is sorted with
 * qsort(), which keeps the invariant and costs O(N log N) at most.
 *
 * The median and percentiles select the lower rank, then take the next
 * rank as the minimum of the part right of it (the invariant says it is
 * there), so two ranks cost one selection plus one scan.
 */
#include "stats_select.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *pa, const void *pb);
static double min_of(const double *a, size_t n);
static double pivot_of(const double *a, size_t lo, size_t hi);

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

static double min_of(const double *a, size_t n)
{
	double m = a[0];
	for (size_t i = 1; i < n; i++)
		if (a[i] < m)
			m = a[i];
	return m;
}

/* The median of the first, middle and last value of the window. */
static double pivot_of(const double *a, size_t lo, size_t hi)
{
	double x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1];
	if (x > y) {
		double s = x;
		x = y;
		y = s;
	}
	/* x <= y */
	if (z <= x)
		return x;
	return z < y ? z : y;
}

double stats_select_kth(double *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n;
	unsigned budget = 8;
	for (size_t m = n; m > 1; m >>= 1)
		budget += 4;
	while (hi - lo > 1) {
		if (budget-- == 0) {
			qsort(a + lo, hi - lo, sizeof *a, cmp_double);
			return a[k];
		}
		double pivot = pivot_of(a, lo, hi);
		size_t lt = lo, i = lo, gt = hi;
		while (i < gt) {
			double v = a[i];
			if (v < pivot) {
				a[i++] = a[lt];
				a[lt++] = v;
			} else if (v > pivot) {
				a[i] = a[--gt];
				a[gt] = v;
			} else {
				i++;
			}
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return a[k];
	}
	return a[k];
}

double stats_select_median(double *a, size_t n)
{
	if (n % 2 == 1)
		return stats_select_kth(a, n, n / 2);
	size_t k = n / 2 - 1;
	double lo = stats_select_kth(a, n, k);
	double hi = min_of(a + k + 1, n - k - 1);
	return lo / 2 + hi / 2;
}

double stats_select_percentile(double *a, size_t n, double p)
{
	double h = (double)(n - 1) * (p / 100.0);
	double fl = floor(h);
	size_t k = (size_t)fl;
	if (k >= n)  /* P = 100 can only give n - 1, but stay inside A */
		k = n - 1;
	double g = h - fl;
	double lo = stats_select_kth(a, n, k);
	double hi = k + 1 < n ? min_of(a + k + 1, n - k - 1) : lo;
	/* numpy's _lerp: from the lower end below 1/2, from the upper above */
	double diff = hi - lo;
	if (g >= 0.5)
		return hi - diff * (1 - g);
	return lo + diff * g;
}
