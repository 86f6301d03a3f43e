/*
 * svg_chart.h - one time-series chart as inline SVG, for the HTML report.
 *
 * A chart has a time axis (UTC wall clock), a value axis in one unit, and
 * series drawn as lines, dashed lines (fits, extrapolations) or stacked
 * areas, plus horizontal reference lines (a limit, MemTotal) and vertical
 * markers (an OOM kill).  Long series are downsampled (min/max per pixel
 * column, chart_downsample.h) so the file stays small and no peak is lost.
 * Every series element carries data-series and data-points attributes, so
 * a test can check from the DOM that a chart was drawn with data.
 */
#ifndef SVG_CHART_H
#define SVG_CHART_H

#include <stddef.h>

#include "chart_scale.h"
#include "ms_buf.h"

enum svg_kind { SVG_LINE, SVG_DASHED, SVG_AREA };

struct svg_series {
	const char *name;
	const double *t, *y;   /* borrowed; N points in time order, NaN = gap */
	size_t n;
	enum svg_kind kind;    /* SVG_AREA series are stacked in the order given */
};

struct svg_ref {
	const char *name;
	double v;              /* a horizontal line at this value */
};

struct svg_marker {
	const char *name;
	double t;              /* a vertical line at this time */
};

struct svg_chart {
	const char *id;        /* data-chart attribute */
	const char *title;
	enum chart_unit unit;
	double t0, t1;         /* the time axis; 0,0: from the data */
	int width, height;     /* pixels (default 720 x 220) */
	const struct svg_series *series;
	size_t nseries;
	const struct svg_ref *refs;
	size_t nrefs;
	const struct svg_marker *markers;
	size_t nmarkers;
};

/* Append the chart's <svg> element to OUT; -1 on ENOMEM. */
int svg_chart_render(const struct svg_chart *c, struct ms_buf *out);

/* A sparkline: a small line of Y over T (no axes), W x H pixels. */
int svg_sparkline(const double *t, const double *y, size_t n, int w, int h, struct ms_buf *out);

/* Append S with &, <, >, " and ' escaped. */
int svg_escape(struct ms_buf *out, const char *s);

#endif
