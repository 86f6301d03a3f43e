/*
 * proc_cgroup.c - /proc/PID/cgroup parser (see proc_cgroup.h).
 *
 * A line is "ID:CONTROLLERS:PATH", split on its first two colons only.
 *
 * Invariants: ID is a decimal <= UINT32_MAX; PATH is not empty; the
 * controllers and the path are copied, NUL-terminated, into a buffer of at
 * least line length + 2 bytes owned by the parse; no pointer passes END;
 * a bad line, or one over CG_MAX_LINE, is reported and skipped.
 */
#include "proc_cgroup.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ms_buf.h"
#include "parse_num.h"
#include "scan.h"

/* A cgroup path can be PATH_MAX long; room for the controllers too. */
#define CG_MAX_LINE 65536

int proc_cgroup_parse(const char *text, size_t len, proc_cgroup_fn fn, void *ctx,
		      const struct ms_report *rep, struct ms_err *err)
{
	if (len > INT_MAX)
		return ms_err_set(err, EFBIG, "proc_cgroup: text of %zu bytes is too large", len);
	if (!len)
		return 0;
	struct ms_lines lines;
	ms_lines_init(&lines, text, len, CG_MAX_LINE, "proc_cgroup", rep);

	struct ms_buf lb = { NULL, 0, 0 }; /* the line's fields, NUL-terminated */
	const char *p, *eol;
	int line = 0, rc = 0, more;
	while ((more = ms_line_next(&lines, &p, &eol, err)) > 0) {
		line = lines.line;
		size_t n = (size_t)(eol - p);
		if (!n)
			continue;
		if (ms_buf_grow(&lb, n + 1) < 0) {
			rc = ms_err_set(err, ENOMEM, "proc_cgroup:%d: out of memory", line);
			break;
		}
		char *buf = lb.data;
		struct proc_cgroup_row row = { 0, NULL, NULL, line };
		uint64_t id;
		const char *q = p;
		const char *c1 = NULL, *c2 = NULL;
		if (ms_scan_u64(&q, eol, &id) == 0 && id <= UINT32_MAX && q < eol && *q == ':') {
			c1 = q;
			c2 = memchr(c1 + 1, ':', (size_t)(eol - c1 - 1));
		}
		if (!c2 || c2 + 1 == eol) {
			if ((rc = ms_report(rep, err, "proc_cgroup:%d: expected 'ID:CONTROLLERS:PATH'",
					    line)) < 0)
				break;
			continue;
		}
		size_t clen = (size_t)(c2 - c1 - 1), plen = (size_t)(eol - c2 - 1);
		memcpy(buf, c1 + 1, clen);
		buf[clen] = '\0';
		memcpy(buf + clen + 1, c2 + 1, plen);
		buf[clen + 1 + plen] = '\0';
		row.hierarchy = (uint32_t)id;
		row.controllers = buf;
		row.path = buf + clen + 1;
		if ((rc = fn(ctx, &row, err)) < 0)
			break;
	}
	ms_buf_release(&lb);
	return rc < 0 || more < 0 ? -1 : 0;
}
