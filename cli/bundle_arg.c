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

#include "commands.h"

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

int bundle_arg_check(const char *cmd, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return 0; /* the reader names the error */
	if (S_ISDIR(st.st_mode)) {
		fprintf(stderr, "memsnap: %s: '%s' is a directory, not a bundle (a .tar.zst file)\n",
			cmd, path);
		return MS_EXIT_FAILURE;
	}
	if (S_ISREG(st.st_mode) && is_sqlite_file(path)) {
		fprintf(stderr, "memsnap: %s: '%s' is an SQLite database, not a bundle: use 'memsnap query %s'\n",
			cmd, path, path);
		return MS_EXIT_FAILURE;
	}
	return 0;
}
