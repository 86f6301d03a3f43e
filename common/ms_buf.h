/*
 * ms_buf.h - a growable byte buffer (git's strbuf invariants).
 *
 * Invariants: b->data is never NULL after ms_buf_init() and is always
 * NUL-terminated at b->data[b->len]; b->len < b->alloc.  Growth is checked:
 * functions that grow return -1 (errno ENOMEM) instead of dying, because the
 * collector must close its bundle cleanly when memory runs out.
 */
#ifndef MS_BUF_H
#define MS_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct ms_buf {
	char *data;
	size_t len;
	size_t alloc;
};

/* Initialise with room for at least HINT bytes; -1 on ENOMEM. */
int ms_buf_init(struct ms_buf *b, size_t hint);
/* Make room for EXTRA more bytes beyond len; -1 on ENOMEM. */
int ms_buf_grow(struct ms_buf *b, size_t extra);
int ms_buf_add(struct ms_buf *b, const void *p, size_t n);
int ms_buf_addstr(struct ms_buf *b, const char *s);
int ms_buf_addf(struct ms_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ms_buf_vaddf(struct ms_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Empty the buffer, keeping its memory. */
void ms_buf_reset(struct ms_buf *b);
/* Give memory back when the buffer grew past KEEP bytes (after a big read). */
void ms_buf_shrink(struct ms_buf *b, size_t keep);
/* Free the memory; the struct may be re-initialised. */
void ms_buf_release(struct ms_buf *b);

#endif
