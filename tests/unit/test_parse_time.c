/*
 * test_parse_time.c - common/parse_time.c: every accepted form of --from
 * and --to resolves to exactly the UTC second it names (the expected values
 * computed independently, with Python's datetime), and every bad one is
 * refused with one line that names the option and the input.
 *
 * The forms without an offset are read in the process's zone: the cases set
 * TZ to a fixed POSIX zone ("UTC0", "<+01>-1": one hour east) that needs no
 * time zone database, and to Europe/Berlin for the summer-time cases (when
 * /usr/share/zoneinfo has it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parse_time.h"
#include "test.h"

#define T_1405Z 1796565900.0    /* 2026-12-06T14:05:00Z */
#define FIRST 1796560000.0      /* the recording's first and last sample */
#define LAST 1796566200.0       /* 2026-12-06T14:10:00Z */

static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* S resolves to WANT (with FIRST and LAST as the recording) */
#define AT(s, first, last, want) do {                                           \
	struct ms_err e_ = MS_ERR_INIT;                                          \
	struct ms_time t_;                                                       \
	double v_ = -1;                                                          \
	CHECK_EQ_I64(ms_parse_time((s), &t_, "--from", &e_), 0);                 \
	CHECK_EQ_I64(ms_time_resolve(&t_, (first), (last), &v_, "--from", &e_), 0); \
	if (!CHECK(v_ == (want)))                                                \
		fprintf(stderr, "  '%s' -> %.3f, expected %.3f\n", (s), v_, (double)(want)); \
	CHECK(e_.msg == NULL);                                                   \
	ms_err_release(&e_);                                                     \
} while (0)

/* S is refused with exactly the message WANT */
#define BAD(s, want) do {                                                        \
	struct ms_err e_ = MS_ERR_INIT;                                          \
	struct ms_time t_;                                                       \
	CHECK_EQ_I64(ms_parse_time((s), &t_, "--to", &e_), -1);                  \
	CHECK_EQ_I64(e_.code, EINVAL);                                           \
	CHECK_STR(e_.msg, (want));                                                \
	CHECK_EQ_I64(t_.kind, MS_TIME_NONE);                                     \
	ms_err_release(&e_);                                                     \
} while (0)

#define FORMS "expected a time like 2026-12-06T14:05 (Z or +01:00 for an offset), 14:05, " \
	      "-30m (before the last sample), +2h (after the first) or @SECONDS"

TEST(days_from_civil)
{
	CHECK_EQ_I64(ms_days_from_civil(1970, 1, 1), 0);
	CHECK_EQ_I64(ms_days_from_civil(2000, 3, 1), 951868800 / 86400);
	CHECK_EQ_I64(ms_days_from_civil(2026, 12, 6), 1796515200 / 86400);
	CHECK_EQ_I64(ms_days_from_civil(9999, 12, 31), 253402214400 / 86400);
}

/* with an offset or Z, and @SECONDS: the same instant in any zone */
TEST(instants)
{
	set_tz("<+01>-1");
	AT("2026-12-06T14:05Z", FIRST, LAST, T_1405Z);
	AT("2026-12-06t14:05:00z", FIRST, LAST, T_1405Z);
	AT("2026-12-06 15:05+01:00", FIRST, LAST, T_1405Z);
	AT("2026-12-06T15:05+0100", FIRST, LAST, T_1405Z);
	AT("2026-12-06T15:05+01", FIRST, LAST, T_1405Z);
	AT("2026-12-06T09:35-04:30", FIRST, LAST, T_1405Z);
	AT("2026-12-06T14:05:30.25+01:00", FIRST, LAST, 1796562330.25);
	AT("2026-12-06Z", FIRST, LAST, 1796515200.0);
	AT("2024-02-29T23:59:59-05:30", FIRST, LAST, 1709270999.0);
	AT("1970-01-01T00:00Z", FIRST, LAST, 0.0);
	AT("9999-12-31T23:59:59Z", FIRST, LAST, 253402300799.0);
	AT("@1796565900", FIRST, LAST, T_1405Z);
	AT("@1796565900.5", FIRST, LAST, T_1405Z + 0.5);
}

/* relative to the recording's first (+) and last (-) sample */
TEST(relative)
{
	AT("+2h", FIRST, LAST, FIRST + 7200);
	AT("+0", FIRST, LAST, FIRST);
	AT("+250ms", FIRST, LAST, FIRST + 0.25);
	AT("-30m", FIRST, LAST, LAST - 1800);
	AT("-1h30m", FIRST, LAST, LAST - 5400);
	AT("-90", FIRST, LAST, LAST - 90);
	AT("-0s", FIRST, LAST, LAST);
	AT("-2d", FIRST, LAST, LAST - 172800);
}

/* a date and time without offset: in the zone times are shown in */
TEST(local_fixed_zones)
{
	set_tz("UTC0");
	AT("2026-12-06T14:05", FIRST, LAST, T_1405Z);
	AT("2026-12-06", FIRST, LAST, 1796515200.0);
	set_tz("<+01>-1");
	AT("2026-12-06T15:05", FIRST, LAST, T_1405Z);
	AT("2026-12-06 15:05:00.5", FIRST, LAST, T_1405Z + 0.5);
	AT("2026-12-06", FIRST, LAST, 1796515200.0 - 3600);
	set_tz("<-0530>5:30");
	AT("2026-12-06T08:35", FIRST, LAST, T_1405Z);
}

