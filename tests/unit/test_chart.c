/*
 * test_chart.c - the report's chart code: value and time ticks, labels,
 * min/max downsampling, and the SVG it writes (analyze/chart/).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_downsample.h"
#include "chart_scale.h"
#include "chart_tz.h"
#include "svg_chart.h"
#include "test.h"

TEST(chart_value_ticks_bytes_in_binary_units)
{
	struct chart_ticks t;
	char l[32];
	/* 0 .. 900 MiB: MiB, steps of 200 */
	chart_value_ticks(0, 900.0 * 1048576, UNIT_BYTES, 6, &t);
	CHECK_STR(t.suffix, "MiB");
	CHECK_EQ_U64(t.n, 6);
	CHECK(t.lo == 0 && t.hi == 1000.0 * 1048576);
	chart_value_label(&t, t.v[1], l, sizeof(l));
	CHECK_STR(l, "200 MiB");
	/* 2.3 GiB: GiB with fractional steps */
	chart_value_ticks(0, 2.3 * 1073741824.0, UNIT_BYTES, 6, &t);
	CHECK_STR(t.suffix, "GiB");
	CHECK(t.hi >= 2.3 * 1073741824.0);
	chart_value_label(&t, t.v[1], l, sizeof(l));
	CHECK_STR(l, "0.5 GiB");
	/* every value is inside the axis, at most 6 ticks */
	for (double hi = 1; hi < 1e13; hi *= 3.7) {
		chart_value_ticks(0, hi, UNIT_BYTES, 6, &t);
		CHECK(t.n >= 2 && t.n <= 6);
		CHECK(t.lo <= 0 && t.hi >= hi);
	}
}

TEST(chart_value_ticks_plain_negative_and_constant)
{
	struct chart_ticks t;
	char l[32];
	chart_value_ticks(-3, 7, UNIT_NONE, 6, &t);
	CHECK(t.lo <= -3 && t.hi >= 7 && t.n <= 6);
	CHECK(t.v[0] == -5 && t.v[1] == -2.5);   /* 7 ticks of 2 would be too many */
	chart_value_ticks(5, 5, UNIT_PER_S, 6, &t);   /* constant: from 0 */
	CHECK(t.lo == 0 && t.hi >= 5 && t.n >= 2);
	chart_value_ticks(NAN, INFINITY, UNIT_NONE, 6, &t);
	CHECK(t.n >= 2 && isfinite(t.lo) && isfinite(t.hi));
	/* nothing but zeros: one tick, 0, and no "0.2 B" or "0.8/s" */
	chart_value_ticks(0, 0, UNIT_PERCENT, 6, &t);
	CHECK_EQ_U64(t.n, 1);
	CHECK(t.v[0] == 0 && t.lo == 0 && t.hi == 1);
	chart_value_label(&t, t.v[0], l, sizeof(l));
	CHECK_STR(l, "0 %");
	chart_value_ticks(0, 0, UNIT_BYTES, 6, &t);
	CHECK_EQ_U64(t.n, 1);
	chart_value_label(&t, t.v[0], l, sizeof(l));
	CHECK_STR(l, "0 B");
	/* a few bytes: whole bytes */
	chart_value_ticks(0, 3, UNIT_BYTES, 6, &t);
	CHECK_EQ_U64(t.n, 4);
	chart_value_label(&t, t.v[1], l, sizeof(l));
	CHECK_STR(l, "1 B");
	for (size_t i = 0; i < t.n; i++)
		CHECK(t.v[i] == floor(t.v[i]));
	chart_value_ticks(0, 0.7, UNIT_PER_S, 6, &t);   /* a rate may be a fraction */
	chart_value_label(&t, t.v[1], l, sizeof(l));
	CHECK_STR(l, "0.2/s");
}

TEST(chart_bytes_labels)
{
	char l[32];
	chart_bytes(3, l, sizeof(l));
	CHECK_STR(l, "3 B");
	chart_bytes(4.7 * 1048576, l, sizeof(l));
	CHECK_STR(l, "4.7 MiB");
	chart_bytes(812 * 1024, l, sizeof(l));
	CHECK_STR(l, "812 KiB");
	chart_bytes(-2.0 * 1073741824.0, l, sizeof(l));
	CHECK_STR(l, "-2.0 GiB");
}

