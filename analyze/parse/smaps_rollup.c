/*
 * smaps_rollup.c - /proc/PID/smaps_rollup parser (see smaps_rollup.h).
 *
 * Line 1 is a mapping header, read with smaps_header_parse() and expected
 * to be the "[rollup]" pseudo-mapping.  Every later line is "Key: N kB",
 * read by the shared tokenizer kv_parse(), given TEXT from the header's
 * '\n' on: its first line is then empty (kv skips it), so its line
 * numbers (and messages) stay the file's own.  A bad header is reported
 * and costs that line: the totals after it are still read.
 *
 * Invariants: the header is checked before kv runs (its length too, with
 * kv's limit); every known key must carry "kB", be non-negative and appear
 * once (else reported: the total stays absent, or keeps its first value).
 */
#include "smaps_rollup.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "kv.h"

/* kv.c's line limit: the header is held to the same. */
#define ROLLUP_MAX_LINE 4096

struct rollup_state {
	struct smaps_rollup *out;
	const struct ms_report *rep;
};

/* Store one kv line into the totals. */
static int rollup_kv(void *ctx, const struct kv *kv, struct ms_err *err)
{
	struct rollup_state *st = ctx;
	int64_t *slot = smaps_fields_slot(&st->out->f, kv->key, kv->key_len);
	if (!slot)
		return 0;
	if (*slot != -1)
		return ms_report(st->rep, err, "smaps_rollup:%d: a second '%.*s'; the first kept",
				 kv->line, (int)kv->key_len, kv->key);
	if (!kv->has_kb || kv->value < 0)
		return ms_report(st->rep, err, "smaps_rollup:%d: expected '%.*s: N kB'", kv->line,
				 (int)kv->key_len, kv->key);
	*slot = kv->value;
	return 0;
}

/* Line 1, HLEN bytes: the "[rollup]" header, its range into OUT; a bad one
 * is reported. */
static int rollup_header(const char *text, size_t hlen, struct smaps_rollup *out,
			 const struct ms_report *rep, struct ms_err *err)
{
	struct smaps_header h;
	if (hlen > ROLLUP_MAX_LINE)
		return ms_report(rep, err, "smaps_rollup:1: line longer than %d bytes",
				 ROLLUP_MAX_LINE);
	if (memchr(text, '\0', hlen))
		return ms_report(rep, err, "smaps_rollup:1: NUL byte");
	if (smaps_header_parse(text, hlen, &h) < 0 || strcmp(h.perms, "---p") != 0 ||
	    h.path_len != 8 || memcmp(h.path, "[rollup]", 8) != 0)
		return ms_report(rep, err,
				 "smaps_rollup:1: expected 'start-end ---p 00000000 00:00 0 [rollup]'");
	out->start = h.start;
	out->end = h.end;
	return 0;
}

int smaps_rollup_parse(const char *text, size_t len, struct smaps_rollup *out,
		       const struct ms_report *rep, struct ms_err *err)
{
	memset(out, 0, sizeof(*out));
	smaps_fields_init(&out->f);
	if (len > INT_MAX)
		return ms_err_set(err, EFBIG, "smaps_rollup: text of %zu bytes is too large", len);
	if (!len)
		return ms_err_set(err, EINVAL, "smaps_rollup:1: empty file");
	const char *eol = memchr(text, '\n', len);
	size_t hlen = eol ? (size_t)(eol - text) : len;
	if (rollup_header(text, hlen, out, rep, err) < 0)
		return -1;
	if (hlen == len)
		return 0; /* a header and nothing else: every total absent */
	struct rollup_state st = { out, rep };
	return kv_parse(text + hlen, len - hlen, 0, "smaps_rollup", rollup_kv, &st, rep, err);
}
