/* fuzz_cgroup_value.c - cgroup_value_parse() on arbitrary text (see fuzz.h). */
#include "cgroup_value.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_err err = MS_ERR_INIT;
	struct cgroup_value v;
	int rc = cgroup_value_parse((const char *)data, size, &v, &err);
	fuzz_check_err(rc, &err, "cgroup_value:");
	if (rc == 0) {
		FUZZ_CHECK(!v.unlimited || (v.value == INT64_MAX && !v.big));
		/* a value above INT64_MAX comes in BIG, INT64_MAX in VALUE */
		FUZZ_CHECK(!v.big || (v.big > INT64_MAX && v.value == INT64_MAX));
	} else {
		FUZZ_CHECK(v.value == 0 && v.big == 0 && !v.unlimited);
	}
	ms_err_release(&err);
	return 0;
}
