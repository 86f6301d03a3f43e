/*
 * test_export.c - the export files' encoding (analyze/export/): a host's
 * rows in CSV and NDJSON from a database built by hand, with the text a
 * bundle can hold (quotes, commas, a line break, a byte that is not
 * UTF-8), NULLs, the findings, and the DDL that matches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "export.h"
#include "stats_sql.h"
#include "test.h"

static sqlite3 *host_db(void)
{
	sqlite3 *db;
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
	REQUIRE(ms_stats_register(db) == SQLITE_OK); /* as on the export's connection: fmt_hex */
	REQUIRE(db_create_schema(db, &err) == 0);
	REQUIRE(db_exec(db,
			"INSERT INTO sample (id, t, mono, tiers, has_rollup, has_smaps) VALUES (1, 1796107941.5, 10, '0', 0, 0);"
			"INSERT INTO host (sample, hostname, boot_id, clk_tck) VALUES (1, 'h', 'b', 100);"
			"INSERT INTO process (id, pid, starttime, comm, first_sample, last_sample)"
			" VALUES (1, 42, 7, 'a,\"b\"' || char(10) || CAST(x'ff' AS TEXT), 1, 1);"
			"INSERT INTO proc_sample (process_id, sample, vm_rss, rss_anon, utime) VALUES (1, 1, 4096, 1024, 150);"
			"INSERT INTO meminfo VALUES (1, 'MemTotal', 1000);"
			/* above 2^63-1, the loader's REALs: [vsyscall], a v1 limit of 2^64-1 */
			"INSERT INTO mapping (process_id, sample, start, \"end\", perms, kind)"
			" VALUES (1, 1, 18446744073699065856.0, 18446744073699069952.0, '--xp', 'special');"
			"INSERT INTO cgroup VALUES (1, '/sys/fs/cgroup/memory', 1, '/');"
			"INSERT INTO cgroup_value (sample, cgroup_id, key, value)"
			" VALUES (1, 1, 'memory.limit_in_bytes', 18446744073709551615.0);",
			"rows", &err) == 0);
	return db;
}

struct files {
	char *buf[EXPORT_NTABLES];
	size_t len[EXPORT_NTABLES];
};

/* Export DB's host "h1" (and FINDINGS) in FMT into memory. */
static void run(sqlite3 *db, enum export_format fmt, const struct finding_list *findings, struct files *fs)
{
	struct export_out o;
	struct ms_err err = MS_ERR_INIT;
	memset(&o, 0, sizeof(o));
	o.fmt = fmt;
	for (size_t t = 0; t < EXPORT_NTABLES; t++)
		REQUIRE((o.f[t] = open_memstream(&fs->buf[t], &fs->len[t])) != NULL);
	CHECK(export_begin(&o, &err) == 0);
	if (!CHECK(export_host(&o, db, "h1", findings, &err) == 0))
		fprintf(stderr, "%s\n", ms_err_msg(&err));
	for (size_t t = 0; t < EXPORT_NTABLES; t++)
		fclose(o.f[t]);
	CHECK_EQ_U64(o.rows[3], 1); /* process */
	ms_err_release(&err);
}

static size_t table(const char *name)
{
	for (size_t t = 0; t < EXPORT_NTABLES; t++)
		if (!strcmp(export_tables[t].name, name))
			return t;
	REQUIRE(0);
	return 0;
}

/* Line N (from 0) of TEXT, without its newline; malloc'd.  CSV lines may
 * hold a quoted newline: this counts raw lines. */
static char *line(const char *text, int n)
{
	const char *p = text;
	while (n-- > 0 && p && (p = strchr(p, '\n')))
		p++;
	REQUIRE(p != NULL);
	return strndup(p, strcspn(p, "\n"));
}

static void release(struct files *fs)
{
	for (size_t t = 0; t < EXPORT_NTABLES; t++)
		free(fs->buf[t]);
}

TEST(csv_rows)
{
	sqlite3 *db = host_db();
	struct finding_list none = { NULL, 0, 0 };
	struct files fs;
	run(db, EXPORT_CSV, &none, &fs);
	const char *p = fs.buf[table("process")];
	char *head = line(p, 0), *row = line(p, 1), *rest = line(p, 2);
	CHECK_STR(head, "host,recording_id,sample,t,t_utc,pid,starttime_ticks,comm,ppid,uid,state,threads,cgroup,"
			"vm_rss_bytes,rss_anon_bytes,rss_file_bytes,rss_shmem_bytes,vm_swap_bytes,anon_total_bytes,"
			"vm_size_bytes,vm_data_bytes,vm_hwm_bytes,pss_bytes,uss_bytes,pss_anon_bytes,swap_pss_bytes,"
			"oom_score,oom_score_adj,cpu_user_s,cpu_system_s,majflt,minflt");
	/* the comm's quotes doubled, its newline kept inside the quotes, the
	 * byte 0xff as U+FFFD */
	CHECK_STR(row, "h1,b@1796107941,1,1796107941.5,2026-12-01T06:52:21.500Z,42,7,\"a,\"\"b\"\"");
	CHECK_STR(rest, "\xef\xbf\xbd\",\\N,\\N,\\N,\\N,\\N,4096,1024,\\N,\\N,\\N,1024,\\N,\\N,\\N,\\N,\\N,\\N,\\N,"
			"\\N,\\N,1.5,\\N,\\N,\\N");
	char *sys = line(fs.buf[table("system")], 1);
	CHECK(!strncmp(sys, "h1,b@1796107941,1,1796107941.5,2026-12-01T06:52:21.500Z,1000,\\N,", 62));
	char *rec = line(fs.buf[table("recording")], 1);
	CHECK(!strncmp(rec, "h1,b@1796107941,h,b,", 20));
	/* the mapping's row: its comm holds a line break, the addresses follow */
	char *map = line(fs.buf[table("mapping")], 2), *cg = line(fs.buf[table("cgroup")], 1);
	CHECK(!strncmp(map, "\xef\xbf\xbd\",ffffffffff600000,ffffffffff601000,--xp,", 39));
	/* the REAL the database holds for 2^64-1 (the exact digits: exact_value) */
	CHECK_STR(cg, "h1,b@1796107941,1,1796107941.5,2026-12-01T06:52:21.500Z,/,1,\\N,18446744073709551616,"
		      "\\N,\\N,\\N,\\N,\\N,\\N,\\N,\\N,\\N");
	free(map);
	free(cg);
	char *empty = line(fs.buf[table("finding")], 1);
	CHECK_STR(empty, "");
	free(empty);
	free(head);
	free(row);
	free(rest);
	free(sys);
	free(rec);
	release(&fs);
	sqlite3_close(db);
}

