/*
 * chart_scale.h - axis ticks and labels for the report's charts: "nice"
 * value ticks (1, 2, 2.5, 5 x 10^k) in the unit a quantity reads best in
 * (bytes in KiB/MiB/GiB/TiB, binary prefixes), and wall-clock time ticks
 * at human steps (10 s ... 1 day) on the wall clock of a zone (its offset
 * from UTC: chart_tz.h).  Pure functions.
 */
#ifndef CHART_SCALE_H
#define CHART_SCALE_H

#include <stddef.h>

enum chart_unit { UNIT_NONE, UNIT_BYTES, UNIT_PERCENT, UNIT_PER_S };

#define CHART_MAX_TICKS 16

struct chart_ticks {
	double v[CHART_MAX_TICKS];
	size_t n;
	double lo, hi;     /* the axis range, widened to whole ticks */
	double divisor;    /* value / divisor is what the label shows */
	const char *suffix;/* "MiB", "%", "/s", "" */
};

/* Ticks for values LO..HI in UNIT, at most MAX (<= CHART_MAX_TICKS, >= 2)
 * of them; the range starts at 0 when LO >= 0.  Bytes have whole-byte
 * steps.  When LO and HI are both 0 there is one tick, 0, at the bottom
 * of a range that goes up to 1 (of the unit): no made-up "0.2 B". */
void chart_value_ticks(double lo, double hi, enum chart_unit unit, size_t max,
		       struct chart_ticks *out);

/* A label for value V on axis T: "512 MiB", "1.5 GiB", "40 %". */
void chart_value_label(const struct chart_ticks *t, double v, char *buf, size_t size);

/* A byte count as a person reads it: "4.7 MiB", "812 KiB", "3 B". */
void chart_bytes(double v, char *buf, size_t size);

/* Time ticks between T0 and T1 (UTC seconds), at most MAX: the step is the
 * smallest of 1 s, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6,
 * 12 h, 1 d that keeps within MAX; ticks fall on multiples of the step on
 * the wall clock OFF seconds east of UTC (whole hours of that zone). */
size_t chart_time_ticks(double t0, double t1, long off, size_t max, double *out, double *step);

/* T on the wall clock OFF seconds east of UTC: "06:41" (step >= 60 s) or
 * "06:41:30", or "12-01 06:00" when the axis spans more than a day. */
void chart_time_label(double t, long off, double step, double span, char *buf, size_t size);

#endif
