/*
 * ms_err.h - errors as values.
 *
 * Lower layers never print or exit: they fill a caller-owned struct ms_err
 * and return -1.  Only cmd_*() and main() print, in one line:
 *     memsnap: collect: 'x.tar.zst': File exists
 * The message is heap-allocated and owned by the struct; ms_err_release()
 * frees it.  A struct ms_err must start zeroed (MS_ERR_INIT).
 */
#ifndef MS_ERR_H
#define MS_ERR_H

#include <stdarg.h>

struct ms_err {
	int code;  /* errno-style code, 0 when unset */
	char *msg; /* owned; NULL when unset */
};

#define MS_ERR_INIT { 0, NULL }

/* Set the error (replacing any previous one); returns -1 for tail calls. */
int ms_err_set(struct ms_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same with a va_list. */
int ms_err_vset(struct ms_err *err, int code, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Prefix the current message with "PREFIX: "; returns -1. */
int ms_err_prefix(struct ms_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The message, or "unknown error" when none was set. Borrowed. */
const char *ms_err_msg(const struct ms_err *err);

void ms_err_release(struct ms_err *err);

#endif
