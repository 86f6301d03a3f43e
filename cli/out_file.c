/*
 * out_file.c - output files written whole (see out_file.h), through
 * common/private_file.h: a private PATH.XXXXXX renamed over PATH.
 */
#include "out_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private_file.h"

static void out_file_release(struct out_file *o)
{
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
}

int out_file_open(struct out_file *o, const char *path, struct ms_err *err)
{
	memset(o, 0, sizeof(*o));
	if (!(o->path = strdup(path)))
		return ms_err_set(err, ENOMEM, "out of memory");
	int fd = private_create_temp(path, &o->tmp, err);
	if (fd >= 0 && !(o->f = fdopen(fd, "w"))) {
		ms_err_set(err, errno, "'%s': %s", path, strerror(errno));
		close(fd);
		unlink(o->tmp);
	}
	if (!o->f) {
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
	int e = closed ? (errno ? errno : EIO) : bad ? EIO : 0;
	o->f = NULL;
	int rc = 0;
	if (e) {
		rc = ms_err_set(err, e, "'%s': %s", o->path, strerror(e));
		unlink(o->tmp);
	} else {
		rc = private_commit(o->tmp, o->path, err);
	}
	out_file_release(o);
	return rc;
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
