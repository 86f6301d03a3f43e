/*
 * kv.c - tokenizer for "key[:] value [kB]" lines (see kv.h).
 *
 * Accepted shapes, one per line, fields separated by spaces or tabs:
 *     MemTotal:       16318412 kB        (meminfo, status, smaps_rollup)
 *     nr_free_pages 123                  (vmstat, numastat, memory.stat)
 *     Node 0 MemTotal:  8159206 kB       (nodeN/meminfo, KV_SKIP_PREFIX_NODE)
 * Values may be negative (some memory.stat and vmstat fields are signed)
 * or above INT64_MAX (unsigned counters: kv.h).  A line with a key but a
 * non-numeric value is reported, unless KV_ALLOW_TEXT (status has "Name:",
 * "State:", "Cpus_allowed_list:" ...): kv then reads no value at all and
 * the callback reads the ones it wants with kv_number(), the same reader,
 * so that a line it ignores costs no number parsing.
 * NUL bytes and lines longer than 64 KiB are reported and skipped (scan.h):
 * /proc never writes them, so they mean damage.
 */
#include "kv.h"

#include <errno.h>
#include <string.h>

#include "parse_num.h"

#define KV_MAX_LINE 65536  /* a sparse Cpus_allowed_list on a big host is long */
#define KV_SHOWN 60        /* at most this much of a key or a line in a message */

int kv_is(const struct kv *kv, const char *key)
{
	size_t n = strlen(key);
	return kv->key_len == n && memcmp(kv->key, key, n) == 0;
}

/* Read "[-]N [kB]" with blanks around from Q..EOL into OUT's value, big
 * and has_kb (times 1024 after "kB"). */
static enum kv_num read_number(const char *q, const char *eol, struct kv *out)
{
	q = ms_skip_blank(q, eol);
	int neg = q < eol && *q == '-';
	uint64_t v;
	q += neg;
	if (q == eol || *q < '0' || *q > '9')
		return KV_NUM_TEXT;
	if (ms_scan_u64(&q, eol, &v) < 0)
		return KV_NUM_RANGE; /* more than 64 bits */
	q = ms_skip_blank(q, eol);
	out->has_kb = eol - q >= 2 && q[0] == 'k' && q[1] == 'B';
	if (out->has_kb)
		q = ms_skip_blank(q + 2, eol);
	if (q != eol)
		return KV_NUM_TRAILING;
	out->big = 0;
	if (out->has_kb) {
		if (v > INT64_MAX / 1024)
			return KV_NUM_RANGE;
		v *= 1024;
	}
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return KV_NUM_RANGE;
		out->value = v ? -(int64_t)(v - 1) - 1 : 0;
	} else if (v > INT64_MAX) {
		out->big = v;
		out->value = INT64_MAX;
	} else {
		out->value = (int64_t)v;
	}
	return KV_NUM_OK;
}

enum kv_num kv_number(const struct kv *kv, struct kv *out)
{
	return read_number(kv->rest, kv->rest + kv->rest_len, out);
}

/* Why the number at V..E is out of range (read_number() said so). */
static const char *range_reason(const char *v, const char *e)
{
	uint64_t n;
	const char *d = v + (v < e && *v == '-');
	if (ms_scan_u64(&d, e, &n) < 0)
		return "more than 64 bits";
	return *v == '-' ? "below -2^63" : "more than 2^63-1 bytes";
}

int kv_report_value(const struct kv *kv, enum kv_num why, const struct ms_report *rep,
		    struct ms_err *err)
{
	const char *v = ms_skip_blank(kv->rest, kv->rest + kv->rest_len);
	const char *e = kv->rest + kv->rest_len, *k = kv->key;
	int kl = (int)(kv->key_len > KV_SHOWN ? KV_SHOWN : kv->key_len);
	int vl = (int)(e - v > KV_SHOWN ? KV_SHOWN : e - v);
	uint64_t n;
	switch (why) {
	case KV_NUM_TEXT:
		if (v == e && ms_scan_u64(&k, kv->key + kv->key_len, &n) == 0 &&
		    k == kv->key + kv->key_len)
			return ms_report(rep, err, "%s:%d: a number without a key: '%.*s'", kv->what,
					 kv->line, kl, kv->key);
		if (v == e)
			return ms_report(rep, err, "%s:%d: no value after '%.*s'", kv->what, kv->line,
					 kl, kv->key);
		return ms_report(rep, err, "%s:%d: expected a number after '%.*s', got '%.*s'",
				 kv->what, kv->line, kl, kv->key, vl, v);
	case KV_NUM_TRAILING:
		return ms_report(rep, err, "%s:%d: unexpected text after the value of '%.*s': '%.*s'",
				 kv->what, kv->line, kl, kv->key, vl, v);
	default:
		return ms_report(rep, err, "%s:%d: the value of '%.*s' is out of range (%s): '%.*s'",
				 kv->what, kv->line, kl, kv->key, range_reason(v, e), vl, v);
	}
}

int kv_parse(const char *text, size_t len, int flags, const char *what,
	     kv_fn fn, void *ctx, const struct ms_report *rep, struct ms_err *err)
{
	struct ms_lines lines;
	ms_lines_init(&lines, text, len, KV_MAX_LINE, what, rep);
	const char *p, *eol;
	int more;
	while ((more = ms_line_next(&lines, &p, &eol, err)) > 0) {
		int line = lines.line;
		const char *q = ms_skip_blank(p, eol);
		if (q == eol)
			continue;
		if (flags & KV_SKIP_PREFIX_NODE) {
			uint64_t node;
			const char *n = eol - q >= 5 && !memcmp(q, "Node ", 5) ? ms_skip_blank(q + 5, eol)
									      : NULL;
			if (!n || ms_scan_u64(&n, eol, &node) < 0) {
				if (ms_report(rep, err, "%s:%d: expected 'Node N key: value', got '%.*s'",
					      what, line, (int)(eol - q > KV_SHOWN ? KV_SHOWN : eol - q),
					      q) < 0)
					return -1;
				continue;
			}
			q = ms_skip_blank(n, eol);
		}
		struct kv kv = { q, 0, 0, 0, 0, NULL, 0, what, line };
		while (q < eol && *q != ' ' && *q != '\t' && *q != ':')
			q++;
		kv.key_len = (size_t)(q - kv.key);
		if (q < eol && *q == ':')
			q++;
		kv.rest = q;
		kv.rest_len = (size_t)(eol - q);
		if (!kv.key_len) {
			if (ms_report(rep, err, "%s:%d: expected 'key value', got '%.*s'", what, line,
				      (int)(eol - p > KV_SHOWN ? KV_SHOWN : eol - p), p) < 0)
				return -1;
			continue;
		}
		if (!(flags & KV_ALLOW_TEXT)) {
			enum kv_num r = read_number(q, eol, &kv);
			if (r != KV_NUM_OK) {
				if (kv_report_value(&kv, r, rep, err) < 0)
					return -1;
				continue;
			}
		}
		if (fn(ctx, &kv, err) < 0)
			return -1;
	}
	return more;
}
