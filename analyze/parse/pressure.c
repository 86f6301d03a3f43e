/*
 * pressure.c - PSI file parser (see pressure.h).
 *
 * A line is "some|full" and blank-separated key=value words.  Decimals are
 * read without strtod() (ms_scan_decimal(), scan.h): "7.41" gives exactly
 * the double strtod gives, whatever the locale.
 *
 * Invariants: a row is delivered only after its whole line has been read;
 * a bad line (or a second line of a kind) is reported and costs that line;
 * the kernel writes at most 2 decimals, more than 15 fraction digits are an
 * error; no pointer passes END; lines over PSI_MAX_LINE are reported and
 * skipped.
 */
#include "pressure.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "parse_num.h"
#include "scan.h"

#define PSI_MAX_LINE 4096

static int parse_line(const char *p, const char *eol, int line, struct pressure_row *row,
		      struct ms_err *err);

/* One non-blank line (P..EOL) into *ROW. */
static int parse_line(const char *p, const char *eol, int line, struct pressure_row *row,
		      struct ms_err *err)
{
	enum { HAS_AVG10 = 1, HAS_AVG60 = 2, HAS_AVG300 = 4, HAS_TOTAL = 8 };
	int have = 0;
	memset(row, 0, sizeof(*row));
	row->line = line;
	const char *w = ms_skip_blank(p, eol);
	if (eol - w >= 4 && memcmp(w, "some", 4) == 0)
		row->kind = PRESSURE_SOME;
	else if (eol - w >= 4 && memcmp(w, "full", 4) == 0)
		row->kind = PRESSURE_FULL;
	else
		goto bad;
	p = w + 4;
	if (p < eol && !ms_is_blank(*p))
		goto bad;
	for (;;) {
		p = ms_skip_blank(p, eol);
		if (p == eol)
			break;
		w = p;
		p = ms_word_end(p, eol);
		const char *eq = memchr(w, '=', (size_t)(p - w));
		if (!eq)
			goto bad;
		size_t klen = (size_t)(eq - w);
		double *avg = NULL;
		int bit;
		if (klen == 5 && memcmp(w, "avg10", 5) == 0) {
			avg = &row->avg10;
			bit = HAS_AVG10;
		} else if (klen == 5 && memcmp(w, "avg60", 5) == 0) {
			avg = &row->avg60;
			bit = HAS_AVG60;
		} else if (klen == 6 && memcmp(w, "avg300", 6) == 0) {
			avg = &row->avg300;
			bit = HAS_AVG300;
		} else if (klen == 5 && memcmp(w, "total", 5) == 0) {
			bit = HAS_TOTAL;
		} else {
			continue; /* a newer key */
		}
		if (have & bit)
			return ms_err_set(err, EINVAL, "pressure:%d: duplicate '%.*s'", line,
					  (int)klen, w);
		have |= bit;
		const char *v = eq + 1;
		if (avg ? ms_scan_decimal(v, p, avg) < 0
			: ms_scan_u64(&v, p, &row->total_us) < 0 || v != p)
			return ms_err_set(err, EINVAL, "pressure:%d: bad value for '%.*s'", line,
					  (int)klen, w);
	}
	if (have != (HAS_AVG10 | HAS_AVG60 | HAS_AVG300 | HAS_TOTAL))
		goto bad;
	return 0;
bad:
	return ms_err_set(err, EINVAL,
			  "pressure:%d: expected 'some|full avg10=N avg60=N avg300=N total=N'",
			  line);
}

int pressure_parse(const char *text, size_t len, pressure_fn fn, void *ctx,
		   const struct ms_report *rep, struct ms_err *err)
{
	if (len > INT_MAX)
		return ms_err_set(err, EFBIG, "pressure: text of %zu bytes is too large", len);
	if (!len)
		return ms_err_set(err, EINVAL, "pressure:1: empty file");
	struct ms_lines lines;
	ms_lines_init(&lines, text, len, PSI_MAX_LINE, "pressure", rep);

	const char *p, *eol;
	int line = 0, seen[2] = { 0, 0 }, more = 0, rc = 0, nonblank = 0;
	while (rc == 0 && (more = ms_line_next(&lines, &p, &eol, err)) > 0) {
		line = lines.line;
		if (ms_skip_blank(p, eol) == eol)
			continue;
		nonblank++;
		struct pressure_row row;
		struct ms_err bad = MS_ERR_INIT;
		if (parse_line(p, eol, line, &row, &bad) < 0)
			rc = ms_report_err(rep, &bad, err);
		else if (seen[row.kind]++)
			rc = ms_report(rep, err, "pressure:%d: a second '%s' line; the first kept", line,
				       row.kind == PRESSURE_SOME ? "some" : "full");
		else
			rc = fn(ctx, &row, err);
	}
	if (rc < 0 || more < 0)
		return -1;
	if (!nonblank && !lines.refused)
		return ms_err_set(err, EINVAL, "pressure:%d: no 'some' or 'full' line", line);
	return 0;
}
