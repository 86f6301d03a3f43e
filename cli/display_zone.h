/*
 * display_zone.h - the time zone of the times shown (text and HTML
 * reports, messages) and of --from/--to given without an offset.
 *
 * It is the process's TZ, set once by display_zone_apply() before any
 * time is read or shown: --tz ZONE when given, else the TZ variable, else
 * UTC (not the machine's /etc/localtime: `--tz local` asks for that).
 * JSON and TSV stay in UTC whatever the zone (report_utc()).
 *
 * Accepted zones, for --tz and TZ alike:
 *   Europe/Berlin, America/New_York ...   a file of the time zone database
 *                                         (TZDIR, else /usr/share/zoneinfo)
 *   UTC, Z                                UTC
 *   +05:30, -0800, +01                    a fixed offset east of UTC
 *   local                                 the machine's zone (/etc/localtime)
 *   CET-1CEST,M3.5.0,M10.5.0/3            a POSIX TZ rule
 * A TZ variable that is none of these is named in a warning, and UTC used.
 */
#ifndef DISPLAY_ZONE_H
#define DISPLAY_ZONE_H

#include "ms_err.h"

/* 0 when ZONE (the value of --tz) is a zone, else -1 with ERR naming it. */
int display_zone_check(const char *zone, struct ms_err *err);

/* Make ZONE (NULL: TZ, else UTC) the process's zone; a bad TZ is warned
 * about on stderr as command CMD. */
void display_zone_apply(const char *zone, const char *cmd);

#endif
