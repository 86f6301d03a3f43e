/*
 * smaps_rollup.c - /proc/PID/smaps_rollup parser (see smaps_rollup.h).
 *
 * Line 1 is a mapping header, read with smaps_header_parse() and required
 * to be the "[rollup]" pseudo-mapping.  Every later line is "Key: N kB",
 * read by the shared tokenizer kv_parse() in strict mode.  kv takes a whole
 * file, so it is given a copy of TEXT whose first line is overwritten with
 * blanks: kv skips blank lines, so its line numbers (and messages) stay the
 * file's own, and a text line anywhere after the header is still an error.
 *
 * Invariants: the header is checked before kv runs (its length too, with
 * kv's limit); every known key must carry "kB", be non-negative and appear
 * once; the copy is freed on every path.
 */
#include "smaps_rollup.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "scan.h"

/* kv.c's line limit: the header is held to the same. */
#define ROLLUP_MAX_LINE 4096

static int rollup_kv(void *ctx, const struct kv *kv, struct ms_err *err);

/* Store one kv line into the totals (CTX is the struct smaps_rollup). */
static int rollup_kv(void *ctx, const struct kv *kv, struct ms_err *err)
{
	struct smaps_rollup *out = ctx;
	int64_t *slot = smaps_fields_slot(&out->f, kv->key, kv->key_len);
	if (!slot)
		return 0;
	if (*slot != -1)
		return ms_err_set(err, EINVAL, "smaps_rollup:%d: duplicate '%.*s'", kv->line,
				  (int)kv->key_len, kv->key);
	if (!kv->has_kb || kv->value < 0)
		return ms_err_set(err, EINVAL, "smaps_rollup:%d: expected '%.*s: N kB'", kv->line,
				  (int)kv->key_len, kv->key);
	*slot = kv->value;
	return 0;
}

int smaps_rollup_parse(const char *text, size_t len, struct smaps_rollup *out,
		       struct ms_err *err)
{
	memset(out, 0, sizeof(*out));
	smaps_fields_init(&out->f);
	if (len > INT_MAX)
		return ms_err_set(err, EFBIG, "smaps_rollup: text of %zu bytes is too large", len);
	int nul = ms_nul_line(text, len);
	if (nul)
		return ms_err_set(err, EINVAL, "smaps_rollup:%d: NUL byte", nul);
	const char *eol = len ? memchr(text, '\n', len) : NULL;
	size_t hlen = eol ? (size_t)(eol - text) : len;
	if (hlen > ROLLUP_MAX_LINE)
		return ms_err_set(err, EINVAL, "smaps_rollup:1: line longer than %d bytes",
				  ROLLUP_MAX_LINE);
	struct smaps_header h;
	if (!len || smaps_header_parse(text, hlen, &h) < 0 || strcmp(h.perms, "---p") != 0 ||
	    h.path_len != 8 || memcmp(h.path, "[rollup]", 8) != 0)
		return ms_err_set(err, EINVAL,
				  "smaps_rollup:1: expected 'start-end ---p 00000000 00:00 0 [rollup]'");
	out->start = h.start;
	out->end = h.end;
	if (hlen == len)
		return 0; /* a header and nothing else: every total absent */

	char *copy = malloc(len);
	if (!copy)
		return ms_err_set(err, ENOMEM, "smaps_rollup: out of memory");
	memset(copy, ' ', hlen);
	memcpy(copy + hlen, text + hlen, len - hlen);
	int rc = kv_parse(copy, len, 0, "smaps_rollup", rollup_kv, out, err);
	free(copy);
	return rc;
}
