/*
 * chart_tz.h - the clock a chart shows its times in: UTC, or a time zone
 * as TZ names one ("Europe/Paris", "America/New_York", or a POSIX rule
 * such as "CET-1CEST,M3.5.0,M10.5.0/3").  A zone's offset from UTC changes
 * at daylight-saving transitions, so the clock of a chart is the list of
 * spans of one offset that cover its time axis; the page's script gets the
 * same list, so a hovered time reads as the axis does.
 */
#ifndef CHART_TZ_H
#define CHART_TZ_H

#include <stddef.h>

#define CHART_TZ_SPANS 16

struct chart_tz_span {
	double from;       /* UTC seconds: the offset holds from here on */
	long off;          /* seconds east of UTC */
	char abbr[16];     /* "UTC", "CET", "CEST"; "UTC+05:30" when the zone's own is longer */
};

struct chart_clock {
	struct chart_tz_span s[CHART_TZ_SPANS];
	size_t n;          /* at least 1; the first span holds before its from too */
};

/* The clock of zone TZ (NULL or "": UTC) over [T0, T1]: the offset at T0,
 * then one span per transition, found to the second (the axis is probed
 * every hour, every day beyond 400 days).  After CHART_TZ_SPANS - 1
 * transitions, more than seven years of a zone with summer time, the last
 * offset holds to T1.  TZ is the caller's to check: the C library reads an
 * unknown name as UTC.  The process's TZ is set while it runs and put
 * back.  0, or -1 (errno) when the environment cannot be changed. */
int chart_clock_init(struct chart_clock *c, const char *tz, double t0, double t1);

/* The span that holds at T. */
const struct chart_tz_span *chart_clock_at(const struct chart_clock *c, double t);

#endif
