/*
 * stats_json.h - struct stats_trend as a JSON object, the text the SQL
 * function trend() returns; and segments()'s object.
 *
 *     {"n":120,"t_first":1700000000,"t_last":1700035700,"y_first":...,
 *      "ols_slope":...,"mk_s":2410,...,"saturation":null}
 *
 * Keys in the order of struct stats_trend; n and mk_s are integers, every
 * other value a number printed with 17 significant digits (it reads back
 * as the same double) or null when not finite.  Numbers never depend on
 * the locale (LC_NUMERIC's decimal comma is replaced by a point).
 * Pure: writes into a buffer the caller owns.
 */
#ifndef STATS_JSON_H
#define STATS_JSON_H

#include <stddef.h>

#include "stats_segment.h"
#include "stats_trend.h"

/* Room for any trend object, NUL included. */
#define STATS_JSON_TREND_MAX 2048

/* Write TR into BUF (SIZE bytes, NUL-terminated).  Returns the length, or
 * -1 when SIZE is too small (BUF then holds no usable text). */
int stats_json_trend(const struct stats_trend *tr, char *buf, size_t size);

/* Room for the segments object of NSEG segments, NUL included. */
#define STATS_JSON_SEGMENTS_MAX(nseg) (128 + (size_t)(nseg) * 256)

/* segments()'s text: {"n":N,"sigma":..,"beta":..,"segments":[{"t_start":..,
 * "t_end":..,"n":..,"slope":..,"y_start":..,"y_end":..,"rmse":..},...]}, the
 * segments in time order; numbers as in a trend.  Returns the length, or -1
 * when SIZE is too small. */
int stats_json_segments(const struct stats_segment_fit *fit, const struct stats_segment *seg,
			size_t n_points, char *buf, size_t size);

#endif
