/*
 * oom_score.c - /proc/PID/oom_score(_adj) parser (see oom_score.h).
 *
 * Invariants: nothing reads past LEN; a NUL byte, blanks, a unit or a
 * second line are errors; a magnitude beyond INT64_MAX is an error, not a
 * wrap.
 */
#include "oom_score.h"

#include <errno.h>
#include <string.h>

#include "parse_num.h"

int oom_score_parse(const char *text, size_t len, int64_t *out, struct ms_err *err)
{
	*out = 0;
	const char *p = text, *end = text + len;
	int neg = p < end && *p == '-';
	uint64_t v;
	p += neg;
	if (ms_scan_u64(&p, end, &v) < 0 || v > INT64_MAX)
		return ms_err_set(err, EINVAL, "oom_score:1: expected one number");
	if (p < end && *p == '\n')
		p++;
	if (p != end)
		return ms_err_set(err, EINVAL, "oom_score:%d: unexpected text after the number",
				  p[-1] == '\n' ? 2 : 1);
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}
