/*
 * smaps.c - /proc/PID/smaps parser (see smaps.h).
 *
 * One pass over the lines; each is one of:
 *     7f78365c6000-7f78365c8000 rw-s 00000000 fe:00 10953053   /tmp/a b.bin
 *                                       a header: its first token is "hex-hex"
 *     Rss:                   8 kB      a field: "Key:" then a value
 *     (blank)                           ignored
 * Known size keys must read "N kB"; THPeligible must read 0 or 1; VmFlags
 * is kept as text; any other "Key: ..." line is ignored (new kernel fields).
 * A line that is none of these, or a field given twice, is reported and
 * costs that line (the field stays absent, or keeps its first value); a
 * bad header costs its mapping: the field lines up to the next header
 * belong to no mapping that can be named, and are skipped with it.
 *
 * Invariants:
 *  - a VMA is delivered exactly once, when the next header line (good or
 *    bad) or the end of the text is reached;
 *  - no pointer passes END (the last line may lack its '\n'), nothing
 *    reads TEXT[LEN], and lines longer than SMAPS_MAX_LINE are reported
 *    and skipped before they are scanned;
 *  - numbers are range-checked before the kB -> bytes multiplication;
 *  - the strings handed out are copied, NUL-terminated, into one buffer the
 *    parse owns and frees; it grows to the longest path + VmFlags seen.
 *
 * NEEDSWORK: the field lines do not go through kv_parse(): kv takes a whole
 * file, not one line with its line number, and smaps interleaves headers,
 * size lines and text lines (VmFlags).  The grammar here matches kv's.
 */
#include "smaps.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "parse_num.h"
#include "scan.h"

/* A path is at most PATH_MAX (4096), each byte escaped to 4 at worst. */
#define SMAPS_MAX_LINE 65536

#define KEY(k) k, sizeof(k) - 1

static const struct {
	const char *key;
	size_t len;   /* strlen(key) */
	size_t off;
} smaps_keys[] = {
	{ KEY("Size"), offsetof(struct smaps_fields, size) },
	{ KEY("KernelPageSize"), offsetof(struct smaps_fields, kernel_page_size) },
	{ KEY("MMUPageSize"), offsetof(struct smaps_fields, mmu_page_size) },
	{ KEY("Rss"), offsetof(struct smaps_fields, rss) },
	{ KEY("Pss"), offsetof(struct smaps_fields, pss) },
	{ KEY("Pss_Dirty"), offsetof(struct smaps_fields, pss_dirty) },
	{ KEY("Pss_Anon"), offsetof(struct smaps_fields, pss_anon) },
	{ KEY("Pss_File"), offsetof(struct smaps_fields, pss_file) },
	{ KEY("Pss_Shmem"), offsetof(struct smaps_fields, pss_shmem) },
	{ KEY("Shared_Clean"), offsetof(struct smaps_fields, shared_clean) },
	{ KEY("Shared_Dirty"), offsetof(struct smaps_fields, shared_dirty) },
	{ KEY("Private_Clean"), offsetof(struct smaps_fields, private_clean) },
	{ KEY("Private_Dirty"), offsetof(struct smaps_fields, private_dirty) },
	{ KEY("Referenced"), offsetof(struct smaps_fields, referenced) },
	{ KEY("Anonymous"), offsetof(struct smaps_fields, anonymous) },
	{ KEY("KSM"), offsetof(struct smaps_fields, ksm) },
	{ KEY("LazyFree"), offsetof(struct smaps_fields, lazy_free) },
	{ KEY("AnonHugePages"), offsetof(struct smaps_fields, anon_huge_pages) },
	{ KEY("ShmemPmdMapped"), offsetof(struct smaps_fields, shmem_pmd_mapped) },
	{ KEY("FilePmdMapped"), offsetof(struct smaps_fields, file_pmd_mapped) },
	{ KEY("Shared_Hugetlb"), offsetof(struct smaps_fields, shared_hugetlb) },
	{ KEY("Private_Hugetlb"), offsetof(struct smaps_fields, private_hugetlb) },
	{ KEY("Swap"), offsetof(struct smaps_fields, swap) },
	{ KEY("SwapPss"), offsetof(struct smaps_fields, swap_pss) },
	{ KEY("Locked"), offsetof(struct smaps_fields, locked) },
};

#define N_KEYS (sizeof(smaps_keys) / sizeof(smaps_keys[0]))

/* Every member of struct smaps_fields has a row above. */
_Static_assert(sizeof(struct smaps_fields) == N_KEYS * sizeof(int64_t),
	       "smaps_keys[] must list every member of struct smaps_fields");

/* The VMA being read, plus the spans its strings come from. */
struct smaps_state {
	int open;                   /* a header has been read */
	int lost;                   /* after a bad header: its field lines are skipped */
	const struct ms_report *rep;
	struct smaps_vma v;
	const char *path, *flags;   /* spans of TEXT */
	size_t path_len, flags_len;
	int has_flags;
	char *buf;                  /* owned; the strings handed out */
	size_t cap;
};

