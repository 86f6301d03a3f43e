/* fuzz_smaps_rollup.c - smaps_rollup_parse() on arbitrary text (see fuzz.h). */
#include "fuzz.h"
#include "smaps_rollup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_err err = MS_ERR_INIT;
	struct fuzz_rep f;
	fuzz_rep_init(&f, "smaps_rollup:", data, size);
	struct smaps_rollup r;
	int rc = smaps_rollup_parse((const char *)data, size, &r, &f.rep, &err);
	fuzz_rep_check(&f, rc, &err);
	/* the only error of its own: an empty text */
	FUZZ_CHECK(rc == 0 || size == 0 || f.n == f.stop);
	if (rc == 0) {
		const int64_t *t = &r.f.size;
		for (size_t i = 0; i < sizeof(r.f) / sizeof(*t); i++)
			FUZZ_CHECK(t[i] >= -1);
	}
	ms_err_release(&err);
	return 0;
}
