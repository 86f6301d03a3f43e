/*
 * fuzz_kv.c - kv_parse(), the tokenizer of meminfo, vmstat, status,
 * numastat, nodeN/meminfo and cgroup memory.stat/events, on arbitrary text;
 * the first byte picks the flags (see fuzz.h).  Under KV_ALLOW_TEXT the
 * callback reads every value with kv_number(), as status does.
 * Invariants: a kv is never an error of its own (each bad line is reported
 * and skipped: lines handed over plus lines reported never exceed the
 * lines); a value above INT64_MAX comes whole in BIG (VALUE INT64_MAX,
 * never with kB); a kB value is bytes, a multiple of 1024.
 */
#include "fuzz.h"
#include "kv.h"

struct seen {
	int flags;
	unsigned lines;   /* handed over */
	int last_line;
};

static void check_value(const struct kv *v)
{
	FUZZ_CHECK(!v->big || (v->big > INT64_MAX && v->value == INT64_MAX && !v->has_kb));
	FUZZ_CHECK(!v->has_kb || v->value % 1024 == 0);
}

static int line(void *ctx, const struct kv *kv, struct ms_err *err)
{
	struct seen *s = ctx;
	s->lines++;
	FUZZ_CHECK(kv->line >= 1 && kv->line > s->last_line && kv->key_len > 0);
	s->last_line = kv->line;
	FUZZ_CHECK(memchr(kv->key, '\n', kv->key_len) == NULL);
	FUZZ_CHECK(memchr(kv->rest, '\n', kv->rest_len) == NULL);
	if (s->flags & KV_ALLOW_TEXT) {
		FUZZ_CHECK(!kv->value && !kv->big && !kv->has_kb);
		struct kv n;
		enum kv_num r = kv_number(kv, &n);
		FUZZ_CHECK(r >= KV_NUM_OK && r <= KV_NUM_RANGE);
		if (r == KV_NUM_OK)
			check_value(&n);
		else /* what status does with it: a report, never an error */
			FUZZ_CHECK(kv_report_value(kv, r, NULL, err) == 0 && !err->msg);
	} else {
		check_value(kv);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct ms_err err = MS_ERR_INIT;
	struct fuzz_rep f;
	fuzz_rep_init(&f, "kv:", data, size);
	struct seen s = { data[0] & (KV_SKIP_PREFIX_NODE | KV_ALLOW_TEXT), 0, 0 };
	const char *text = (const char *)data + 1;
	int rc = kv_parse(text, size - 1, s.flags, "kv", line, &s, &f.rep, &err);
	fuzz_rep_check(&f, rc, &err);
	FUZZ_CHECK(rc == 0 || f.n == f.stop);
	size_t nl = 0;
	for (size_t i = 0; i < size - 1; i++)
		nl += text[i] == '\n';
	FUZZ_CHECK(s.lines + f.n <= nl + 1);
	ms_err_release(&err);
	return 0;
}
