/*
 * swaps.c - /proc/swaps parser (see swaps.h).
 *
 * Line 1 is the header and must start with the word "Filename".  Each later
 * non-blank line has exactly five blank-separated columns: the escaped
 * file name, the type, size kB, used kB and a signed priority.  A line
 * that is not (the header too) is reported and costs that line.
 *
 * Invariants: an escape is exactly a backslash and three octal digits with
 * a value of 1..255 (the kernel escapes '\\' itself, so a lone backslash is
 * damage, and "\000" would cut the C string); decoded names are written
 * into a buffer of at least line length + 1 bytes owned by the parse; kB
 * values are range-checked before being multiplied; no pointer passes END.
 */
#include "swaps.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ms_buf.h"
#include "parse_num.h"
#include "scan.h"

/* PATH_MAX escaped 4x, plus the columns. */
#define SWAPS_MAX_LINE 65536

static int decode_name(char *dst, const char *p, const char *e);
static int scan_kb(const char **p, const char *end, uint64_t *bytes);
static int parse_row(char *buf, const char *p, const char *eol, int line,
		     struct swaps_row *row, struct ms_err *err);

/* Decode P..E into DST, NUL-terminated; -1 on a bad escape. */
static int decode_name(char *dst, const char *p, const char *e)
{
	while (p < e) {
		if (*p != '\\') {
			*dst++ = *p++;
			continue;
		}
		if (e - p < 4 || p[1] < '0' || p[1] > '3' || p[2] < '0' || p[2] > '7' ||
		    p[3] < '0' || p[3] > '7')
			return -1;
		unsigned c = (unsigned)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
		if (!c)
			return -1;
		*dst++ = (char)c;
		p += 4;
	}
	*dst = '\0';
	return 0;
}

/* A kB count as a whole word at *P, in bytes. */
static int scan_kb(const char **p, const char *end, uint64_t *bytes)
{
	uint64_t v;
	if (ms_scan_u64(p, end, &v) < 0 || (*p < end && !ms_is_blank(**p)) ||
	    v > UINT64_MAX / 1024)
		return -1;
	*bytes = v * 1024;
	return 0;
}

/* One area line (P..EOL) into *ROW, its strings in BUF. */
static int parse_row(char *buf, const char *p, const char *eol, int line,
		     struct swaps_row *row, struct ms_err *err)
{
	memset(row, 0, sizeof(*row));
	row->line = line;
	const char *w = ms_skip_blank(p, eol), *e = ms_word_end(w, eol);
	if (decode_name(buf, w, e) < 0)
		return ms_err_set(err, EINVAL, "swaps:%d: bad escape in the file name", line);
	row->filename = buf;
	buf += strlen(buf) + 1;

	w = ms_skip_blank(e, eol);
	e = ms_word_end(w, eol);
	if (w == e)
		goto bad;
	memcpy(buf, w, (size_t)(e - w));
	buf[e - w] = '\0';
	row->type = buf;

	p = ms_skip_blank(e, eol);
	if (scan_kb(&p, eol, &row->size_bytes) < 0)
		return ms_err_set(err, EINVAL, "swaps:%d: bad size", line);
	p = ms_skip_blank(p, eol);
	if (scan_kb(&p, eol, &row->used_bytes) < 0)
		return ms_err_set(err, EINVAL, "swaps:%d: bad used size", line);
	p = ms_skip_blank(p, eol);
	int neg = p < eol && *p == '-';
	uint64_t prio;
	p += neg;
	if (ms_scan_u64(&p, eol, &prio) < 0 || prio > INT64_MAX)
		return ms_err_set(err, EINVAL, "swaps:%d: bad priority", line);
	row->priority = neg ? -(int64_t)prio : (int64_t)prio;
	if (ms_skip_blank(p, eol) != eol)
		return ms_err_set(err, EINVAL, "swaps:%d: unexpected text after the priority", line);
	return 0;
bad:
	return ms_err_set(err, EINVAL, "swaps:%d: expected 'filename type size used priority'",
			  line);
}

int swaps_parse(const char *text, size_t len, swaps_fn fn, void *ctx,
		const struct ms_report *rep, struct ms_err *err)
{
	if (len > INT_MAX)
		return ms_err_set(err, EFBIG, "swaps: text of %zu bytes is too large", len);
	if (!len)
		return ms_err_set(err, EINVAL,
				  "swaps:1: expected the header 'Filename Type Size Used Priority'");
	struct ms_lines lines;
	ms_lines_init(&lines, text, len, SWAPS_MAX_LINE, "swaps", rep);

	struct ms_buf lb = { NULL, 0, 0 }; /* the line's fields, NUL-terminated */
	const char *p, *eol;
	int rc = 0, more;
	while ((more = ms_line_next(&lines, &p, &eol, err)) > 0) {
		int line = lines.line;
		size_t n = (size_t)(eol - p);
		if (line == 1) {
			if (n < 8 || memcmp(p, "Filename", 8) != 0)
				rc = ms_report(rep, err, "swaps:1: expected the header 'Filename Type "
					       "Size Used Priority'");
			if (rc < 0)
				break;
			continue;
		}
		if (ms_skip_blank(p, eol) == eol)
			continue;
		if (ms_buf_grow(&lb, n + 1) < 0) {
			rc = ms_err_set(err, ENOMEM, "swaps:%d: out of memory", line);
			break;
		}
		char *buf = lb.data;
		struct swaps_row row;
		struct ms_err bad = MS_ERR_INIT;
		if (parse_row(buf, p, eol, line, &row, &bad) < 0)
			rc = ms_report_err(rep, &bad, err);
		else
			rc = fn(ctx, &row, err);
		if (rc < 0)
			break;
	}
	ms_buf_release(&lb);
	return rc < 0 || more < 0 ? -1 : 0;
}
