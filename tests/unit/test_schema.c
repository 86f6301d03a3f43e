/*
 * test_schema.c - the embedded schema (the schema/ files) loads into an empty
 * database, passes SQLite's integrity check, and its views compute rates
 * as documented (resets give NULL, gaps widen dt).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "test.h"

static sqlite3 *open_schema(void)
{
	sqlite3 *db = NULL;
	struct ms_err e = MS_ERR_INIT;
	REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
	if (!CHECK(db_create_schema(db, &e) == 0))
		fprintf(stderr, "    %s\n", ms_err_msg(&e));
	ms_err_release(&e);
	return db;
}

static int64_t one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = -12345;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -999 : sqlite3_column_int64(s, 0);
	else
		fprintf(stderr, "    %s: %s\n", sql, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return v;
}

TEST(schema_loads_and_is_sound)
{
	sqlite3 *db = open_schema();
	sqlite3_stmt *s;
	REQUIRE(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK);
	REQUIRE(sqlite3_step(s) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(s, 0), "ok");
	sqlite3_finalize(s);
	CHECK_EQ_I64(one_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'proc_sample'"), 1);
	CHECK_EQ_I64(one_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'view'"), 13);
	sqlite3_close(db);
}

TEST(rates_handle_resets_and_gaps)
{
	sqlite3 *db = open_schema();
	/* samples 1, 2 and 4 (3 is missing), 10 s apart on the monotonic clock */
	REQUIRE(sqlite3_exec(db,
		"INSERT INTO sample(id, t, mono, tiers, has_rollup, has_smaps) VALUES"
		" (1, 1000, 10, '0', 0, 0), (2, 1010, 20, '0', 0, 0), (4, 1030, 40, '0', 0, 0), (5, 1040, 50, '0', 0, 0);"
		"INSERT INTO vmstat(sample, key, value) VALUES"
		" (1, 'pswpin', 100), (2, 'pswpin', 150), (4, 'pswpin', 250), (5, 'pswpin', 10);",
		NULL, NULL, NULL) == SQLITE_OK);
	CHECK_EQ_I64(one_int(db, "SELECT per_s FROM vmstat_rate WHERE sample = 2"), 5);
	/* the gap: 100 pages over 20 s */
	CHECK_EQ_I64(one_int(db, "SELECT per_s FROM vmstat_rate WHERE sample = 4"), 5);
	CHECK_EQ_I64(one_int(db, "SELECT dt_s FROM sample_pair WHERE sample = 4"), 20);
	CHECK_EQ_I64(one_int(db, "SELECT t_utc = '1970-01-01T00:17:10.000Z' FROM sample_pair WHERE sample = 4"), 1);
	/* the counter went down (reboot, reset): NULL, not a negative rate */
	CHECK_EQ_I64(one_int(db, "SELECT per_s FROM vmstat_rate WHERE sample = 5"), -999);
	CHECK_EQ_I64(one_int(db, "SELECT count(*) FROM vmstat_rate"), 3);
	sqlite3_close(db);
}

/* An unsigned value above 2^63-1 is a REAL (docs/schema.md, "Numbers above
 * 2^63"): it orders and compares with the INTEGERs, its differences are
 * exact where it is (an address), and the rate views give NULL for a count
 * that went below zero and was printed unsigned. */