TEST(chart_time_ticks_steps_and_labels)
{
	double t[16], step;
	char l[32];
	/* 10 minutes from 06:41:05: 2-minute steps on whole minutes */
	double t0 = 1796107265.0, t1 = t0 + 600;
	size_t n = chart_time_ticks(t0, t1, 0, 8, t, &step);
	CHECK(step == 120);
	CHECK_EQ_U64(n, 5);
	CHECK(fmod(t[0], 120) == 0 && t[0] >= t0);
	chart_time_label(t[0], 0, step, t1 - t0, l, sizeof(l));
	CHECK_STR(l, "06:42");
	/* 24 hours: 6-hour steps; 40 seconds: 10 s with seconds shown */
	n = chart_time_ticks(t0, t0 + 86400, 0, 8, t, &step);
	CHECK(step == 21600 && n == 4);
	chart_time_label(t[0], 0, step, 86400, l, sizeof(l));
	CHECK_STR(l, "12:00");
	n = chart_time_ticks(t0, t0 + 40, 0, 8, t, &step);
	CHECK(step == 10);
	chart_time_label(t[0], 0, step, 40, l, sizeof(l));
	CHECK_STR(l, "06:41:10");
	chart_time_label(t0, 0, 86400, 3 * 86400, l, sizeof(l));
	CHECK_STR(l, "12-01 06:41");
}

TEST(chart_time_ticks_on_a_zones_wall_clock)
{
	double t[16], step;
	char l[32];
	/* India, UTC+05:30: 06:41:05 UTC is 12:11:05 there; 6-hour ticks at
	 * 18:00 and 00:00 of the local clock, half past the UTC hour */
	double t0 = 1796107265.0;
	size_t n = chart_time_ticks(t0, t0 + 86400, 19800, 8, t, &step);
	CHECK(step == 21600 && n == 4);
	CHECK(fmod(t[0] + 19800, 21600) == 0 && fmod(t[0], 3600) == 1800);
	chart_time_label(t[0], 19800, step, 86400, l, sizeof(l));
	CHECK_STR(l, "18:00");
	chart_time_label(t[1], 19800, step, 86400, l, sizeof(l));
	CHECK_STR(l, "00:00");
}

TEST(chart_clock_utc_and_a_zone_with_summer_time)
{
	struct chart_clock c;
	/* no zone: UTC, one span */
	REQUIRE(chart_clock_init(&c, NULL, 1796107265.0, 1796193665.0) == 0);
	CHECK_EQ_U64(c.n, 1);
	CHECK(c.s[0].off == 0);
	CHECK_STR(c.s[0].abbr, "UTC");
	/* Paris, 2026-10-24 12:00 UTC to a day later: CEST until the clocks
	 * go back at 01:00:00 UTC on the 25th, CET after */
	const char *env = getenv("TZ");
	char *orig = env ? strdup(env) : NULL;
	setenv("TZ", "America/New_York", 1);
	REQUIRE(chart_clock_init(&c, "Europe/Paris", 1792843200.0, 1792843200.0 + 86400) == 0);
	CHECK_EQ_U64(c.n, 2);
	CHECK(c.s[0].off == 7200 && c.s[1].off == 3600);
	CHECK_STR(c.s[0].abbr, "CEST");
	CHECK_STR(c.s[1].abbr, "CET");
	CHECK(c.s[1].from == 1792890000.0);
	CHECK(chart_clock_at(&c, 1792889999.0)->off == 7200);
	CHECK(chart_clock_at(&c, 1792890000.0)->off == 3600);
	CHECK(chart_clock_at(&c, 0)->off == 7200);
	/* the process's TZ is put back, and so is its absence */
	CHECK_STR(getenv("TZ"), "America/New_York");
	unsetenv("TZ");
	REQUIRE(chart_clock_init(&c, "Asia/Kolkata", 1796107265.0, 1796107265.0 + 3600) == 0);
	CHECK(getenv("TZ") == NULL);
	CHECK_EQ_U64(c.n, 1);
	CHECK(c.s[0].off == 19800);
	if (orig)
		setenv("TZ", orig, 1);
	free(orig);
}

