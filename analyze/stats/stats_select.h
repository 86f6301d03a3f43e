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
 * >= it.  Expected O(N), about 1.5 N comparisons for a median: Floyd-
 * Rivest selection (a pivot chosen from a sample, Hoare partitions, runs
 * of equal values split evenly); an input that defeats the sampling is
 * sorted with qsort() instead, so the worst case is O(N log N), never
 * O(N^2). */
double stats_select_kth(double *a, size_t n, size_t k);

/* The median of A[0..N) (N > 0): the middle value, or the mean of the two
 * middle values when N is even (computed as a/2 + b/2, which equals
 * (a + b)/2 and cannot overflow).  Afterwards A is partitioned around
 * index (N - 1) / 2 as stats_select_kth() leaves it, which
 * stats_select_kth_after() uses. */
double stats_select_median(double *a, size_t n);

/* stats_select_kth(A, N, K) for an A already partitioned around index
 * SPLIT (A[0..SPLIT) <= A[SPLIT] <= A(SPLIT..N), as stats_select_kth(A,
 * N, SPLIT) leaves it): searches only the side K is on, and keeps the
 * partition around SPLIT. */
double stats_select_kth_after(double *a, size_t n, size_t split, size_t k);

/* The P-th percentile of A[0..N) (N > 0, 0 <= P <= 100), interpolated
 * linearly between the closest ranks exactly as numpy.percentile's default
 * ("linear", type 7 of Hyndman & Fan): h = (N - 1) * (P / 100), then
 * between the floor(h)-th and the next value with numpy's two-sided lerp,
 * so the result is bit-identical to numpy's for the same input. */
double stats_select_percentile(double *a, size_t n, double p);

#endif
