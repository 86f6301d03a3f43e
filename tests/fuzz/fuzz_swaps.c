/* fuzz_swaps.c - swaps_parse() on arbitrary text (see fuzz.h). */
#include "fuzz.h"
#include "swaps.h"

static int row(void *ctx, const struct swaps_row *r, struct ms_err *err)
{
	(void)err;
	FUZZ_CHECK(r->filename && r->type && r->line >= 2);
	*(size_t *)ctx += fuzz_touch(r->filename) + fuzz_touch(r->type);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_err err = MS_ERR_INIT;
	struct fuzz_rep f;
	fuzz_rep_init(&f, "swaps:", data, size);
	size_t n = 0;
	int rc = swaps_parse((const char *)data, size, row, &n, &f.rep, &err);
	fuzz_rep_check(&f, rc, &err);
	ms_err_release(&err);
	return 0;
}
