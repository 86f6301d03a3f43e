/*
 * fuzz_load.c - the whole load of a bundle: loader_load() streams the
 * archive through the reader, every record through its kind's parser and
 * into SQLite (analyze/loader.c, load_*.c), into a database in a private
 * temporary directory (tmpfs when /dev/shm exists).  The input's first
 * byte picks a tar stream to compress or a raw file (fuzz_input.h).  A
 * load that succeeds leaves a database that passes PRAGMA integrity_check,
 * holds exactly one load_info row and as many samples as it says, and
 * keeps numbers as docs/schema.md says (a REAL only above 2^63-1, the
 * digits of an inexact one in exact_value); a load that fails does so for
 * the bundle (not a bundle, a limit, a newer format), never because SQLite
 * refused a row.
 */
#include <sqlite3.h>
#include <stdlib.h>

#include "fuzz_input.h"
#include "loader.h"

static char dir[64];

static void cleanup(void)
{
	char p[96];
	snprintf(p, sizeof(p), "%s/b.db", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/b.db.tmp", dir);
	unlink(p);
	rmdir(dir);
}

/* "Numbers above 2^63": every unsigned column holds an INTEGER, or a REAL
 * above INT64_MAX; exact_value holds the digits of such values */
static const char *const numbers[] = {
	"SELECT count(*) FROM vmstat WHERE typeof(value) NOT IN ('integer', 'real')"
	" OR (typeof(value) = 'real' AND value <= 9223372036854775807)",
	"SELECT count(*) FROM cgroup_value WHERE typeof(value) = 'real'"
	" AND value <= 9223372036854775807",
	"SELECT count(*) FROM mapping WHERE (typeof(start) = 'real' AND start <= 9223372036854775807)"
	" OR \"end\" < start",
	"SELECT count(*) FROM zoneinfo WHERE typeof(value) = 'real' AND value <= 9223372036854775807",
	"SELECT count(*) FROM exact_value WHERE value GLOB '*[^0-9]*' OR length(value) NOT IN (19, 20)"
	" OR CAST(value AS REAL) < 9223372036854775808.0 OR line < 1",
};

static int one_int(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "%s/memsnap-fuzz-XXXXXX",
			 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
		FUZZ_CHECK(mkdtemp(dir) != NULL);
		atexit(cleanup);
	}
	char db_path[96];
	snprintf(db_path, sizeof(db_path), "%s/b.db", dir);
	struct load_opts o = { 0 };
	o.bundle = fuzz_bundle_path(data, size);
	o.db_path = db_path;
	o.force = 1;
	o.limits.max_member = 1u << 20;
	o.limits.max_total = 16u << 20;
	struct load_result res;
	struct ms_err err = MS_ERR_INIT;
	int rc = loader_load(&o, &res, &err);
	FUZZ_CHECK(rc == 0 || (rc == -1 && err.msg));
	/* a row SQLite refuses means the loader passed on what it should
	 * have checked: a bad record costs a load_error, never the load */
	if (rc < 0)
		FUZZ_CHECK(strncmp(err.msg, "inserting", 9) != 0 && !strstr(err.msg, "constraint"));
	if (rc == 0) {
		FUZZ_CHECK(!res.reused);
		FUZZ_CHECK((res.damage != NULL) <= (res.truncated || res.corrupt));
		sqlite3 *db;
		FUZZ_CHECK(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
		int n = -1;
		FUZZ_CHECK(one_int(db, "SELECT count(*) FROM load_info", &n) == 0 && n == 1);
		FUZZ_CHECK(one_int(db, "SELECT count(*) FROM sample", &n) == 0 &&
			   (unsigned)n == res.samples);
		for (size_t i = 0; i < sizeof(numbers) / sizeof(*numbers); i++)
			FUZZ_CHECK(one_int(db, numbers[i], &n) == 0 && n == 0);
		FUZZ_CHECK(one_int(db, "SELECT count(*) FROM load_error", &n) == 0 &&
			   (uint64_t)n == res.load_errors);
		sqlite3_stmt *s;
		FUZZ_CHECK(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK);
		FUZZ_CHECK(sqlite3_step(s) == SQLITE_ROW);
		FUZZ_CHECK(!strcmp((const char *)sqlite3_column_text(s, 0), "ok"));
		sqlite3_finalize(s);
		sqlite3_close(db);
	}
	unlink(db_path);
	load_result_release(&res);
	ms_err_release(&err);
	return 0;
}
