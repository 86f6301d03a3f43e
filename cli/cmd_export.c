/*
 * cmd_export.c - `memsnap export BUNDLE... | DIR | DB -o DIR`: the time
 * series and the findings of every host as one file per table, CSV or
 * NDJSON, for a warehouse (docs/export.md); `memsnap export --ddl ENGINE`:
 * the CREATE TABLE statements that match.
 *
 * The hosts are loaded and analyzed as analyze does (-j at once: the
 * fleet's pool); then each host's rows are written, one host after the
 * other, into the files (DIR/TABLE.csv), each written whole through a
 * private temporary file beside it (out_file.h: 0600).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "commands.h"
#include "db.h"
#include "export.h"
#include "fleet_cli.h"
#include "fleet_db.h"
#include "out_file.h"
#include "rule_run.h"

enum { OPT_FORMAT = 600, OPT_DDL };

struct export_opts {
	const char *dir;
	int format;          /* enum export_format */
	int ddl;             /* -1, or an enum export_engine */
};

static const struct ms_opt export_opts[] = {
	{ 'o', "output", "DIR", "write the files into DIR (created when missing)" },
	{ OPT_FORMAT, "format", "FORMAT", "csv (default: RFC 4180 with a header line, NULL as \\N)\n"
	  "or ndjson (one JSON object a line)" },
	{ OPT_DDL, "ddl", "ENGINE", "print the CREATE TABLE statements of the files for\n"
	  "ENGINE (clickhouse or postgres) and exit" },
	{ 0, NULL, NULL, NULL },
};

static const struct ms_opt *const export_tables_opts[] = {
	export_opts, load_cli_opts, load_cli_window_opts, rules_cli_source_opts, rules_cli_run_opts,
	fleet_cli_opts, NULL
};

const struct ms_cmd_doc export_doc = {
	"export",
	"export BUNDLE... | DIR | DB -o DIR [--format csv|ndjson] [options]\n"
	"export --ddl clickhouse|postgres",
	"Write the time series of every host (system, node, cgroup, process, mapping),\n"
	"the findings of the rules and one row per recording into DIR, one file per\n"
	"table (TABLE.csv or TABLE.ndjson), for a warehouse. Every row starts with its\n"
	"host and recording id; column names carry their unit; times are given as ISO\n"
	"8601 UTC and as seconds since the epoch. The bundles are loaded and analyzed as\n"
	"'memsnap analyze' does (a database is reused; --from/--to cut each host's\n"
	"bundles); DB is a database of one host or of many (load --into). docs/export.md\n"
	"describes every column.",
	export_tables_opts,
	"Exit status: 0 ok, 1 a host or a rule failed (the others are exported) or a\n"
	"file could not be written, 2 usage error, 3 as analyze's --fail-on.\n",
};

