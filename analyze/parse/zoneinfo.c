/*
 * zoneinfo.c - /proc/zoneinfo parser (see zoneinfo.h).
 *
 * A small state machine over the lines:
 *     START     only blank lines until the first "Node N, zone NAME"
 *     LOST      after a bad header (or text before the first one): its
 *               lines, which belong to no zone that can be named, are
 *               skipped up to the next header
 *     PER_NODE  after "per-node stats": rows with per_node = 1
 *     ZONE      after "pages free": rows with per_node = 0
 *     PAGESETS  after "pagesets": lines indented by 4 or more ("cpu: 0",
 *               "count: 33") and "vm stats threshold: N" are skipped; the
 *               first other line ends the part and is read as in ZONE
 * A "Node" header starts a zone from any state.  The layout is recognised
 * by words, not by column, so the 3.x layout (counters indented by 4 and
 * printed before "protection", no per-node part, "all_unreclaimable" after
 * the pagesets) reads the same way.
 *
 * Invariants: a "key value" line has a key of 1..ZI_MAX_KEY bytes and a
 * value that is the last word, an unsigned decimal; zone names are at most
 * ZI_MAX_ZONE bytes; both are copied, NUL-terminated, into the parse's own
 * buffers; no pointer passes END; lines over ZI_MAX_LINE are reported and
 * skipped.  A bad line is reported (one report for a bad header and the
 * lines it loses) and costs that line; the lines after it are read.
 */
#include "zoneinfo.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "parse_num.h"
#include "scan.h"

#define ZI_MAX_LINE 4096
#define ZI_MAX_ZONE 31
#define ZI_MAX_KEY 63

enum zi_state { ZI_START, ZI_LOST, ZI_PER_NODE, ZI_ZONE, ZI_PAGESETS };

/* the parse of one text */
struct zi {
	enum zi_state state;
	struct zoneinfo_row row;
	char zone[ZI_MAX_ZONE + 1], key[ZI_MAX_KEY + 1];
	zoneinfo_fn fn;
	void *ctx;
	const struct ms_report *rep;
};

static int is_word(const char *p, const char *eol, const char *word);
static int parse_header(const char *p, const char *eol, uint32_t *node, char *zone);
static int parse_kv(const char *p, const char *eol, char *key, uint64_t *value);

/* P..EOL is WORD, possibly followed by blanks. */
static int is_word(const char *p, const char *eol, const char *word)
{
	size_t n = strlen(word);
	return (size_t)(eol - p) >= n && memcmp(p, word, n) == 0 && ms_skip_blank(p + n, eol) == eol;
}

/* "Node N, zone NAME": 1 and fills NODE/ZONE; 0 when not a header; -1 when
 * it starts like one but is malformed. */
static int parse_header(const char *p, const char *eol, uint32_t *node, char *zone)
{
	uint64_t n;
	if (eol - p < 5 || memcmp(p, "Node", 4) != 0 || !ms_is_blank(p[4]))
		return 0;
	p = ms_skip_blank(p + 4, eol);
	if (ms_scan_u64(&p, eol, &n) < 0 || n > UINT32_MAX || p == eol || *p++ != ',')
		return -1;
	p = ms_skip_blank(p, eol);
	if (eol - p < 5 || memcmp(p, "zone", 4) != 0 || !ms_is_blank(p[4]))
		return -1;
	p = ms_skip_blank(p + 4, eol);
	const char *z = p;
	p = ms_word_end(p, eol);
	if (p == z || p - z > ZI_MAX_ZONE || ms_skip_blank(p, eol) != eol)
		return -1;
	memcpy(zone, z, (size_t)(p - z));
	zone[p - z] = '\0';
	*node = (uint32_t)n;
	return 1;
}

/* Whether P..EOL is digits and blanks only. */
static int is_bare_number(const char *p, const char *eol)
{
	uint64_t v;
	return ms_scan_u64(&p, eol, &v) == 0 && ms_skip_blank(p, eol) == eol;
}

/* "KEY[:] VALUE" (P at the first non-blank): 0, or -1 when malformed. */
static int parse_kv(const char *p, const char *eol, char *key, uint64_t *value)
{
	const char *e = eol;
	e = ms_trim_blank_end(p, e);
	const char *v = e;
	while (v > p && v[-1] >= '0' && v[-1] <= '9')
		v--;
	if (v == e || v == p || !ms_is_blank(v[-1]))
		return -1;
	const char *num = v;
	if (ms_scan_u64(&num, e, value) < 0)
		return -1;
	const char *k = v;
	k = ms_trim_blank_end(p, k);
	if (k > p && k[-1] == ':')
		k--;
	if (k == p || k - p > ZI_MAX_KEY)
		return -1;
	memcpy(key, p, (size_t)(k - p));
	key[k - p] = '\0';
	return 0;
}

