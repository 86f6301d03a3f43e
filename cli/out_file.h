/*
 * out_file.h - an output file written whole or not at all, as a stdio
 * stream: a private file beside PATH (common/private_file.h: mode 0600,
 * never through a link, never an existing file), renamed over PATH when
 * everything was written.  Reports, fleet pages and export files hold
 * command lines and host names: only their owner reads them.
 */
#ifndef OUT_FILE_H
#define OUT_FILE_H

#include <stdio.h>

#include "ms_err.h"

struct out_file {
	char *path, *tmp;        /* owned */
	FILE *f;                 /* write here */
};

/* Create the temporary file beside PATH (PATH.XXXXXX). */
int out_file_open(struct out_file *o, const char *path, struct ms_err *err);
/* Close and rename over PATH; the temporary file is removed on failure. */
int out_file_commit(struct out_file *o, struct ms_err *err);
/* Close and remove the temporary file (after a failure elsewhere). */
void out_file_abort(struct out_file *o);

/* PATH written by FN(F, CTX, ERR) through the steps above. */
typedef int (*out_file_fn)(FILE *f, void *ctx, struct ms_err *err);
int out_file_write(const char *path, out_file_fn fn, void *ctx, struct ms_err *err);

#endif
