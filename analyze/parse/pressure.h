/*
 * pressure.h - parser for PSI files: /proc/pressure/{memory,io,cpu} and a
 * cgroup v2 group's memory.pressure (the same format).
 *
 *     some avg10=0.43 avg60=0.41 avg300=0.13 total=5277228
 *     full avg10=0.31 avg60=0.24 avg300=0.07 total=4665852
 *
 * One row per line.  avgN are percentages of wall time over the last N
 * seconds; total is the cumulated stall time in microseconds.  "full" is
 * missing from /proc/pressure/cpu before 5.13; memory and io have had both
 * lines since PSI appeared (4.20).
 *
 * Pure: no I/O, no globals, no locale (decimals are read by hand, so a
 * setlocale(LC_NUMERIC) elsewhere cannot change the result); TEXT is
 * borrowed and need not be NUL-terminated.
 */
#ifndef PRESSURE_H
#define PRESSURE_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"
#include "scan.h"

enum pressure_kind { PRESSURE_SOME, PRESSURE_FULL };

struct pressure_row {
	enum pressure_kind kind;
	double avg10, avg60, avg300;  /* percent, as printed (2 decimals) */
	uint64_t total_us;
	int line;
};

/* Return 0 to go on, -1 to stop (set ERR). */
typedef int (*pressure_fn)(void *ctx, const struct pressure_row *row, struct ms_err *err);

/* Parse TEXT (LEN bytes) and call FN once per line.  Each kind may appear
 * once; unknown key=value words are ignored, but avg10, avg60, avg300 and
 * total are required.  A line it cannot read (or a kind's second line)
 * goes to REP ("pressure:LINE: what") and is skipped.  Returns 0, or -1
 * with ERR set when FN or REP stopped the parse, or the text is empty, too
 * large, or only blank lines. */
int pressure_parse(const char *text, size_t len, pressure_fn fn, void *ctx,
		   const struct ms_report *rep, struct ms_err *err);

#endif