static int deliver(struct smaps_state *st, smaps_fn fn, void *ctx, struct ms_err *err);
static int field_line(struct smaps_state *st, const char *p, const char *eol, int line,
		      struct ms_err *err);

void smaps_fields_init(struct smaps_fields *f)
{
	for (size_t i = 0; i < N_KEYS; i++)
		*(int64_t *)(void *)((char *)f + smaps_keys[i].off) = -1;
}

int64_t *smaps_fields_slot(struct smaps_fields *f, const char *key, size_t key_len)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (smaps_keys[i].len == key_len && memcmp(smaps_keys[i].key, key, key_len) == 0)
			return (int64_t *)(void *)((char *)f + smaps_keys[i].off);
	return NULL;
}

int smaps_header_parse(const char *line, size_t len, struct smaps_header *h)
{
	const char *p = line, *end = line + len;
	uint64_t major, minor;
	memset(h, 0, sizeof(*h));
	if (ms_scan_hex(&p, end, &h->start) < 0 || p == end || *p++ != '-' ||
	    ms_scan_hex(&p, end, &h->end) < 0 || p == end || *p++ != ' ')
		return -1;
	if (end - p < 5 || (p[0] != 'r' && p[0] != '-') || (p[1] != 'w' && p[1] != '-') ||
	    (p[2] != 'x' && p[2] != '-') || (p[3] != 's' && p[3] != 'p') || p[4] != ' ')
		return -1;
	memcpy(h->perms, p, 4);
	h->perms[4] = '\0';
	p += 5;
	if (ms_scan_hex(&p, end, &h->offset) < 0 || p == end || *p++ != ' ' ||
	    ms_scan_hex(&p, end, &major) < 0 || p == end || *p++ != ':' ||
	    ms_scan_hex(&p, end, &minor) < 0 || p == end || *p++ != ' ' ||
	    major > UINT32_MAX || minor > UINT32_MAX || ms_scan_u64(&p, end, &h->inode) < 0)
		return -1;
	h->dev_major = (uint32_t)major;
	h->dev_minor = (uint32_t)minor;
	if (p < end && *p != ' ')
		return -1;
	/* the name starts after the padding; anonymous lines end in "0 " */
	while (p < end && *p == ' ')
		p++;
	h->path = p;
	h->path_len = (size_t)(end - p);
	return 0;
}

/* Hand the open VMA to FN with its strings copied into ST->buf. */
static int deliver(struct smaps_state *st, smaps_fn fn, void *ctx, struct ms_err *err)
{
	static const char deleted[] = " (deleted)";
	size_t need = st->path_len + 1 + st->flags_len + 1;
	if (need > st->cap) {
		size_t cap = st->cap ? st->cap : 256;
		while (cap < need)
			cap *= 2;
		char *b = realloc(st->buf, cap);
		if (!b)
			return ms_err_set(err, ENOMEM, "smaps:%d: out of memory", st->v.line);
		st->buf = b;
		st->cap = cap;
	}
	memcpy(st->buf, st->path, st->path_len);
	st->buf[st->path_len] = '\0';
	st->v.path = st->buf;
	st->v.deleted = st->path_len >= sizeof(deleted) - 1 &&
			memcmp(st->path + st->path_len - (sizeof(deleted) - 1), deleted,
			       sizeof(deleted) - 1) == 0;
	char *flags = st->buf + st->path_len + 1;
	if (st->flags_len)
		memcpy(flags, st->flags, st->flags_len);
	flags[st->flags_len] = '\0';
	st->v.vm_flags = st->has_flags ? flags : NULL;
	st->open = 0;
	return fn(ctx, &st->v, err);
}

/* The value of size field KEY (KLEN bytes) at P..EOL, "N kB", into
 * *SLOT in bytes; reported when it is not of that shape. */
static int size_field(struct smaps_state *st, int64_t *slot, const char *key, size_t klen,
		      const char *p, const char *eol, int line, struct ms_err *err)
{
	uint64_t v;
	const char *q = p;
	if (q == eol || *q < '0' || *q > '9')
		goto bad_kb;
	if (ms_scan_u64(&q, eol, &v) < 0)
		goto range;
	q = ms_skip_blank(q, eol);
	if (eol - q < 2 || q[0] != 'k' || q[1] != 'B' || ms_skip_blank(q + 2, eol) != eol)
		goto bad_kb;
	if (v > (uint64_t)INT64_MAX / 1024)
		goto range;
	*slot = (int64_t)(v * 1024);
	return 0;
range:
	return ms_report(st->rep, err, "smaps:%d: the value of '%.*s' is out of range (above "
			 "2^63-1 bytes)", line, (int)klen, key);
bad_kb:
	return ms_report(st->rep, err, "smaps:%d: expected '%.*s: N kB'", line, (int)klen, key);
}

