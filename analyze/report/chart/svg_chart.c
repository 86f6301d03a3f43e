/*
 * svg_chart.c - a chart's figure (see svg_chart.h): caption and legend in
 * HTML, then the <svg>: value labels on the left, the plot (svg_plot.c),
 * and below it the time axis in a nested <svg> without a viewBox, whose
 * labels sit at percentages of the plot's width, so they follow the plot
 * when the script widens it.  Colours come from a fixed palette by series
 * index, so the same report always looks the same.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart_downsample.h"
#include "svg_frame.h"

static const char *const palette[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};
#define NPAL (sizeof(palette) / sizeof(*palette))

/* The width of a label of N characters at the charts' 12 px, estimated for
 * the first layout (the script measures the real one). */
#define TEXT_W(n) (7 * (int)(n))

static int imax(int a, int b)
{
	return a > b ? a : b;
}

static const char *const unit_names[] = {
	[UNIT_NONE] = "number", [UNIT_BYTES] = "bytes", [UNIT_PERCENT] = "percent",
	[UNIT_PER_S] = "per-second",
};

const char *svg_colour(size_t k)
{
	return palette[k % NPAL];
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

/* Points that are not gaps; *ZERO when every one of them is 0. */
static size_t real_points(const struct svg_series *s, int *zero)
{
	size_t n = 0;
	*zero = 1;
	for (size_t i = 0; i < s->n; i++)
		if (!isnan(s->y[i])) {
			n++;
			*zero = *zero && s->y[i] == 0;
		}
	return n;
}

/* The highest of the stacked areas, at the first area's times, into *HI.
 * -1 on ENOMEM. */
static int stack_top(const struct svg_chart *c, double *hi)
{
	const struct svg_series *first = NULL;
	for (size_t k = 0; k < c->nseries && !first; k++)
		if (c->series[k].kind == SVG_AREA && c->series[k].n)
			first = &c->series[k];
	size_t *cur = first ? calloc(c->nseries, sizeof(size_t)) : NULL;
	if (first && !cur)
		return -1;
	for (size_t i = 0; first && i < first->n; i++) {
		double sum = 0;
		for (size_t k = 0; k < c->nseries; k++) {
			const struct svg_series *s = &c->series[k];
			while (s->kind == SVG_AREA && cur[k] < s->n && s->t[cur[k]] <= first->t[i])
				cur[k]++;
			if (s->kind == SVG_AREA && cur[k] && !isnan(s->y[cur[k] - 1]))
				sum += s->y[cur[k] - 1];
		}
		*hi = fmax(*hi, sum);
	}
	free(cur);
	return 0;
}

/* The range of every value drawn (areas stacked) and of the data's times.
 * -1 on ENOMEM. */
static int data_range(const struct svg_chart *c, double *lo, double *hi, double *t0, double *t1)
{
	*lo = *t0 = INFINITY;
	*hi = *t1 = -INFINITY;
	for (size_t k = 0; k < c->nseries; k++) {
		const struct svg_series *s = &c->series[k];
		if (s->n) {
			*t0 = fmin(*t0, s->t[0]);
			*t1 = fmax(*t1, s->t[s->n - 1]);
		}
		for (size_t i = 0; s->kind != SVG_AREA && i < s->n; i++)
			if (!isnan(s->y[i])) {
				*lo = fmin(*lo, s->y[i]);
				*hi = fmax(*hi, s->y[i]);
			}
		if (s->kind == SVG_AREA)
			*lo = fmin(*lo, 0);
	}
	if (stack_top(c, hi) < 0)
		return -1;
	for (size_t i = 0; i < c->nrefs; i++) {
		*lo = fmin(*lo, c->refs[i].v);
		*hi = fmax(*hi, c->refs[i].v);
	}
	if (*lo > *hi)
		*lo = *hi = 0;
	return 0;
}

/* The axes, the plot units and the first margins of chart C. */
static int frame(const struct svg_chart *c, struct svg_frame *f)
{
	double lo, hi, dt0, dt1;
	char l[64];
	if (data_range(c, &lo, &hi, &dt0, &dt1) < 0)
		return -1;
	f->t0 = c->t1 > c->t0 ? c->t0 : dt0;
	f->t1 = c->t1 > c->t0 ? c->t1 : dt1;
	if (!(f->t1 > f->t0)) {
		f->t0 = isfinite(f->t0) ? f->t0 - 30 : 0;
		f->t1 = f->t0 + 60;
	}
	double span = f->t1 - f->t0;
	f->xs = span >= 600 ? 1 : span >= 60 ? 10 : 100;
	f->xw = llround(span * f->xs);
	chart_value_ticks(lo, hi, c->unit, 6, &f->yt);
	f->ph = f->yt.n == 1 ? SVG_PH_ZERO : SVG_PH;   /* one tick: nothing but zeros */
	if (chart_clock_init(&f->clock, c->tz, f->t0, f->t1) < 0)
		return -1;
	/* as many time ticks as fit at 560 px, the plot's width at 800 px */
	long off = f->clock.s[0].off;
	f->nt = chart_time_ticks(f->t0, f->t1, off, 8, f->tt, &f->step);
	chart_time_label(f->t0, off, f->step, span, l, sizeof(l));
	int lw = TEXT_W(strlen(l));
	size_t fit = (size_t)(560 / (lw + 24));
	fit = fit < 3 ? 3 : fit > CHART_MAX_TICKS ? CHART_MAX_TICKS : fit;
	f->nt = chart_time_ticks(f->t0, f->t1, off, fit, f->tt, &f->step);
	f->ml = lw / 2 + 4;
	for (size_t i = 0; i < f->yt.n; i++) {
		chart_value_label(&f->yt, f->yt.v[i], l, sizeof(l));
		f->ml = imax(f->ml, TEXT_W(strlen(l)) + 10);
	}
	f->mr = imax(12, lw / 2 + 4);
	return 0;
}

/* The time as the clock shows it, for tick I. */
static void tick_label(const struct svg_frame *f, size_t i, char *l, size_t size)
{
	chart_time_label(f->tt[i], chart_clock_at(&f->clock, f->tt[i])->off, f->step, f->t1 - f->t0, l,
			 size);
}

/* The <svg> element and the attributes the script reads. */
static int svg_open(const struct svg_chart *c, const struct svg_frame *f, struct ms_buf *o)
{
	if (ms_buf_addstr(o, "<svg class=\"chart\" data-chart=\"") < 0 || svg_escape(o, c->id) < 0 ||
	    ms_buf_addf(o, "\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\""
			" role=\"img\" tabindex=\"0\" aria-label=\"", SVG_W, SVG_MT + f->ph + SVG_MB) < 0 ||
	    svg_escape(o, c->title) < 0 ||
	    ms_buf_addf(o, "\" data-unit=\"%s\" data-t0=\"%.3f\" data-xs=\"%g\" data-lo=\"%.17g\""
			" data-hi=\"%.17g\" data-tz=\"", unit_names[c->unit], f->t0, f->xs, f->yt.lo,
			f->yt.hi) < 0)
		return -1;
	for (size_t i = 0; i < f->clock.n; i++)
		if (ms_buf_addf(o, "%s%.0f %ld ", i ? ";" : "", f->clock.s[i].from, f->clock.s[i].off) < 0 ||
		    svg_escape(o, f->clock.s[i].abbr) < 0)
			return -1;
	return ms_buf_addstr(o, "\">\n<title>") < 0 || svg_escape(o, c->title) < 0 ||
	       ms_buf_addstr(o, "</title>\n") < 0 ? -1 : 0;
}

/* The value labels, left of the plot. */
static int value_labels(const struct svg_frame *f, struct ms_buf *o)
{
	char l[64];
	for (size_t i = 0; i < f->yt.n; i++) {
		chart_value_label(&f->yt, f->yt.v[i], l, sizeof(l));
		if (ms_buf_addf(o, "<text class=\"yl\" x=\"%d\" y=\"%.1f\">%s</text>\n", f->ml - 6,
				SVG_MT + (double)svg_y(f, f->yt.v[i]) * f->ph / SVG_YRES + 4, l) < 0)
			return -1;
	}
	return 0;
}

/* Where T falls on the plot, in percent of its width. */
static double pct(const struct svg_frame *f, double t)
{
	return (double)svg_x(f, t) * 100 / (double)f->xw;
}

/* The time axis and the markers' names, in percent of the plot's width. */
static int time_axis(const struct svg_chart *c, const struct svg_frame *f, struct ms_buf *o)
{
	char l[64];
	if (ms_buf_addf(o, "<svg class=\"xa\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" overflow=\"visible\">\n"
			"<line class=\"axis\" x1=\"0\" x2=\"100%%\" y1=\"%d\" y2=\"%d\"/>\n", f->ml, SVG_MT,
			SVG_W - f->ml - f->mr, f->ph + SVG_MB, f->ph, f->ph) < 0)
		return -1;
	for (size_t i = 0; i < f->nt; i++) {
		tick_label(f, i, l, sizeof(l));
		if (ms_buf_addf(o, "<line class=\"tick\" x1=\"%.2f%%\" x2=\"%.2f%%\" y1=\"%d\" y2=\"%d\"/>"
				"<text class=\"xl\" x=\"%.2f%%\" y=\"%d\">%s</text>\n", pct(f, f->tt[i]),
				pct(f, f->tt[i]), f->ph, f->ph + 4, pct(f, f->tt[i]), f->ph + 17, l) < 0)
			return -1;
	}
	for (size_t i = 0; i < c->nmarkers; i++) {
		double t = c->markers[i].t, p = pct(f, t);
		if (t < f->t0 || t > f->t1)
			continue;
		if (ms_buf_addf(o, "<text class=\"mkl\" x=\"%.2f%%\" y=\"12\" dx=\"%d\"%s>", p, p < 60 ? 4 : -4,
				p < 60 ? "" : " text-anchor=\"end\"") < 0 ||
		    svg_escape(o, c->markers[i].name) < 0 || ms_buf_addstr(o, "</text>\n") < 0)
			return -1;
	}
	return ms_buf_addstr(o, "</svg>\n");
}

/* One legend entry: a swatch of class CLS (in COLOUR, or NULL), NAME and
 * NOTE (or NULL). */
static int entry(struct ms_buf *o, const char *cls, const char *colour, const char *name, const char *note)
{
	return ms_buf_addf(o, "<span%s><i class=\"sw %s\"", note ? " class=\"nd\"" : "", cls) < 0 ||
	       (colour && ms_buf_addf(o, " style=\"color:%s\"", colour) < 0) ||
	       ms_buf_addstr(o, "></i>") < 0 || svg_escape(o, name) < 0 ||
	       (note && ms_buf_addf(o, ": %s", note) < 0) || ms_buf_addstr(o, "</span>") < 0 ? -1 : 0;
}

/* The caption and the legend: the series (those with no point or nothing
 * but zeros say so); when the chart is DRAWN, the reference lines, the
 * window, the markers' names (the first four that differ). */
static int legend(const struct svg_chart *c, const struct svg_frame *f, int drawn, struct ms_buf *o)
{
	static const char *const cls[] = { [SVG_LINE] = "l", [SVG_DASHED] = "d", [SVG_AREA] = "a" };
	if (ms_buf_addstr(o, "<figcaption>") < 0 || svg_escape(o, c->title) < 0 ||
	    ms_buf_addstr(o, "</figcaption>\n<div class=\"lg\">") < 0)
		return -1;
	for (size_t k = 0; k < c->nseries; k++) {
		int zero, real = real_points(&c->series[k], &zero) > 0;
		if (entry(o, cls[c->series[k].kind], palette[k % NPAL], c->series[k].name,
			  !real ? "no data" : zero ? "0 throughout" : NULL) < 0)
			return -1;
	}
	for (size_t i = 0; drawn && i < c->nrefs; i++)
		if (entry(o, "r", NULL, c->refs[i].name, NULL) < 0)
			return -1;
	if (drawn && svg_window_shown(c, f) && entry(o, "w", NULL, "finding's window", NULL) < 0)
		return -1;
	size_t shown = 0;
	for (size_t i = 0; drawn && i < c->nmarkers && shown < 4; i++) {
		size_t j = 0;
		while (j < i && strcmp(c->markers[j].name, c->markers[i].name) != 0)
			j++;
		if (j < i || c->markers[i].t < f->t0 || c->markers[i].t > f->t1)
			continue;
		if (entry(o, "m", NULL, c->markers[i].name, NULL) < 0)
			return -1;
		shown++;
	}
	return ms_buf_addstr(o, "</div>\n");
}

int svg_chart_render(const struct svg_chart *c, struct ms_buf *o)
{
	struct svg_frame f;
	size_t real = 0;
	for (size_t k = 0; k < c->nseries; k++) {
		int zero;
		real += real_points(&c->series[k], &zero);
	}
	if (frame(c, &f) < 0 || legend(c, &f, real > 0, o) < 0)
		return -1;
	if (!real)
		return ms_buf_addstr(o, "<p class=\"nodata\" data-chart=\"") < 0 || svg_escape(o, c->id) < 0 ||
		       ms_buf_addstr(o, "\">no data</p>\n") < 0 ? -1 : 0;
	return svg_open(c, &f, o) < 0 || value_labels(&f, o) < 0 || svg_plot(c, &f, o) < 0 ||
	       time_axis(c, &f, o) < 0 || ms_buf_addstr(o, "</svg>\n") < 0 ? -1 : 0;
}

int svg_sparkline(const double *t, const double *y, size_t n, int w, int h, struct ms_buf *o)
{
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
		size_t m = rc == 0 ? chart_downsample(t, y, n, buckets, dt, dy) : 0;
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
