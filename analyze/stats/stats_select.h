/*
 * stats_select.h - order statistics on arrays of doubles: the k-th smallest
 * (quickselect), the median and numpy-style percentiles.
 *
 * Pure: no I/O, no allocation, no globals.  Every function borrows A and
 * reorders it (the multiset of values is kept, their order is not); A must
 * hold no NaN (the callers drop them: NaN has no place in an order), while
 * infinities are ordered as usual.
 */
#ifndef STATS_SELECT_H
#define STATS_SELECT_H

#include <stddef.h>

/* The K-th smallest of A[0..N) (K counted from 0; N > 0, K < N).
 * Afterwards A[K] holds it, A[0..K) holds values <= it and A(K..N) values
 * >= it.  Expected O(N): quickselect with a median-of-three pivot and a
 * three-way partition (runs of equal values cost nothing); an input that
 * defeats the pivot choice finishes with qsort() of what is left, so the
 * worst case is O(N log N), never O(N^2). */
double stats_select_kth(double *a, size_t n, size_t k);

/* The median of A[0..N) (N > 0): the middle value, or the mean of the two
 * middle values when N is even (computed as a/2 + b/2, which equals
 * (a + b)/2 and cannot overflow). */
double stats_select_median(double *a, size_t n);

/* The P-th percentile of A[0..N) (N > 0, 0 <= P <= 100), interpolated
 * linearly between the closest ranks exactly as numpy.percentile's default
 * ("linear", type 7 of Hyndman & Fan): h = (N - 1) * (P / 100), then
 * between the floor(h)-th and the next value with numpy's two-sided lerp,
 * so the result is bit-identical to numpy's for the same input. */
double stats_select_percentile(double *a, size_t n, double p);

#endif
