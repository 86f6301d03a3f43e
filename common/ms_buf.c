/*
 * ms_buf.c - growable byte buffer (see ms_buf.h for invariants).
 */
#include "ms_buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ms_buf_init(struct ms_buf *b, size_t hint)
{
	b->len = 0;
	b->alloc = hint < 64 ? 64 : hint;
	b->data = malloc(b->alloc);
	if (!b->data) {
		b->alloc = 0;
		errno = ENOMEM;
		return -1;
	}
	b->data[0] = '\0';
	return 0;
}

int ms_buf_grow(struct ms_buf *b, size_t extra)
{
	if (extra >= SIZE_MAX / 2 - b->len) {
		errno = ENOMEM;
		return -1;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->alloc)
		return 0;
	size_t n = b->alloc ? b->alloc : 64;
	while (n < need)
		n = n / 2 * 3 + 64;
	char *p = realloc(b->data, n);
	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	b->data = p;
	b->alloc = n;
	return 0;
}

int ms_buf_add(struct ms_buf *b, const void *p, size_t n)
{
	if (ms_buf_grow(b, n) < 0)
		return -1;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int ms_buf_addstr(struct ms_buf *b, const char *s)
{
	return ms_buf_add(b, s, strlen(s));
}

int ms_buf_vaddf(struct ms_buf *b, const char *fmt, va_list ap)
{
	for (;;) {
		size_t room = b->alloc - b->len;
		va_list aq;
		va_copy(aq, ap);
		int n = vsnprintf(b->data + b->len, room, fmt, aq);
		va_end(aq);
		if (n < 0)
			return -1;
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return 0;
		}
		if (ms_buf_grow(b, (size_t)n) < 0) {
			b->data[b->len] = '\0';
			return -1;
		}
	}
}

int ms_buf_addf(struct ms_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = ms_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void ms_buf_reset(struct ms_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void ms_buf_shrink(struct ms_buf *b, size_t keep)
{
	if (b->alloc <= keep || b->len >= keep)
		return;
	char *p = realloc(b->data, keep);
	if (p) {
		b->data = p;
		b->alloc = keep;
	}
}

void ms_buf_release(struct ms_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
}
