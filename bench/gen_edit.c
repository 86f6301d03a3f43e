/*
 * gen_edit.c - editing the numbers of a /proc or cgroup text (gen.h).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static void add_num(struct ms_buf *o, int64_t v)
{
	if (ms_buf_addf(o, "%" PRId64, v) < 0)
		die("out of memory");
}

static void addb(struct ms_buf *o, const char *p, size_t n)
{
	if (ms_buf_add(o, p, n) < 0)
		die("out of memory");
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int key_matches(const char *p, const char *le, const char *key)
{
	size_t kl = strlen(key);
	return (size_t)(le - p) > kl && !memcmp(p, key, kl) &&
	       (p[kl] == ':' || p[kl] == ' ' || p[kl] == '\t');
}

/* the line [P, LE) with every edit of ED whose key matches applied */
static void edit_line(const char *p, const char *le, const struct edit *ed, size_t ned,
		      struct ms_buf *out)
{
	const char *d = NULL;
	int kb = le - p >= 3 && memmem(p, (size_t)(le - p), " kB", 3) != NULL;
	int64_t v = 0;
	for (size_t i = 0; i < ned; i++) {
		if (!key_matches(p, le, ed[i].key))
			continue;
		if (!d) {
			const char *t = memmem(p, (size_t)(le - p), "total=", 6);
			d = t ? t + 6 : p + strlen(ed[i].key);
			while (d < le && !is_digit(*d))
				d++;
			if (d == le)
				break; /* no number on the line */
			for (const char *q = d; q < le && is_digit(*q); q++)
				v = v * 10 + (*q - '0');
		}
		int64_t x = ed[i].bytes && kb ? ed[i].v / 1024 : ed[i].v;
		v = ed[i].mode == ED_SET ? x : v + x;
	}
	if (!d || d == le) {
		addb(out, p, (size_t)(le - p));
		return;
	}
	const char *de = d;
	while (de < le && is_digit(*de))
		de++;
	addb(out, p, (size_t)(d - p));
	add_num(out, v < 0 ? 0 : v);
	addb(out, de, (size_t)(le - de));
}

void edit_lines(const char *text, size_t len, const struct edit *ed, size_t ned,
		struct ms_buf *out)
{
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol + 1 : end;
		edit_line(p, le, ed, ned, out);
		p = le;
	}
}

void edit_fields(const char *text, size_t len, int first_field, const struct field_edit *fe,
		 size_t nfe, struct ms_buf *out)
{
	const char *p = text, *end = text + len;
	int f = first_field;
	while (p < end) {
		const char *s = p;
		while (p < end && *p != ' ' && *p != '\n')
			p++;
		const struct field_edit *hit = NULL;
		for (size_t i = 0; i < nfe; i++)
			if (fe[i].field == f)
				hit = &fe[i];
		int numeric = p > s;
		int64_t v = 0;
		for (const char *q = s; q < p && numeric; q++) {
			if (!is_digit(*q) || v > (INT64_MAX - (*q - '0')) / 10)
				numeric = 0; /* beyond int64 (an rlimit's 18446744073709551615): as it is */
			else
				v = v * 10 + (*q - '0');
		}
		if (hit && numeric) {
			v = hit->mode == ED_SET ? hit->v : v + hit->v;
			add_num(out, v < 0 ? 0 : v);
		} else {
			addb(out, s, (size_t)(p - s));
		}
		if (p < end) {
			addb(out, p, 1); /* the separator */
			if (*p == ' ')
				f++;
			p++;
		}
	}
}

void edit_stat(const char *text, size_t len, int64_t pid, const struct field_edit *fe,
	       size_t nfe, struct ms_buf *out)
{
	const char *rp = NULL;
	for (size_t i = len; i > 0; i--)
		if (text[i - 1] == ')') {
			rp = text + i - 1;
			break;
		}
	const char *sp = memchr(text, ' ', len);
	if (!rp || !sp || sp > rp || rp + 2 > text + len) {
		addb(out, text, len);
		return;
	}
	add_num(out, pid);
	addb(out, sp, (size_t)(rp + 2 - sp)); /* " (comm) " */
	edit_fields(rp + 2, (size_t)(text + len - rp - 2), 3, fe, nfe, out);
}

/* a smaps mapping header: "START-END PERMS ..." (hex digits, then '-') */
static int smaps_header(const char *p, const char *le, uint64_t *start)
{
	char *e;
	if (p == le || !strchr("0123456789abcdef", *p))
		return 0;
	unsigned long long v = strtoull(p, &e, 16);
	if (e >= le || *e != '-')
		return 0;
	*start = v;
	return 1;
}

void edit_smaps_mapping(const char *text, size_t len, uint64_t start, const struct edit *ed,
			size_t ned, struct ms_buf *out)
{
	const char *p = text, *end = text + len;
	int inside = 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol + 1 : end;
		uint64_t s;
		if (smaps_header(p, le, &s))
			inside = s == start;
		if (inside)
			edit_line(p, le, ed, ned, out);
		else
			addb(out, p, (size_t)(le - p));
		p = le;
	}
}
