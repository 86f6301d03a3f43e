/*
 * fuzz_bundle_text.c - the readers of the bundle's own texts
 * (common/bundle_text.c, common/host_facts.c) on arbitrary bytes.  The
 * first byte picks a key-value text (every typed getter for every key, the
 * line iterators, the format check and the meta line parsers) or a host
 * member (its records through host_facts_add()).  Values found lie inside
 * the input and hold no newline; a number found is finite and in range.
 */
#include <math.h>

#include "bundle_format.h"
#include "bundle_text.h"
#include "fuzz.h"
#include "host_facts.h"

static void one_key(const char *t, size_t n, enum bt_key k)
{
	struct bt_span v;
	uint64_t u;
	int64_t i;
	double d;
	char *s;
	enum bt_got g = bt_get(t, n, k, &v);
	FUZZ_CHECK(g == BT_FOUND || g == BT_ABSENT);
	if (g == BT_FOUND)
		FUZZ_CHECK(v.p >= t && v.p + v.n <= t + n && !memchr(v.p, '\n', v.n));
	FUZZ_CHECK((bt_get_u64(t, n, k, &u) == BT_ABSENT) == (g == BT_ABSENT));
	FUZZ_CHECK((bt_get_i64(t, n, k, &i) == BT_ABSENT) == (g == BT_ABSENT));
	if (bt_get_double(t, n, k, &d) == BT_FOUND)
		FUZZ_CHECK(isfinite(d));
	FUZZ_CHECK(bt_get_str(t, n, k, &s) == 0);
	FUZZ_CHECK((s != NULL) == (g == BT_FOUND));
	if (s)
		FUZZ_CHECK(strlen(s) <= v.n);
	free(s);
}

static void text(const char *t, size_t n)
{
	for (int k = 0; k < BK_NKEYS; k++)
		one_key(t, n, (enum bt_key)k);
	long f = 0;
	struct ms_err err = MS_ERR_INIT;
	int rc = bt_header_format(t, n, &f, &err);
	FUZZ_CHECK(rc == 0 ? f >= 1 && f <= MS_BUNDLE_FORMAT && !err.msg : rc == -1 && err.msg);
	ms_err_release(&err);
	size_t pos = 0, last = 0;
	struct bt_span k, v;
	while (bt_next_line(t, n, &pos, &k, &v)) {
		FUZZ_CHECK(pos > last && pos <= n && k.p + k.n + 1 == v.p);
		FUZZ_CHECK(!memchr(k.p, ' ', k.n) && !memchr(v.p, '\n', v.n));
		last = pos;
		unsigned tier;
		uint64_t cnt;
		struct bt_span key;
		if (bt_parse_deferred(v, &tier) == BT_FOUND)
			FUZZ_CHECK(tier < MS_TIERS);
		if (bt_parse_gap(v, &key, &cnt) == BT_FOUND)
			FUZZ_CHECK(key.p == v.p && key.n > 0 && key.n < v.n);
		FUZZ_CHECK(bt_tiers_mask(v) < (1u << MS_TIERS));
	}
}

static void host(const char *t, size_t n)
{
	struct host_facts h;
	struct ms_record r;
	struct ms_err err = MS_ERR_INIT;
	size_t pos = 0;
	host_facts_init(&h);
	while (record_next(t, n, &pos, &r, "000001/host", &err) > 0)
		FUZZ_CHECK(host_facts_add(&h, &r) == 0);
	for (int f = 0; f < HF_COUNT; f++) {
		const struct host_value *v = &h.f[f];
		FUZZ_CHECK((v->text != NULL) == (v->got == BT_FOUND && host_fact_is_text(f)));
		if (v->got == BT_FOUND && f == HF_PAGE_SIZE)
			FUZZ_CHECK(v->num >= 512 && v->num <= (1 << 30));
	}
	host_facts_release(&h);
	ms_err_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		host((const char *)data + 1, size - 1);
	else
		text((const char *)data + 1, size - 1);
	return 0;
}
