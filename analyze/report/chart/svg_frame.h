/*
 * svg_frame.h - the geometry one chart's files share (svg_chart.c draws the
 * axes and the legend, svg_plot.c the data): the axes' ranges, how data map
 * to plot units, and the first layout before the page's script measures.
 */
#ifndef SVG_FRAME_H
#define SVG_FRAME_H

#include <stddef.h>

#include "chart_scale.h"
#include "chart_tz.h"
#include "ms_buf.h"
#include "svg_chart.h"

enum {
	SVG_W = 900,        /* the drawing's width until the script fits it to its card */
	SVG_MT = 10,        /* above the plot: half a value label */
	SVG_PH = 180,       /* the plot's height */
	SVG_PH_ZERO = 30,   /* ... when every value is 0: a flat line needs no room */
	SVG_MB = 24,        /* below: the time labels */
	SVG_YRES = 100000,  /* plot units from the top of the value axis to its bottom */
	SVG_BUCKETS = SVG_CHART_BUCKETS,
};

struct svg_frame {
	double t0, t1;            /* the time axis */
	double xs;                /* plot units per second: 1, 10 or 100 */
	long long xw;             /* the plot's width in plot units */
	struct chart_ticks yt;    /* the value axis */
	double tt[CHART_MAX_TICKS], step;   /* the time ticks, NT of them, STEP apart */
	size_t nt;
	int ml, mr;               /* margins, estimated from the labels' lengths */
	int ph;                   /* the plot's height: SVG_PH or SVG_PH_ZERO */
	struct chart_clock clock;
};

/* T and V in plot units. */
long long svg_x(const struct svg_frame *f, double t);
long long svg_y(const struct svg_frame *f, double v);

/* Whether C's window is shaded: it has one, on the axis and not all of it
 * (a chart of the window alone needs no shading). */
int svg_window_shown(const struct svg_chart *c, const struct svg_frame *f);

/* The plot, a nested <svg> in plot units: grid, window, areas, lines,
 * reference lines and marker lines.  -1 on ENOMEM. */
int svg_plot(const struct svg_chart *c, const struct svg_frame *f, struct ms_buf *o);

/* The palette, by series index. */
const char *svg_colour(size_t k);

#endif
