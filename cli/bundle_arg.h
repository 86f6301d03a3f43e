/*
 * bundle_arg.h - what a command that reads a bundle (info, load, analyze,
 * report) says when it is handed something else: a directory, or an
 * analysis database.  The one place that decides which inputs those
 * commands take (a later analyze that reads a database relaxes it here).
 */
#ifndef BUNDLE_ARG_H
#define BUNDLE_ARG_H

/* Whether PATH starts with SQLite's file header. */
int is_sqlite_file(const char *path);

/* 0 when PATH may be a bundle (anything else is the reader's to judge);
 * otherwise one line on stderr naming what PATH is ("'x.db' is an SQLite
 * database, not a bundle: use 'memsnap query x.db'") and MS_EXIT_FAILURE. */
int bundle_arg_check(const char *cmd, const char *path);

#endif
