/*
 * cmd_query.c - `memsnap query BUNDLE|DB 'SQL'`: run one read-only query.
 *
 * A bundle is loaded first (or its database reused).  The database is
 * opened read-only and the statement must be read-only: a query can never
 * change what it reads.  The statistics and fmt_* functions of the rules
 * are registered (docs/stats.md).  Output: an aligned table, --csv,
 * --json or --ndjson (query_print.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_arg.h"
#include "commands.h"
#include "text_clean.h"
#include "db.h"
#include "fleet_db.h"
#include "load_cli.h"
#include "query_print.h"
#include "stats_sql.h"

enum { OPT_CSV = 300, OPT_JSON, OPT_NDJSON, OPT_HOST };

struct query_opts {
	int format;    /* enum query_format */
	unsigned formats;  /* a bit per format option given */
	const char *host;  /* --host */
};

static const struct ms_opt query_opts[] = {
	{ OPT_CSV, "csv", NULL, "comma-separated values with a header line (RFC 4180)" },
	{ OPT_JSON, "json", NULL, "a JSON array of objects, one a line" },
	{ OPT_NDJSON, "ndjson", NULL, "one JSON object a line (newline-delimited JSON)" },
	{ OPT_HOST, "host", "HOST", "in a fleet database (load --into): the tables and views\n"
	  "of this host alone, as in its own database" },
	{ 0, NULL, NULL, NULL },
};

static const struct ms_opt *const query_tables[] = { query_opts, load_cli_output_opts, load_cli_opts,
						     load_cli_window_opts, NULL };

const struct ms_cmd_doc query_doc = {
	"query",
	"query BUNDLE...|DIR|DB SQL [--csv | --json | --ndjson] [--host HOST] [-o DB] [--force]\n"
	"query BUNDLE...|DIR SQL [--from TIME] [--to TIME] [options]",
	"Run one read-only SQL statement on a bundle's database (a bundle is loaded\n"
	"first, or its database reused) and print the rows: an aligned table, or CSV\n"
	"with --csv, a JSON array of objects with --json, one object a line with\n"
	"--ndjson. CSV and JSON stream the rows in bounded memory; a BLOB prints as\n"
	"hexadecimal. docs/schema.md lists the tables and views; the rules' functions\n"
	"are there too (median, trend, fmt_bytes ...: docs/stats.md). In a fleet\n"
	"database every table has a host_id (fleet_host names them) and there are no\n"
	"views; --host HOST shows one host's rows under the single-host names, views\n"
	"included.",
	query_tables,
	"Exit status: 0 ok, 1 SQL error, a statement that writes, or a load failure,\n"
	"2 usage error.\n",
};

static int query_opt(void *ctx, int id, const char *arg, struct ms_err *err)
{
	struct query_opts *q = ctx;
	(void)err;
	if (id == OPT_HOST) {
		q->host = arg;
		return 0;
	}
	q->format = id == OPT_CSV ? QUERY_CSV : id == OPT_JSON ? QUERY_JSON : QUERY_NDJSON;
	q->formats |= 1u << q->format;
	return 0;
}

int cmd_query(int argc, char **argv)
{
	struct load_cli cli;
	struct query_opts q = { QUERY_TABLE, 0, NULL };
	load_cli_init(&cli);
	const struct ms_opt_handler h[] = { { query_opt, &q }, { load_cli_opt, &cli }, { load_cli_opt, &cli },
					    { load_cli_opt, &cli } };
	int first;
	int r = command_parse(&query_doc, h, argc, argv, &first);
	if (r >= 0)
		return r;
	if (argc - first < 2)
		return command_usage_error("query", "expected BUNDLE|DB and one SQL statement");
	if (q.formats & (q.formats - 1))
		return command_usage_error("query", "--csv, --json and --ndjson: choose one");
	const char *db_path = argv[first], *sql = argv[argc - 1];
	size_t ninputs = (size_t)(argc - first - 1);
	struct load_result res;
	memset(&res, 0, sizeof(res));
	if (ninputs == 1 && is_sqlite_file(db_path)) {
		int rc = load_cli_no_window(&cli, "query", db_path);
		if (rc != MS_EXIT_OK)
			return rc;
	} else {
		int rc = load_cli_run(&cli, "query", argv + first, ninputs, &res);
		load_cli_where(&cli, "query", &res);
		load_cli_release(&cli);
		if (rc != MS_EXIT_OK && !res.samples) {
			load_result_release(&res);
			return rc;
		}
		db_path = res.db_path;
	}
	sqlite3 *db;
	struct ms_err err = MS_ERR_INIT;
	int rc = MS_EXIT_FAILURE;
	if (db_open_readonly(db_path, &db, &err) < 0) {
		fprintf(stderr, "memsnap: query: '%s': %s\n", db_path, ms_err_msg(&err));
		goto out;
	}
	int64_t host_id;
	if (q.host && (fleet_db_host_id(db, q.host, &host_id, &err) < 0 ||
		       fleet_db_select(db, host_id, &err) < 0)) {
		fprintf(stderr, "memsnap: query: '%s': --host: %s\n", db_path, ms_err_msg(&err));
		sqlite3_close(db);
		goto out;
	}
	/* the statistics and fmt_* functions, as the rules have them */
	if (ms_stats_register(db) != SQLITE_OK) {
		fprintf(stderr, "memsnap: query: %s\n", sqlite3_errmsg(db));
		sqlite3_close(db);
		goto out;
	}
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK) {
		fprintf(stderr, "memsnap: query: %s\n", sqlite3_errmsg(db));
	} else if (!st) {
		fprintf(stderr, "memsnap: query: empty SQL\n");
	} else if (tail && strspn(tail, " \t\r\n;") != strlen(tail)) {
		fprintf(stderr, "memsnap: query: one statement only (found more after the first)\n");
	} else if (!sqlite3_stmt_readonly(st)) {
		fprintf(stderr, "memsnap: query: only read-only statements are allowed\n");
	} else {
		int sr = query_print(stdout, st, (enum query_format)q.format);
		if (sr != SQLITE_DONE)
			fprintf(stderr, "memsnap: query: %s\n", sqlite3_errmsg(db));
		else
			rc = MS_EXIT_OK;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
out:
	ms_err_release(&err);
	load_result_release(&res);
	return rc;
}
