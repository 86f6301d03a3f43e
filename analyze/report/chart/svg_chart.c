/*
 * svg_chart.c - inline SVG charts (see svg_chart.h).
 *
 * Layout: a plot area inside fixed margins; value ticks on the left with
 * grid lines, time ticks below, the legend above.  Stacked areas are
 * drawn from the bottom up on a common downsampled time grid; lines are
 * downsampled one by one.  Colours come from a fixed palette by series
 * index, so the same report always looks the same.
 */
#include "svg_chart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart_downsample.h"

enum { ML = 70, MR = 12, MT = 28, MB = 26 };

static const char *const palette[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};
#define NPAL (sizeof(palette) / sizeof(*palette))

struct frame {
	double t0, t1;
	struct chart_ticks yt;
	int w, h;
};

static double px(const struct frame *f, double t)
{
	return ML + (t - f->t0) / (f->t1 - f->t0) * (f->w - ML - MR);
}

static double py(const struct frame *f, double v)
{
	return f->h - MB - (v - f->yt.lo) / (f->yt.hi - f->yt.lo) * (f->h - MT - MB);
}

int svg_escape(struct ms_buf *out, const char *s)
{
	for (; *s; s++) {
		const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
			      : *s == '"' ? "&quot;" : *s == '\'' ? "&#39;" : NULL;
		if (e ? ms_buf_addstr(out, e) < 0 : ms_buf_add(out, s, 1) < 0)
			return -1;
	}
	return 0;
}

/* The value of series S at time T: the last point at or before T. */
static double value_at(const struct svg_series *s, double t, size_t *cursor)
{
	while (*cursor + 1 < s->n && s->t[*cursor + 1] <= t)
		(*cursor)++;
	if (s->n == 0 || s->t[*cursor] > t)
		return NAN;
	return s->y[*cursor];
}

/* Append a polyline path of N points ("M x y L x y ..."). */
static int path_points(struct ms_buf *o, const struct frame *f, const double *t, const double *y,
		       size_t n)
{
	int pen = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(y[i])) {
			pen = 0;
			continue;
		}
		if (ms_buf_addf(o, "%s%.1f %.1f", pen ? " L" : (i ? " M" : "M"), px(f, t[i]),
				py(f, y[i])) < 0)
			return -1;
		pen = 1;
	}
	return 0;
}

static int render_areas(const struct svg_chart *c, const struct frame *f, struct ms_buf *o)
{
	size_t cols = (size_t)(f->w - ML - MR);
	double *grid = malloc(cols * sizeof(double));
	double *base = calloc(cols, sizeof(double));
	double *top = malloc(cols * sizeof(double));
	int rc = grid && base && top ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < cols; i++)
		grid[i] = f->t0 + (f->t1 - f->t0) * (double)i / (double)(cols > 1 ? cols - 1 : 1);
	for (size_t k = 0; rc == 0 && k < c->nseries; k++) {
		const struct svg_series *s = &c->series[k];
		if (s->kind != SVG_AREA)
			continue;
		size_t cur = 0;
		for (size_t i = 0; i < cols; i++) {
			double v = value_at(s, grid[i], &cur);
			top[i] = base[i] + (isnan(v) ? 0 : v);
		}
		rc = ms_buf_addf(o, "<path class=\"area\" data-series=\"") < 0 || svg_escape(o, s->name) < 0 ||
		     ms_buf_addf(o, "\" data-points=\"%zu\" fill=\"%s\" fill-opacity=\"0.75\" stroke=\"none\" d=\"",
				 s->n, palette[k % NPAL]) < 0 ? -1 : 0;
		for (size_t i = 0; rc == 0 && i < cols; i++)
			rc = ms_buf_addf(o, "%s%.1f %.1f", i ? " L" : "M", px(f, grid[i]), py(f, top[i]));
		for (size_t i = cols; rc == 0 && i-- > 0;)
			rc = ms_buf_addf(o, " L%.1f %.1f", px(f, grid[i]), py(f, base[i]));
		if (rc == 0)
			rc = ms_buf_addstr(o, " Z\"/>\n");
		memcpy(base, top, cols * sizeof(double));
	}
	free(grid);
	free(base);
	free(top);
	return rc < 0 ? -1 : 0;
}

