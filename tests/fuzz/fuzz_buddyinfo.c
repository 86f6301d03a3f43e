/* fuzz_buddyinfo.c - buddyinfo_parse() on arbitrary text (see fuzz.h). */
#include "buddyinfo.h"
#include "fuzz.h"

static int row(void *ctx, const struct buddyinfo_row *r, struct ms_err *err)
{
	(void)err;
	FUZZ_CHECK(r->order >= 0 && r->line >= 1);
	*(size_t *)ctx += fuzz_touch(r->zone);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_err err = MS_ERR_INIT;
	struct fuzz_rep f;
	fuzz_rep_init(&f, "buddyinfo:", data, size);
	size_t n = 0;
	int rc = buddyinfo_parse((const char *)data, size, row, &n, &f.rep, &err);
	fuzz_rep_check(&f, rc, &err);
	ms_err_release(&err);
	return 0;
}
