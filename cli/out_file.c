/*
 * out_file.c - output files written whole (see out_file.h).
 */
#include "out_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void out_file_release(struct out_file *o)
{
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
}

int out_file_open(struct out_file *o, const char *path, struct ms_err *err)
{
	memset(o, 0, sizeof(*o));
	size_t n = strlen(path) + 5;
	o->path = strdup(path);
	o->tmp = malloc(n);
	if (!o->path || !o->tmp) {
		out_file_release(o);
		return ms_err_set(err, ENOMEM, "out of memory");
	}
	snprintf(o->tmp, n, "%s.tmp", path);
	unlink(o->tmp);
	int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		int e = errno;
		ms_err_set(err, e, "'%s': %s", o->tmp, strerror(e));
		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		out_file_release(o);
		return -1;
	}
	return 0;
}

int out_file_commit(struct out_file *o, struct ms_err *err)
{
	int bad = ferror(o->f);
	errno = 0;
	int closed = fclose(o->f);
	int e = closed ? (errno ? errno : EIO) : bad ? EIO : 0, rc = e != 0;
	o->f = NULL;
	if (rc == 0 && rename(o->tmp, o->path) < 0) {
		e = errno;
		rc = 1;
	}
	if (rc) {
		ms_err_set(err, e, "'%s': %s", o->path, strerror(e));
		unlink(o->tmp);
	}
	out_file_release(o);
	return rc ? -1 : 0;
}

void out_file_abort(struct out_file *o)
{
	if (o->f)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	out_file_release(o);
}

int out_file_write(const char *path, out_file_fn fn, void *ctx, struct ms_err *err)
{
	struct out_file o;
	if (out_file_open(&o, path, err) < 0)
		return -1;
	if (fn(o.f, ctx, err) < 0) {
		ms_err_prefix(err, "'%s'", path);
		out_file_abort(&o);
		return -1;
	}
	return out_file_commit(&o, err);
}
