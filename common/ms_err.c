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

static char *vformat(const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

int ms_err_set(struct ms_err *err, int code, const char *fmt, ...)
{
	if (!err)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	char *s = vformat(fmt, ap);
	va_end(ap);
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