TEST(local_summer_time)
{
	if (access("/usr/share/zoneinfo/Europe/Berlin", R_OK) != 0)
		SKIP("no /usr/share/zoneinfo/Europe/Berlin (tzdata)");
	set_tz("Europe/Berlin");
	AT("2026-12-06T15:05", FIRST, LAST, T_1405Z);           /* CET, +1 */
	AT("2026-03-29T03:30", FIRST, LAST, 1774747800.0);      /* CEST, +2: 01:30Z */
	AT("2026-07-01T12:00", FIRST, LAST, 1782900000.0);      /* 10:00Z */
	/* a time of day the day the clocks went forward: the last 01:00
	 * (CET) before a last sample at 2026-03-29T02:00Z (04:00 CEST) */
	AT("01:00", FIRST, 1774749600.0, 1774742400.0);
}

/* a time of day: its last occurrence at or before the last sample */
TEST(time_of_day)
{
	set_tz("UTC0");
	AT("14:05", FIRST, LAST, T_1405Z);
	AT("14:05:00", FIRST, LAST, T_1405Z);
	AT("14:10", FIRST, LAST, LAST);                          /* at the last sample */
	AT("14:11", FIRST, LAST, LAST + 60 - 86400);             /* after it: the day before */
	AT("14:05", FIRST, 1796565600.0, T_1405Z - 86400);       /* last sample at 14:00 */
	AT("23:58", FIRST, 1796601780.0, 1796601480.0);          /* last 00:03 the next day */
	AT("14:05Z", FIRST, LAST, T_1405Z);
	AT("15:05+01:00", FIRST, LAST, T_1405Z);
	set_tz("<+01>-1");
	AT("15:05", FIRST, LAST, T_1405Z);
	AT("14:05Z", FIRST, LAST, T_1405Z);
	AT("00:30", FIRST, 1796601780.0, 1796599800.0);          /* 01:03 local: 23:30Z */
}

TEST(errors)
{
	BAD("", "invalid --to '': " FORMS);
	BAD("yesterday", "invalid --to 'yesterday': " FORMS);
	BAD("2026-12-06X", "invalid --to '2026-12-06X': " FORMS);
	BAD("2026-12-06T14:05 ", "invalid --to '2026-12-06T14:05 ': " FORMS);
	BAD("2026-13-01", "invalid --to '2026-13-01': no such date");
	BAD("2026-02-29", "invalid --to '2026-02-29': no such date");
	BAD("2026-12-00", "invalid --to '2026-12-00': no such date");
	BAD("1969-12-31T23:00Z", "invalid --to '1969-12-31T23:00Z': year out of range (1970 to 9999)");
	BAD("2026-12-06T14", "invalid --to '2026-12-06T14': expected HH:MM after the date");
	BAD("2026-12-06T", "invalid --to '2026-12-06T': expected HH:MM after the date");
	BAD("25:00", "invalid --to '25:00': hour, minute or second out of range");
	BAD("14:60", "invalid --to '14:60': hour, minute or second out of range");
	BAD("14:05:60", "invalid --to '14:05:60': hour, minute or second out of range");
	BAD("14:05:5", "invalid --to '14:05:5': expected two digits of seconds");
	BAD("14:05.", "invalid --to '14:05.': expected 1 to 9 digits after the decimal point");
	BAD("14:05:00.1234567890",
	    "invalid --to '14:05:00.1234567890': expected 1 to 9 digits after the decimal point");
	BAD("2026-12-06T14:05+1", "invalid --to '2026-12-06T14:05+1': expected an offset like Z, +01:00 or -0530");
	BAD("2026-12-06T14:05+01:0", "invalid --to '2026-12-06T14:05+01:0': expected an offset like Z, +01:00 or -0530");
	BAD("2026-12-06T14:05+24:00", "invalid --to '2026-12-06T14:05+24:00': offset out of range");
	BAD("2026-12-06T14:05ZZ", "invalid --to '2026-12-06T14:05ZZ': " FORMS);
	BAD("-", "invalid --to '-': expected a duration after '-' (before the last sample), like 30s, 30m or 1h30m");
	BAD("-3x", "invalid --to '-3x': expected a duration after '-' (before the last sample), like 30s, 30m or 1h30m");
	BAD("+1h30", "invalid --to '+1h30': expected a duration after '+' (after the first sample), like 30s, 2h or 1h30m");
	BAD("@", "invalid --to '@': expected @ and seconds since 1970 (up to year 9999)");
	BAD("@-5", "invalid --to '@-5': expected @ and seconds since 1970 (up to year 9999)");
	BAD("@253402300800", "invalid --to '@253402300800': expected @ and seconds since 1970 (up to year 9999)");
	BAD("@12x", "invalid --to '@12x': " FORMS);
	BAD("@1.", "invalid --to '@1.': expected 1 to 9 digits after the decimal point");
}
