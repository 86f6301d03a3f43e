/*
 * numa_maps.c - /proc/PID/numa_maps parser (see numa_maps.h).
 *
 * A line is "HEX POLICY WORD...", words separated by blanks.  The policy is
 * one word except for the two mode names with a space ("weighted
 * interleave", "prefer (many)"), matched as prefixes.  file=PATH never holds
 * a blank (the kernel escapes " \t\n=" as \ooo), so splitting on blanks is
 * exact.
 *
 * Invariants:
 *  - one state block is allocated per parse: the node array
 *    (NUMA_MAPS_MAX_NODES entries), a bitmap of the nodes seen on the
 *    current line and a string buffer of at least line length + 2 bytes,
 *    which holds the policy and the decoded path (decoding only shrinks);
 *  - a node id is checked against the limit before it indexes anything;
 *  - page counts are <= INT64_MAX, kernelpagesize_kB * 1024 too;
 *  - a bad line is reported and costs that line (no rows of its VMA), the
 *    lines after it are read;
 *  - no pointer passes END; lines over NUMA_MAPS_MAX_LINE are reported and
 *    skipped.
 */
#include "numa_maps.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "parse_num.h"
#include "scan.h"

/* 1024 "N1023=<20 digits>" entries plus a PATH_MAX path escaped 4x. */
#define NUMA_MAPS_MAX_LINE 65536

struct nm_state {
	struct numa_maps_node nodes[NUMA_MAPS_MAX_NODES];
	unsigned char seen[NUMA_MAPS_MAX_NODES / 8];
	char *buf;
	size_t cap;
};

static size_t decode_path(char *dst, const char *p, const char *e);
static int64_t *count_slot(struct numa_maps_vma *v, const char *key, size_t len);
static int node_pages(struct nm_state *st, struct numa_maps_vma *v, const char *w,
		      const char *eq, const uint64_t *pages, int shown, struct ms_err *err);
static int read_policy(const char **p, const char *eol, char *out);
static int parse_line(struct nm_state *st, const char *p, const char *eol, int line,
		      struct numa_maps_vma *v, struct ms_err *err);

/* Decode P..E into DST ("\ooo" with a value 1..255 becomes that byte; any
 * other backslash is literal) and NUL-terminate; returns the length. */
static size_t decode_path(char *dst, const char *p, const char *e)
{
	size_t n = 0;
	while (p < e) {
		if (*p == '\\' && e - p >= 4 && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' &&
		    p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
			unsigned c = (unsigned)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			if (c) {
				dst[n++] = (char)c;
				p += 4;
				continue;
			}
		}
		dst[n++] = *p++;
	}
	dst[n] = '\0';
	return n;
}

