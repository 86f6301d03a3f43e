/*
 * scan.h - the scanning steps every /proc text parser takes: blanks and
 * words, hexadecimal and decimal numbers, the first NUL byte of a text,
 * and a text made one C string.
 *
 * Pure: no I/O, no globals, no locale.  Each step reads [P, END) and never
 * reads END or past it.  Blanks are ' ' and '\t' (what the kernel pads
 * with); a newline is never a blank.  The small steps are inline: the
 * parsers call them for every field of every file.  Decimal integers are
 * ms_scan_u64() (parse_num.h).
 */
#ifndef MS_SCAN_H
#define MS_SCAN_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ms_buf.h"
#include "ms_err.h"

static inline int ms_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The loops below spell the test out: gcc makes slower code of the call
 * to ms_is_blank() in a loop condition (measured: kv_parse()). */

/* The first byte of [P, END) that is not a blank (END when none). */
static inline const char *ms_skip_blank(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* The end of [P, END) without its trailing blanks. */
static inline const char *ms_trim_blank_end(const char *p, const char *end)
{
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return end;
}

/* The first blank of [P, END) (END when none): the end of P's word. */
static inline const char *ms_word_end(const char *p, const char *end)
{
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	return p;
}

/* Hex digits at *P (at least one, either case, at most 64 bits) into *OUT,
 * advancing *P past them.  Returns 0, or -1 (nothing consumed) when there
 * is no digit or the value does not fit. */
static inline int ms_scan_hex(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	while (s < end) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			break;
		if (v > (UINT64_MAX >> 4))
			return -1;
		v = v << 4 | d;
		s++;
	}
	if (s == *p)
		return -1;
	*p = s;
	*out = v;
	return 0;
}

/* Where a parser sends what it could not read, and goes on: one bad line
 * costs that line, never the lines after it.  FN gets PROBLEM ("WHAT:LINE:
 * reason") and returns 0 to go on, or -1 to stop the parse with ERR set (a
 * failure of the caller's own, such as an insert: the parse then returns
 * -1 at once).  A parser given no reporter (NULL) drops the problems: only
 * for callers that need one field of a record (the collector's starttime). */
struct ms_report {
	int (*fn)(void *ctx, const char *problem, struct ms_err *err);
	void *ctx;
};

/* Report "FMT..." (it names the file and line) to REP.  Returns REP's
 * answer: 0 to go on, -1 to stop (ERR set by REP), or -1 with ERR set
 * when the message could not be made. */
int ms_report(const struct ms_report *rep, struct ms_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Report PROBLEM (a line's error, "WHAT:LINE: reason") to REP and release
 * it.  Returns REP's answer, as ms_report(). */
int ms_report_err(const struct ms_report *rep, struct ms_err *problem, struct ms_err *err);

/* A text read line by line: ms_lines_init(), then ms_line_next() until
 * it returns 0 (the end).  A line longer than MAX bytes or holding a NUL
 * byte (the kernel writes neither into a text file) is reported ("WHAT:
 * LINE: line longer than MAX bytes", "WHAT:LINE: NUL byte") and skipped,
 * and the next one is read; a parser whose lines open parts of the text
 * (smaps' mappings, zoneinfo's zones) sets GIVE_REFUSED to be handed such
 * a line too, to end the part it would have opened. */
struct ms_lines {
	const char *next, *end;
	int line;               /* the 1-based number of the line last returned */
	int max;                /* the longest line accepted, in bytes */
	const char *what;       /* the file, in messages */
	const char *nul;        /* the next NUL byte at or after NEXT, or NULL */
	const struct ms_report *rep;
	int refused;            /* the lines reported and skipped */
	int give_refused;       /* hand them over too (ms_line_next() returns 2) */
};

/* Start reading TEXT (LEN bytes) into L; its bad lines go to REP. */
void ms_lines_init(struct ms_lines *l, const char *text, size_t len, int max, const char *what,
		   const struct ms_report *rep);

/* Line [P, E) of L is too long or holds a NUL: report it (the line is
 * skipped).  Returns 0, or -1 when the report stopped the parse. */
int ms_line_refuse(struct ms_lines *l, const char *p, const char *e, struct ms_err *err);

/* The next line of L: 1 with [*BOL, *EOL) the line without its '\n' and
 * L->line its number; 2 the same for a line refused and reported (only
 * with L->give_refused); 0 at the end; -1 (ERR set) when the report of a
 * bad line stopped the parse. */
static inline int ms_line_next(struct ms_lines *l, const char **bol, const char **eol,
			       struct ms_err *err)
{
	for (;;) {
		const char *p = l->next;
		if (p >= l->end)
			return 0;
		const char *e = memchr(p, '\n', (size_t)(l->end - p));
		l->next = e ? e + 1 : l->end;
		if (!e)
			e = l->end;
		l->line++;
		int rc = 1;
		if (e - p > l->max || (l->nul && l->nul < e)) {
			if (ms_line_refuse(l, p, e, err) < 0)
				return -1;
			if (!l->give_refused)
				continue;
			rc = 2;
		}
		*bol = p;
		*eol = e;
		return rc;
	}
}

/* The whole of [P, END) as a non-negative decimal "DIGITS[.DIGITS]" (at
 * most 15 fraction digits; the kernel prints two) into *OUT, without
 * strtod(): "7.41" gives exactly the double strtod() gives.  Returns 0, or
 * -1 when [P, END) is anything else. */
int ms_scan_decimal(const char *p, const char *end, double *out);

/* The next word of [*P, END) (after blanks) as ms_scan_decimal() reads it,
 * *P moved past the word.  Returns 0, or -1 when there is no word or it is
 * not such a decimal. */
int ms_scan_decimal_word(const char **p, const char *end, double *out);

/* TEXT (LEN bytes) as the one line of a one-line file: *EOL is its end
 * (its '\n', or TEXT + LEN).  Returns 0, or -1 with ERR set ("WHAT:LINE:
 * ...") for a NUL byte or text after the newline. */
int ms_one_line(const char *text, size_t len, const char *what, const char **eol,
		struct ms_err *err);

/* The 1-based line of TEXT's first NUL byte, or 0 when it has none.  The
 * kernel never writes a NUL into a text file: the parsers refuse one. */
int ms_nul_line(const char *text, size_t len);

/* TEXT as one C string in OUT (replacing its contents): its trailing
 * newlines and NULs dropped, every other NUL made a space.  For the files
 * the kernel ends with a newline or separates with NULs (comm, cmdline).
 * Returns 0, or -1 (errno ENOMEM). */
int ms_text_one_string(const char *text, size_t len, struct ms_buf *out);

#endif
