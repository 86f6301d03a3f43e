/*
 * pressure.c - PSI file parser (see pressure.h).
 *
 * A line is "some|full" and blank-separated key=value words.  Decimals are
 * "DIGITS[.DIGITS]" read without strtod(): the value is the integer
 * DIGITS*10^k + FRACTION divided by 10^k, one correctly rounded division
 * while both fit in 2^53, so "7.41" gives exactly the double strtod gives.
 *
 * Invariants: a row is delivered only after its whole line has been read;
 * the kernel writes at most 2 decimals, more than 15 fraction digits are an
 * error; no pointer passes END; lines over PSI_MAX_LINE are refused.
 */
#include "pressure.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "parse_num.h"

#define PSI_MAX_LINE 4096

static const char *skip_blank(const char *p, const char *end);
static int scan_decimal(const char *p, const char *end, double *out);
static int parse_line(const char *p, const char *eol, int line, struct pressure_row *row,
		      struct ms_err *err);

static const char *skip_blank(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* The whole of P..END as a non-negative decimal. */
static int scan_decimal(const char *p, const char *end, double *out)
{
	static const uint64_t pow10[] = {
		1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
		1000000000, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
		10000000000000ULL, 100000000000000ULL, 1000000000000000ULL,
	};
	uint64_t ip, fp = 0;
	int digits = 0;
	if (ms_scan_u64(&p, end, &ip) < 0)
		return -1;
	if (p < end && *p == '.') {
		const char *f = ++p;
		if (ms_scan_u64(&p, end, &fp) < 0 || p - f > 15)
			return -1;
		digits = (int)(p - f);
	}
	if (p != end)
		return -1;
	const uint64_t exact = 1ULL << 53;
	if (ip <= (exact - fp) / pow10[digits])
		*out = (double)(ip * pow10[digits] + fp) / (double)pow10[digits];
	else
		*out = (double)ip + (double)fp / (double)pow10[digits];
	return 0;
}

/* One non-blank line (P..EOL) into *ROW. */
static int parse_line(const char *p, const char *eol, int line, struct pressure_row *row,
		      struct ms_err *err)
{
	enum { HAS_AVG10 = 1, HAS_AVG60 = 2, HAS_AVG300 = 4, HAS_TOTAL = 8 };
	int have = 0;
	memset(row, 0, sizeof(*row));
	row->line = line;
	const char *w = skip_blank(p, eol);
	if (eol - w >= 4 && memcmp(w, "some", 4) == 0)
		row->kind = PRESSURE_SOME;
	else if (eol - w >= 4 && memcmp(w, "full", 4) == 0)
		row->kind = PRESSURE_FULL;
	else
		goto bad;
	p = w + 4;
	if (p < eol && *p != ' ' && *p != '\t')
		goto bad;
	for (;;) {
		p = skip_blank(p, eol);
		if (p == eol)
			break;
		w = p;
		while (p < eol && *p != ' ' && *p != '\t')
			p++;
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
		if (avg ? scan_decimal(v, p, avg) < 0
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
		   struct ms_err *err)
{
	if (len > INT_MAX)
		return ms_err_set(err, EFBIG, "pressure: text of %zu bytes is too large", len);
	if (!len)
		return ms_err_set(err, EINVAL, "pressure:1: empty file");
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		int line = 1;
		for (const char *q = text; q < nul; q++)
			line += *q == '\n';
		return ms_err_set(err, EINVAL, "pressure:%d: NUL byte", line);
	}

	const char *p = text, *end = text + len;
	int line = 0, seen[2] = { 0, 0 };
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *next = eol ? eol + 1 : end;
		if (!eol)
			eol = end;
		line++;
		if (eol - p > PSI_MAX_LINE)
			return ms_err_set(err, EINVAL, "pressure:%d: line longer than %d bytes", line,
					  PSI_MAX_LINE);
		if (skip_blank(p, eol) == eol) {
			p = next;
			continue;
		}
		struct pressure_row row;
		if (parse_line(p, eol, line, &row, err) < 0)
			return -1;
		if (seen[row.kind])
			return ms_err_set(err, EINVAL, "pressure:%d: second '%s' line", line,
					  row.kind == PRESSURE_SOME ? "some" : "full");
		seen[row.kind] = 1;
		if (fn(ctx, &row, err) < 0)
			return -1;
		p = next;
	}
	if (!seen[PRESSURE_SOME] && !seen[PRESSURE_FULL])
		return ms_err_set(err, EINVAL, "pressure:%d: no 'some' or 'full' line", line);
	return 0;
}
