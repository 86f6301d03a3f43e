/* fuzz_pressure.c - pressure_parse() (PSI files) on arbitrary text (see fuzz.h). */
#include <math.h>

#include "fuzz.h"
#include "pressure.h"

static int row(void *ctx, const struct pressure_row *r, struct ms_err *err)
{
	(void)ctx;
	(void)err;
	FUZZ_CHECK(r->kind == PRESSURE_SOME || r->kind == PRESSURE_FULL);
	FUZZ_CHECK(isfinite(r->avg10) && isfinite(r->avg60) && isfinite(r->avg300));
	FUZZ_CHECK(r->line >= 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_err err = MS_ERR_INIT;
	int rc = pressure_parse((const char *)data, size, row, NULL, &err);
	fuzz_check_err(rc, &err, "pressure:");
	ms_err_release(&err);
	return 0;
}
