/*
 * private_file.c - the files memsnap writes, created private (see
 * private_file.h).
 *
 * open()'s mode is cut by the umask; fchmod() then sets it exactly on a
 * file just made, so a umask of 0 or 077 gives the same 0600 file.  A lock
 * file may be someone else's: it is only opened.
 */
#include "private_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int private_open(int dirfd, const char *path, int flags)
{
	int fd = openat(dirfd, path, flags | O_CREAT | O_NOFOLLOW | O_CLOEXEC, MS_FILE_MODE);
	if (fd >= 0 && (flags & O_EXCL) && fchmod(fd, MS_FILE_MODE) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int private_create(int dirfd, const char *path)
{
	return private_open(dirfd, path, O_WRONLY | O_EXCL);
}

int private_create_temp(const char *path, char **tmp, struct ms_err *err)
{
	size_t n = strlen(path) + 8;
	*tmp = malloc(n);
	if (!*tmp)
		return ms_err_set(err, ENOMEM, "out of memory");
	snprintf(*tmp, n, "%s.XXXXXX", path);
	int fd = mkostemp(*tmp, O_CLOEXEC);  /* O_EXCL, mode 0600 */
	if (fd < 0 || fchmod(fd, MS_FILE_MODE) < 0) {
		int e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(*tmp);
		}
		ms_err_set(err, e, "'%s': %s", path, strerror(e));
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	return fd;
}

int private_commit(const char *tmp, const char *path, struct ms_err *err)
{
	if (rename(tmp, path) == 0)
		return 0;
	int e = errno;
	unlink(tmp);
	return ms_err_set(err, e, "'%s': %s", path, strerror(e));
}

int private_lock(const char *path, struct ms_err *err)
{
	for (;;) {
		int fd = private_open(AT_FDCWD, path, O_RDWR);
		if (fd < 0)
			return ms_err_set(err, errno, "'%s': %s", path, strerror(errno));
		int rc;
		while ((rc = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
			;
		if (rc < 0 && errno != ENOLCK && errno != EOPNOTSUPP) {
			int e = errno;
			close(fd);
			return ms_err_set(err, e, "locking '%s': %s", path, strerror(e));
		}
		/* a file system without locks (ENOLCK): on, as if held */
		struct stat held, now;
		if (fstat(fd, &held) == 0 && stat(path, &now) == 0 && held.st_dev == now.st_dev &&
		    held.st_ino == now.st_ino)
			return fd;
		close(fd); /* its holder removed it: lock the one there now */
	}
}

void private_unlock(const char *path, int fd)
{
	if (fd < 0)
		return;
	unlink(path);
	close(fd);
}

int private_mkdirs(const char *dir, struct ms_err *err)
{
	char *p = strdup(dir);
	if (!p)
		return ms_err_set(err, ENOMEM, "out of memory");
	int rc = 0;
	for (char *s = p + 1; rc == 0; s++) {
		if (*s && *s != '/')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, MS_DIR_MODE) < 0 && errno != EEXIST)
			rc = ms_err_set(err, errno, "'%s': %s", p, strerror(errno));
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return rc;
}
