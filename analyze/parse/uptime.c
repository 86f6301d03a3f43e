/*
 * uptime.c - /proc/uptime parser (see uptime.h).
 *
 * Invariants: nothing reads past LEN; a NUL byte, a third word or a second
 * line is an error, never ignored; the decimals are read by
 * ms_scan_decimal() (scan.h), as PSI's are.
 */
#include "uptime.h"

#include <errno.h>
#include <string.h>

#include "scan.h"

int uptime_parse(const char *text, size_t len, struct uptime *out, struct ms_err *err)
{
	memset(out, 0, sizeof(*out));
	const char *eol;
	if (ms_one_line(text, len, "uptime", &eol, err) < 0)
		return -1;
	const char *p = text;
	if (ms_scan_decimal_word(&p, eol, &out->up_s) < 0 ||
	    ms_scan_decimal_word(&p, eol, &out->idle_s) < 0 || ms_skip_blank(p, eol) != eol) {
		memset(out, 0, sizeof(*out));
		return ms_err_set(err, EINVAL, "uptime:1: expected 'UP IDLE' (seconds, e.g. 3374.21 6645.66)");
	}
	return 0;
}
