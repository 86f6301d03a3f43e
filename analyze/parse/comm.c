/*
 * comm.c - /proc/PID/comm parser (see comm.h).
 */
#include "comm.h"

#include <errno.h>

#include "scan.h"

int comm_parse(const char *text, size_t len, struct ms_buf *out, struct ms_err *err)
{
	if (ms_text_one_string(text, len, out) < 0)
		return ms_err_set(err, ENOMEM, "comm: out of memory");
	return 0;
}
