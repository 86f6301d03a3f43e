/*
 * kv.c - tokenizer for "key[:] value [kB]" lines (see kv.h).
 *
 * Accepted shapes, one per line, fields separated by spaces or tabs:
 *     MemTotal:       16318412 kB        (meminfo, status, smaps_rollup)
 *     nr_free_pages 123                  (vmstat, numastat, memory.stat)
 *     Node 0 MemTotal:  8159206 kB       (nodeN/meminfo, KV_SKIP_PREFIX_NODE)
 * Values may be negative (some memory.stat and vmstat fields are signed).
 * A line with a key but a non-numeric value is an error, unless
 * KV_ALLOW_TEXT (status has "Name:", "State:", "Cpus_allowed_list:" ...):
 * kv then reads no value at all and the callback reads the ones it wants
 * with kv_number(), the same reader, so that a line it ignores costs no
 * number parsing.
 * NUL bytes and lines longer than 64 KiB are errors: /proc never writes
 * them, so they mean damage.
 */
#include "kv.h"

#include <errno.h>
#include <string.h>

#include "parse_num.h"
#include "scan.h"

#define KV_MAX_LINE 65536  /* a sparse Cpus_allowed_list on a big host is long */

/* what read_number() found */
enum { NUM_OK, NUM_NONE, NUM_TRAILING, NUM_TOO_LARGE };

static int read_number(const char *q, const char *eol, int64_t *value, int *has_kb);

int kv_is(const struct kv *kv, const char *key)
{
	size_t n = strlen(key);
	return kv->key_len == n && memcmp(kv->key, key, n) == 0;
}

/* Read "[-]N [kB]" with blanks around from Q..EOL: NUM_OK with *VALUE
 * (times 1024 after "kB") and *HAS_KB, or what is wrong with it. */
static int read_number(const char *q, const char *eol, int64_t *value, int *has_kb)
{
	q = ms_skip_blank(q, eol);
	int neg = q < eol && *q == '-';
	uint64_t v;
	q += neg;
	if (ms_scan_u64(&q, eol, &v) < 0 || v > INT64_MAX)
		return NUM_NONE;
	q = ms_skip_blank(q, eol);
	*has_kb = eol - q >= 2 && q[0] == 'k' && q[1] == 'B';
	if (*has_kb)
		q = ms_skip_blank(q + 2, eol);
	if (q != eol)
		return NUM_TRAILING;
	if (*has_kb) {
		if (v > INT64_MAX / 1024)
			return NUM_TOO_LARGE;
		v *= 1024;
	}
	*value = neg ? -(int64_t)v : (int64_t)v;
	return NUM_OK;
}

int kv_number(const struct kv *kv, int64_t *value, int *has_kb, struct ms_err *err)
{
	switch (read_number(kv->rest, kv->rest + kv->rest_len, value, has_kb)) {
	case NUM_OK:
		return 1;
	case NUM_TOO_LARGE:
		return ms_err_set(err, ERANGE, "%s:%d: value too large", kv->what, kv->line);
	default:
		return 0;
	}
}

int kv_parse(const char *text, size_t len, int flags, const char *what,
	     kv_fn fn, void *ctx, struct ms_err *err)
{
	if (!len)
		return 0;
	struct ms_lines lines;
	if (ms_lines_init(&lines, text, len, KV_MAX_LINE, what, err) < 0)
		return -1;
	const char *p, *eol;
	int more;
	while ((more = ms_line_next(&lines, &p, &eol, err)) > 0) {
		int line = lines.line;
		const char *q = ms_skip_blank(p, eol);
		if (q == eol)
			continue;
		if (flags & KV_SKIP_PREFIX_NODE) {
			if (eol - q < 5 || memcmp(q, "Node ", 5))
				return ms_err_set(err, EINVAL, "%s:%d: expected 'Node N key: value'", what, line);
			q = ms_skip_blank(q + 5, eol);
			uint64_t node;
			if (ms_scan_u64(&q, eol, &node) < 0)
				return ms_err_set(err, EINVAL, "%s:%d: expected a node number", what, line);
			q = ms_skip_blank(q, eol);
		}
		struct kv kv = { q, 0, 0, 0, NULL, 0, what, line };
		while (q < eol && *q != ' ' && *q != '\t' && *q != ':')
			q++;
		kv.key_len = (size_t)(q - kv.key);
		if (q < eol && *q == ':')
			q++;
		kv.rest = q;
		kv.rest_len = (size_t)(eol - q);
		int rc = kv.key_len ? NUM_OK : NUM_NONE;
		if (rc == NUM_OK && !(flags & KV_ALLOW_TEXT))
			rc = read_number(q, eol, &kv.value, &kv.has_kb);
		switch (rc) {
		case NUM_NONE:
			return ms_err_set(err, EINVAL, "%s:%d: expected 'key value', got '%.*s'", what,
					  line, (int)(eol - p > 60 ? 60 : eol - p), p);
		case NUM_TRAILING:
			return ms_err_set(err, EINVAL, "%s:%d: unexpected text after the value of '%.*s'",
					  what, line, (int)kv.key_len, kv.key);
		case NUM_TOO_LARGE:
			return ms_err_set(err, ERANGE, "%s:%d: value too large", what, line);
		}
		if (fn(ctx, &kv, err) < 0)
			return -1;
	}
	return more;
}
