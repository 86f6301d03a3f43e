/*
 * faultfs.c - an LD_PRELOAD shim for the collector tests: makes chosen
 * files behave as /proc does when a process exits or a PID is reused
 * while the collector reads it.  Built at test time (cc -shared); not part
 * of memsnap.
 *
 *   MS_FAULT_READ=SUFFIX     reads of the file whose path ends in SUFFIX
 *   MS_FAULT_AFTER=N         deliver its first N bytes, then fail ...
 *   MS_FAULT_ERRNO=ESRCH     ... with this errno (ESRCH, ENOENT or EIO)
 *   MS_FAULT_SWAP=SUFFIX     the K-th open of the file ending in SUFFIX ...
 *   MS_FAULT_SWAP_AT=K       ... (1-based) opens instead ...
 *   MS_FAULT_SWAP_TO=PATH    ... this file
 *   MS_FAULT_LOG=FILE        one line per fault injected ("read SUFFIX",
 *                            "swap SUFFIX"), so a test knows it happened
 *
 * Paths are matched on what the file descriptor resolves to
 * (/proc/self/fd/N), so openat() through directory descriptors is seen.
 * Stateless for reads (the offset says how much was delivered); opens are
 * counted in the process.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static int swap_count;

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

static void log_fault(const char *what, const char *suffix)
{
	const char *log = getenv("MS_FAULT_LOG");
	if (!log)
		return;
	int saved = errno;
	FILE *f = fopen(log, "a");
	if (f) {
		fprintf(f, "%s %s\n", what, suffix);
		fclose(f);
	}
	errno = saved;
}

/* the path FD refers to, or "" */
static void fd_path(int fd, char *buf, size_t n)
{
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t r = readlink(link, buf, n - 1);
	buf[r > 0 ? r : 0] = '\0';
}

static int errno_named(const char *s)
{
	if (s && !strcmp(s, "ENOENT"))
		return ENOENT;
	if (s && !strcmp(s, "EIO"))
		return EIO;
	return ESRCH;
}

ssize_t read(int fd, void *buf, size_t count)
{
	static ssize_t (*real_read)(int, void *, size_t);
	if (!real_read)
		real_read = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	const char *target = getenv("MS_FAULT_READ");
	if (target) {
		char path[4096];
		fd_path(fd, path, sizeof(path));
		if (ends_with(path, target)) {
			long after = atol(getenv("MS_FAULT_AFTER") ? getenv("MS_FAULT_AFTER") : "0");
			off_t pos = lseek(fd, 0, SEEK_CUR);
			if (pos >= after) {
				log_fault("read", target);
				errno = errno_named(getenv("MS_FAULT_ERRNO"));
				return -1;
			}
			if ((off_t)count > after - pos)
				count = (size_t)(after - pos);
		}
	}
	return real_read(fd, buf, count);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	static int (*real_openat)(int, const char *, int, ...);
	if (!real_openat)
		real_openat = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
	mode_t mode = 0;
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	int fd = real_openat(dirfd, path, flags, mode);
	const char *target = getenv("MS_FAULT_SWAP"), *to = getenv("MS_FAULT_SWAP_TO");
	if (fd < 0 || !target || !to)
		return fd;
	char full[4096];
	fd_path(fd, full, sizeof(full));
	if (!ends_with(full, target) || ++swap_count != atoi(getenv("MS_FAULT_SWAP_AT") ?
							      getenv("MS_FAULT_SWAP_AT") : "1"))
		return fd;
	close(fd);
	log_fault("swap", target);
	return real_openat(AT_FDCWD, to, flags, mode);
}