static int64_t *count_slot(struct numa_maps_vma *v, const char *key, size_t len)
{
#define NM_KEY(name) \
	if (len == sizeof(#name) - 1 && memcmp(key, #name, len) == 0) return &v->name
	NM_KEY(anon);
	NM_KEY(dirty);
	NM_KEY(mapped);
	NM_KEY(mapmax);
	NM_KEY(swapcache);
	NM_KEY(active);
	NM_KEY(writeback);
#undef NM_KEY
	if (len == 17 && memcmp(key, "kernelpagesize_kB", 17) == 0)
		return &v->page_size_bytes;
	return NULL;
}

/* The word "N<node>=<pages>" at W (EQ at its '=', SHOWN bytes of it in
 * errors; PAGES NULL when its value is not a count) into V. */
static int node_pages(struct nm_state *st, struct numa_maps_vma *v, const char *w,
		      const char *eq, const uint64_t *pages, int shown, struct ms_err *err)
{
	uint64_t node;
	const char *r = w + 1;
	if (ms_scan_u64(&r, eq, &node) < 0 || r != eq || !pages)
		return ms_err_set(err, EINVAL, "numa_maps:%d: bad value in '%.*s'", v->line, shown,
				  w);
	if (node >= NUMA_MAPS_MAX_NODES)
		return ms_err_set(err, ERANGE, "numa_maps:%d: node %llu beyond the %d-node limit",
				  v->line, (unsigned long long)node, NUMA_MAPS_MAX_NODES);
	if (st->seen[node / 8] & (1u << (node % 8)))
		return ms_err_set(err, EINVAL, "numa_maps:%d: node %u listed twice", v->line,
				  (unsigned)node);
	st->seen[node / 8] |= (unsigned char)(1u << (node % 8));
	st->nodes[v->n_nodes].node = (uint32_t)node;
	st->nodes[v->n_nodes].pages = *pages;
	v->n_nodes++;
	if (v->pages > UINT64_MAX - *pages)
		return ms_err_set(err, ERANGE, "numa_maps:%d: page total out of range", v->line);
	v->pages += *pages;
	return 0;
}

/* The policy after the address (*P at the blank before it) into OUT,
 * NUL-terminated; *P past it.  One word, but for the two mode names with a
 * space. */
static int read_policy(const char **p, const char *eol, char *out)
{
	static const char *const spaced[] = { "weighted interleave", "prefer (many)" };
	const char *q = ms_skip_blank(*p, eol), *pol = q;
	for (size_t i = 0; i < sizeof(spaced) / sizeof(spaced[0]); i++) {
		size_t n = strlen(spaced[i]);
		if ((size_t)(eol - q) >= n && memcmp(q, spaced[i], n) == 0) {
			q += n;
			break;
		}
	}
	q = ms_word_end(q, eol);
	if (q == pol)
		return -1;
	memcpy(out, pol, (size_t)(q - pol));
	out[q - pol] = '\0';
	*p = q;
	return 0;
}

/* Read one non-blank line (P..EOL) into *V. */
static int parse_line(struct nm_state *st, const char *p, const char *eol, int line,
		      struct numa_maps_vma *v, struct ms_err *err)
{
	char *out = st->buf;
	memset(v, 0, sizeof(*v));
	v->anon = v->dirty = v->mapped = v->mapmax = -1;
	v->swapcache = v->active = v->writeback = v->page_size_bytes = -1;
	v->line = line;
	memset(st->seen, 0, sizeof(st->seen));

	if (ms_scan_hex(&p, eol, &v->start) < 0 || p == eol || *p != ' ')
		goto bad_start;
	if (read_policy(&p, eol, out) < 0)
		goto bad_start;
	v->policy = out;
	out += strlen(out) + 1;

	for (;;) {
		p = ms_skip_blank(p, eol);
		if (p == eol)
			break;
		const char *w = p;
		p = ms_word_end(p, eol);
		size_t wlen = (size_t)(p - w);
		int shown = (int)(wlen > 60 ? 60 : wlen);
		const char *eq = memchr(w, '=', wlen);
		if (!eq) {
			if (wlen == 4 && memcmp(w, "heap", 4) == 0)
				v->heap = 1;
			else if (wlen == 5 && memcmp(w, "stack", 5) == 0)
				v->stack = 1;
			else if (wlen == 4 && memcmp(w, "huge", 4) == 0)
				v->huge = 1;
			else
				return ms_err_set(err, EINVAL, "numa_maps:%d: unexpected '%.*s'", line,
						  shown, w);
			continue;
		}
		size_t klen = (size_t)(eq - w);
		const char *val = eq + 1;
		if (klen == 4 && memcmp(w, "file", 4) == 0) {
			if (v->file)
				return ms_err_set(err, EINVAL, "numa_maps:%d: duplicate 'file'", line);
			v->file = out;
			out += decode_path(out, val, p) + 1;
			continue;
		}
		uint64_t n = 0;
		const char *q = val;
		int num_ok = ms_scan_u64(&q, p, &n) == 0 && q == p && n <= INT64_MAX;
		if (klen >= 2 && w[0] == 'N' && w[1] >= '0' && w[1] <= '9') {
			if (node_pages(st, v, w, eq, num_ok ? &n : NULL, shown, err) < 0)
				return -1;
			continue;
		}
		int64_t *slot = count_slot(v, w, klen);
		if (!slot)
			continue; /* a count this parser does not know */
		if (*slot != -1)
			return ms_err_set(err, EINVAL, "numa_maps:%d: duplicate '%.*s'", line,
					  (int)klen, w);
		if (!num_ok || (slot == &v->page_size_bytes && n > (uint64_t)INT64_MAX / 1024))
			return ms_err_set(err, EINVAL, "numa_maps:%d: bad value in '%.*s'", line,
					  shown, w);
		*slot = slot == &v->page_size_bytes ? (int64_t)(n * 1024) : (int64_t)n;
	}
	if (v->n_nodes)
		v->nodes = st->nodes;
	if (v->page_size_bytes == -1 &&
	    (v->n_nodes || v->anon != -1 || v->dirty != -1 || v->mapped != -1 ||
	     v->swapcache != -1 || v->writeback != -1))
		return ms_err_set(err, EINVAL, "numa_maps:%d: pages but no kernelpagesize_kB",
				  line);
	return 0;
bad_start:
	return ms_err_set(err, EINVAL, "numa_maps:%d: expected 'address policy ...'", line);
}

int numa_maps_parse(const char *text, size_t len, numa_maps_fn fn, void *ctx,
		    const struct ms_report *rep, struct ms_err *err)
{
	if (len > INT_MAX)
		return ms_err_set(err, EFBIG, "numa_maps: text of %zu bytes is too large", len);
	if (!len)
		return 0;
	struct ms_lines lines;
	ms_lines_init(&lines, text, len, NUMA_MAPS_MAX_LINE, "numa_maps", rep);
	struct nm_state *st = calloc(1, sizeof(*st));
	if (!st)
		return ms_err_set(err, ENOMEM, "numa_maps: out of memory");

	const char *p, *eol;
	int rc = 0, more;
	while ((more = ms_line_next(&lines, &p, &eol, err)) > 0) {
		int line = lines.line;
		size_t n = (size_t)(eol - p);
		if (ms_skip_blank(p, eol) == eol)
			continue;
		if (n + 2 > st->cap) {
			size_t cap = st->cap ? st->cap : 256;
			while (cap < n + 2)
				cap *= 2;
			char *b = realloc(st->buf, cap);
			if (!b) {
				rc = ms_err_set(err, ENOMEM, "numa_maps:%d: out of memory", line);
				break;
			}
			st->buf = b;
			st->cap = cap;
		}
		struct numa_maps_vma v;
		struct ms_err bad = MS_ERR_INIT;
		if (parse_line(st, p, eol, line, &v, &bad) < 0)
			rc = ms_report_err(rep, &bad, err);
		else
			rc = fn(ctx, &v, err);
		if (rc < 0)
			break;
	}
	free(st->buf);
	free(st);
	return rc < 0 || more < 0 ? -1 : 0;
}
