/*
 * parse_time.h - the times of --from and --to: parsed here, resolved
 * against a recording later.
 *
 * Accepted forms (docs/cli.md, "Time windows"):
 *
 *     2026-12-06T14:05[:SS[.FRAC]]   a date and a time ('T', 't' or a space
 *     2026-12-06                     between them; a date alone is 00:00),
 *                                    in the zone the times are shown in
 *                                    (--tz, else TZ, else UTC) ...
 *     ...Z, ...+01:00, ...-0530      ... or at the offset given (Z: UTC)
 *     14:05[:SS[.FRAC]][OFFSET]      a time of day: its last occurrence at
 *                                    or before the recording's last sample
 *     -30m, -1h30m                   before the recording's last sample
 *     +2h, +0                        after the recording's first sample
 *     @1796107941[.5]                seconds since the epoch (UTC)
 *
 * Durations are ms_parse_duration()'s.  Parsing is pure (no clock, no
 * zone); ms_time_resolve() turns a parsed time into UTC seconds given the
 * recording's first and last sample, reading the process's time zone
 * (localtime_r, mktime: TZ) for the forms without an offset.
 */
#ifndef PARSE_TIME_H
#define PARSE_TIME_H

#include <stdint.h>

#include "ms_err.h"

enum ms_time_kind {
	MS_TIME_NONE,        /* not given */
	MS_TIME_EPOCH,       /* an instant: an offset, Z or @SECONDS was given */
	MS_TIME_LOCAL,       /* a date (and time) without offset */
	MS_TIME_CLOCK,       /* a time of day (with or without offset) */
	MS_TIME_FROM_START,  /* +DURATION */
	MS_TIME_FROM_END,    /* -DURATION */
};

struct ms_time {
	enum ms_time_kind kind;
	double epoch;                /* MS_TIME_EPOCH: UTC seconds */
	uint64_t ms;                 /* FROM_START, FROM_END: the duration */
	int year, month, day;        /* LOCAL */
	int hour, min;               /* LOCAL, CLOCK */
	double sec;                  /* LOCAL, CLOCK: seconds and fraction */
	int has_offset;              /* CLOCK: OFFSET_S applies, not the zone */
	int offset_s;                /* east of UTC, seconds */
};

/* Parse S (the value of option WHAT, "--from") into *T.  -1 with a
 * one-line error naming WHAT and S. */
int ms_parse_time(const char *s, struct ms_time *t, const char *what, struct ms_err *err);

/* T in UTC seconds into *OUT: relative forms against FIRST and LAST (the
 * recording's first and last sample, UTC seconds), the forms without an
 * offset in the process's time zone.  -1 with ERR naming WHAT when the
 * result is out of range or the local time cannot be converted. */
int ms_time_resolve(const struct ms_time *t, double first, double last, double *out,
		    const char *what, struct ms_err *err);

/* Days from 1970-01-01 to the proleptic Gregorian date Y-M-D (M 1-12). */
int64_t ms_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
