/*
 * cmd_query.c - `memsnap query BUNDLE|DB 'SQL'`: run one read-only query.
 *
 * A bundle is loaded first (or its database reused).  The database is
 * opened read-only and the statement must be read-only: a query can never
 * change what it reads.  Output: an aligned table, --csv or --json.
 */
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "text_clean.h"
#include "db.h"
#include "load_cli.h"
#include "ms_buf.h"

enum { OPT_CSV = 300, OPT_JSON };

struct query_opts {
	int csv, json;
};

static const struct ms_opt query_opts[] = {
	{ OPT_CSV, "csv", NULL, "comma-separated values with a header line (RFC 4180)" },
	{ OPT_JSON, "json", NULL, "a JSON array of objects" },
	{ 0, NULL, NULL, NULL },
};

static const struct ms_opt *const query_tables[] = { query_opts, load_cli_output_opts, load_cli_opts,
						     NULL };

const struct ms_cmd_doc query_doc = {
	"query",
	"query BUNDLE...|DIR|DB SQL [--csv | --json] [-o DB] [--force]",
	"Run one read-only SQL statement on a bundle's database (a bundle is loaded\n"
	"first, or its database reused) and print the rows: an aligned table, or CSV\n"
	"with --csv, or a JSON array of objects with --json. docs/schema.md lists the\n"
	"tables and views.",
	query_tables,
	"Exit status: 0 ok, 1 SQL error, a statement that writes, or a load failure,\n"
	"2 usage error.\n",
};

static int query_opt(void *ctx, int id, const char *arg, struct ms_err *err)
{
	struct query_opts *q = ctx;
	(void)arg;
	(void)err;
	*(id == OPT_CSV ? &q->csv : &q->json) = 1;
	return 0;
}

static int is_sqlite(const char *path)
{
	char magic[16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, magic, sizeof(magic));
	close(fd);
	return n == 16 && !memcmp(magic, "SQLite format 3", 16);
}

static void csv_field(const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static int print_json(sqlite3_stmt *st)
{
	cJSON *arr = cJSON_CreateArray();
	int n = sqlite3_column_count(st), rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *o = cJSON_CreateObject();
		for (int i = 0; i < n; i++) {
			const char *name = sqlite3_column_name(st, i);
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_INTEGER:
				cJSON_AddNumberToObject(o, name, (double)sqlite3_column_int64(st, i));
				break;
			case SQLITE_FLOAT:
				cJSON_AddNumberToObject(o, name, sqlite3_column_double(st, i));
				break;
			case SQLITE_NULL:
				cJSON_AddNullToObject(o, name);
				break;
			default:
				cJSON_AddStringToObject(o, name, (const char *)sqlite3_column_text(st, i));
			}
		}
		cJSON_AddItemToArray(arr, o);
	}
	char *s = cJSON_Print(arr);
	if (s)
		puts(s);
	free(s);
	cJSON_Delete(arr);
	return rc;
}

static int print_table(sqlite3_stmt *st, int csv)
{
	int n = sqlite3_column_count(st), rc;
	if (csv) {
		for (int i = 0; i < n; i++) {
			if (i)
				putchar(',');
			csv_field(sqlite3_column_name(st, i));
		}
		putchar('\n');
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			for (int i = 0; i < n; i++) {
				if (i)
					putchar(',');
				csv_field((const char *)sqlite3_column_text(st, i));
			}
			putchar('\n');
		}
		return rc;
	}
	/* aligned: buffer the rows to measure the columns */
	size_t *w = calloc((size_t)n + 1, sizeof(*w));
	char **cells = NULL;
	size_t ncells = 0, cap = 0;
	int err = 0;
	for (int i = 0; i < n; i++)
		w[i] = strlen(sqlite3_column_name(st, i));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			const char *t = (const char *)sqlite3_column_text(st, i);
			char *c = strdup(t ? t : "NULL");
			text_clean(c, 0); /* a table for a terminal: no control characters */
			if (ncells == cap) {
				cap = cap ? cap * 2 : 256;
				char **p = realloc(cells, cap * sizeof(*p));
				if (!p) {
					free(c);
					err = 1;
					break;
				}
				cells = p;
			}
			if (!c) {
				err = 1;
				break;
			}
			cells[ncells++] = c;
			if (strlen(c) > w[i])
				w[i] = strlen(c);
		}
		if (err)
			break;
	}
	for (int i = 0; i < n; i++)
		printf("%s%-*s", i ? "  " : "", (int)w[i], sqlite3_column_name(st, i));
	putchar('\n');
	for (int i = 0; i < n; i++) {
		printf("%s", i ? "  " : "");
		for (size_t k = 0; k < w[i]; k++)
			putchar('-');
	}
	putchar('\n');
	for (size_t k = 0; k < ncells; k++) {
		int col = (int)(k % (size_t)n);
		printf("%s%-*s", col ? "  " : "", (int)w[col], cells[k]);
		if (col == n - 1)
			putchar('\n');
		free(cells[k]);
	}
	free(cells);
	free(w);
	return err ? SQLITE_NOMEM : rc;
}

int cmd_query(int argc, char **argv)
{
	struct load_cli cli;
	struct query_opts q = { 0, 0 };
	load_cli_init(&cli);
	const struct ms_opt_handler h[] = { { query_opt, &q }, { load_cli_opt, &cli }, { load_cli_opt, &cli } };
	int first;
	int r = command_parse(&query_doc, h, argc, argv, &first);
	if (r >= 0)
		return r;
	if (argc - first < 2)
		return command_usage_error("query", "expected BUNDLE|DB and one SQL statement");
	if (q.csv && q.json)
		return command_usage_error("query", "--csv and --json: choose one");
	const char *db_path = argv[first], *sql = argv[argc - 1];
	size_t ninputs = (size_t)(argc - first - 1);
	struct load_result res;
	memset(&res, 0, sizeof(res));
	if (ninputs > 1 || !is_sqlite(db_path)) {
		cli.quiet = 1;
		int rc = load_cli_run(&cli, "query", argv + first, ninputs, &res);
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
		int sr = q.json ? print_json(st) : print_table(st, q.csv);
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
