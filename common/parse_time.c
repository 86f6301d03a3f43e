/*
 * parse_time.c - the times of --from and --to (see parse_time.h).
 */
#include "parse_time.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "parse_num.h"

#define FORMS "expected a time like 2026-12-06T14:05 (Z or +01:00 for an offset), 14:05, " \
	      "-30m (before the last sample), +2h (after the first) or @SECONDS"
#define YEAR_MIN 1970
#define YEAR_MAX 9999
#define EPOCH_MAX 253402300799.0 /* 9999-12-31T23:59:59Z */

int64_t ms_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* H. Hinnant's days_from_civil: eras of 400 years from 0000-03-01 */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = m > 2 ? (int64_t)m - 3 : (int64_t)m + 9;
	int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return n[m - 1] + (m == 2 && leap);
}

/* Exactly N decimal digits at *P into *OUT */
static int digits(const char **p, const char *end, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (*p >= end || **p < '0' || **p > '9')
			return -1;
		v = v * 10 + (**p - '0');
	}
	*out = v;
	return 0;
}

/* ".DIGITS" at *P (1 to 9 digits) added to *SEC; nothing when no '.' */
static int fraction(const char **p, const char *end, double *sec)
{
	if (*p >= end || **p != '.')
		return 0;
	(*p)++;
	double scale = 0.1;
	int n = 0;
	for (; *p < end && **p >= '0' && **p <= '9'; (*p)++, n++, scale /= 10)
		*sec += (**p - '0') * scale;
	return n >= 1 && n <= 9 ? 0 : -1;
}

static const char after_date[] = "expected HH:MM after the date";

/* HH:MM[:SS[.FRAC]] */
static int clock_of_day(const char **p, const char *end, struct ms_time *t, const char **why)
{
	int s = 0;
	if (digits(p, end, 2, &t->hour) < 0 || *p >= end || **p != ':' ||
	    (++*p, digits(p, end, 2, &t->min)) < 0)
		return *why = after_date, -1;
	if (*p < end && **p == ':') {
		++*p;
		if (digits(p, end, 2, &s) < 0)
			return *why = "expected two digits of seconds", -1;
	}
	t->sec = s;
	if (fraction(p, end, &t->sec) < 0)
		return *why = "expected 1 to 9 digits after the decimal point", -1;
	if (t->hour > 23 || t->min > 59 || s > 59)
		return *why = "hour, minute or second out of range", -1;
	return 0;
}

/* Z, or +HH[[:]MM] / -HH[[:]MM] */
static int offset(const char **p, const char *end, struct ms_time *t, const char **why)
{
	t->has_offset = 1;
	if (**p == 'Z' || **p == 'z') {
		++*p;
		return 0;
	}
	int sign = **p == '-' ? -1 : 1, hh, mm = 0;
	++*p;
	if (digits(p, end, 2, &hh) < 0)
		return *why = "expected an offset like Z, +01:00 or -0530", -1;
	if (*p < end) {
		if (**p == ':')
			++*p;
		if (digits(p, end, 2, &mm) < 0)
			return *why = "expected an offset like Z, +01:00 or -0530", -1;
	}
	if (hh > 23 || mm > 59)
		return *why = "offset out of range", -1;
	t->offset_s = sign * (hh * 3600 + mm * 60);
	return 0;
}

/* YYYY-MM-DD */
static int date(const char **p, const char *end, struct ms_time *t, const char **why)
{
	if (digits(p, end, 4, &t->year) < 0 || *p >= end || **p != '-' ||
	    (++*p, digits(p, end, 2, &t->month)) < 0 || *p >= end || **p != '-' ||
	    (++*p, digits(p, end, 2, &t->day)) < 0)
		return *why = FORMS, -1;
	if (t->year < YEAR_MIN || t->year > YEAR_MAX)
		return *why = "year out of range (1970 to 9999)", -1;
	if (t->month < 1 || t->month > 12 || t->day < 1 ||
	    t->day > days_in_month(t->year, t->month))
		return *why = "no such date", -1;
	return 0;
}

/* @SECONDS[.FRAC] */
static int epoch(const char **p, const char *end, struct ms_time *t, const char **why)
{
	uint64_t v;
	++*p;
	if (ms_scan_u64(p, end, &v) < 0 || v > (uint64_t)EPOCH_MAX)
		return *why = "expected @ and seconds since 1970 (up to year 9999)", -1;
	t->epoch = (double)v;
	if (fraction(p, end, &t->epoch) < 0)
		return *why = "expected 1 to 9 digits after the decimal point", -1;
	t->kind = MS_TIME_EPOCH;
	return 0;
}

