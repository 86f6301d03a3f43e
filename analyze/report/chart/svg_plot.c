/*
 * svg_plot.c - a chart's data in plot units (see svg_frame.h): the value
 * grid, a finding's window, the stacked areas, the lines, the reference and
 * marker lines, each path relative after its first point.  The page's
 * script reads times and values back from these paths (chart.js), so every
 * point written is a point of the data, downsampled but not moved.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart_downsample.h"
#include "svg_frame.h"

long long svg_x(const struct svg_frame *f, double t)
{
	return llround((t - f->t0) * f->xs);
}

int svg_window_shown(const struct svg_chart *c, const struct svg_frame *f)
{
	return c->window && c->w1 >= f->t0 && c->w0 <= f->t1 && (c->w0 > f->t0 || c->w1 < f->t1);
}

long long svg_y(const struct svg_frame *f, double v)
{
	return llround((f->yt.hi - v) / (f->yt.hi - f->yt.lo) * SVG_YRES);
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

/* Path data for N points (NaN = a gap): "M x y" at each start, then "l dx
 * dy ..." (a subpath of one point gets "l0 0", a dot with round caps). */
static int path_data(struct ms_buf *o, const struct svg_frame *f, const double *t, const double *y,
		     size_t n)
{
	long long px = 0, py = 0;
	int pen = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(y[i])) {
			pen = 0;
			continue;
		}
		long long x = svg_x(f, t[i]), v = svg_y(f, y[i]);
		int lone = i + 1 == n || isnan(y[i + 1]);
		int rc = !pen ? ms_buf_addf(o, "M%lld %lld%s", x, v, lone ? "l0 0" : "l")
			      : ms_buf_addf(o, "%s%lld %lld", pen == 1 ? "" : " ", x - px, v - py);
		if (rc < 0)
			return -1;
		pen = pen ? 2 : 1;
		px = x;
		py = v;
	}
	return 0;
}

/* The series' own attributes: class, name, points, its index (its place
 * in the legend). */
static int series_open(struct ms_buf *o, const char *cls, const struct svg_series *s, size_t k)
{
	return ms_buf_addf(o, "<path class=\"%s\" data-series=\"", cls) < 0 || svg_escape(o, s->name) < 0 ||
	       ms_buf_addf(o, "\" data-points=\"%zu\" data-i=\"%zu\"", s->n, k) < 0 ? -1 : 0;
}

/* The times the areas are drawn at: the first area's own, every one when
 * it is short, else SVG_BUCKETS + 1 of them evenly spread (so each is a
 * sample's).  *N, or NULL on ENOMEM. */
static double *area_grid(const struct svg_series *first, size_t *n)
{
	size_t m = first->n <= 2 * SVG_BUCKETS ? first->n : SVG_BUCKETS + 1;
	double *g = malloc((m ? m : 1) * sizeof(double));
	if (!g)
		return NULL;
	for (size_t i = 0; i < m; i++)
		g[i] = first->t[m == first->n ? i : i * (first->n - 1) / (m - 1)];
	*n = m;
	return g;
}

/* The stacked areas, each filled from its cumulative top down to 0 and
 * drawn top-most first, so each shows as the band above the one below it;
 * every area has a point at each grid time (the script subtracts them). */
static int render_areas(const struct svg_chart *c, const struct svg_frame *f, struct ms_buf *o)
{
	size_t na = 0, cols = 0, first = c->nseries;
	for (size_t k = 0; k < c->nseries; k++)
		if (c->series[k].kind == SVG_AREA && c->series[k].n) {
			na++;
			first = first < k ? first : k;
		}
	if (na == 0)
		return 0;
	double *grid = area_grid(&c->series[first], &cols);
	double *top = grid ? calloc(na * cols, sizeof(double)) : NULL;
	int rc = top ? 0 : -1;
	size_t *idx = rc == 0 ? malloc(na * sizeof(size_t)) : NULL;
	rc = idx ? 0 : -1;
	for (size_t k = 0, a = 0; rc == 0 && k < c->nseries; k++) {
		const struct svg_series *s = &c->series[k];
		if (s->kind != SVG_AREA || !s->n)
			continue;
		size_t cur = 0;
		for (size_t i = 0; i < cols; i++) {
			double v = value_at(s, grid[i], &cur);
			top[a * cols + i] = (a ? top[(a - 1) * cols + i] : 0) + (isnan(v) ? 0 : v);
		}
		idx[a++] = k;
	}
	long long base = svg_y(f, fmax(f->yt.lo, 0));
	for (size_t a = na; rc == 0 && a-- > 0;) {
		const struct svg_series *s = &c->series[idx[a]];
		rc = series_open(o, "area", s, idx[a]) < 0 ||
		     ms_buf_addf(o, " fill=\"%s\" d=\"", svg_colour(idx[a])) < 0 ||
		     path_data(o, f, grid, top + a * cols, cols) < 0 ||
		     ms_buf_addf(o, "V%lldH%lldZ\"/>\n", base, svg_x(f, grid[0])) < 0 ? -1 : 0;
	}
	free(idx);
	free(grid);
	free(top);
	return rc;
}

