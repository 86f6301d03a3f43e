/*
 * bundle_arg.c - a directory or a database where a bundle is expected
 * (see bundle_arg.h).
 */
#include "bundle_arg.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* the commands that take an analysis database as well as a bundle */
static const char *const take_db[] = { "analyze", "report", "query" };
/* ... and a directory: a recording (common/recording.h) */
static const char *const take_dir[] = { "analyze", "report", "query", "info", "load" };

static int among(const char *cmd, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cmd, list[i]))
			return 1;
	return 0;
}

int is_sqlite_file(const char *path)
{
	static const char magic[16] = "SQLite format 3";   /* with its NUL */
	char head[sizeof(magic)];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, head, sizeof(head));
	close(fd);
	return n == (ssize_t)sizeof(head) && !memcmp(head, magic, sizeof(magic));
}

enum bundle_arg bundle_arg_check(const char *cmd, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return BUNDLE_ARG_BUNDLE; /* the reader names the error */
	if (S_ISDIR(st.st_mode) && among(cmd, take_dir, sizeof(take_dir) / sizeof(*take_dir)))
		return BUNDLE_ARG_RECORDING;
	if (S_ISDIR(st.st_mode)) {
		fprintf(stderr, "memsnap: %s: '%s' is a directory, not a bundle (a .tar.zst file)\n",
			cmd, path);
		return BUNDLE_ARG_REFUSED;
	}
	if (!S_ISREG(st.st_mode) || !is_sqlite_file(path))
		return BUNDLE_ARG_BUNDLE;
	if (among(cmd, take_db, sizeof(take_db) / sizeof(*take_db)))
		return BUNDLE_ARG_DB;
	fprintf(stderr, "memsnap: %s: '%s' is an SQLite database, not a bundle: use 'memsnap analyze %s'\n",
		cmd, path, path);
	return BUNDLE_ARG_REFUSED;
}
