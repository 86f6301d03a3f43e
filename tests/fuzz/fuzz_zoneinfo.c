/* fuzz_zoneinfo.c - zoneinfo_parse() on arbitrary text (see fuzz.h). */
#include "fuzz.h"
#include "zoneinfo.h"

static int row(void *ctx, const struct zoneinfo_row *r, struct ms_err *err)
{
	(void)err;
	FUZZ_CHECK(r->zone && r->key && r->line >= 1);
	FUZZ_CHECK(r->per_node == 0 || r->per_node == 1);
	*(size_t *)ctx += fuzz_touch(r->zone) + fuzz_touch(r->key);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_err err = MS_ERR_INIT;
	struct fuzz_rep f;
	fuzz_rep_init(&f, "zoneinfo:", data, size);
	size_t n = 0;
	int rc = zoneinfo_parse((const char *)data, size, row, &n, &f.rep, &err);
	fuzz_rep_check(&f, rc, &err);
	ms_err_release(&err);
	return 0;
}