static int render_lines(const struct svg_chart *c, const struct frame *f, struct ms_buf *o)
{
	size_t buckets = (size_t)(f->w - ML - MR);
	double *dt = malloc(2 * buckets * sizeof(double));
	double *dy = malloc(2 * buckets * sizeof(double));
	int rc = dt && dy ? 0 : -1;
	for (size_t k = 0; rc == 0 && k < c->nseries; k++) {
		const struct svg_series *s = &c->series[k];
		if (s->kind == SVG_AREA)
			continue;
		size_t n = chart_downsample(s->t, s->y, s->n, buckets, dt, dy);
		rc = ms_buf_addstr(o, "<path class=\"line\" data-series=\"") < 0 || svg_escape(o, s->name) < 0 ||
		     ms_buf_addf(o, "\" data-points=\"%zu\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\"%s d=\"",
				 s->n, palette[k % NPAL],
				 s->kind == SVG_DASHED ? " stroke-dasharray=\"5 4\"" : "") < 0 ||
		     path_points(o, f, dt, dy, n) < 0 || ms_buf_addstr(o, "\"/>\n") < 0 ? -1 : 0;
	}
	free(dt);
	free(dy);
	return rc;
}

/* The range of every value drawn (areas stacked). */
static void value_range(const struct svg_chart *c, double *lo, double *hi, double *t0, double *t1)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	*t0 = INFINITY;
	*t1 = -INFINITY;
	double *stack = NULL;
	size_t nstack = 0;
	for (size_t k = 0; k < c->nseries; k++) {
		const struct svg_series *s = &c->series[k];
		if (s->n) {
			*t0 = fmin(*t0, s->t[0]);
			*t1 = fmax(*t1, s->t[s->n - 1]);
		}
		if (s->kind == SVG_AREA) {
			if (!stack && s->n) {
				stack = calloc(s->n, sizeof(double));
				nstack = stack ? s->n : 0;
			}
			size_t cur = 0;
			const struct svg_series *first = NULL;
			for (size_t j = 0; j < c->nseries && !first; j++)
				if (c->series[j].kind == SVG_AREA)
					first = &c->series[j];
			for (size_t i = 0; i < nstack; i++) {
				double v = value_at(s, first->t[i], &cur);
				stack[i] += isnan(v) ? 0 : v;
				*hi = fmax(*hi, stack[i]);
			}
			*lo = fmin(*lo, 0);
			continue;
		}
		for (size_t i = 0; i < s->n; i++)
			if (!isnan(s->y[i])) {
				*lo = fmin(*lo, s->y[i]);
				*hi = fmax(*hi, s->y[i]);
			}
	}
	for (size_t i = 0; i < c->nrefs; i++) {
		*lo = fmin(*lo, c->refs[i].v);
		*hi = fmax(*hi, c->refs[i].v);
	}
	free(stack);
	if (*lo > *hi) {
		*lo = 0;
		*hi = 1;
	}
}