/* " (0, 1800, 1800, 1800)": the largest number (the zone's lowmem_reserve
 * at its highest; what the kernel's totalreserve_pages counts). */
static int parse_protection(const char *q, const char *eol, uint64_t *max)
{
	q = ms_skip_blank(q, eol);
	if (q == eol || *q++ != '(')
		return -1;
	*max = 0;
	for (;;) {
		uint64_t v;
		q = ms_skip_blank(q, eol);
		if (ms_scan_u64(&q, eol, &v) < 0)
			return -1;
		if (v > *max)
			*max = v;
		q = ms_skip_blank(q, eol);
		if (q < eol && *q == ',') {
			q++;
			continue;
		}
		return q < eol && *q == ')' && ms_skip_blank(q + 1, eol) == eol ? 0 : -1;
	}
}

/* Hand Z's row (its key and value set) over, for line LINE. */
static int emit(struct zi *z, int line, int per_node, struct ms_err *err)
{
	z->row.per_node = per_node;
	z->row.line = line;
	return z->fn(z->ctx, &z->row, err);
}

/* One non-blank line Q..EOL (its first non-blank; BOL its start) of a
 * zone, after the headers were dealt with. */
static int zone_line(struct zi *z, const char *bol, const char *q, const char *eol, int line,
		     struct ms_err *err)
{
	if (is_word(q, eol, "per-node stats")) {
		z->state = ZI_PER_NODE;
		return 0;
	}
	if (is_word(q, eol, "pagesets")) {
		z->state = ZI_PAGESETS;
		return 0;
	}
	if (z->state == ZI_PAGESETS) {
		/* per-CPU lines are indented by 4 or more, except this one */
		if (q - bol >= 4 || (eol - q >= 18 && memcmp(q, "vm stats threshold", 18) == 0))
			return 0;
		z->state = ZI_ZONE;
	}
	if (eol - q >= 11 && memcmp(q, "protection:", 11) == 0) {
		if (parse_protection(q + 11, eol, &z->row.value) < 0)
			return ms_report(z->rep, err, "zoneinfo:%d: expected 'protection: (N, ...)'",
					 line);
		memcpy(z->key, "protection", sizeof("protection"));
		return emit(z, line, 0, err);
	}
	if (eol - q >= 10 && memcmp(q, "pages free", 10) == 0)
		z->state = ZI_ZONE;
	if (is_bare_number(q, eol)) /* a counter printed without its name (seen in
				     * a 4.x capture, PCP's meminfo-root-006) */
		return ms_report(z->rep, err, "zoneinfo:%d: a number without a key: '%.*s'", line,
				 (int)(ms_trim_blank_end(q, eol) - q), q);
	if (parse_kv(q, eol, z->key, &z->row.value) < 0)
		return ms_report(z->rep, err, "zoneinfo:%d: expected 'key value'", line);
	return emit(z, line, z->state == ZI_PER_NODE, err);
}

int zoneinfo_parse(const char *text, size_t len, zoneinfo_fn fn, void *ctx,
		   const struct ms_report *rep, struct ms_err *err)
{
	if (len > INT_MAX)
		return ms_err_set(err, EFBIG, "zoneinfo: text of %zu bytes is too large", len);
	if (!len)
		return ms_err_set(err, EINVAL, "zoneinfo:1: empty file");
	struct ms_lines lines;
	ms_lines_init(&lines, text, len, ZI_MAX_LINE, "zoneinfo", rep);
	lines.give_refused = 1;
	struct zi z = { .state = ZI_START, .fn = fn, .ctx = ctx, .rep = rep };
	z.row.zone = z.zone;
	z.row.key = z.key;
	const char *p, *eol;
	int more = 0, zones = 0, rc = 0;
	while (rc == 0 && (more = ms_line_next(&lines, &p, &eol, err)) > 0) {
		int line = lines.line;
		const char *q = ms_skip_blank(p, eol);
		if (q == eol)
			continue;
		if (more == 2) { /* refused (too long, a NUL byte): a zone's header? */
			if (eol - q >= 5 && memcmp(q, "Node", 4) == 0 && ms_is_blank(q[4]))
				z.state = ZI_LOST;
			continue;
		}
		int h = parse_header(q, eol, &z.row.node, z.zone);
		if (h > 0) {
			z.state = ZI_ZONE;
			zones++;
		} else if (h < 0 || z.state == ZI_START) {
			rc = ms_report(rep, err, "zoneinfo:%d: expected 'Node N, zone NAME'; the lines "
				       "up to the next zone are skipped", line);
			z.state = ZI_LOST;
		} else if (z.state != ZI_LOST) {
			rc = zone_line(&z, p, q, eol, line, err);
		}
	}
	if (rc < 0 || more < 0)
		return -1;
	if (!zones && z.state == ZI_START && !lines.refused)
		return ms_err_set(err, EINVAL, "zoneinfo:%d: no 'Node N, zone NAME' line",
				  lines.line);
	return 0;
}