TEST(chart_downsample_keeps_extremes_in_time_order)
{
	enum { N = 10000 };
	double *t = malloc(N * sizeof(double)), *y = malloc(N * sizeof(double));
	double ot[200], oy[200];
	REQUIRE(t && y);
	for (size_t i = 0; i < N; i++) {
		t[i] = (double)i;
		y[i] = sin((double)i / 50.0);
	}
	y[1234] = 50;   /* one spike and one dip must survive */
	y[8765] = -40;
	size_t m = chart_downsample(t, y, N, 100, ot, oy);
	CHECK(m <= 200 && m >= 100);
	double mx = -INFINITY, mn = INFINITY;
	int ordered = 1;
	for (size_t i = 0; i < m; i++) {
		mx = fmax(mx, oy[i]);
		mn = fmin(mn, oy[i]);
		if (i && ot[i] < ot[i - 1])
			ordered = 0;
	}
	CHECK(mx == 50 && mn == -40);
	CHECK(ordered);
	/* short series are copied, NaN gaps dropped */
	double st[3] = { 1, 2, 3 }, sy[3] = { 5, NAN, 7 };
	m = chart_downsample(st, sy, 3, 100, ot, oy);
	CHECK_EQ_U64(m, 2);
	CHECK(oy[0] == 5 && oy[1] == 7);
	CHECK_EQ_U64(chart_downsample(st, sy, 3, 0, ot, oy), 0);
	free(t);
	free(y);
}

/* The value of attribute NAME of the first element at or after FROM. */
static double attr(const char *from, const char *name)
{
	char key[64];
	snprintf(key, sizeof(key), " %s=\"", name);
	const char *p = from ? strstr(from, key) : NULL;
	return p ? strtod(p + strlen(key), NULL) : NAN;
}

/* Decode the path of series NAME as the page's script does (chart.js):
 * "M x y l dx dy ..." in plot units, back to times and values.  N points. */
static size_t decode(const char *svg, const char *name, double *t, double *v, size_t max)
{
	char key[96];
	snprintf(key, sizeof(key), "data-series=\"%s\"", name);
	const char *p = strstr(svg, key), *d = p ? strstr(p, " d=\"") : NULL;
	double t0 = attr(svg, "data-t0"), xs = attr(svg, "data-xs"), lo = attr(svg, "data-lo");
	double hi = attr(svg, "data-hi"), yres = 100000, x = 0, y = 0;
	size_t n = 0;
	char cmd = 0;
	for (d = d ? d + 4 : ""; *d && strchr("Ml -0123456789", *d) && n < max;) {   /* an area ends at V */
		if (*d == 'M' || *d == 'l' || *d == ' ') {
			cmd = *d == ' ' ? cmd : *d;
			d++;
			continue;
		}
		char *end;
		double a = strtod(d, &end), b = strtod(end, &end);
		d = end;
		x = cmd == 'M' ? a : x + a;
		y = cmd == 'M' ? b : y + b;
		t[n] = t0 + x / xs;
		v[n++] = hi - y / yres * (hi - lo);
	}
	return n;
}