/* One "Key: value" line of the open VMA (P..EOL, no newline). */
static int field_line(struct smaps_state *st, const char *p, const char *eol, int line,
		      struct ms_err *err)
{
	const char *key = p;
	while (p < eol && *p != ':' && *p != ' ' && *p != '\t')
		p++;
	size_t klen = (size_t)(p - key);
	int kl = (int)(klen > 40 ? 40 : klen);
	if (p == eol || *p != ':' || !klen)
		return ms_report(st->rep, err,
				 "smaps:%d: expected 'Key: N kB' or a mapping header", line);
	if (st->lost)
		return 0; /* a field of the mapping whose header was bad */
	if (!st->open)
		return ms_report(st->rep, err, "smaps:%d: '%.*s' before the first mapping header",
				 line, kl, key);
	p = ms_skip_blank(p + 1, eol);

	int64_t *slot = smaps_fields_slot(&st->v.f, key, klen);
	int dup = slot ? *slot != -1
		: klen == 11 && !memcmp(key, "THPeligible", 11) ? st->v.thp_eligible != -1
		: klen == 7 && !memcmp(key, "VmFlags", 7) ? st->has_flags : 0;
	if (dup)
		return ms_report(st->rep, err, "smaps:%d: a second '%.*s' in one mapping; the "
				 "first kept", line, kl, key);
	if (slot)
		return size_field(st, slot, key, klen, p, eol, line, err);
	if (klen == 11 && memcmp(key, "THPeligible", 11) == 0) {
		if (p == eol || (*p != '0' && *p != '1') || ms_skip_blank(p + 1, eol) != eol)
			return ms_report(st->rep, err, "smaps:%d: expected 'THPeligible: 0 or 1'", line);
		st->v.thp_eligible = *p - '0';
		return 0;
	}
	if (klen == 7 && memcmp(key, "VmFlags", 7) == 0) {
		st->flags = p;
		st->flags_len = (size_t)(ms_trim_blank_end(p, eol) - p);
		st->has_flags = 1;
	}
	return 0; /* VmFlags, or a field this parser does not know (kept out) */
}

/* Header line P..EOL (LINE): the open VMA goes, and this one opens; a bad
 * header is reported and its mapping's lines are skipped. */
static int header_line(struct smaps_state *st, const char *p, const char *eol, int line,
		       smaps_fn fn, void *ctx, struct ms_err *err)
{
	struct smaps_header h;
	int bad = smaps_header_parse(p, (size_t)(eol - p), &h) < 0;
	if (st->open && deliver(st, fn, ctx, err) < 0)
		return -1;
	st->lost = bad || h.end < h.start;
	if (st->lost)
		return ms_report(st->rep, err, bad
				 ? "smaps:%d: expected 'start-end perms offset dev inode [path]'; "
				   "the mapping's lines are skipped"
				 : "smaps:%d: mapping ends before it starts; its lines are skipped",
				 line);
	memset(&st->v, 0, sizeof(st->v));
	st->v.start = h.start;
	st->v.end = h.end;
	memcpy(st->v.perms, h.perms, sizeof(st->v.perms));
	st->v.offset = h.offset;
	st->v.dev_major = h.dev_major;
	st->v.dev_minor = h.dev_minor;
	st->v.inode = h.inode;
	smaps_fields_init(&st->v.f);
	st->v.thp_eligible = -1;
	st->v.line = line;
	st->path = h.path;
	st->path_len = h.path_len;
	st->flags = NULL;
	st->flags_len = 0;
	st->has_flags = 0;
	st->open = 1;
	return 0;
}

int smaps_parse(const char *text, size_t len, smaps_fn fn, void *ctx,
		const struct ms_report *rep, struct ms_err *err)
{
	if (len > INT_MAX)
		return ms_err_set(err, EFBIG, "smaps: text of %zu bytes is too large", len);
	if (!len)
		return 0;
	struct ms_lines lines;
	ms_lines_init(&lines, text, len, SMAPS_MAX_LINE, "smaps", rep);
	lines.give_refused = 1;

	struct smaps_state st;
	memset(&st, 0, sizeof(st));
	st.rep = rep;
	const char *p, *eol;
	int rc = 0, more;
	while ((more = ms_line_next(&lines, &p, &eol, err)) > 0) {
		const char *q = ms_skip_blank(p, eol);
		if (q == eol)
			continue;
		/* a header's first token is "hex-hex"; keys start with a capital */
		const char *t = q;
		while (t < eol && ((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f')))
			t++;
		int header = t > q && t < eol && *t == '-' && q == p;
		if (more == 2) {
			if (!header)
				continue; /* a field line refused: that field is absent */
			/* a header refused (too long, a NUL byte): its mapping is lost */
			rc = st.open ? deliver(&st, fn, ctx, err) : 0;
			st.lost = 1;
		} else if (header) {
			rc = header_line(&st, p, eol, lines.line, fn, ctx, err);
		} else {
			rc = field_line(&st, q, eol, lines.line, err);
		}
		if (rc < 0)
			break;
	}
	if (more < 0)
		rc = -1;
	if (rc == 0 && st.open)
		rc = deliver(&st, fn, ctx, err);
	free(st.buf);
	return rc < 0 ? -1 : 0;
}