int svg_chart_render(const struct svg_chart *c, struct ms_buf *o)
{
	struct frame f;
	double lo, hi, dt0, dt1;
	f.w = c->width ? c->width : 720;
	f.h = c->height ? c->height : 220;
	value_range(c, &lo, &hi, &dt0, &dt1);
	f.t0 = c->t1 > c->t0 ? c->t0 : dt0;
	f.t1 = c->t1 > c->t0 ? c->t1 : dt1;
	if (!(f.t1 > f.t0)) {
		f.t0 = isfinite(f.t0) ? f.t0 - 30 : 0;
		f.t1 = f.t0 + 60;
	}
	chart_value_ticks(lo, hi, c->unit, 6, &f.yt);
	if (ms_buf_addf(o, "<svg class=\"chart\" data-chart=\"") < 0 || svg_escape(o, c->id) < 0 ||
	    ms_buf_addf(o, "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
			"viewBox=\"0 0 %d %d\" role=\"img\">\n<title>", f.w, f.h, f.w, f.h) < 0 ||
	    svg_escape(o, c->title) < 0 ||
	    ms_buf_addf(o, "</title>\n<text x=\"%d\" y=\"14\" class=\"ct\">", ML) < 0 ||
	    svg_escape(o, c->title) < 0 || ms_buf_addstr(o, "</text>\n") < 0)
		return -1;
	char label[64];
	for (size_t i = 0; i < f.yt.n; i++) {
		chart_value_label(&f.yt, f.yt.v[i], label, sizeof(label));
		if (ms_buf_addf(o, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
				"<text class=\"yl\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
				ML, f.w - MR, py(&f, f.yt.v[i]), py(&f, f.yt.v[i]), ML - 6,
				py(&f, f.yt.v[i]) + 4, label) < 0)
			return -1;
	}
	double tt[16], step;
	size_t nt = chart_time_ticks(f.t0, f.t1, 8, tt, &step);
	for (size_t i = 0; i < nt; i++) {
		chart_time_label(tt[i], step, f.t1 - f.t0, label, sizeof(label));
		if (ms_buf_addf(o, "<line class=\"tick\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>"
				"<text class=\"xl\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
				px(&f, tt[i]), px(&f, tt[i]), f.h - MB, f.h - MB + 4, px(&f, tt[i]),
				f.h - 8, label) < 0)
			return -1;
	}
	if (ms_buf_addf(o, "<g>\n") < 0 || render_areas(c, &f, o) < 0 ||
	    render_lines(c, &f, o) < 0)
		return -1;
	for (size_t i = 0; i < c->nrefs; i++)
		if (ms_buf_addf(o, "<line class=\"ref\" data-series=\"") < 0 || svg_escape(o, c->refs[i].name) < 0 ||
		    ms_buf_addf(o, "\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>\n", ML, f.w - MR,
				py(&f, c->refs[i].v), py(&f, c->refs[i].v)) < 0)
			return -1;
	for (size_t i = 0; i < c->nmarkers; i++) {
		if (c->markers[i].t < f.t0 || c->markers[i].t > f.t1)
			continue; /* outside the time axis */
		if (ms_buf_addf(o, "<line class=\"marker\" data-series=\"") < 0 ||
		    svg_escape(o, c->markers[i].name) < 0 ||
		    ms_buf_addf(o, "\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"><title>",
				px(&f, c->markers[i].t), px(&f, c->markers[i].t), MT, f.h - MB) < 0 ||
		    svg_escape(o, c->markers[i].name) < 0 || ms_buf_addstr(o, "</title></line>\n") < 0)
			return -1;
	}
	/* legend, one entry per series and reference line */
	double x = ML + 8;
	for (size_t k = 0; k < c->nseries + c->nrefs; k++) {
		const char *name = k < c->nseries ? c->series[k].name : c->refs[k - c->nseries].name;
		const char *col = k < c->nseries ? palette[k % NPAL] : "#555";
		if (ms_buf_addf(o, "<rect x=\"%.0f\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
				"<text class=\"lg\" x=\"%.0f\" y=\"%d\">", x, MT - 2, col, x + 14, MT + 7) < 0 ||
		    svg_escape(o, name) < 0 || ms_buf_addstr(o, "</text>\n") < 0)
			return -1;
		x += 24 + 6.5 * (double)strlen(name);
	}
	return ms_buf_addstr(o, "</g>\n</svg>\n");
}

int svg_sparkline(const double *t, const double *y, size_t n, int w, int h, struct ms_buf *o)
{
	struct svg_series s = { "", t, y, n, SVG_LINE };
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < n; i++)
		if (!isnan(y[i])) {
			lo = fmin(lo, y[i]);
			hi = fmax(hi, y[i]);
		}
	if (ms_buf_addf(o, "<svg class=\"spark\" data-points=\"%zu\" xmlns=\"http://www.w3.org/2000/svg\" "
			"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">", n, w, h, w, h) < 0)
		return -1;
	if (n >= 2 && t[n - 1] > t[0] && hi >= lo) {
		size_t buckets = (size_t)w;
		double *dt = malloc(2 * buckets * sizeof(double)), *dy = malloc(2 * buckets * sizeof(double));
		int rc = dt && dy ? 0 : -1;
		size_t m = rc == 0 ? chart_downsample(s.t, s.y, s.n, buckets, dt, dy) : 0;
		if (rc == 0)
			rc = ms_buf_addstr(o, "<path fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.2\" d=\"");
		for (size_t i = 0; rc == 0 && i < m; i++)
			rc = ms_buf_addf(o, "%s%.1f %.1f", i ? " L" : "M",
					 (dt[i] - t[0]) / (t[n - 1] - t[0]) * (w - 2) + 1,
					 hi > lo ? h - 1 - (dy[i] - lo) / (hi - lo) * (h - 2) : h / 2.0);
		free(dt);
		free(dy);
		if (rc < 0 || ms_buf_addstr(o, "\"/>") < 0)
			return -1;
	}
	return ms_buf_addstr(o, "</svg>");
}
