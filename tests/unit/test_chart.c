/*
 * test_chart.c - the report's chart code: value and time ticks, labels,
 * min/max downsampling, and the SVG it writes (analyze/chart/).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart_downsample.h"
#include "chart_scale.h"
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
	chart_value_ticks(0, 0, UNIT_PERCENT, 6, &t);
	CHECK(t.lo == 0 && t.hi > 0);
	chart_value_label(&t, t.hi, l, sizeof(l));
	CHECK_STR(l, "1 %");
	chart_value_ticks(NAN, INFINITY, UNIT_NONE, 6, &t);
	CHECK(t.n >= 2 && isfinite(t.lo) && isfinite(t.hi));
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

/* the zone the times are shown in: the process's TZ (cli/display_zone.c) */
static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

TEST(chart_time_ticks_steps_and_labels)
{
	double t[16], step;
	char l[32];
	set_tz("UTC0");
	/* 10 minutes from 06:41:05: 2-minute steps on whole minutes */
	double t0 = 1796107265.0, t1 = t0 + 600;
	size_t n = chart_time_ticks(t0, t1, 8, t, &step);
	CHECK(step == 120);
	CHECK_EQ_U64(n, 5);
	CHECK(fmod(t[0], 120) == 0 && t[0] >= t0);
	chart_time_label(t[0], step, t1 - t0, l, sizeof(l));
	CHECK_STR(l, "06:42");
	/* 24 hours: 6-hour steps; 40 seconds: 10 s with seconds shown */
	n = chart_time_ticks(t0, t0 + 86400, 8, t, &step);
	CHECK(step == 21600 && n == 4);
	n = chart_time_ticks(t0, t0 + 40, 8, t, &step);
	CHECK(step == 10);
	chart_time_label(t[0], step, 40, l, sizeof(l));
	CHECK_STR(l, "06:41:10");
	chart_time_label(t0, 86400, 3 * 86400, l, sizeof(l));
	CHECK_STR(l, "12-01 06:41");
}

/* in a zone half an hour off UTC: ticks on its whole hours, labels in it */
TEST(chart_time_ticks_in_the_zone_shown)
{
	double t[16], step;
	char l[32];
	set_tz("<+0530>-5:30");
	double t0 = 1796107265.0;                 /* 06:41:05 UTC, 12:11:05 +0530 */
	size_t n = chart_time_ticks(t0, t0 + 6 * 3600, 8, t, &step);
	CHECK(step == 3600);
	CHECK_EQ_U64(n, 6);
	CHECK(t[0] == 1796110200.0);              /* 13:00 +0530 = 07:30 UTC */
	chart_time_label(t[0], step, 6 * 3600, l, sizeof(l));
	CHECK_STR(l, "13:00");
	n = chart_time_ticks(t0, t0 + 3 * 86400, 8, t, &step);
	CHECK(step == 43200);
	chart_time_label(t[0], step, 3 * 86400, l, sizeof(l));
	CHECK_STR(l, "12-02 00:00");              /* a local midnight */
	set_tz("UTC0");
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

TEST(svg_chart_has_series_ticks_and_escaped_text)
{
	double t[4] = { 1796107265, 1796107325, 1796107385, 1796107445 };
	double a[4] = { 1e6, 2e6, 3e6, 4e6 }, f[4] = { 5e5, 5e5, 5e5, 5e5 };
	struct svg_series s[] = {
		{ "anon <heap>", t, a, 4, SVG_AREA },
		{ "file & cache", t, f, 4, SVG_AREA },
		{ "trend", t, a, 4, SVG_DASHED },
	};
	struct svg_ref ref = { "limit", 8e6 };
	struct svg_marker mk = { "oom kill", 1796107385 };
	struct svg_chart c = { .id = "mem", .title = "Memory of 42 (a\"b)", .unit = UNIT_BYTES,
			       .series = s, .nseries = 3, .refs = &ref, .nrefs = 1,
			       .markers = &mk, .nmarkers = 1 };
	struct ms_buf b;
	REQUIRE(ms_buf_init(&b, 1024) == 0);
	REQUIRE(svg_chart_render(&c, &b) == 0);
	CHECK(strstr(b.data, "<svg class=\"chart\" data-chart=\"mem\"") != NULL);
	CHECK(strstr(b.data, "data-series=\"anon &lt;heap&gt;\" data-points=\"4\"") != NULL);
	CHECK(strstr(b.data, "data-series=\"file &amp; cache\"") != NULL);
	CHECK(strstr(b.data, "stroke-dasharray") != NULL);
	CHECK(strstr(b.data, "<title>Memory of 42 (a&quot;b)</title>") != NULL);
	CHECK(strstr(b.data, "class=\"ref\" data-series=\"limit\"") != NULL);
	CHECK(strstr(b.data, "class=\"marker\" data-series=\"oom kill\"") != NULL);
	/* the axis reaches the limit line: 8 MB is 7.6 MiB, ticks to 8 MiB */
	CHECK(strstr(b.data, ">8 MiB</text>") != NULL);
	CHECK(strstr(b.data, ">06:42:00</text>") != NULL);
	CHECK(strstr(b.data, "NaN") == NULL && strstr(b.data, "nan") == NULL);
	CHECK(b.len > 0 && strcmp(b.data + b.len - 7, "</svg>\n") == 0);
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
	CHECK(b.len < 40000);   /* about 2 points per pixel column, not 17280 */
	CHECK(strstr(b.data, "data-points=\"17280\"") != NULL);
	ms_buf_reset(&b);
	REQUIRE(svg_sparkline(t, y, N, 120, 24, &b) == 0);
	CHECK(b.len < 6000);
	CHECK(strstr(b.data, "class=\"spark\" data-points=\"17280\"") != NULL);
	ms_buf_release(&b);
	free(t);
	free(y);
}