TEST(svg_chart_figure_legend_and_plot)
{
	double t[4] = { 1796107265, 1796107325, 1796107385, 1796107445 };
	double a[4] = { 1e6, 2e6, 3e6, 4e6 }, f[4] = { 5e5, 5e5, 5e5, 5e5 }, z[4] = { 0, 0, 0, 0 };
	struct svg_series s[] = {
		{ "anon <heap>", t, a, 4, SVG_AREA },
		{ "file & cache", t, f, 4, SVG_AREA },
		{ "trend", t, a, 4, SVG_DASHED },
		{ "nothing", t, a, 0, SVG_LINE },
		{ "zero", t, z, 4, SVG_LINE },
	};
	struct svg_ref ref = { "limit", 8e6 };
	struct svg_marker mk[] = { { "oom kill", 1796107385 }, { "before the axis", 1 } };
	struct svg_chart c = { .id = "mem", .title = "Memory of 42 (a\"b)", .unit = UNIT_BYTES,
			       .series = s, .nseries = 5, .refs = &ref, .nrefs = 1,
			       .markers = mk, .nmarkers = 2, .window = 1, .w0 = t[1], .w1 = t[2] };
	struct ms_buf b;
	REQUIRE(ms_buf_init(&b, 1024) == 0);
	REQUIRE(svg_chart_render(&c, &b) == 0);
	/* the caption and the legend, in HTML, before the drawing */
	CHECK(strncmp(b.data, "<figcaption>Memory of 42 (a&quot;b)</figcaption>\n<div class=\"lg\">", 63) == 0);
	CHECK(strstr(b.data, "<i class=\"sw a\" style=\"color:#1f77b4\"></i>anon &lt;heap&gt;</span>") != NULL);
	CHECK(strstr(b.data, "<i class=\"sw d\" style=\"color:#2ca02c\"></i>trend</span>") != NULL);
	CHECK(strstr(b.data, "<span class=\"nd\"><i class=\"sw l\" style=\"color:#ff7f0e\"></i>nothing: no data</span>") != NULL);
	CHECK(strstr(b.data, "></i>zero: 0 throughout</span>") != NULL);
	CHECK(strstr(b.data, "<i class=\"sw r\"></i>limit</span>") != NULL);
	CHECK(strstr(b.data, "<i class=\"sw w\"></i>finding&#39;s window</span>") != NULL);
	CHECK(strstr(b.data, "<i class=\"sw m\"></i>oom kill</span>") != NULL);
	CHECK(strstr(b.data, "before the axis") == NULL);
	CHECK(strstr(b.data, "<figcaption>") < strstr(b.data, "<svg class=\"chart\" data-chart=\"mem\""));
	CHECK(strstr(b.data, "<title>Memory of 42 (a&quot;b)</title>") != NULL);
	/* 3 minutes: tenths of a second; the axis reaches the limit line (8 MB
	 * is 7.6 MiB, ticks to 8 MiB) */
	CHECK(attr(b.data, "data-xs") == 10 && attr(b.data, "data-t0") == t[0]);
	CHECK(attr(b.data, "data-lo") == 0 && attr(b.data, "data-hi") == 8.0 * 1048576);
	CHECK(strstr(b.data, "viewBox=\"0 0 1800 100000\" preserveAspectRatio=\"none\"") != NULL);
	CHECK(strstr(b.data, ">8 MiB</text>") != NULL);
	CHECK(strstr(b.data, "<text class=\"xl\" x=\"30.56%\" y=\"197\">06:42:00</text>") != NULL);
	CHECK(strstr(b.data, "data-series=\"anon &lt;heap&gt;\" data-points=\"4\" data-i=\"0\"") != NULL);
	CHECK(strstr(b.data, "data-series=\"nothing\"") == NULL);   /* no point, no path */
	CHECK(strstr(b.data, "stroke-dasharray=\"5 4\"") != NULL);
	CHECK(strstr(b.data, "class=\"ref\" data-series=\"limit\" d=\"M0 4633h1800\"") != NULL);
	/* the window from 60 to 120 s, the marker at 120 s with its name */
	CHECK(strstr(b.data, "<rect class=\"win\" x=\"600\" y=\"0\" width=\"600\" height=\"100000\"/>") != NULL);
	CHECK(strstr(b.data, "class=\"marker\" data-series=\"oom kill\" d=\"M1200 0v100000\"") != NULL);
	CHECK(strstr(b.data, "<text class=\"mkl\" x=\"66.67%\" y=\"12\" dx=\"-4\" text-anchor=\"end\">oom kill</text>") != NULL);
	/* the paths give back the data: the line its points, the areas their
	 * stacked tops (the second above the first) */
	double dt[8], dv[8];
	REQUIRE(decode(b.data, "trend", dt, dv, 8) == 4);
	for (size_t i = 0; i < 4; i++)
		CHECK(fabs(dt[i] - t[i]) < 0.05 && fabs(dv[i] - a[i]) < 8.0 * 1048576 / 1e5);
	REQUIRE(decode(b.data, "file &amp; cache", dt, dv, 8) == 4);
	CHECK(fabs(dv[2] - 3.5e6) < 100 && fabs(dt[2] - t[2]) < 0.05);
	CHECK(strstr(b.data, "NaN") == NULL && strstr(b.data, "nan") == NULL);
	CHECK(b.len > 0 && strcmp(b.data + b.len - 7, "</svg>\n") == 0);
	ms_buf_release(&b);
}

