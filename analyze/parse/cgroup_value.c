/*
 * cgroup_value.c - single-value cgroup file parser (see cgroup_value.h).
 *
 * Strict on purpose: the kernel writes "%llu\n" or "max\n", so anything
 * else (blanks, a second line, a unit) means the wrong file or damage.
 * Invariants: nothing reads past LEN; overflow is an error, not a wrap.
 */
#include "cgroup_value.h"

#include <errno.h>
#include <string.h>

#include "parse_num.h"

#define CG_VALUE_MAX_LINE 4096

int cgroup_value_parse(const char *text, size_t len, struct cgroup_value *out,
		       struct ms_err *err)
{
	out->value = 0;
	out->big = 0;
	out->unlimited = 0;
	if (!len)
		return ms_err_set(err, EINVAL, "cgroup_value:1: empty file");
	const char *nul = memchr(text, '\0', len);
	const char *eol = memchr(text, '\n', len);
	if (nul && (!eol || nul < eol))
		return ms_err_set(err, EINVAL, "cgroup_value:1: NUL byte");
	const char *end = eol ? eol : text + len;
	if (end - text > CG_VALUE_MAX_LINE)
		return ms_err_set(err, EINVAL, "cgroup_value:1: line longer than %d bytes",
				  CG_VALUE_MAX_LINE);
	const char *p = text;
	if (end - p == 3 && memcmp(p, "max", 3) == 0) {
		out->value = INT64_MAX;
		out->unlimited = 1;
	} else {
		int neg = p < end && *p == '-';
		uint64_t v;
		p += neg;
		if (p == end || *p < '0' || *p > '9')
			return ms_err_set(err, EINVAL, "cgroup_value:1: expected a number or 'max'");
		if (ms_scan_u64(&p, end, &v) < 0 || (neg && v > (uint64_t)INT64_MAX + 1))
			return ms_err_set(err, ERANGE, "cgroup_value:1: value out of range (%s)",
					  neg ? "below -2^63" : "more than 64 bits");
		if (p != end)
			return ms_err_set(err, EINVAL, "cgroup_value:1: expected a number or 'max'");
		out->big = !neg && v > INT64_MAX ? v : 0;
		if (neg)
			out->value = v ? -(int64_t)(v - 1) - 1 : 0;
		else
			out->value = out->big ? INT64_MAX : (int64_t)v;
	}
	if (eol && eol + 1 != text + len) {
		out->value = 0;
		out->big = 0;
		out->unlimited = 0;
		return ms_err_set(err, EINVAL, "cgroup_value:2: unexpected text after the value");
	}
	return 0;
}
