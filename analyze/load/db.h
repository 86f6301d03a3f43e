/*
 * db.h - the analysis database: schema, pragmas, identity.
 */
#ifndef DB_H
#define DB_H

#include <sqlite3.h>

#include "ms_err.h"

#define MS_SCHEMA_VERSION 1

/* A 31-bit hash of the embedded schema files: a database made from other
 * ones (a view added, a column changed) is not reused. */
int db_schema_id(void);

/* Create the schema (the embedded schema files) in an empty database, and
 * record db_schema_id() in its user_version. */
int db_create_schema(sqlite3 *db, struct ms_err *err);

/* Run SQL with no result rows; ERR names WHAT on failure. */
int db_exec(sqlite3 *db, const char *sql, const char *what, struct ms_err *err);

/* Once per process, before its first connection: SQLite without its
 * allocation statistics (a global mutex and counters on every allocation,
 * 3 % of a load's instructions; memsnap never reads them). */
int db_setup(struct ms_err *err);

/* Open PATH read-only (for queries and rules). */
int db_open_readonly(const char *path, sqlite3 **out, struct ms_err *err);

#endif
