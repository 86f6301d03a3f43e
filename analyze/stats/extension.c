/*
 * extension.c - the statistics as a loadable SQLite module, for trying rule
 * queries in the sqlite3 shell:
 *
 *     sqlite3 memsnap.db '.load build/memsnap_stats' 'SELECT median(1)'
 *
 * Only the entry point lives here: it receives SQLite's API table (the
 * module's stats_sql.c is compiled with MS_STATS_EXTENSION and calls SQLite
 * through it, never through a libsqlite3 of its own, so the module works
 * in any host, statically linked ones included) and registers the
 * functions.  The shell finds the entry point under its default name.  The
 * API table pointer is the one file-scope variable SQLite's extension
 * mechanism requires (SQLITE_EXTENSION_INIT1); it is set once, at load.
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "stats_sql.h"

__attribute__((visibility("default"))) int
sqlite3_extension_init(sqlite3 *db, char **pz_err, const sqlite3_api_routines *api);

__attribute__((visibility("default"))) int
sqlite3_extension_init(sqlite3 *db, char **pz_err, const sqlite3_api_routines *api)
{
	SQLITE_EXTENSION_INIT2(api);
	(void)pz_err;
	return ms_stats_register(db);
}
