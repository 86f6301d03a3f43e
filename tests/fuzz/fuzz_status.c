/* fuzz_status.c - status_parse() (/proc/PID/status) on arbitrary text (see fuzz.h). */
#include "fuzz.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_err err = MS_ERR_INIT;
	struct fuzz_rep f;
	fuzz_rep_init(&f, "status:", data, size);
	struct proc_status st;
	int rc = status_parse((const char *)data, size, &st, &f.rep, &err);
	fuzz_rep_check(&f, rc, &err);
	/* its only errors of its own: an empty text, no memory */
	FUZZ_CHECK(rc == 0 || size == 0 || f.n == f.stop || err.code == ENOMEM);
	if (rc == 0) {
		fuzz_touch(st.name);
		fuzz_touch(st.cpus_allowed_list);
		fuzz_touch(st.mems_allowed_list);
		status_release(&st);
		FUZZ_CHECK(st.name == NULL && st.cpus_allowed_list == NULL &&
			   st.mems_allowed_list == NULL);
		status_release(&st); /* idempotent */
	} else {
		/* "*OUT holding nothing to free" */
		FUZZ_CHECK(st.name == NULL && st.cpus_allowed_list == NULL &&
			   st.mems_allowed_list == NULL);
	}
	ms_err_release(&err);
	return 0;
}
