/*
 * cmdline.c - /proc/PID/cmdline parser (see cmdline.h).
 */
#include "cmdline.h"

#include <errno.h>

#include "scan.h"

int cmdline_parse(const char *text, size_t len, struct ms_buf *out, struct ms_err *err)
{
	if (ms_text_one_string(text, len, out) < 0)
		return ms_err_set(err, ENOMEM, "cmdline: out of memory");
	return 0;
}
