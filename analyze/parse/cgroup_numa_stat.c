/*
 * cgroup_numa_stat.c - memory.numa_stat parser (see cgroup_numa_stat.h).
 *
 * A line is read twice: once whole, to check it and to tell a per-node
 * line from a vendor's other line, then again to hand its rows over, so a
 * bad word never leaves half a line behind.
 *
 * Invariants: nothing reads past LEN; node numbers fit in 32 bits and
 * values in 64; a bad line, or one over NUMA_STAT_MAX_LINE (refused before
 * it is scanned), is reported and skipped.
 */
#include "cgroup_numa_stat.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "parse_num.h"
#include "scan.h"

/* 1024 nodes of "N1023=" and 20 digits, with room to spare */
#define NUMA_STAT_MAX_LINE 65536

enum line_shape { LINE_ROWS, LINE_OTHER, LINE_BAD };

/* "N<node>=<value>" at *P, ending at a blank or EOL: 0 with *P past it. */
static int node_word(const char **p, const char *eol, uint32_t *node, uint64_t *value)
{
	const char *q = *p;
	uint64_t n;
	if (q == eol || *q++ != 'N' || ms_scan_u64(&q, eol, &n) < 0 || n > UINT32_MAX ||
	    q == eol || *q++ != '=' || ms_scan_u64(&q, eol, value) < 0 ||
	    (q < eol && !ms_is_blank(*q)))
		return -1;
	*node = (uint32_t)n;
	*p = q;
	return 0;
}

/* The key (and v1's total) of the line at P (its first non-blank) into
 * ROW; returns where the node words start, or NULL when malformed. */
static const char *line_head(const char *p, const char *eol, struct cgroup_numa_row *row)
{
	const char *k = p;
	while (p < eol && *p != ' ' && *p != '\t' && *p != '=')
		p++;
	row->key = k;
	row->key_len = (size_t)(p - k);
	row->is_total = p < eol && *p == '=';
	if (!row->key_len)
		return NULL;
	if (!row->is_total)
		return p;
	p++;
	if (ms_scan_u64(&p, eol, &row->value) < 0 || (p < eol && !ms_is_blank(*p)))
		return NULL;
	return p;
}

/* What the words after the head (P..EOL) are: node words (at least one,
 * or v1's total alone), plain numbers (a vendor's line), or neither. */
static enum line_shape line_shape(const char *p, const char *eol, int has_total)
{
	int nodes = 0, plain = 0;
	for (p = ms_skip_blank(p, eol); p < eol; p = ms_skip_blank(p, eol)) {
		uint32_t node;
		uint64_t v;
		if (node_word(&p, eol, &node, &v) == 0)
			nodes++;
		else if (ms_scan_u64(&p, eol, &v) == 0 && (p == eol || ms_is_blank(*p)))
			plain++;
		else
			return LINE_BAD;
	}
	if (plain)
		return nodes || has_total ? LINE_BAD : LINE_OTHER;
	return nodes || has_total ? LINE_ROWS : LINE_BAD;
}

/* Hand over the rows of a checked line: the total, then each node. */
static int deliver(const char *p, const char *eol, struct cgroup_numa_row *row,
		   cgroup_numa_fn fn, void *ctx, struct ms_err *err)
{
	if (row->is_total && fn(ctx, row, err) < 0)
		return -1;
	row->is_total = 0;
	for (p = ms_skip_blank(p, eol); p < eol; p = ms_skip_blank(p, eol)) {
		(void)node_word(&p, eol, &row->node, &row->value); /* checked */
		if (fn(ctx, row, err) < 0)
			return -1;
	}
	return 0;
}

int cgroup_numa_stat_parse(const char *text, size_t len, cgroup_numa_fn fn, void *ctx,
			   const struct ms_report *rep, struct ms_err *err)
{
	if (len > INT_MAX)
		return ms_err_set(err, EFBIG, "memory.numa_stat: text of %zu bytes is too large", len);
	struct ms_lines lines;
	ms_lines_init(&lines, text, len, NUMA_STAT_MAX_LINE, "memory.numa_stat", rep);
	const char *p, *eol;
	int more;
	while ((more = ms_line_next(&lines, &p, &eol, err)) > 0) {
		int line = lines.line;
		const char *q = ms_skip_blank(p, eol);
		if (q == eol)
			continue;
		struct cgroup_numa_row row = { .line = line };
		const char *words = line_head(q, eol, &row);
		enum line_shape shape = words ? line_shape(words, eol, row.is_total) : LINE_BAD;
		if (shape == LINE_BAD) {
			if (ms_report(rep, err,
				      "memory.numa_stat:%d: expected 'KEY[=TOTAL] N0=VALUE ...'",
				      line) < 0)
				return -1;
			continue;
		}
		if (shape == LINE_ROWS && deliver(words, eol, &row, fn, ctx, err) < 0)
			return -1;
	}
	return more;
}
