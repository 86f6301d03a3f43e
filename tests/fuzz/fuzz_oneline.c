/*
 * fuzz_oneline.c - the parsers of the small files: uptime_parse(),
 * loadavg_parse(), oom_score_parse() (oom_score and oom_score_adj),
 * comm_parse() and cmdline_parse(), on arbitrary text; the first byte
 * picks the parser (its value modulo 5, in that order).  Invariants: an
 * error names its file and leaves the output zeroed; a comm or cmdline is
 * one C string of the length it says, with no trailing newline or NUL.
 */
#include "cmdline.h"
#include "comm.h"
#include "fuzz.h"
#include "loadavg.h"
#include "oom_score.h"
#include "uptime.h"

static void one_string(int (*parse)(const char *, size_t, struct ms_buf *, struct ms_err *),
		       const char *text, size_t len)
{
	struct ms_buf out;
	struct ms_err err = MS_ERR_INIT;
	FUZZ_CHECK(ms_buf_init(&out, 16) == 0);
	FUZZ_CHECK(parse(text, len, &out, &err) == 0 && err.msg == NULL);
	FUZZ_CHECK(out.len <= len && strlen(out.data) == out.len);
	FUZZ_CHECK(!out.len || out.data[out.len - 1] != '\n');
	ms_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	struct ms_err err = MS_ERR_INIT;
	int rc;
	switch (data[0] % 5) {
	case 0: {
		struct uptime u;
		rc = uptime_parse(text, len, &u, &err);
		fuzz_check_err(rc, &err, "uptime:");
		FUZZ_CHECK(rc == 0 ? u.up_s >= 0 && u.idle_s >= 0 : u.up_s == 0 && u.idle_s == 0);
		break;
	}
	case 1: {
		struct loadavg a;
		rc = loadavg_parse(text, len, &a, &err);
		fuzz_check_err(rc, &err, "loadavg:");
		FUZZ_CHECK(rc == 0 || (a.load1 == 0 && a.threads == 0 && a.last_pid == 0));
		break;
	}
	case 2: {
		int64_t v;
		rc = oom_score_parse(text, len, &v, &err);
		fuzz_check_err(rc, &err, "oom_score:");
		FUZZ_CHECK(rc == 0 || v == 0);
		break;
	}
	case 3:
		one_string(comm_parse, text, len);
		break;
	default:
		one_string(cmdline_parse, text, len);
		break;
	}
	ms_err_release(&err);
	return 0;
}