TEST(numbers_above_2_63)
{
	sqlite3 *db = open_schema();
	REQUIRE(sqlite3_exec(db,
		"INSERT INTO sample(id, t, mono, tiers, has_rollup, has_smaps) VALUES"
		" (1, 1000, 10, '0', 0, 0), (2, 1010, 20, '0', 0, 0), (3, 1020, 30, '0', 0, 0);"
		"INSERT INTO vmstat(sample, key, value) VALUES (1, 'nr_isolated_anon', 100),"
		" (2, 'nr_isolated_anon', 18446744073709551615.0), (3, 'nr_isolated_anon', 50);"
		"INSERT INTO process(id, pid, starttime, first_sample, last_sample) VALUES (7, 42, 99, 1, 1);"
		"INSERT INTO mapping(process_id, sample, start, end, perms, path, kind) VALUES"
		" (7, 1, 4194304, 4198400, 'r-xp', '/bin/x', 'file'),"
		" (7, 1, 18446744073699065856.0, 18446744073699069952.0, '--xp', '[vsyscall]', 'special'),"
		" (7, 1, 140737353879552, 140737353887744, 'rw-p', '[stack]', 'stack');",
		NULL, NULL, NULL) == SQLITE_OK);
	CHECK_EQ_I64(one_int(db, "SELECT count(*) FROM vmstat_rate WHERE per_s IS NULL"), 2);
	CHECK_EQ_I64(one_int(db, "SELECT count(*) FROM vmstat_rate WHERE delta IS NULL"), 2);
	CHECK_EQ_I64(one_int(db, "SELECT value > 9223372036854775807 AND value >= 4611686018427387904"
				 " FROM vmstat WHERE sample = 2"), 1);
	/* sum() would stop at 2^63 with "integer overflow"; total() does not */
	CHECK_EQ_I64(one_int(db, "SELECT total(value) > 1.8e19 FROM vmstat"), 1);
	CHECK_EQ_I64(one_int(db, "SELECT group_concat(path, ' ') = '/bin/x [stack] [vsyscall]'"
				 " FROM (SELECT path FROM mapping ORDER BY start)"), 1);
	CHECK_EQ_I64(one_int(db, "SELECT count(*) FROM mapping WHERE start > 0x7fffffffffff"), 1);
	CHECK_EQ_I64(one_int(db, "SELECT end - start FROM mapping WHERE path = '[vsyscall]'"), 4096);
	CHECK_EQ_I64(one_int(db, "SELECT max(end) - min(start) = 18446744073694875648.0 FROM mapping"),
		     1);
	sqlite3_close(db);
}

TEST(uss_is_derived)
{
	sqlite3 *db = open_schema();
	REQUIRE(sqlite3_exec(db,
		"INSERT INTO sample(id, t, mono, tiers, has_rollup, has_smaps) VALUES (1, 1, 1, '0 1', 1, 0);"
		"INSERT INTO process(id, pid, starttime, first_sample, last_sample) VALUES (7, 42, 99, 1, 1);"
		"INSERT INTO proc_rollup(process_id, sample, private_clean, private_dirty) VALUES (7, 1, 4096, 8192);",
		NULL, NULL, NULL) == SQLITE_OK);
	CHECK_EQ_I64(one_int(db, "SELECT uss FROM proc_rollup"), 12288);
	CHECK_EQ_I64(one_int(db, "SELECT uss_bytes FROM rollup_series WHERE pid = 42"), 12288);
	sqlite3_close(db);
}

/* The schema's id is recorded in user_version: a database from another set
 * of schema files (an added view) is not reused by the loader. */
TEST(schema_id_in_user_version)
{
	sqlite3 *db;
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
	CHECK(db_create_schema(db, &err) == 0);
	sqlite3_stmt *st;
	REQUIRE(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK_EQ_I64(sqlite3_column_int(st, 0), db_schema_id());
	CHECK(db_schema_id() != 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	ms_err_release(&err);
}

TEST(host_last_defaults)
{
	sqlite3 *db = open_schema();
	/* no host member at all: one row, the defaults, nothing else */
	CHECK_EQ_I64(one_int(db, "SELECT count(*) FROM host_last"), 1);
	CHECK_EQ_I64(one_int(db, "SELECT page_size FROM host_last"), 4096);
	CHECK_EQ_I64(one_int(db, "SELECT clk_tck FROM host_last"), 100);
	CHECK_EQ_I64(one_int(db, "SELECT sample FROM host_last"), -999);
	CHECK_EQ_I64(one_int(db, "SELECT cpus_online FROM host_last"), -999);
	/* the latest row; the page size and CLK_TCK the latest record said */
	REQUIRE(sqlite3_exec(db,
		"INSERT INTO host(sample, hostname, page_size, clk_tck, cpus_online) VALUES"
		" (1, 'a', 16384, 250, 2), (7, 'b', NULL, NULL, 4), (3, 'c', 65536, NULL, 8);",
		NULL, NULL, NULL) == SQLITE_OK);
	CHECK_EQ_I64(one_int(db, "SELECT count(*) FROM host_last"), 1);
	CHECK_EQ_I64(one_int(db, "SELECT sample FROM host_last"), 7);
	CHECK_EQ_I64(one_int(db, "SELECT cpus_online FROM host_last"), 4);
	CHECK_EQ_I64(one_int(db, "SELECT page_size FROM host_last"), 65536);
	CHECK_EQ_I64(one_int(db, "SELECT clk_tck FROM host_last"), 250);
	CHECK_EQ_I64(one_int(db, "SELECT count(*) FROM host_last WHERE hostname = 'b'"), 1);
	sqlite3_close(db);
}
