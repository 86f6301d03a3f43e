/*
 * chart_scale.c - ticks and labels (see chart_scale.h).
 *
 * Invariants: at least two ticks on any axis, the first <= every value and
 * the last >= every value; a constant series gets a range around it.
 */
#include "chart_scale.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

static const char *const byte_units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };

/* The nice step (1, 2, 2.5, 5 x 10^k) that covers SPAN in at most MAX-1 steps. */
static double nice_step(double span, size_t max)
{
	double raw = span / (double)(max - 1);
	double mag = pow(10, floor(log10(raw)));
	static const double m[] = { 1, 2, 2.5, 5, 10 };
	for (size_t i = 0; i < sizeof(m) / sizeof(*m); i++)
		if (m[i] * mag >= raw)
			return m[i] * mag;
	return 10 * mag;
}

void chart_value_ticks(double lo, double hi, enum chart_unit unit, size_t max,
		       struct chart_ticks *out)
{
	if (max > CHART_MAX_TICKS)
		max = CHART_MAX_TICKS;
	if (max < 2)
		max = 2;
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	if (lo > hi) {
		double x = lo;
		lo = hi;
		hi = x;
	}
	if (lo >= 0)
		lo = 0;
	out->divisor = 1;
	out->suffix = unit == UNIT_PERCENT ? "%" : unit == UNIT_PER_S ? "/s" : "";
	if (unit == UNIT_BYTES) {
		double a = fmax(fabs(lo), fabs(hi));
		size_t k = 0;
		while (k + 1 < sizeof(byte_units) / sizeof(*byte_units) && a >= 1024 * out->divisor) {
			out->divisor *= 1024;
			k++;
		}
		out->suffix = byte_units[k];
	}
	double l = lo / out->divisor, h = hi / out->divisor;
	if (l == 0 && h == 0) {   /* nothing but zeros: one tick, 0 at the bottom */
		out->v[0] = out->lo = 0;
		out->hi = out->divisor;
		out->n = 1;
		return;
	}
	if (h - l <= 0)
		h = l + fabs(l) * 0.1;
	double step = nice_step(h - l, max);
	if (unit == UNIT_BYTES && out->divisor == 1 && step < 1)
		step = 1;   /* no fraction of a byte */
	double first = floor(l / step) * step, last = ceil(h / step) * step;
	while ((size_t)llround((last - first) / step) + 1 > max) {
		step = nice_step(step * 1.01 * (double)(max - 1), max);
		first = floor(l / step) * step;
		last = ceil(h / step) * step;
	}
	out->n = 0;
	for (double v = first; v <= last + step / 2 && out->n < CHART_MAX_TICKS; v += step)
		out->v[out->n++] = (fabs(v) < step * 1e-9 ? 0 : v) * out->divisor;
	out->lo = out->v[0];
	out->hi = out->v[out->n - 1];
}

void chart_value_label(const struct chart_ticks *t, double v, char *buf, size_t size)
{
	double x = v / t->divisor;
	const char *sep = t->suffix[0] && t->suffix[0] != '/' ? " " : "";
	if (fabs(x - round(x)) < 1e-9)
		snprintf(buf, size, "%.0f%s%s", x, sep, t->suffix);
	else
		snprintf(buf, size, "%.3g%s%s", x, sep, t->suffix);
}

void chart_bytes(double v, char *buf, size_t size)
{
	size_t k = 0;
	double a = fabs(v);
	while (k + 1 < sizeof(byte_units) / sizeof(*byte_units) && a >= 1024) {
		a /= 1024;
		v /= 1024;
		k++;
	}
	if (k == 0 || fabs(v) >= 100)
		snprintf(buf, size, "%.0f %s", v, byte_units[k]);
	else
		snprintf(buf, size, "%.1f %s", v, byte_units[k]);
}

size_t chart_time_ticks(double t0, double t1, long off, size_t max, double *out, double *step)
{
	static const double steps[] = {
		1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
		3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
	};
	if (max < 2)
		max = 2;
	double span = t1 > t0 ? t1 - t0 : 1;
	double s = steps[sizeof(steps) / sizeof(*steps) - 1];
	for (size_t i = 0; i < sizeof(steps) / sizeof(*steps); i++)
		if (span / steps[i] <= (double)(max - 1)) {
			s = steps[i];
			break;
		}
	*step = s;
	size_t n = 0;
	for (double t = ceil((t0 + (double)off) / s) * s - (double)off; t <= t1 && n < max; t += s)
		out[n++] = t;
	return n;
}

void chart_time_label(double t, long off, double step, double span, char *buf, size_t size)
{
	time_t tt = (time_t)floor(t) + off;
	struct tm tm;
	const char *fmt = span > 86400 ? "%m-%d %H:%M" : step >= 60 ? "%H:%M" : "%H:%M:%S";
	if (!gmtime_r(&tt, &tm) || strftime(buf, size, fmt, &tm) == 0)
		snprintf(buf, size, "%.0f", t);
}
