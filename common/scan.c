/*
 * scan.c - the scanning steps the /proc parsers share (see scan.h).
 *
 * ms_scan_decimal() reads "DIGITS[.DIGITS]" as the integer DIGITS*10^k +
 * FRACTION divided by 10^k: one correctly rounded division while both fit
 * in 2^53, which is what strtod() returns for such a text.
 */
#include "scan.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "parse_num.h"

int ms_scan_decimal(const char *p, const char *end, double *out)
{
	static const uint64_t pow10[] = {
		1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
		1000000000, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
		10000000000000ULL, 100000000000000ULL, 1000000000000000ULL,
	};
	uint64_t ip, fp = 0;
	int digits = 0;
	if (ms_scan_u64(&p, end, &ip) < 0)
		return -1;
	if (p < end && *p == '.') {
		const char *f = ++p;
		if (ms_scan_u64(&p, end, &fp) < 0 || p - f > 15)
			return -1;
		digits = (int)(p - f);
	}
	if (p != end)
		return -1;
	const uint64_t exact = 1ULL << 53;
	if (ip <= (exact - fp) / pow10[digits])
		*out = (double)(ip * pow10[digits] + fp) / (double)pow10[digits];
	else
		*out = (double)ip + (double)fp / (double)pow10[digits];
	return 0;
}

int ms_scan_decimal_word(const char **p, const char *end, double *out)
{
	const char *w = ms_skip_blank(*p, end), *e = ms_word_end(w, end);
	*p = e;
	return w < e ? ms_scan_decimal(w, e, out) : -1;
}

int ms_nul_line(const char *text, size_t len)
{
	const char *nul = len ? memchr(text, '\0', len) : NULL;
	if (!nul)
		return 0;
	int line = 1;
	for (const char *q = text; q < nul; q++)
		line += *q == '\n';
	return line;
}

int ms_report(const struct ms_report *rep, struct ms_err *err, const char *fmt, ...)
{
	if (!rep)
		return 0;
	struct ms_err problem = MS_ERR_INIT;
	va_list ap;
	va_start(ap, fmt);
	ms_err_vset(&problem, EINVAL, fmt, ap);
	va_end(ap);
	return ms_report_err(rep, &problem, err);
}

int ms_report_err(const struct ms_report *rep, struct ms_err *problem, struct ms_err *err)
{
	int rc = rep ? rep->fn(rep->ctx, ms_err_msg(problem), err) : 0;
	ms_err_release(problem);
	return rc < 0 ? -1 : 0;
}

void ms_lines_init(struct ms_lines *l, const char *text, size_t len, int max, const char *what,
		   const struct ms_report *rep)
{
	*l = (struct ms_lines){ text, text + len, 0, max, what,
				len ? memchr(text, '\0', len) : NULL, rep, 0, 0 };
}

int ms_line_refuse(struct ms_lines *l, const char *p, const char *e, struct ms_err *err)
{
	int rc;
	l->refused++;
	if (e - p > l->max)
		rc = ms_report(l->rep, err, "%s:%d: line longer than %d bytes", l->what, l->line,
			       l->max);
	else
		rc = ms_report(l->rep, err, "%s:%d: NUL byte", l->what, l->line);
	if (l->nul && l->nul < e)
		l->nul = e < l->end ? memchr(e, '\0', (size_t)(l->end - e)) : NULL;
	return rc;
}

int ms_one_line(const char *text, size_t len, const char *what, const char **eol,
		struct ms_err *err)
{
	int nul = ms_nul_line(text, len);
	if (nul)
		return ms_err_set(err, EINVAL, "%s:%d: NUL byte", what, nul);
	const char *end = text + len, *e = len ? memchr(text, '\n', len) : NULL;
	if (e && e + 1 != end)
		return ms_err_set(err, EINVAL, "%s:2: unexpected text after the first line", what);
	*eol = e ? e : end;
	return 0;
}

int ms_text_one_string(const char *text, size_t len, struct ms_buf *out)
{
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\0'))
		len--;
	ms_buf_reset(out);
	if (ms_buf_add(out, text, len) < 0)
		return -1;
	for (size_t i = 0; i < len; i++)
		if (out->data[i] == '\0')
			out->data[i] = ' ';
	return 0;
}
