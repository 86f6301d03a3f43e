/*
 * parse_num.c - bounded number, duration and size parsing (see parse_num.h).
 */
#include "parse_num.h"

#include <errno.h>
#include <string.h>

int ms_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		 const char *what, struct ms_err *err)
{
	const char *p = s, *end = s + strlen(s);
	uint64_t v;
	if (ms_scan_u64(&p, end, &v) < 0 || p != end)
		return ms_err_set(err, EINVAL, "invalid %s '%s': expected a whole number", what, s);
	if (v < min || v > max)
		return ms_err_set(err, ERANGE, "invalid %s '%s': must be between %llu and %llu",
				  what, s, (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

static int mul_add(uint64_t *acc, uint64_t n, uint64_t unit)
{
	if (n && unit > UINT64_MAX / n)
		return -1;
	if (*acc > UINT64_MAX - n * unit)
		return -1;
	*acc += n * unit;
	return 0;
}

int ms_parse_duration(const char *s, uint64_t *ms, const char *what,
		      struct ms_err *err)
{
	const char *p = s, *end = s + strlen(s);
	uint64_t total = 0;
	int groups = 0;
	while (p < end) {
		uint64_t n, unit;
		if (ms_scan_u64(&p, end, &n) < 0)
			goto bad;
		if (p == end) {
			if (groups)
				goto bad; /* "1h30": unit missing on the last group */
			unit = 1000;
		} else if (end - p >= 2 && p[0] == 'm' && p[1] == 's') {
			unit = 1;
			p += 2;
		} else if (*p == 's') {
			unit = 1000;
			p++;
		} else if (*p == 'm') {
			unit = 60 * 1000;
			p++;
		} else if (*p == 'h') {
			unit = 3600 * 1000;
			p++;
		} else if (*p == 'd') {
			unit = 86400ull * 1000;
			p++;
		} else {
			goto bad;
		}
		if (mul_add(&total, n, unit) < 0)
			return ms_err_set(err, ERANGE, "invalid %s '%s': too large", what, s);
		groups++;
	}
	if (!groups)
		goto bad;
	*ms = total;
	return 0;
bad:
	return ms_err_set(err, EINVAL,
			  "invalid %s '%s': expected a duration like 30s, 10m, 1h30m or 250ms",
			  what, s);
}

int ms_parse_size(const char *s, uint64_t *bytes, const char *what,
		  struct ms_err *err)
{
	const char *p = s, *end = s + strlen(s);
	uint64_t n, unit = 1;
	if (ms_scan_u64(&p, end, &n) < 0)
		goto bad;
	if (p < end) {
		switch (*p) {
		case 'k': case 'K': unit = 1ull << 10; break;
		case 'm': case 'M': unit = 1ull << 20; break;
		case 'g': case 'G': unit = 1ull << 30; break;
		case 't': case 'T': unit = 1ull << 40; break;
		case 'b': case 'B': unit = 1; break;
		default: goto bad;
		}
		p++;
		if (unit > 1 && p < end && (*p == 'i' || *p == 'I'))
			p++;
		if (unit > 1 && p < end && (*p == 'b' || *p == 'B'))
			p++;
		if (p != end)
			goto bad;
	}
	uint64_t v = 0;
	if (mul_add(&v, n, unit) < 0)
		return ms_err_set(err, ERANGE, "invalid %s '%s': too large", what, s);
	*bytes = v;
	return 0;
bad:
	return ms_err_set(err, EINVAL,
			  "invalid %s '%s': expected a size like 100M, 2G or 4096", what, s);
}

int ms_parse_percent(const char *s, uint64_t *centi, const char *what,
		     struct ms_err *err)
{
	const char *p = s, *end = s + strlen(s);
	uint64_t whole, frac = 0;
	if (end > p && end[-1] == '%')
		end--;
	if (ms_scan_u64(&p, end, &whole) < 0 || whole > 100)
		goto bad;
	if (p < end && *p == '.') {
		p++;
		int digits = 0;
		while (p < end && *p >= '0' && *p <= '9') {
			if (digits < 2)
				frac = frac * 10 + (uint64_t)(*p - '0');
			digits++;
			p++;
		}
		if (!digits)
			goto bad;
		if (digits == 1)
			frac *= 10;
	}
	if (p != end)
		goto bad;
	*centi = whole * 100 + frac;
	if (*centi > 10000)
		goto bad;
	return 0;
bad:
	return ms_err_set(err, EINVAL,
			  "invalid %s '%s': expected a percentage between 0 and 100, e.g. 1 or 0.5%%",
			  what, s);
}