static int render_lines(const struct svg_chart *c, const struct svg_frame *f, struct ms_buf *o)
{
	double *dt = malloc(2 * SVG_BUCKETS * sizeof(double));
	double *dy = malloc(2 * SVG_BUCKETS * sizeof(double));
	int rc = dt && dy ? 0 : -1;
	for (size_t k = 0; rc == 0 && k < c->nseries; k++) {
		const struct svg_series *s = &c->series[k];
		if (s->kind == SVG_AREA || !s->n)
			continue;
		size_t n = chart_downsample(s->t, s->y, s->n, SVG_BUCKETS, dt, dy);
		rc = series_open(o, "line", s, k) < 0 ||
		     ms_buf_addf(o, " stroke=\"%s\"%s d=\"", svg_colour(k),
				 s->kind == SVG_DASHED ? " stroke-dasharray=\"5 4\"" : "") < 0 ||
		     path_data(o, f, dt, dy, n) < 0 || ms_buf_addstr(o, "\"/>\n") < 0 ? -1 : 0;
	}
	free(dt);
	free(dy);
	return rc;
}

/* The value grid, the window, the reference lines and the markers. */
static int render_grid(const struct svg_chart *c, const struct svg_frame *f, struct ms_buf *o)
{
	if (ms_buf_addstr(o, "<path class=\"grid\" d=\"") < 0)
		return -1;
	for (size_t i = 0; i < f->yt.n; i++)
		if (ms_buf_addf(o, "M0 %lldh%lld", svg_y(f, f->yt.v[i]), f->xw) < 0)
			return -1;
	if (ms_buf_addstr(o, "\"/>\n") < 0)
		return -1;
	if (svg_window_shown(c, f)) {
		long long x0 = svg_x(f, fmax(c->w0, f->t0)), x1 = svg_x(f, fmin(c->w1, f->t1));
		if (ms_buf_addf(o, "<rect class=\"win\" x=\"%lld\" y=\"0\" width=\"%lld\" height=\"%d\"/>\n",
				x0, x1 - x0, SVG_YRES) < 0)
			return -1;
	}
	return 0;
}

static int render_lines_over(const struct svg_chart *c, const struct svg_frame *f, struct ms_buf *o)
{
	for (size_t i = 0; i < c->nrefs; i++)
		if (ms_buf_addstr(o, "<path class=\"ref\" data-series=\"") < 0 ||
		    svg_escape(o, c->refs[i].name) < 0 ||
		    ms_buf_addf(o, "\" d=\"M0 %lldh%lld\"/>\n", svg_y(f, c->refs[i].v), f->xw) < 0)
			return -1;
	for (size_t i = 0; i < c->nmarkers; i++) {
		double t = c->markers[i].t;
		if (t < f->t0 || t > f->t1)
			continue;
		if (ms_buf_addstr(o, "<path class=\"marker\" data-series=\"") < 0 ||
		    svg_escape(o, c->markers[i].name) < 0 ||
		    ms_buf_addf(o, "\" d=\"M%lld 0v%d\"/>\n", svg_x(f, t), SVG_YRES) < 0)
			return -1;
	}
	return 0;
}

int svg_plot(const struct svg_chart *c, const struct svg_frame *f, struct ms_buf *o)
{
	return ms_buf_addf(o, "<svg class=\"pl\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %lld %d\""
			   " preserveAspectRatio=\"none\" overflow=\"visible\">\n", f->ml, SVG_MT,
			   SVG_W - f->ml - f->mr, f->ph, f->xw, SVG_YRES) < 0 ||
	       render_grid(c, f, o) < 0 || render_areas(c, f, o) < 0 || render_lines(c, f, o) < 0 ||
	       render_lines_over(c, f, o) < 0 || ms_buf_addstr(o, "</svg>\n") < 0 ? -1 : 0;
}
