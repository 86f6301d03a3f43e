/*
 * loadavg.c - /proc/loadavg parser (see loadavg.h).
 *
 * Invariants: nothing reads past LEN; a NUL byte, a missing or extra word,
 * or a second line is an error, never ignored; the averages are read by
 * ms_scan_decimal() (scan.h), as PSI's are.
 */
#include "loadavg.h"

#include <errno.h>
#include <string.h>

#include "parse_num.h"
#include "scan.h"

/* "RUNNABLE/THREADS LAST_PID" at P (after the averages) to EOL. */
static int read_tasks(const char *p, const char *eol, struct loadavg *out)
{
	p = ms_skip_blank(p, eol);
	if (ms_scan_u64(&p, eol, &out->runnable) < 0 || p == eol || *p++ != '/' ||
	    ms_scan_u64(&p, eol, &out->threads) < 0 || p == eol || !ms_is_blank(*p))
		return -1;
	p = ms_skip_blank(p, eol);
	int neg = p < eol && *p == '-';
	uint64_t pid;
	p += neg;
	if (ms_scan_u64(&p, eol, &pid) < 0 || pid > INT64_MAX || ms_skip_blank(p, eol) != eol)
		return -1;
	out->last_pid = neg ? -(int64_t)pid : (int64_t)pid;
	return 0;
}

int loadavg_parse(const char *text, size_t len, struct loadavg *out, struct ms_err *err)
{
	memset(out, 0, sizeof(*out));
	const char *eol;
	if (ms_one_line(text, len, "loadavg", &eol, err) < 0)
		return -1;
	double *avg[3] = { &out->load1, &out->load5, &out->load15 };
	const char *p = text;
	int ok = 1;
	for (int i = 0; i < 3 && ok; i++)
		ok = ms_scan_decimal_word(&p, eol, avg[i]) == 0;
	if (!ok || read_tasks(p, eol, out) < 0) {
		memset(out, 0, sizeof(*out));
		return ms_err_set(err, EINVAL,
				  "loadavg:1: expected 'L1 L5 L15 RUNNABLE/THREADS LAST_PID'");
	}
	return 0;
}
