/*
 * chart_tz.c - a chart's clock (see chart_tz.h): the C library's zone
 * rules, read under the zone with TZ set for the time of the call.
 */
#include "chart_tz.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The offset and abbreviation at T under the TZ in force. */
static void zone_at(double t, struct chart_tz_span *s)
{
	time_t tt = (time_t)floor(t);
	struct tm tm;
	s->from = t;
	s->off = 0;
	s->abbr[0] = 0;
	if (!localtime_r(&tt, &tm))
		return;
	s->off = tm.tm_gmtoff;
	if (tm.tm_zone && strlen(tm.tm_zone) < sizeof(s->abbr))
		snprintf(s->abbr, sizeof(s->abbr), "%s", tm.tm_zone);
	else
		snprintf(s->abbr, sizeof(s->abbr), "UTC%c%02d:%02d", s->off < 0 ? '-' : '+',
			 (int)(labs(s->off) / 3600 % 100), (int)(labs(s->off) / 60 % 60));
}

/* The first second after LO (whose offset is OFF) where the offset is no
 * longer OFF, HI having another one. */
static double transition(double lo, double hi, long off)
{
	struct chart_tz_span s;
	while (hi - lo > 1) {
		double mid = floor((lo + hi) / 2);
		zone_at(mid, &s);
		if (s.off == off)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

static void scan(struct chart_clock *c, double t0, double t1)
{
	double step = t1 - t0 > 400 * 86400.0 ? 86400 : 3600, prev = t0;
	zone_at(t0, &c->s[0]);
	c->n = 1;
	while (prev < t1 && c->n < CHART_TZ_SPANS) {
		double probe = fmin(prev + step, t1);
		struct chart_tz_span s;
		zone_at(probe, &s);
		if (s.off != c->s[c->n - 1].off) {
			zone_at(transition(prev, probe, c->s[c->n - 1].off), &c->s[c->n]);
			c->n++;
		}
		prev = probe;
	}
}

int chart_clock_init(struct chart_clock *c, const char *tz, double t0, double t1)
{
	c->n = 1;
	c->s[0] = (struct chart_tz_span){ t0, 0, "UTC" };
	if (!tz || !*tz || !(t1 >= t0) || !isfinite(t0) || !isfinite(t1))
		return 0;
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL;
	if ((old && !saved) || setenv("TZ", tz, 1) < 0) {
		free(saved);
		return -1;
	}
	tzset();
	scan(c, t0, t1);
	int rc = saved ? setenv("TZ", saved, 1) : unsetenv("TZ");
	int e = errno;
	tzset();
	free(saved);
	errno = e;
	return rc < 0 ? -1 : 0;
}

const struct chart_tz_span *chart_clock_at(const struct chart_clock *c, double t)
{
	size_t i = 0;
	while (i + 1 < c->n && c->s[i + 1].from <= t)
		i++;
	return &c->s[i];
}
