/*
 * parse_stat.c - /proc/PID/stat and /proc/PID/statm parsers.
 *
 * Field numbers follow proc(5) (1-based): 1 pid, 2 (comm), 3 state, 4 ppid,
 * 10 minflt, 12 majflt, 14 utime, 15 stime, 20 num_threads, 22 starttime,
 * 23 vsize, 24 rss, 39 processor.  Kernels older than 2.6.x stop before 39:
 * processor is then -1.  Negative values appear only in signed fields.
 */
#include "parse_stat.h"

#include <errno.h>
#include <string.h>

#include "parse_num.h"

static int scan_i64(const char **p, const char *end, int64_t *out)
{
	int neg = 0;
	uint64_t v;
	if (*p < end && **p == '-') {
		neg = 1;
		(*p)++;
	}
	if (ms_scan_u64(p, end, &v) < 0 || v > (uint64_t)INT64_MAX)
		return -1;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

int parse_stat(const char *text, size_t len, struct proc_stat *out,
	       struct ms_err *err)
{
	const char *end = text + len, *p = text;
	memset(out, 0, sizeof(*out));
	out->processor = -1;
	if (scan_i64(&p, end, &out->pid) < 0 || p + 2 > end || p[0] != ' ' || p[1] != '(')
		return ms_err_set(err, EINVAL, "stat: expected 'PID (comm)' at the start");
	const char *lp = p + 2, *rp = NULL;
	for (const char *q = end; q > lp; q--)
		if (q[-1] == ')') {
			rp = q - 1;
			break;
		}
	if (!rp)
		return ms_err_set(err, EINVAL, "stat: no ')' closing the command name");
	size_t n = (size_t)(rp - lp);
	if (n >= sizeof(out->comm))
		n = sizeof(out->comm) - 1;
	memcpy(out->comm, lp, n);
	out->comm[n] = '\0';
	p = rp + 1;
	/* fields 3.. are space-separated; field 3 is a single character */
	if (p + 3 > end || p[0] != ' ' || p[2] != ' ')
		return ms_err_set(err, EINVAL, "stat: expected the state after the command name");
	out->state = p[1];
	p += 3;
	int field = 4;
	while (p < end && *p != '\n') {
		/* unsigned fields can exceed INT64_MAX (rsslim is often
		 * 2^64-1); signed ones can be negative: take both shapes */
		int neg = p < end && *p == '-';
		uint64_t u;
		p += neg;
		if (ms_scan_u64(&p, end, &u) < 0)
			return ms_err_set(err, EINVAL, "stat: field %d is not a number", field);
		int64_t v = neg ? -(int64_t)(u & INT64_MAX) : (int64_t)(u & INT64_MAX);
		switch (field) {
		case 4: out->ppid = v; break;
		case 10: out->minflt = u; break;
		case 12: out->majflt = u; break;
		case 14: out->utime = u; break;
		case 15: out->stime = u; break;
		case 20: out->num_threads = v; break;
		case 22: out->starttime = u; break;
		case 23: out->vsize = u; break;
		case 24: out->rss = v; break;
		case 39: out->processor = v; break;
		default: break;
		}
		if (p < end && *p == ' ')
			p++;
		else if (p < end && *p != '\n')
			return ms_err_set(err, EINVAL, "stat: field %d is not a number", field);
		field++;
	}
	if (field <= 22)
		return ms_err_set(err, EINVAL, "stat: only %d fields, need at least 22", field - 1);
	return 0;
}

int parse_statm(const char *text, size_t len, uint64_t *size,
		uint64_t *resident, struct ms_err *err)
{
	const char *p = text, *end = text + len;
	if (ms_scan_u64(&p, end, size) < 0 || p >= end || *p++ != ' ' ||
	    ms_scan_u64(&p, end, resident) < 0)
		return ms_err_set(err, EINVAL, "statm: expected 'size resident ...' page counts");
	return 0;
}
