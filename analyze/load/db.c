/*
 * db.c - create and open analysis databases.
 *
 * The schema is schema/NNN-*.sql, embedded at build time (cmake/embed.cmake
 * generates ms_schema_text[] in order of the file names).  A database
 * carries a hash of that text in PRAGMA user_version, so one made by a
 * build with other tables or views is never reused.
 */
#include "db.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

extern const char *const ms_schema_text[];
extern const char *const ms_schema_name[];

int db_exec(sqlite3 *db, const char *sql, const char *what, struct ms_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		ms_err_set(err, EIO, "%s: %s", what, msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int db_schema_id(void)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a over every schema file */
	for (int i = 0; ms_schema_text[i]; i++)
		for (const char *c = ms_schema_text[i]; *c; c++)
			h = (h ^ (unsigned char)*c) * 1099511628211ULL;
	return (int)(h & 0x7fffffff);
}

int db_create_schema(sqlite3 *db, struct ms_err *err)
{
	for (int i = 0; ms_schema_text[i]; i++)
		if (db_exec(db, ms_schema_text[i], ms_schema_name[i], err) < 0)
			return -1;
	char pragma[48];
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", db_schema_id());
	return db_exec(db, pragma, "schema id", err);
}

int db_setup(struct ms_err *err)
{
	int rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (rc != SQLITE_OK)
		return ms_err_set(err, EIO, "SQLite's configuration: %s", sqlite3_errstr(rc));
	return 0;
}

int db_open_readonly(const char *path, sqlite3 **out, struct ms_err *err)
{
	*out = NULL;
	int rc = sqlite3_open_v2(path, out, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc != SQLITE_OK) {
		ms_err_set(err, EIO, "%s", *out ? sqlite3_errmsg(*out) : sqlite3_errstr(rc));
		sqlite3_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}
