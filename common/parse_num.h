/*
 * parse_num.h - bounded number, duration and size parsing.
 *
 * Pure functions on strings; no I/O, no globals.  glibc lacks strtonum, so
 * every number in memsnap goes through these helpers: digits only, overflow
 * is an error, trailing junk is an error.  Errors are filled in ERR with a
 * message that quotes the input.
 */
#ifndef PARSE_NUM_H
#define PARSE_NUM_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"

/* Parse the decimal digits at *P (at least one) into *OUT, advancing *P
 * past them.  Returns 0, or -1 when there are no digits or on overflow.
 * Inline: the parsers call it for every number of every /proc file. */
static inline int ms_scan_u64(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	if (s >= end || *s < '0' || *s > '9')
		return -1;
	while (s < end && *s >= '0' && *s <= '9') {
		unsigned d = (unsigned)(*s - '0');
		/* v * 10 + d would overflow (constant bounds: no division per digit) */
		if (v >= UINT64_MAX / 10 && (v > UINT64_MAX / 10 || d > UINT64_MAX % 10))
			return -1;
		v = v * 10 + d;
		s++;
	}
	*p = s;
	*out = v;
	return 0;
}

/* A whole string of decimal digits in [MIN, MAX].  WHAT names the value
 * in the error ("interval", "--top"). */
int ms_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		 const char *what, struct ms_err *err);

/* Durations: one or more NUMBER UNIT groups, UNIT one of ms, s, m, h, d
 * ("30s", "10m", "1h30m", "250ms"); a bare number means seconds.
 * The result is in milliseconds. */
int ms_parse_duration(const char *s, uint64_t *ms, const char *what,
		      struct ms_err *err);

/* Sizes: NUMBER with an optional binary unit K, M, G, T (KiB, MiB... and
 * lower case accepted); a bare number means bytes. */
int ms_parse_size(const char *s, uint64_t *bytes, const char *what,
		  struct ms_err *err);

/* Percentages: "1", "0.5", "2.5%" → hundredths of a percent (50 = 0.5%). */
int ms_parse_percent(const char *s, uint64_t *centi, const char *what,
		     struct ms_err *err);

#endif
