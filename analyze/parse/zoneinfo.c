/*
 * zoneinfo.c - /proc/zoneinfo parser (see zoneinfo.h).
 *
 * A small state machine over the lines:
 *     START     only blank lines until the first "Node N, zone NAME"
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
 * buffers; no pointer passes END; lines over ZI_MAX_LINE are refused.
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

enum zi_state { ZI_START, ZI_PER_NODE, ZI_ZONE, ZI_PAGESETS };

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

int zoneinfo_parse(const char *text, size_t len, zoneinfo_fn fn, void *ctx,
		   struct ms_err *err)
{
	if (len > INT_MAX)
		return ms_err_set(err, EFBIG, "zoneinfo: text of %zu bytes is too large", len);
	if (!len)
		return ms_err_set(err, EINVAL, "zoneinfo:1: empty file");
	struct ms_lines lines;
	if (ms_lines_init(&lines, text, len, ZI_MAX_LINE, "zoneinfo", err) < 0)
		return -1;

	char zone[ZI_MAX_ZONE + 1] = "", key[ZI_MAX_KEY + 1];
	struct zoneinfo_row row = { 0, zone, key, 0, 0, 0 };
	enum zi_state state = ZI_START;
	const char *p, *eol;
	int line = 0, more;
	while ((more = ms_line_next(&lines, &p, &eol, err)) > 0) {
		line = lines.line;
		const char *bol = p, *q = ms_skip_blank(p, eol);
		if (q == eol)
			continue;
		int h = parse_header(q, eol, &row.node, zone);
		if (h < 0)
			return ms_err_set(err, EINVAL, "zoneinfo:%d: expected 'Node N, zone NAME'",
					  line);
		if (h > 0) {
			state = ZI_ZONE;
			continue;
		}
		if (state == ZI_START)
			return ms_err_set(err, EINVAL, "zoneinfo:%d: expected 'Node N, zone NAME'",
					  line);
		if (is_word(q, eol, "per-node stats")) {
			state = ZI_PER_NODE;
			continue;
		}
		if (is_word(q, eol, "pagesets")) {
			state = ZI_PAGESETS;
			continue;
		}
		if (state == ZI_PAGESETS) {
			/* per-CPU lines are indented by 4 or more, except this one */
			if (q - bol >= 4 || (eol - q >= 18 && memcmp(q, "vm stats threshold", 18) == 0))
				continue;
			state = ZI_ZONE;
		}
		if (eol - q >= 11 && memcmp(q, "protection:", 11) == 0) {
			if (parse_protection(q + 11, eol, &row.value) < 0)
				return ms_err_set(err, EINVAL, "zoneinfo:%d: expected 'protection: (N, ...)'",
						  line);
			memcpy(key, "protection", sizeof("protection"));
			row.per_node = 0;
			row.line = line;
			if (fn(ctx, &row, err) < 0)
				return -1;
			continue;
		}
		if (eol - q >= 10 && memcmp(q, "pages free", 10) == 0)
			state = ZI_ZONE;
		if (is_bare_number(q, eol))
			continue; /* a counter printed without its name (seen in a 4.x
				   * capture, PCP's meminfo-root-006): nothing to key it by */
		if (parse_kv(q, eol, key, &row.value) < 0)
			return ms_err_set(err, EINVAL, "zoneinfo:%d: expected 'key value'", line);
		row.per_node = state == ZI_PER_NODE;
		row.line = line;
		if (fn(ctx, &row, err) < 0)
			return -1;
	}
	if (more < 0)
		return -1;
	if (state == ZI_START)
		return ms_err_set(err, EINVAL, "zoneinfo:%d: no 'Node N, zone NAME' line", line);
	return 0;
}
