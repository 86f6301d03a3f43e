/*
 * recording_format.c - trigger lines and the recorder's file names (see
 * recording_format.h).
 */
#include "recording_format.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle_text.h"
#include "record.h"

const char *const ms_trigger_names[MS_TRIG_KINDS] = {
	"oom-kill", "psi", "low-memory", "cgroup-limit", "swap-storm", "manual",
};

int ms_trigger_kind(const char *s, size_t n)
{
	for (int k = 0; k < MS_TRIG_KINDS; k++)
		if (strlen(ms_trigger_names[k]) == n && !memcmp(ms_trigger_names[k], s, n))
			return k;
	return -1;
}

int ms_trigger_line(struct ms_buf *b, int kind, double t)
{
	return ms_buf_addf(b, "%s %.9f", ms_trigger_names[kind], t);
}

int ms_trigger_field(struct ms_buf *b, const char *key, const char *value, size_t n)
{
	if (ms_buf_addf(b, " %s=", key) < 0)
		return -1;
	return record_escape(b, value, n);
}

int ms_trigger_fieldf(struct ms_buf *b, const char *key, const char *fmt, ...)
{
	char v[64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(v, sizeof(v), fmt, ap); /* numbers only: never cut */
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(v))
		return -1;
	return ms_trigger_field(b, key, v, (size_t)n);
}

int ms_trigger_next(const char *text, size_t len, size_t *pos, struct ms_trigger_rec *rec,
		    unsigned *bad)
{
	struct bt_span k, v;
	while (bt_next_line(text, len, pos, &k, &v)) {
		const char *te = memchr(v.p, ' ', v.n);
		size_t tl = te ? (size_t)(te - v.p) : v.n;
		char num[40];
		char *nend = num;
		double t = NAN;
		if (k.n && tl && tl < sizeof(num)) {
			memcpy(num, v.p, tl);
			num[tl] = '\0';
			t = strtod(num, &nend);
		}
		if (!k.n || !tl || *nend || !isfinite(t) || t < 0) {
			if (bad)
				(*bad)++;
			continue;
		}
		rec->name = k.p;
		rec->name_len = k.n;
		rec->kind = ms_trigger_kind(k.p, k.n);
		rec->t = t;
		rec->fields = te ? te + 1 : v.p + v.n;
		rec->fields_len = (size_t)(v.p + v.n - rec->fields);
		return 1;
	}
	return 0;
}

int ms_trigger_get(const struct ms_trigger_rec *rec, const char *key, struct ms_buf *out)
{
	size_t kl = strlen(key);
	const char *p = rec->fields, *end = rec->fields + rec->fields_len;
	while (p < end) {
		const char *we = memchr(p, ' ', (size_t)(end - p));
		if (!we)
			we = end;
		if ((size_t)(we - p) > kl && !memcmp(p, key, kl) && p[kl] == '=')
			return record_unescape(p + kl + 1, (size_t)(we - p - kl - 1), out) < 0 ? -1 : 1;
		p = we + 1;
	}
	return 0;
}

static void utc_stamp(char *buf, size_t n, long long wall)
{
	time_t t = (time_t)wall;
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(buf, n, "%Y%m%dT%H%M%SZ", &tm);
}

int ms_segment_name(struct ms_buf *b, unsigned long long seq, long long wall)
{
	char ts[32];
	utc_stamp(ts, sizeof(ts), wall);
	return ms_buf_addf(b, "seg-%010llu-%s.tar.zst", seq, ts);
}

int ms_segment_parse(const char *name, unsigned long long *seq)
{
	/* seg-0000000001-20261206T151759Z.tar.zst */
	if (strlen(name) != 4 + 10 + 1 + 16 + 8 || strncmp(name, "seg-", 4) || name[14] != '-' ||
	    strcmp(name + 31, ".tar.zst"))
		return 0;
	unsigned long long v = 0;
	for (int i = 4; i < 14; i++) {
		if (name[i] < '0' || name[i] > '9')
			return 0;
		v = v * 10 + (unsigned)(name[i] - '0');
	}
	*seq = v;
	return 1;
}

int ms_incident_name(struct ms_buf *b, const char *host, long long wall, int kind)
{
	char ts[32];
	utc_stamp(ts, sizeof(ts), wall);
	if (ms_buf_addstr(b, "memsnap-") < 0)
		return -1;
	for (const char *p = host && *host ? host : "host"; *p; p++) {
		char c = (*p == '/' || (unsigned char)*p <= 0x20 || *p == 0x7f) ? '_' : *p;
		if (ms_buf_add(b, &c, 1) < 0)
			return -1;
	}
	return ms_buf_addf(b, "-%s-%s.tar.zst", ts, ms_trigger_names[kind]);
}

int ms_incident_is(const char *name, int part)
{
	size_t n = strlen(name), sl = strlen(MS_PART_SUFFIX);
	if (strncmp(name, "memsnap-", 8))
		return 0;
	if (part)
		return n > sl + 8 && !strcmp(name + n - sl, MS_PART_SUFFIX);
	return n > 16 && !strcmp(name + n - 8, ".tar.zst");
}