TEST(ndjson_rows_and_findings)
{
	sqlite3 *db = host_db();
	struct rule r = { 0 };
	r.id = "leak/process";
	r.title = "T";
	struct evidence ev = { .name = "n", .type = EV_INT, .i = 3 };
	struct finding f = { .rule = &r, .severity = RULE_WARNING, .entity_kind = "process",
			     .entity = "42 (orders)", .t_start = 1796107941.5, .t_end = 1796108001.5,
			     .message = "grew, \"a lot\"", .ev = &ev, .nev = 1 };
	struct finding_list l = { &f, 1, 1 };
	struct files fs;
	run(db, EXPORT_NDJSON, &l, &fs);
	char *row = line(fs.buf[table("process")], 0);
	CHECK_STR(row, "{\"host\":\"h1\",\"recording_id\":\"b@1796107941\",\"sample\":1,\"t\":1796107941.5,"
		       "\"t_utc\":\"2026-12-01T06:52:21.500Z\",\"pid\":42,\"starttime_ticks\":7,"
		       "\"comm\":\"a,\\\"b\\\"\\n\xef\xbf\xbd\",\"ppid\":null,\"uid\":null,\"state\":null,"
		       "\"threads\":null,\"cgroup\":null,\"vm_rss_bytes\":4096,\"rss_anon_bytes\":1024,"
		       "\"rss_file_bytes\":null,\"rss_shmem_bytes\":null,\"vm_swap_bytes\":null,"
		       "\"anon_total_bytes\":1024,\"vm_size_bytes\":null,\"vm_data_bytes\":null,"
		       "\"vm_hwm_bytes\":null,\"pss_bytes\":null,\"uss_bytes\":null,\"pss_anon_bytes\":null,"
		       "\"swap_pss_bytes\":null,\"oom_score\":null,\"oom_score_adj\":null,\"cpu_user_s\":1.5,"
		       "\"cpu_system_s\":null,\"majflt\":null,\"minflt\":null}");
	char *fr = line(fs.buf[table("finding")], 0);
	CHECK_STR(fr, "{\"host\":\"h1\",\"recording_id\":\"b@1796107941\",\"rule\":\"leak/process\","
		      "\"severity\":\"warning\",\"entity_kind\":\"process\",\"entity\":\"42 (orders)\","
		      "\"entity_identity\":\"orders\",\"t_start\":1796107941.5,\"start_utc\":\"2026-12-01T06:52:21Z\","
		      "\"t_end\":1796108001.5,\"end_utc\":\"2026-12-01T06:53:21Z\",\"value\":null,"
		      "\"message\":\"grew, \\\"a lot\\\"\",\"evidence_json\":\"{\\\"n\\\":3}\"}");
	free(row);
	free(fr);
	release(&fs);
	sqlite3_close(db);
}

TEST(ddl)
{
	char *ch = NULL, *pg = NULL;
	size_t n;
	FILE *f = open_memstream(&ch, &n);
	REQUIRE(f != NULL);
	export_ddl(f, EXPORT_CLICKHOUSE);
	fclose(f);
	REQUIRE((f = open_memstream(&pg, &n)) != NULL);
	export_ddl(f, EXPORT_POSTGRES);
	fclose(f);
	CHECK(strstr(ch, "CREATE TABLE IF NOT EXISTS memsnap_process (\n  host String,\n  recording_id String,\n"
			 "  sample Int64,\n  t Float64,\n  t_utc DateTime('UTC'),\n  pid Int64,\n") != NULL);
	CHECK(strstr(ch, "  minflt Nullable(Int64)\n) ENGINE = MergeTree ORDER BY (host, recording_id, sample, "
			 "t_utc, pid, starttime_ticks);\n") != NULL);
	CHECK(strstr(pg, "CREATE TABLE IF NOT EXISTS memsnap_finding (\n  host text NOT NULL,\n") != NULL);
	CHECK(strstr(pg, "  start_utc timestamptz NOT NULL,\n  t_end double precision NOT NULL,\n") != NULL);
	size_t tables = 0;
	for (const char *p = pg; (p = strstr(p, "CREATE TABLE")); p++)
		tables++;
	CHECK_EQ_U64(tables, EXPORT_NTABLES);
	free(ch);
	free(pg);
}
