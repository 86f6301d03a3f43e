/*
 * proc_read.c - read one /proc or /sys file (see proc_read.h).
 *
 * Reads land directly in the caller's buffer, which keeps its memory from
 * tick to tick: the hot path allocates only when a file is larger than any
 * seen before.
 */
#include "proc_read.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int proc_read_at(int dirfd, const char *rel, struct ms_buf *b, size_t cap,
		 int *truncated)
{
	*truncated = 0;
	ms_buf_reset(b);
	int fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	for (;;) {
		if (b->len >= cap) {
			/* one more byte tells "exactly CAP" from "longer" */
			char c;
			ssize_t r;
			do
				r = read(fd, &c, 1);
			while (r < 0 && errno == EINTR);
			if (r > 0)
				*truncated = 1;
			break;
		}
		if (b->alloc - b->len < 4096 + 1 && ms_buf_grow(b, 64 * 1024) < 0)
			goto fail;
		size_t room = b->alloc - b->len - 1;
		if (room > cap - b->len)
			room = cap - b->len;
		ssize_t r = read(fd, b->data + b->len, room);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
	}
	b->data[b->len] = '\0';
	close(fd);
	return 0;
fail:;
	int e = errno;
	close(fd);
	b->data[b->len] = '\0';
	errno = e;
	return -1;
}
