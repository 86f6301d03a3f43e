/*
 * fuzz_stat.c - parse_stat() and parse_statm() (common/parse_stat.c, used
 * by the collector, info and the loader) on arbitrary text (see fuzz.h).
 */
#include "fuzz.h"
#include "parse_stat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_err err = MS_ERR_INIT;
	struct fuzz_rep f;
	fuzz_rep_init(&f, "stat: ", data, size);
	struct proc_stat st;
	int rc = parse_stat((const char *)data, size, &st, &f.rep, &err);
	if (f.stop && f.n >= f.stop)
		FUZZ_CHECK(rc == -1 && !strcmp(err.msg, "stop"));
	else
		FUZZ_CHECK(rc == 0 || (rc == -1 && err.msg && !strncmp(err.msg, "stat: ", 6)));
	if (rc == 0) {
		FUZZ_CHECK(strlen(st.comm) < sizeof(st.comm));
		FUZZ_CHECK(!(st.has & ~0x1ffu)); /* PS_* bits only */
		FUZZ_CHECK(st.has & PS_PROCESSOR || st.processor == 0); /* absent: no value */
	}
	/* the collector's call: no reporter, the same identity */
	struct proc_stat bare;
	struct ms_err e2 = MS_ERR_INIT;
	int rc2 = parse_stat((const char *)data, size, &bare, NULL, &e2);
	if (rc == 0)
		FUZZ_CHECK(rc2 == 0 && bare.pid == st.pid && bare.starttime == st.starttime &&
			   bare.has == st.has);
	ms_err_release(&e2);
	ms_err_release(&err);

	uint64_t sz, res;
	rc = parse_statm((const char *)data, size, &sz, &res, &err);
	FUZZ_CHECK(rc == 0 || (rc == -1 && err.msg));
	ms_err_release(&err);
	return 0;
}
