/*
 * buddyinfo.c - /proc/buddyinfo parser (see buddyinfo.h).
 *
 * Every non-blank line is "Node N, zone NAME C0 C1 ... Ck" with blanks
 * between the words.  A line is checked whole before its first row is
 * delivered, so a bad count never leaves half a zone behind: a bad line
 * is reported and costs that line (that zone), the lines after it are
 * read.
 *
 * Invariants: zone names are at most BUDDY_MAX_ZONE bytes (the kernel's are
 * under 10) and are copied, NUL-terminated, into the parse's own buffer;
 * no pointer passes END; lines over BUDDY_MAX_LINE are reported and skipped.
 */
#include "buddyinfo.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "parse_num.h"
#include "scan.h"

#define BUDDY_MAX_LINE 4096
#define BUDDY_MAX_ZONE 31

static int read_counts(const char *p, const char *eol, int line, int *orders,
		       struct ms_err *err);

/* Check the counts P..EOL and count them into *ORDERS. */
static int read_counts(const char *p, const char *eol, int line, int *orders,
		       struct ms_err *err)
{
	int n = 0;
	for (;;) {
		p = ms_skip_blank(p, eol);
		if (p == eol)
			break;
		uint64_t v;
		if (ms_scan_u64(&p, eol, &v) < 0 || (p < eol && !ms_is_blank(*p)))
			return ms_err_set(err, EINVAL, "buddyinfo:%d: order %d count is not a number",
					  line, n);
		n++;
	}
	if (!n)
		return ms_err_set(err, EINVAL, "buddyinfo:%d: no free counts after the zone name",
				  line);
	*orders = n;
	return 0;
}

/* The head "Node N, zone NAME" of line P..EOL into *NODE and ZONE; where
 * the counts start, or NULL (BAD set) when it is not one. */
static const char *read_head(const char *p, const char *eol, int line, uint64_t *node,
			     char *zone, struct ms_err *bad)
{
	if (eol - p < 5 || memcmp(p, "Node", 4) != 0 || !ms_is_blank(p[4]))
		goto bad;
	p = ms_skip_blank(p + 4, eol);
	if (ms_scan_u64(&p, eol, node) < 0 || *node > UINT32_MAX || p == eol || *p++ != ',')
		goto bad;
	p = ms_skip_blank(p, eol);
	if (eol - p < 5 || memcmp(p, "zone", 4) != 0 || !ms_is_blank(p[4]))
		goto bad;
	p = ms_skip_blank(p + 4, eol);
	const char *z = p;
	p = ms_word_end(p, eol);
	if (p == z)
		goto bad;
	if (p - z > BUDDY_MAX_ZONE) {
		ms_err_set(bad, EINVAL, "buddyinfo:%d: zone name longer than %d bytes", line,
			   BUDDY_MAX_ZONE);
		return NULL;
	}
	memcpy(zone, z, (size_t)(p - z));
	zone[p - z] = '\0';
	return p;
bad:
	ms_err_set(bad, EINVAL, "buddyinfo:%d: expected 'Node N, zone NAME counts...'", line);
	return NULL;
}

int buddyinfo_parse(const char *text, size_t len, buddyinfo_fn fn, void *ctx,
		    const struct ms_report *rep, struct ms_err *err)
{
	if (len > INT_MAX)
		return ms_err_set(err, EFBIG, "buddyinfo: text of %zu bytes is too large", len);
	if (!len)
		return ms_err_set(err, EINVAL, "buddyinfo:1: empty file");
	struct ms_lines lines;
	ms_lines_init(&lines, text, len, BUDDY_MAX_LINE, "buddyinfo", rep);

	char zone[BUDDY_MAX_ZONE + 1];
	const char *p, *eol;
	int line = 0, lines_seen = 0, more;
	while ((more = ms_line_next(&lines, &p, &eol, err)) > 0) {
		line = lines.line;
		const char *q = ms_skip_blank(p, eol);
		if (q == eol)
			continue;
		lines_seen++;
		uint64_t node;
		int orders = 0;
		struct ms_err bad = MS_ERR_INIT;
		q = read_head(q, eol, line, &node, zone, &bad);
		if (!q || read_counts(q, eol, line, &orders, &bad) < 0) {
			if (ms_report_err(rep, &bad, err) < 0)
				return -1;
			continue;
		}
		struct buddyinfo_row row = { (uint32_t)node, zone, 0, 0, line };
		for (int k = 0; k < orders; k++) {
			q = ms_skip_blank(q, eol);
			(void)ms_scan_u64(&q, eol, &row.free_blocks); /* checked above */
			row.order = k;
			if (fn(ctx, &row, err) < 0)
				return -1;
		}
	}
	if (more < 0)
		return -1;
	if (!lines_seen && !lines.refused)
		return ms_err_set(err, EINVAL, "buddyinfo:%d: no zone lines", line);
	return 0;
}
