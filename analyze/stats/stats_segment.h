/*
 * stats_segment.h - change points of a (t, y) series: the series cut into
 * straight segments by PELT (pruned exact linear time, Killick, Fearnhead
 * & Eckley 2012) with a penalised least-squares cost.  Method, penalty and
 * behaviour: docs/stats.md ("segments").
 *
 *     struct stats_segment_opts o = STATS_SEGMENT_OPTS_INIT;
 *     void *work = malloc(stats_segment_work_bytes(n));
 *     struct stats_segment *seg = malloc(n * sizeof *seg);
 *     struct stats_segment_fit fit;
 *     if (stats_segment_compute(pts, n, &o, work, seg, &fit) == 0)
 *             ... seg[0 .. fit.nseg) ...
 *
 * Pure: no I/O, no allocation of its own (the caller hands in the work
 * area and the segment array), no globals.
 */
#ifndef STATS_SEGMENT_H
#define STATS_SEGMENT_H

#include <stddef.h>

#include "stats_trend.h"

/* PELT is O(n) with pruning and O(n^2) without (no change at all): the
 * same bound as the pairwise trend statistics. */
#define STATS_SEGMENT_MAX_POINTS STATS_TREND_MAX_POINTS

struct stats_segment_opts {
	size_t min_len;  /* the fewest points in a segment, >= 2 */
	double penalty;  /* the cost of a change, in units of sigma^2 ln(n), > 0 */
	double floor;    /* the smallest noise sigma, in y units, >= 0 */
};
/* min_len 3, penalty 3: the BIC of a straight segment (slope, intercept and
 * the change's place) with sigma estimated from the data */
#define STATS_SEGMENT_OPTS_INIT { 3, 3.0, 0.0 }

struct stats_segment {
	size_t n;               /* points */
	double t_start, t_end;  /* its first and last point's t */
	double slope;           /* least squares, y units per t unit */
	double y_start, y_end;  /* the fitted line at t_start and t_end */
	double rmse;            /* root mean square of the residuals */
};

struct stats_segment_fit {
	size_t nseg;   /* segments written */
	double sigma;  /* the noise estimate used (y units) */
	double beta;   /* the penalty of one change (y units squared) */
};

/* Bytes of work area stats_segment_compute() needs for N points. */
size_t stats_segment_work_bytes(size_t n);

/* Cut P[0..N) into segments: the set of change points that minimises the
 * sum over the segments of their least-squares residuals plus BETA per
 * segment, every segment holding at least O->min_len points (with fewer
 * than 2 min_len points there is one segment).  BETA = penalty * sigma^2 *
 * ln(N), sigma = max(floor, the robust noise of the second differences of
 * y, 1e-9 of y's range).  P is borrowed and sorted by (t, y); several points
 * with the same t stay in one segment.  SEG must have room for N segments.
 * Returns 0, or -1 when N is 0 or above STATS_SEGMENT_MAX_POINTS, a value
 * is not finite, or O is out of range (then SEG and FIT are untouched). */
int stats_segment_compute(struct stats_pt *p, size_t n, const struct stats_segment_opts *o,
			  void *work, struct stats_segment *seg, struct stats_segment_fit *fit);

/* The trailing run of SEG[0..NSEG) that moves at MIN_SLOPE or faster: the
 * index of its first segment, or NSEG when the last segment does not.
 * MIN_SLOPE > 0: segments with slope >= MIN_SLOPE (growth); < 0: slope <=
 * MIN_SLOPE (a fall). */
size_t stats_segment_run(const struct stats_segment *seg, size_t nseg, double min_slope);

#endif
