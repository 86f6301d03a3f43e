/*
 * svg_chart.h - one time-series chart for the HTML report: a caption and a
 * legend (HTML, so they wrap and are never clipped) and an inline <svg>.
 *
 * A chart has a time axis (UTC, or a zone's wall clock: chart_tz.h), a
 * value axis in one unit, and series drawn as lines, dashed lines (fits,
 * extrapolations) or stacked areas, plus horizontal reference lines (a
 * limit, MemTotal), vertical markers (an OOM kill, a recorder's trigger)
 * and a finding's window, shaded.  Long series are downsampled (min/max per
 * time bucket, chart_downsample.h) so the file stays small and no peak is
 * lost.
 *
 * The plot is drawn in data coordinates: x in seconds from the axis start
 * (tenths or hundredths on short axes), y in ten-thousandths of the value
 * axis from its top, in a nested <svg> stretched to the plot's size, with
 * strokes that do not scale.  So the page's script (chart.js) fits each
 * chart to its card's width with the text at its own size, and reads the
 * time and value under the pointer back from the paths themselves.  Every
 * series element carries data-series and data-points attributes, so a test
 * can check from the DOM that a chart was drawn with data.
 */
#ifndef SVG_CHART_H
#define SVG_CHART_H

#include <stddef.h>

#include "chart_scale.h"
#include "ms_buf.h"

enum svg_kind { SVG_LINE, SVG_DASHED, SVG_AREA };

/* Spans of time a series is downsampled to (its minimum and maximum each). */
#define SVG_CHART_BUCKETS 600

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
	const struct svg_series *series;   /* every series, those with no point too */
	size_t nseries;
	const struct svg_ref *refs;
	size_t nrefs;
	const struct svg_marker *markers;  /* those outside the time axis are left out */
	size_t nmarkers;
	int window;            /* shade [w0, w1], a finding's window */
	double w0, w1;
	const char *tz;        /* the zone its times are shown in (chart_tz.h); NULL: UTC */
};

/* Append the chart to OUT: a <figcaption> with its title, the legend, and
 * its <svg>.  A series with no point says "no data" in the legend, one that
 * is 0 throughout says so; when no series has a point, "no data" stands
 * where the plot would be.  -1 on ENOMEM (or when the zone cannot be set). */
int svg_chart_render(const struct svg_chart *c, struct ms_buf *out);

/* A sparkline: a small line of Y over T (no axes), W x H pixels. */
int svg_sparkline(const double *t, const double *y, size_t n, int w, int h, struct ms_buf *out);

/* Append S with &, <, >, " and ' escaped. */
int svg_escape(struct ms_buf *out, const char *s);

/* The page's CSS and script for the charts (chart.css, chart.js, embedded
 * at build time). */
extern const char *const ms_chart_asset_text[];
#define SVG_CHART_CSS (ms_chart_asset_text[0])
#define SVG_CHART_JS (ms_chart_asset_text[1])

#endif
