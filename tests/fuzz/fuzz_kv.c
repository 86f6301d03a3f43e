/*
 * fuzz_kv.c - kv_parse(), the tokenizer of meminfo, vmstat, status,
 * numastat, nodeN/meminfo and cgroup memory.stat/events, on arbitrary text;
 * the first byte picks the flags (see fuzz.h).  Under KV_ALLOW_TEXT the
 * callback reads every value with kv_number(), as status does.
 */
#include "fuzz.h"
#include "kv.h"

static int line(void *ctx, const struct kv *kv, struct ms_err *err)
{
	int flags = *(int *)ctx;
	FUZZ_CHECK(kv->line >= 1 && kv->key_len > 0);
	FUZZ_CHECK(memchr(kv->key, '\n', kv->key_len) == NULL);
	FUZZ_CHECK(memchr(kv->rest, '\n', kv->rest_len) == NULL);
	if (flags & KV_ALLOW_TEXT) {
		int64_t v;
		int kb;
		int r = kv_number(kv, &v, &kb, err);
		FUZZ_CHECK(r >= -1 && r <= 1);
		if (r < 0) {
			FUZZ_CHECK(err->msg != NULL);
			ms_err_release(err); /* a value too large: status keeps going */
		}
		if (r == 1 && kb)
			FUZZ_CHECK(v % 1024 == 0);
	} else if (kv->has_kb) {
		FUZZ_CHECK(kv->value % 1024 == 0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct ms_err err = MS_ERR_INIT;
	int flags = data[0] & (KV_SKIP_PREFIX_NODE | KV_ALLOW_TEXT);
	int rc = kv_parse((const char *)data + 1, size - 1, flags, "kv", line, &flags, &err);
	fuzz_check_err(rc, &err, "kv:");
	ms_err_release(&err);
	return 0;
}
