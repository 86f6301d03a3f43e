/*
 * stats_normal.c - normal tail probability and its inverse (stats_normal.h).
 *
 * The inverse is found by bisection rather than by a rational
 * approximation: the survival function is strictly decreasing, so halving
 * a bracket [0, 40] (1 - Phi(40) underflows to 0, below every positive
 * double A) until its midpoint no longer differs from an end converges to
 * the neighbouring doubles of the root (the bracket is then one ulp wide)
 * in 60 to about 110 halvings, with no constants to get wrong.  The
 * accuracy is then that of erfc(), a few ulps.  A > 1/2 uses symmetry:
 * isf(A) = -isf(1 - A), where 1 - A is exact (Sterbenz) for A in [1/2, 1).
 */
#include "stats_normal.h"

#include <math.h>

#define STATS_SQRT1_2 0.70710678118654752440 /* 1/sqrt(2) */

double stats_normal_sf(double z)
{
	return 0.5 * erfc(z * STATS_SQRT1_2);
}

double stats_normal_isf(double a)
{
	if (!(a > 0 && a < 1))
		return NAN;
	if (a == 0.5)
		return 0;
	if (a > 0.5)
		return -stats_normal_isf(1 - a);
	double lo = 0, hi = 40;  /* sf(lo) > a >= sf(hi) */
	for (;;) {
		double mid = lo + (hi - lo) / 2;
		if (mid == lo || mid == hi)
			break;
		if (stats_normal_sf(mid) > a)
			lo = mid;
		else
			hi = mid;
	}
	/* the closer of the two neighbours */
	return fabs(stats_normal_sf(lo) - a) <= fabs(stats_normal_sf(hi) - a) ? lo : hi;
}
