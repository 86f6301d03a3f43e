/*
 * parse_stat.c - /proc/PID/stat and /proc/PID/statm parsers.
 *
 * Field numbers follow proc(5) (1-based): 1 pid, 2 (comm), 3 state, 4 ppid,
 * 10 minflt, 12 majflt, 14 utime, 15 stime, 20 num_threads, 22 starttime,
 * 23 vsize, 24 rss, 39 processor.  Kernels older than 2.6.x stop before 39:
 * processor is then absent.  Negative values appear only in signed fields;
 * unsigned ones may exceed INT64_MAX (rsslim, field 25, is often 2^64-1).
 */
#include "parse_stat.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "parse_num.h"

/* the fields kept besides the identity, by field number: bit (0: not
 * kept), member, signed */
#define KEPT_FIELDS 40
static const struct {
	unsigned bit;
	size_t off;
	int is_signed;
} kept[KEPT_FIELDS] = {
	[4] = { PS_PPID, offsetof(struct proc_stat, ppid), 1 },
	[10] = { PS_MINFLT, offsetof(struct proc_stat, minflt), 0 },
	[12] = { PS_MAJFLT, offsetof(struct proc_stat, majflt), 0 },
	[14] = { PS_UTIME, offsetof(struct proc_stat, utime), 0 },
	[15] = { PS_STIME, offsetof(struct proc_stat, stime), 0 },
	[20] = { PS_NUM_THREADS, offsetof(struct proc_stat, num_threads), 1 },
	[23] = { PS_VSIZE, offsetof(struct proc_stat, vsize), 0 },
	[24] = { PS_RSS, offsetof(struct proc_stat, rss), 1 },
	[39] = { PS_PROCESSOR, offsetof(struct proc_stat, processor), 1 },
};

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

/* The word at *P (fields are separated by one space) as field FIELD: into
 * OUT when kept and well formed; *P past the word.  Returns 1 (stored or
 * not kept), 0 (a malformed word: reported), -1 (REP stopped). */
static int stat_field(const char **p, const char *end, int field, struct proc_stat *out,
		      const struct ms_report *rep, struct ms_err *err)
{
	const char *w = *p, *e = w + (w < end && *w == '-');
	int neg = e > w;
	uint64_t u;
	int ok = ms_scan_u64(&e, end, &u) == 0 && (e == end || *e == ' ' || *e == '\n');
	if (!ok) /* the whole word, for the report */
		for (e = w; e < end && *e != ' ' && *e != '\n'; e++)
			;
	*p = e;
	int is_kept = field < KEPT_FIELDS && kept[field].bit;
	if (ok && is_kept) {
		void *slot = (char *)out + kept[field].off;
		if (kept[field].is_signed && u <= (uint64_t)INT64_MAX)
			*(int64_t *)slot = neg ? -(int64_t)u : (int64_t)u;
		else if (!kept[field].is_signed && !neg)
			*(uint64_t *)slot = u;
		else
			ok = 0;
		out->has |= ok ? kept[field].bit : 0;
	}
	if (ok)
		return 1;
	return ms_report(rep, err, "stat: field %d is not a number%s: '%.*s'", field,
			 is_kept ? "; stored as NULL" : "", (int)(e - w > 24 ? 24 : e - w), w) < 0
		       ? -1 : 0;
}

int parse_stat(const char *text, size_t len, struct proc_stat *out,
	       const struct ms_report *rep, struct ms_err *err)
{
	const char *end = text + len, *p = text;
	memset(out, 0, sizeof(*out));
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
	for (; p < end && *p != '\n'; field++) {
		if (field == 22) { /* the identity's: no stat without it */
			if (ms_scan_u64(&p, end, &out->starttime) < 0 ||
			    (p < end && *p != ' ' && *p != '\n'))
				return ms_err_set(err, EINVAL,
						  "stat: field 22 (starttime) is not a number");
		} else if (stat_field(&p, end, field, out, rep, err) < 0) {
			return -1;
		}
		if (p < end && *p == ' ')
			p++;
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
