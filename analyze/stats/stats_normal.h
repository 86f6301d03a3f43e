/*
 * stats_normal.h - the standard normal distribution's tail and its inverse,
 * for turning Mann-Kendall Z scores into p-values and confidence levels
 * into critical values.
 *
 * Pure, no globals; C99 <math.h> only (erfc, exp).
 */
#ifndef STATS_NORMAL_H
#define STATS_NORMAL_H

/* The upper tail 1 - Phi(Z) = erfc(Z / sqrt 2) / 2, accurate far into
 * either tail (no 1 - x cancellation).  NaN gives NaN. */
double stats_normal_sf(double z);

/* The inverse of stats_normal_sf(): the Z with 1 - Phi(Z) = A, for
 * 0 < A < 1 (NaN otherwise).  stats_normal_isf(0.05) = 1.6448536269514722.
 * Bisection on erfc to the last bit: 60 to 110 erfc calls, meant for
 * once-per-query use, not inner loops. */
double stats_normal_isf(double a);

#endif
