/*
 * chart_downsample.h - fewer points to draw, the same picture: a series of
 * N points in time order is cut into BUCKETS equal spans of time, and each
 * bucket keeps its minimum and its maximum (in time order), so peaks and
 * troughs survive however long the series (a 24-hour bundle at 5 s is
 * 17,280 points per series; a chart is a few hundred pixels wide).
 */
#ifndef CHART_DOWNSAMPLE_H
#define CHART_DOWNSAMPLE_H

#include <stddef.h>

/* Write at most 2 * BUCKETS points to OT/OY (room for that many) and return
 * how many.  Series with N <= 2 * BUCKETS are copied as they are.  NaN
 * values (gaps) are dropped. */
size_t chart_downsample(const double *t, const double *y, size_t n, size_t buckets,
			double *ot, double *oy);

#endif
