/*
 * chart_downsample.c - min/max per time bucket (see chart_downsample.h).
 */
#include "chart_downsample.h"

#include <math.h>

size_t chart_downsample(const double *t, const double *y, size_t n, size_t buckets,
			double *ot, double *oy)
{
	size_t out = 0;
	if (buckets == 0)
		return 0;
	if (n <= 2 * buckets) {
		for (size_t i = 0; i < n; i++)
			if (!isnan(y[i])) {
				ot[out] = t[i];
				oy[out++] = y[i];
			}
		return out;
	}
	double t0 = t[0], span = t[n - 1] - t[0];
	size_t i = 0;
	for (size_t b = 0; b < buckets && i < n; b++) {
		double end = b + 1 == buckets ? INFINITY : t0 + span * (double)(b + 1) / (double)buckets;
		size_t lo = (size_t)-1, hi = (size_t)-1;
		for (; i < n && t[i] < end; i++) {
			if (isnan(y[i]))
				continue;
			if (lo == (size_t)-1 || y[i] < y[lo])
				lo = i;
			if (hi == (size_t)-1 || y[i] > y[hi])
				hi = i;
		}
		if (lo == (size_t)-1)
			continue;
		size_t first = lo < hi ? lo : hi, second = lo < hi ? hi : lo;
		ot[out] = t[first];
		oy[out++] = y[first];
		if (second != first) {
			ot[out] = t[second];
			oy[out++] = y[second];
		}
	}
	return out;
}
