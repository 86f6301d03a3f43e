/*
 * report_time.c - times as the reports show them: UTC for the machine
 * formats (JSON, TSV), the zone of the times shown (the process's TZ:
 * cli/display_zone.h) for people (text, HTML).
 */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* T as FMT in UTC (UTC) or in the local zone */
static void format(double t, const char *fmt, int utc, char *buf, size_t size)
{
	time_t tt = (time_t)floor(t);
	struct tm tm;
	if (!(utc ? gmtime_r(&tt, &tm) : localtime_r(&tt, &tm)) || strftime(buf, size, fmt, &tm) == 0)
		snprintf(buf, size, "%.0f", t);
}

void report_utc(double t, char *buf, size_t size)
{
	format(t, "%Y-%m-%d %H:%M:%S", 1, buf, size);
}

void report_local(double t, char *buf, size_t size)
{
	format(t, "%Y-%m-%d %H:%M:%S", 0, buf, size);
}

void report_zone(double t, char *buf, size_t size)
{
	format(t, "%Z", 0, buf, size);
}

void report_instant(double t, char *buf, size_t size)
{
	format(t, "%Y-%m-%d %H:%M:%S %Z", 0, buf, size);
}

void report_span(double t0, double t1, char *buf, size_t size)
{
	char a[32], b[32], z0[16], z1[16];
	report_local(t0, a, sizeof(a));
	report_local(t1, b, sizeof(b));
	report_zone(t0, z0, sizeof(z0));
	report_zone(t1, z1, sizeof(z1));
	/* the end's date only when it is another day, the zone once unless
	 * it changed (summer time) */
	int same_day = !strncmp(a, b, 10), same_zone = !strcmp(z0, z1);
	snprintf(buf, size, "%s%s%s to %s %s", a, same_zone ? "" : " ", same_zone ? "" : z0,
		 b + (same_day ? 11 : 0), z1);
}
