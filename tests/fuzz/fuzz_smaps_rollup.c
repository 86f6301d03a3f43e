/* fuzz_smaps_rollup.c - smaps_rollup_parse() on arbitrary text (see fuzz.h). */
#include "fuzz.h"
#include "smaps_rollup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_err err = MS_ERR_INIT;
	struct smaps_rollup r;
	int rc = smaps_rollup_parse((const char *)data, size, &r, &err);
	fuzz_check_err(rc, &err, "smaps_rollup:");
	if (rc == 0) {
		const int64_t *f = &r.f.size;
		for (size_t i = 0; i < sizeof(r.f) / sizeof(*f); i++)
			FUZZ_CHECK(f[i] >= -1);
	}
	ms_err_release(&err);
	return 0;
}
