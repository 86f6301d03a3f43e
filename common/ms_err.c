/*
 * ms_err.c - errors as values (see ms_err.h).
 *
 * Allocation failure while formatting a message falls back to a static
 * text: an error path must never fail itself.
 */
#include "ms_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Messages quote bundle data (member names, file text) and end on a
 * terminal: control characters (but tab) are written as \xNN, so that an
 * escape sequence in a hostile bundle is shown, never obeyed. */
static char *defang(char *s)
{
	size_t n = 0, extra = 0;
	for (; s[n]; n++)
		extra += ((unsigned char)s[n] < 0x20 && s[n] != '\t') || s[n] == 0x7f ? 3 : 0;
	if (!extra)
		return s;
	char *d = malloc(n + extra + 1), *o = d;
	if (!d)
		return s;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			o += snprintf(o, 5, "\\x%02x", c);
		else
			*o++ = (char)c;
	}
	*o = '\0';
	free(s);
	return d;
}

static char *vformat(const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (s) {
		vsnprintf(s, (size_t)n + 1, fmt, ap);
		s = defang(s);
	}
	return s;
}

int ms_err_set(struct ms_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ms_err_vset(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int ms_err_vset(struct ms_err *err, int code, const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	char *s = vformat(fmt, ap);
	free(err->msg);
	err->msg = s;
	err->code = code ? code : -1;
	return -1;
}

int ms_err_prefix(struct ms_err *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	char *p = vformat(fmt, ap);
	va_end(ap);
	if (!p)
		return -1;
	const char *old = ms_err_msg(err);
	size_t n = strlen(p) + 2 + strlen(old) + 1;
	char *s = malloc(n);
	if (s) {
		snprintf(s, n, "%s: %s", p, old);
		free(err->msg);
		err->msg = s;
	}
	free(p);
	if (!err->code)
		err->code = -1;
	return -1;
}

const char *ms_err_msg(const struct ms_err *err)
{
	if (err && err->msg)
		return err->msg;
	return "unknown error (out of memory while reporting it)";
}

void ms_err_release(struct ms_err *err)
{
	free(err->msg);
	err->msg = NULL;
	err->code = 0;
}
