/*
 * rule_unit.h - the units of a rule's parameters and columns (docs/rules.md,
 * "Units").
 *
 * A unit is one of a fixed vocabulary, always written the same way so that
 * scripts can rely on it: a size (B, KiB, MiB, GiB, TiB), pages, a
 * duration (us, ms, s, min, h, days), %, a rate (one of those, or nothing
 * for events, over a duration: MiB/h, pages/s, /min, %/min), 1 (a number
 * without a unit: a count, a ratio, a probability), epoch (UTC seconds
 * since the epoch) or text.  A value given on the command line (--set) is
 * read with any unit of the same kind, in the forms collect's options take
 * (2MiB, 512K, 10m, 1h30m, 5%, 4MiB/s, 10/min), or as a plain number in the
 * declared unit, and converted to the declared unit.  Pure functions.
 */
#ifndef RULE_UNIT_H
#define RULE_UNIT_H

#include <stddef.h>

#include "ms_buf.h"

enum rule_unit_kind {
	RULE_UNIT_K_NONE,     /* a plain number ("" for a parameter, "1" for a column) */
	RULE_UNIT_K_BYTES,
	RULE_UNIT_K_PAGES,
	RULE_UNIT_K_PERCENT,
	RULE_UNIT_K_TIME,
	RULE_UNIT_K_EPOCH,    /* columns only */
	RULE_UNIT_K_TEXT,     /* columns only */
};

struct rule_unit {
	enum rule_unit_kind kind;
	double scale;   /* one unit in the kind's base (bytes, pages, %, seconds); 1 */
	double per;     /* a rate: seconds of its denominator; 0 when not a rate */
	const char *name;  /* the canonical spelling ("MiB/h"; "" for a plain number) */
};

/* Parse a declared unit S (canonical spelling) into *U, which borrows S as
 * its name; COLUMN allows "1", "epoch" and "text" (a column's unit) and
 * refuses "" (a parameter's plain number).  0, or -1 when S is none of the
 * vocabulary. */
int rule_unit_parse(const char *s, int column, struct rule_unit *u);

/* The vocabulary, for an error message: "B, KiB ... or a rate such as MiB/h" */
const char *rule_unit_vocabulary(void);

/* Read TEXT as a value of unit U (see above) into *OUT, in U.  0, or -1
 * when it is not a number, or its unit is not of U's kind. */
int rule_unit_read(const char *text, const struct rule_unit *u, double *out);

/* Append what rule_unit_read() accepts for U to B: "a size: 2MiB, 512KiB,
 * 1GiB (a plain number is MiB)".  -1 on ENOMEM. */
int rule_unit_forms(const struct rule_unit *u, struct ms_buf *b);

/* Append V in unit U as a person reads it: "5 min", "2 MiB", "0.01". */
int rule_unit_say(double v, const struct rule_unit *u, struct ms_buf *b);

/* Append a span of SECONDS as a person reads it: "20 s", "4 min 40 s", "2 h 5 min". */
int rule_unit_say_span(double seconds, struct ms_buf *b);

#endif