TEST(svg_chart_no_data_zeros_whole_window_and_a_zone)
{
	double t[3] = { 1796107265, 1796107865, 1796108465 }, y[3] = { NAN, NAN, NAN }, z[3] = { 0, 0, 0 };
	struct svg_series s[] = { { "swap-in", t, y, 3, SVG_LINE }, { "swap-out", t, y, 0, SVG_LINE } };
	struct svg_ref ref = { "limit", 5 };
	struct svg_chart c = { .id = "sw", .title = "Swap", .unit = UNIT_PER_S, .series = s, .nseries = 2,
			       .t0 = t[0] - 600, .t1 = t[2] + 600, .window = 1, .w0 = t[0], .w1 = t[2],
			       .refs = &ref, .nrefs = 1 };
	struct ms_buf b;
	REQUIRE(ms_buf_init(&b, 1024) == 0);
	/* no series has a point: the series in the legend and "no data", no
	 * drawing, so no reference line or window either */
	REQUIRE(svg_chart_render(&c, &b) == 0);
	CHECK(strstr(b.data, "swap-in: no data</span>") != NULL && strstr(b.data, "swap-out: no data</span>") != NULL);
	CHECK(strstr(b.data, "<p class=\"nodata\" data-chart=\"sw\">no data</p>") != NULL);
	CHECK(strstr(b.data, "<svg") == NULL && strstr(b.data, "limit") == NULL && strstr(b.data, "window") == NULL);
	/* zeros: one tick, "0/s", a low plot; a window that is the whole axis
	 * is not shaded; the clock of India, whole hours of it */
	s[0].y = z;
	c.t0 = c.t1 = 0;
	c.nrefs = 0;
	c.tz = "Asia/Kolkata";
	ms_buf_reset(&b);
	REQUIRE(svg_chart_render(&c, &b) == 0);
	CHECK(strstr(b.data, "swap-in: 0 throughout</span>") != NULL);
	const char *yl = strstr(b.data, "<text class=\"yl\"");
	CHECK(yl && strstr(yl + 1, "<text class=\"yl\"") == NULL && strstr(b.data, ">0/s</text>") != NULL);
	CHECK(strstr(b.data, "viewBox=\"0 0 900 64\"") != NULL);   /* 10 + 30 + 24 */
	CHECK(strstr(b.data, "class=\"win\"") == NULL && strstr(b.data, "window") == NULL);
	CHECK(strstr(b.data, "data-tz=\"1796107265 19800 IST\"") != NULL);
	CHECK(strstr(b.data, ">12:15</text>") != NULL);   /* 06:45 UTC */
	ms_buf_release(&b);
}

TEST(svg_chart_stays_small_for_a_day_of_samples)
{
	enum { N = 17280 };   /* 24 h at 5 s */
	double *t = malloc(N * sizeof(double)), *y = malloc(N * sizeof(double));
	REQUIRE(t && y);
	for (size_t i = 0; i < N; i++) {
		t[i] = 1796107265.0 + 5.0 * (double)i;
		y[i] = 1e9 + 1e8 * sin((double)i / 100.0) + (double)(i % 7) * 1e6;
	}
	struct svg_series s = { "rss", t, y, N, SVG_LINE };
	struct svg_chart c = { .id = "day", .title = "day", .unit = UNIT_BYTES, .series = &s,
			       .nseries = 1 };
	struct ms_buf b;
	REQUIRE(ms_buf_init(&b, 1024) == 0);
	REQUIRE(svg_chart_render(&c, &b) == 0);
	CHECK(b.len < 16000);   /* at most 2 points per span of time, 1200, not 17280 */
	CHECK(strstr(b.data, "data-points=\"17280\"") != NULL);
	/* stacked, the same day: 601 points an area, each at a sample's time,
	 * the two areas at the same times, the second on top of the first */
	struct svg_series two[] = { { "a", t, y, N, SVG_AREA }, { "b", t, y, N, SVG_AREA } };
	c.series = two;
	c.nseries = 2;
	ms_buf_reset(&b);
	REQUIRE(svg_chart_render(&c, &b) == 0);
	double *at = malloc(2000 * sizeof(double)), *av = malloc(2000 * sizeof(double));
	double *bt = malloc(2000 * sizeof(double)), *bv = malloc(2000 * sizeof(double));
	REQUIRE(at && av && bt && bv);
	REQUIRE(decode(b.data, "a", at, av, 2000) == 601 && decode(b.data, "b", bt, bv, 2000) == 601);
	int ok = 1;
	for (size_t i = 0; i < 601; i++) {
		size_t k = i * (N - 1) / 600;
		double step = attr(b.data, "data-hi") / 1e5;   /* the drawing's resolution */
		ok = ok && at[i] == t[k] && bt[i] == t[k] && fabs(av[i] - y[k]) <= step &&
		     fabs(bv[i] - 2 * y[k]) <= step;
	}
	CHECK(ok);
	CHECK(b.len < 30000);
	free(at);
	free(av);
	free(bt);
	free(bv);
	ms_buf_reset(&b);
	REQUIRE(svg_sparkline(t, y, N, 120, 24, &b) == 0);
	CHECK(b.len < 6000);
	CHECK(strstr(b.data, "class=\"spark\" data-points=\"17280\"") != NULL);
	ms_buf_release(&b);
	free(t);
	free(y);
}