/* A date, a time of day or both, and an offset, from *P */
static int absolute(const char **p, const char *end, struct ms_time *t, const char **why)
{
	int has_date = end - *p >= 5 && (*p)[4] == '-';
	if (has_date && date(p, end, t, why) < 0)
		return -1;
	if (has_date && *p < end && (**p == 'T' || **p == 't' || **p == ' ')) {
		++*p;
		if (clock_of_day(p, end, t, why) < 0)
			return -1;
	} else if (!has_date && clock_of_day(p, end, t, why) < 0) {
		if (*why == after_date)
			*why = FORMS; /* not a time of day either */
		return -1;
	}
	if (*p < end && strchr("Zz+-", **p) && offset(p, end, t, why) < 0)
		return -1;
	if (*p != end)
		return *why = FORMS, -1;
	if (!has_date) {
		t->kind = MS_TIME_CLOCK;
	} else if (t->has_offset) {
		int64_t days = ms_days_from_civil(t->year, (unsigned)t->month, (unsigned)t->day);
		t->epoch = (double)(days * 86400 + t->hour * 3600 + t->min * 60 - t->offset_s) + t->sec;
		t->kind = MS_TIME_EPOCH;
	} else {
		t->kind = MS_TIME_LOCAL;
	}
	return 0;
}

int ms_parse_time(const char *s, struct ms_time *t, const char *what, struct ms_err *err)
{
	memset(t, 0, sizeof(*t));
	const char *p = s, *end = s + strlen(s), *why = FORMS;
	int rc;
	if (*s == '+' || *s == '-') {
		struct ms_err e = MS_ERR_INIT;
		rc = ms_parse_duration(s + 1, &t->ms, what, &e);
		ms_err_release(&e);
		if (rc < 0)
			why = *s == '+' ? "expected a duration after '+' (after the first sample), "
					  "like 30s, 2h or 1h30m"
					: "expected a duration after '-' (before the last sample), "
					  "like 30s, 30m or 1h30m";
		t->kind = *s == '+' ? MS_TIME_FROM_START : MS_TIME_FROM_END;
	} else if (*s == '@') {
		rc = epoch(&p, end, t, &why);
		if (rc == 0 && p != end)
			rc = -1;
	} else {
		rc = absolute(&p, end, t, &why);
	}
	if (rc < 0) {
		t->kind = MS_TIME_NONE;
		return ms_err_set(err, EINVAL, "invalid %s '%s': %s", what, s, why);
	}
	return 0;
}

/* The local time Y-M-D H:M:SEC (M 1-12; MDAY may be out of range:
 * mktime() normalizes it) in the process's zone, in UTC seconds */
static int local_to_utc(int y, int m, int mday, int h, int min, double sec, double *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = mday;
	tm.tm_hour = h;
	tm.tm_min = min;
	tm.tm_sec = (int)sec;
	tm.tm_isdst = -1;
	errno = 0;
	time_t r = mktime(&tm);
	if (r == (time_t)-1 && errno)
		return -1;
	*out = (double)r + (sec - floor(sec));
	return 0;
}

/* The last H:M:SEC at or before LAST, in the process's zone or at OFFSET */
static int clock_before(const struct ms_time *t, double last, double *out)
{
	double hms = t->hour * 3600 + t->min * 60 + t->sec;
	if (t->has_offset) {
		double day = floor((last + t->offset_s) / 86400) * 86400;
		*out = day + hms - t->offset_s;
		if (*out > last)
			*out -= 86400;
		return 0;
	}
	time_t l = (time_t)floor(last);
	struct tm d;
	if (!localtime_r(&l, &d))
		return -1;
	for (int back = 0; back <= 1; back++) {
		if (local_to_utc(d.tm_year + 1900, d.tm_mon + 1, d.tm_mday - back, t->hour, t->min,
				 t->sec, out) < 0)
			return -1;
		if (*out <= last)
			return 0;
	}
	return 0;
}

int ms_time_resolve(const struct ms_time *t, double first, double last, double *out,
		    const char *what, struct ms_err *err)
{
	int rc = 0;
	switch (t->kind) {
	case MS_TIME_EPOCH: *out = t->epoch; break;
	case MS_TIME_FROM_START: *out = first + (double)t->ms / 1000; break;
	case MS_TIME_FROM_END: *out = last - (double)t->ms / 1000; break;
	case MS_TIME_LOCAL:
		rc = local_to_utc(t->year, t->month, t->day, t->hour, t->min, t->sec, out);
		break;
	case MS_TIME_CLOCK: rc = clock_before(t, last, out); break;
	default: return ms_err_set(err, EINVAL, "%s: no time given", what);
	}
	if (rc < 0 || !isfinite(*out))
		return ms_err_set(err, ERANGE, "%s: the time cannot be converted to UTC", what);
	return 0;
}