static int export_opt(void *ctx, int id, const char *arg, struct ms_err *err)
{
	struct export_opts *o = ctx;
	switch (id) {
	case 'o': o->dir = arg; return 0;
	case OPT_FORMAT:
		if (strcmp(arg, "csv") && strcmp(arg, "ndjson"))
			return ms_err_set(err, EINVAL, "--format '%s': expected csv or ndjson", arg);
		o->format = !strcmp(arg, "csv") ? EXPORT_CSV : EXPORT_NDJSON;
		return 0;
	case OPT_DDL:
		if (strcmp(arg, "clickhouse") && strcmp(arg, "postgres"))
			return ms_err_set(err, EINVAL, "--ddl '%s': expected clickhouse or postgres", arg);
		o->ddl = !strcmp(arg, "clickhouse") ? EXPORT_CLICKHOUSE : EXPORT_POSTGRES;
		return 0;
	}
	return ms_err_set(err, EINVAL, "unknown option");
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The export's connection: a cache that holds a host's pages (its queries
 * read each table once, in key order, and join others), and a fleet
 * database's host views. */
static int export_setup(sqlite3 *db, void *ctx, struct ms_err *err)
{
	int64_t id = *(const int64_t *)ctx;
	if (db_exec(db, "PRAGMA cache_size = -65536", "cache", err) < 0)
		return -1;
	return id ? fleet_db_select(db, id, err) : 0;
}

/* Host I's rows into OUT. */
static int export_one(struct export_out *out, struct fleet_run *r, size_t i, struct ms_err *err)
{
	struct fleet_src *s = &r->src[i];
	struct rule_sandbox sb;
	sqlite3 *db;
	if (rule_db_open_with(s->db, export_setup, &s->host_id, &sb, &db, err) < 0)
		return -1;
	int rc = export_host(out, db, r->f.h[i].label, &r->f.h[i].a.findings, err);
	sqlite3_close(db);
	return rc;
}

/* Open the files in DIR; -1 after printing the error. */
static int open_files(const struct export_opts *o, struct out_file *files, struct export_out *out)
{
	struct ms_err err = MS_ERR_INIT;
	int rc = mkdir(o->dir, 0700) < 0 && errno != EEXIST
		 ? ms_err_set(&err, errno, "'%s': %s", o->dir, strerror(errno)) : 0;
	size_t t = 0;
	for (; rc == 0 && t < EXPORT_NTABLES; t++) {
		size_t n = strlen(o->dir) + strlen(export_tables[t].name) + 16;
		char *path = malloc(n);
		if (!path) {
			rc = ms_err_set(&err, ENOMEM, "out of memory");
			break;
		}
		snprintf(path, n, "%s/%s%s", o->dir, export_tables[t].name, export_suffix(out->fmt));
		rc = out_file_open(&files[t], path, &err);
		free(path);
		out->f[t] = rc == 0 ? files[t].f : NULL;
	}
	if (rc == 0)
		return export_begin(out, &err);
	while (t-- > 0)
		out_file_abort(&files[t]);
	fprintf(stderr, "memsnap: export: %s\n", ms_err_msg(&err));
	ms_err_release(&err);
	return -1;
}

/* Every host that ran, one after the other; the files committed (or all
 * removed when one cannot be written).  An exit status. */
static int write_all(const struct export_opts *o, struct fleet_run *r, int quiet)
{
	struct out_file files[EXPORT_NTABLES];
	struct export_out out = { (enum export_format)o->format, { NULL }, { 0 } };
	struct ms_err err = MS_ERR_INIT;
	if (open_files(o, files, &out) < 0)
		return MS_EXIT_FAILURE;
	double t0 = now_s();
	int rc = MS_EXIT_OK;
	size_t hosts = 0;
	for (size_t i = 0; i < r->f.n; i++) {
		struct fleet_host *h = &r->f.h[i];
		if (!h->ran)
			continue;
		if (export_one(&out, r, i, &err) < 0) {
			fprintf(stderr, "memsnap: export: %s: %s\n", h->label, ms_err_msg(&err));
			rc = MS_EXIT_FAILURE;
			break; /* a half-written host: the files are not kept */
		}
		hosts++;
	}
	uint64_t rows = 0;
	for (size_t t = 0; t < EXPORT_NTABLES; t++) {
		rows += out.rows[t];
		if (rc != MS_EXIT_OK) {
			out_file_abort(&files[t]);
		} else if (out_file_commit(&files[t], &err) < 0) {
			fprintf(stderr, "memsnap: export: %s\n", ms_err_msg(&err));
			rc = MS_EXIT_FAILURE;
		}
	}
	double secs = now_s() - t0;
	if (rc == MS_EXIT_OK && !quiet) {
		fprintf(stderr, "memsnap: export: %zu host%s into %s:", hosts, hosts == 1 ? "" : "s", o->dir);
		for (size_t t = 0; t < EXPORT_NTABLES; t++)
			fprintf(stderr, "%s %s %llu", t ? "," : "", export_tables[t].name, (unsigned long long)out.rows[t]);
		fprintf(stderr, " rows (%llu in %.2f s, %.0f rows/s)\n", (unsigned long long)rows, secs,
			secs > 0 ? (double)rows / secs : 0);
	}
	ms_err_release(&err);
	return rc;
}

int cmd_export(int argc, char **argv)
{
	struct export_opts o = { NULL, EXPORT_CSV, -1 };
	struct analyze_cli c;
	analyze_cli_init(&c);
	const struct ms_opt_handler h[] = {
		{ export_opt, &o }, { load_cli_opt, &c.lc }, { load_cli_opt, &c.lc }, { rules_cli_opt, &c.r },
		{ rules_cli_opt, &c.r }, { fleet_cli_opt, &c.fc },
	};
	int first;
	int rc = command_parse(&export_doc, h, argc, argv, &first);
	if (rc < 0 && o.ddl >= 0) {
		rc = argc > first || o.dir ? command_usage_error("export", "--ddl takes no input and no -o")
					   : (export_ddl(stdout, (enum export_engine)o.ddl), MS_EXIT_OK);
	} else if (rc < 0 && (argc == first || !o.dir)) {
		rc = command_usage_error("export", "expected BUNDLE... (or DIR, or DB) and -o DIR");
	}
	struct fleet_run fr;
	struct rule_set set = { NULL, 0 };
	if (rc < 0 && fleet_cli_any(&fr, "export", argv + first, (size_t)(argc - first)) < 0)
		rc = MS_EXIT_FAILURE;
	int bad;
	if (rc < 0 && (bad = fleet_cli_no_window(&fr, &c.lc, "export")) != MS_EXIT_OK) {
		fleet_cli_release(&fr);
		rc = bad;
	}
	if (rc < 0) {
		const struct fleet_job j = { &c.lc, &set, c.r.timeout_s, NULL, NULL, NULL, c.fc.jobs };
		rc = rules_cli_build(&c.r, 1, &set, "export");
		if (rc == MS_EXIT_OK)
			rc = fleet_cli_run(&fr, &j, "export") < 0 ? MS_EXIT_FAILURE : write_all(&o, &fr, c.lc.quiet);
		rc = fleet_cli_finish(&fr, &c.r, "export", rc);
	}
	rule_set_release(&set);
	rules_cli_release(&c.r);
	if (rc == MS_EXIT_OK && (fflush(stdout) != 0 || ferror(stdout)))
		rc = MS_EXIT_FAILURE;
	return rc;
}
