/* fuzz_proc_cgroup.c - proc_cgroup_parse() on arbitrary text (see fuzz.h). */
#include "fuzz.h"
#include "proc_cgroup.h"

static int row(void *ctx, const struct proc_cgroup_row *r, struct ms_err *err)
{
	(void)err;
	FUZZ_CHECK(r->controllers && r->path && r->line >= 1);
	*(size_t *)ctx += fuzz_touch(r->controllers) + fuzz_touch(r->path);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_err err = MS_ERR_INIT;
	struct fuzz_rep f;
	fuzz_rep_init(&f, "proc_cgroup:", data, size);
	size_t n = 0;
	int rc = proc_cgroup_parse((const char *)data, size, row, &n, &f.rep, &err);
	fuzz_rep_check(&f, rc, &err);
	FUZZ_CHECK(rc == -1 || !err.msg); /* no whole-file error but memory */
	ms_err_release(&err);
	return 0;
}
