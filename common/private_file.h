/*
 * private_file.h - how memsnap creates the files it writes.
 *
 * Bundles, analysis databases, HTML reports, redaction mappings and lock
 * files all hold (or sit beside) command lines and host names: every one
 * is created through these functions, mode MS_FILE_MODE whatever the
 * umask, never through a symbolic link; the directories memsnap makes
 * (its cache) are MS_DIR_MODE.  The one owner of those modes.
 */
#ifndef PRIVATE_FILE_H
#define PRIVATE_FILE_H

#include "ms_err.h"

#define MS_FILE_MODE 0600
#define MS_DIR_MODE 0700

/* A new file DIRFD/PATH (AT_FDCWD: PATH as it is), open for writing:
 * never an existing file (O_EXCL), never through a link.  The fd, or -1
 * with errno set. */
int private_create(int dirfd, const char *path);

/* For a writer that replaces PATH once complete: a new private file beside
 * it, named PATH.XXXXXX (unique: writers of one PATH at the same time do
 * not meet), its name in *TMP (malloc'd).  The fd, or -1 with ERR naming
 * PATH. */
int private_create_temp(const char *path, char **tmp, struct ms_err *err);

/* TMP renamed over PATH: readers see the old file or the new one, whole.
 * On failure TMP is removed and ERR names PATH. */
int private_commit(const char *tmp, const char *path, struct ms_err *err);

/* The lock file PATH (created when absent, never through a link) held
 * exclusively (flock), once whoever holds it lets go.  The fd, or -1 with
 * ERR naming the file.  Release it with private_unlock(), which removes
 * the file: a waiter that then holds a removed file sees it and locks the
 * one at PATH again, so no lock file is left behind.  On a file system
 * that has no locks (ENOLCK) it goes on as if it held one. */
int private_lock(const char *path, struct ms_err *err);
void private_unlock(const char *path, int fd);

/* DIR and its missing parents made (mode MS_DIR_MODE); -1 with ERR. */
int private_mkdirs(const char *dir, struct ms_err *err);

#endif
