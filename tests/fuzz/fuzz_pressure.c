/* fuzz_pressure.c - pressure_parse() (PSI files) on arbitrary text (see fuzz.h). */
#include <math.h>

#include "fuzz.h"
#include "pressure.h"

static int row(void *ctx, const struct pressure_row *r, struct ms_err *err)
{
	(void)err;
	FUZZ_CHECK(r->kind == PRESSURE_SOME || r->kind == PRESSURE_FULL);
	((int *)ctx)[r->kind]++;
	FUZZ_CHECK(isfinite(r->avg10) && isfinite(r->avg60) && isfinite(r->avg300));
	FUZZ_CHECK(r->line >= 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_err err = MS_ERR_INIT;
	struct fuzz_rep f;
	fuzz_rep_init(&f, "pressure:", data, size);
	int kinds[2] = { 0, 0 };
	int rc = pressure_parse((const char *)data, size, row, kinds, &f.rep, &err);
	fuzz_rep_check(&f, rc, &err);
	FUZZ_CHECK(kinds[0] <= 1 && kinds[1] <= 1); /* each kind once */
	ms_err_release(&err);
	return 0;
}
