/*
 * fuzz_stat.c - parse_stat() and parse_statm() (common/parse_stat.c, used
 * by the collector, info and the loader) on arbitrary text (see fuzz.h).
 */
#include "fuzz.h"
#include "parse_stat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_err err = MS_ERR_INIT;
	struct proc_stat st;
	int rc = parse_stat((const char *)data, size, &st, &err);
	FUZZ_CHECK(rc == 0 || (rc == -1 && err.msg));
	if (rc == 0)
		FUZZ_CHECK(strlen(st.comm) < sizeof(st.comm));
	ms_err_release(&err);

	uint64_t sz, res;
	rc = parse_statm((const char *)data, size, &sz, &res, &err);
	FUZZ_CHECK(rc == 0 || (rc == -1 && err.msg));
	ms_err_release(&err);
	return 0;
}
