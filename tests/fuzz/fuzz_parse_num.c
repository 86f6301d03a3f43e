/*
 * fuzz_parse_num.c - the duration, size, percentage and bounded-number
 * parsers (common/parse_num.c) behind every option of every command,
 * against small reference implementations written from parse_num.h
 * (128-bit arithmetic, no shortcuts): the same verdict (0, EINVAL or
 * ERANGE) and the same value.  Input: MIN and MAX for ms_parse_u64 (16
 * bytes, when present), then the string (up to a NUL).
 */
#include <errno.h>

#include "fuzz.h"
#include "parse_num.h"

typedef unsigned __int128 u128;

/* digits at *P into *V (128 bits); -1 when none or above UINT64_MAX */
static int digits(const char **p, u128 *v)
{
	const char *s = *p;
	*v = 0;
	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		*v = *v * 10 + (unsigned)(*s++ - '0');
		if (*v > UINT64_MAX)
			return -1;
	}
	*p = s;
	return 0;
}

static int ref_duration(const char *s, uint64_t *ms)
{
	u128 total = 0;
	int groups = 0, big = 0;
	while (*s) {
		u128 n, unit;
		if (digits(&s, &n) < 0)
			return EINVAL;
		if (!*s) {
			if (groups)
				return EINVAL;
			unit = 1000;
		} else if (s[0] == 'm' && s[1] == 's') {
			unit = 1, s += 2;
		} else if (*s == 's') {
			unit = 1000, s++;
		} else if (*s == 'm') {
			unit = 60000, s++;
		} else if (*s == 'h') {
			unit = 3600000, s++;
		} else if (*s == 'd') {
			unit = 86400000, s++;
		} else {
			return EINVAL;
		}
		total += n * unit;
		if (total > UINT64_MAX)
			big = 1;  /* the real parser stops here: too large */
		if (big)
			return ERANGE;
		groups++;
	}
	if (!groups)
		return EINVAL;
	*ms = (uint64_t)total;
	return 0;
}

static int ref_size(const char *s, uint64_t *bytes)
{
	u128 n, unit = 1;
	if (digits(&s, &n) < 0)
		return EINVAL;
	if (*s) {
		switch (*s) {
		case 'k': case 'K': unit = (u128)1 << 10; break;
		case 'm': case 'M': unit = (u128)1 << 20; break;
		case 'g': case 'G': unit = (u128)1 << 30; break;
		case 't': case 'T': unit = (u128)1 << 40; break;
		case 'b': case 'B': unit = 1; break;
		default: return EINVAL;
		}
		s++;
		if (unit > 1 && (*s == 'i' || *s == 'I'))
			s++;
		if (unit > 1 && (*s == 'b' || *s == 'B'))
			s++;
		if (*s)
			return EINVAL;
	}
	if (n * unit > UINT64_MAX)
		return ERANGE;
	*bytes = (uint64_t)(n * unit);
	return 0;
}

static int ref_percent(const char *s, uint64_t *centi)
{
	size_t len = strlen(s);
	if (len && s[len - 1] == '%')
		len--;
	const char *end = s + len;
	u128 whole = 0;
	const char *p = s;
	if (p == end || *p < '0' || *p > '9')
		return EINVAL;
	while (p < end && *p >= '0' && *p <= '9') {
		whole = whole * 10 + (unsigned)(*p++ - '0');
		if (whole > 100)
			return EINVAL;
	}
	u128 frac = 0;
	if (p < end && *p == '.') {
		p++;
		int nd = 0;
		while (p < end && *p >= '0' && *p <= '9') {
			if (nd < 2)
				frac = frac * 10 + (unsigned)(*p - '0');
			nd++;
			p++;
		}
		if (!nd)
			return EINVAL;
		if (nd == 1)
			frac *= 10;
	}
	if (p != end || whole * 100 + frac > 10000)
		return EINVAL;
	*centi = (uint64_t)(whole * 100 + frac);
	return 0;
}

static void same(int rc, const struct ms_err *err, uint64_t got, int want, uint64_t want_v,
		 const char *what)
{
	FUZZ_CHECK(rc == (want ? -1 : 0));
	if (want) {
		FUZZ_CHECK(err->code == want && err->msg);
		FUZZ_CHECK(!strncmp(err->msg, "invalid ", 8));
		FUZZ_CHECK(strstr(err->msg, what) != NULL);
	} else {
		FUZZ_CHECK(got == want_v && err->msg == NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t min = 0, max = UINT64_MAX;
	if (size >= 16) {
		memcpy(&min, data, 8);
		memcpy(&max, data + 8, 8);
	}
	const char *text = (const char *)data + (size >= 16 ? 16 : 0);
	size_t tlen = size - (size >= 16 ? 16 : 0);
	char *s = strndup(text, tlen);
	FUZZ_CHECK(s != NULL);
	/* the real parsers get S; the references too (they read to its NUL) */
	struct ms_err err = MS_ERR_INIT;
	uint64_t v = 0, w = 0;
	int want;

	want = ref_duration(s, &w);
	same(ms_parse_duration(s, &v, "--interval", &err), &err, v, want, w, "--interval");
	ms_err_release(&err);

	want = ref_size(s, &w);
	same(ms_parse_size(s, &v, "--max-size", &err), &err, v, want, w, "--max-size");
	ms_err_release(&err);

	want = ref_percent(s, &w);
	same(ms_parse_percent(s, &v, "--cpu-budget", &err), &err, v, want, w, "--cpu-budget");
	ms_err_release(&err);

	const char *p = s;
	u128 n;
	want = digits(&p, &n) < 0 || *p ? EINVAL : (n < min || n > max) ? ERANGE : 0;
	same(ms_parse_u64(s, min, max, &v, "--count", &err), &err, v, want, (uint64_t)n, "--count");
	ms_err_release(&err);
	free(s);
	return 0;
}
