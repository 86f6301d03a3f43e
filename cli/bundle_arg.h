/*
 * bundle_arg.h - what a command that reads a bundle takes, and what it
 * says when it is handed something else: a directory, or an analysis
 * database where only a bundle will do.  The one place that decides which
 * inputs those commands take: analyze, report and query take a database
 * too (memsnap load's output, or any .db memsnap made); info, load and
 * redact read the bundle itself.  A directory (a recorder's DIR, or any
 * directory of bundles: common/recording.h) is a recording for info, load,
 * query, analyze and report.
 */
#ifndef BUNDLE_ARG_H
#define BUNDLE_ARG_H

enum bundle_arg {
	BUNDLE_ARG_BUNDLE,   /* a bundle, or anything else the reader is to judge */
	BUNDLE_ARG_DB,       /* an SQLite database, for a command that takes one */
	BUNDLE_ARG_RECORDING,/* a directory of bundles, for a command that reads a recording */
	BUNDLE_ARG_REFUSED,  /* said on stderr: exit MS_EXIT_FAILURE */
};

/* Whether PATH starts with SQLite's file header. */
int is_sqlite_file(const char *path);

/* What PATH is for command CMD; when it is refused, one line on stderr
 * names what PATH is ("'x.db' is an SQLite database, not a bundle: use
 * 'memsnap analyze x.db'"). */
enum bundle_arg bundle_arg_check(const char *cmd, const char *path);

#endif
