/*
 * record.c - write and iterate the length-framed records of a member.
 *
 * Invariant kept by record_next(): it never reads past TEXT+LEN and never
 * trusts LEN without checking it against what remains, so a hostile member
 * yields an error, not an overread.
 */
#include "record.h"

#include <errno.h>
#include <string.h>

#include "parse_num.h"

static int needs_escape(unsigned char c)
{
	return c <= 0x20 || c == '%' || c == 0x7f;
}

int record_escape(struct ms_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	if (ms_buf_grow(out, n * 3 + 1) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (needs_escape(c)) {
			out->data[out->len++] = '%';
			out->data[out->len++] = hex[c >> 4];
			out->data[out->len++] = hex[c & 15];
		} else {
			out->data[out->len++] = (char)c;
		}
	}
	out->data[out->len] = '\0';
	return 0;
}

int record_append(struct ms_buf *out, const char *status, const char *path,
		  const char *data, size_t len, int64_t usec)
{
	if (ms_buf_addf(out, "@ %s %zu ", status, len) < 0 ||
	    record_escape(out, path, strlen(path)) < 0)
		return -1;
	if (usec >= 0 && ms_buf_addf(out, " %lld", (long long)usec) < 0)
		return -1;
	if (ms_buf_add(out, "\n", 1) < 0)
		return -1;
	if (len && ms_buf_add(out, data, len) < 0)
		return -1;
	return ms_buf_add(out, "\n", 1);
}

static const char *field(const char **p, const char *eol, size_t *n)
{
	const char *s = *p;
	while (*p < eol && **p != ' ')
		(*p)++;
	*n = (size_t)(*p - s);
	if (*p < eol)
		(*p)++;
	return s;
}

/* A status is one token of visible ASCII ("ok", "ENOENT", "skip:walk-limit") */
static int status_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return n > 0;
}

int record_next(const char *text, size_t len, size_t *pos,
		struct ms_record *rec, const char *member, struct ms_err *err)
{
	size_t off = *pos;
	if (off >= len)
		return 0;
	const char *p = text + off, *end = text + len;
	const char *eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol || end - p < 2 || p[0] != '@' || p[1] != ' ')
		return ms_err_set(err, EINVAL, "%s: offset %zu: expected a record header '@ STATUS LEN PATH'",
				  member, off);
	p += 2;
	size_t nlen;
	const char *num;
	rec->status = field(&p, eol, &rec->status_len);
	num = field(&p, eol, &nlen);
	rec->path = field(&p, eol, &rec->path_len);
	uint64_t n;
	const char *q = num;
	if (!status_ok(rec->status, rec->status_len) || !rec->path_len ||
	    ms_scan_u64(&q, num + nlen, &n) < 0 ||
	    q != num + nlen)
		return ms_err_set(err, EINVAL, "%s: offset %zu: malformed record header", member, off);
	rec->usec = -1;
	if (p < eol) {
		uint64_t us;
		q = p;
		if (ms_scan_u64(&q, eol, &us) < 0 || q != eol || us > INT64_MAX)
			return ms_err_set(err, EINVAL, "%s: offset %zu: malformed record header", member, off);
		rec->usec = (int64_t)us;
	}
	const char *data = eol + 1;
	if (n > (uint64_t)(end - data) || (uint64_t)(end - data) - n < 1 || data[n] != '\n')
		return ms_err_set(err, EINVAL, "%s: offset %zu: record of %llu bytes runs past the member's end",
				  member, off, (unsigned long long)n);
	rec->data = data;
	rec->len = (size_t)n;
	*pos = (size_t)(data + n + 1 - text);
	return 1;
}

int record_status_is(const struct ms_record *rec, const char *s)
{
	size_t n = strlen(s);
	return rec->status_len == n && memcmp(rec->status, s, n) == 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int record_unescape(const char *s, size_t n, struct ms_buf *out)
{
	ms_buf_reset(out);
	if (!memchr(s, '%', n))
		return ms_buf_add(out, s, n); /* nothing escaped */
	if (ms_buf_grow(out, n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%' && i + 2 < n) {
			int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
			if (h >= 0 && l >= 0) {
				c = (char)(h * 16 + l);
				i += 2;
			}
		}
		out->data[out->len++] = c;
	}
	out->data[out->len] = '\0';
	return 0;
}

int record_path(const struct ms_record *rec, struct ms_buf *out)
{
	return record_unescape(rec->path, rec->path_len, out);
}
