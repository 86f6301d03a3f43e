/*
 * cmd_analyze.c - `memsnap analyze BUNDLE`: load (or reuse) the database
 * and report.  For now it prints the bundle summary `info` prints and the
 * row count of every table; the rules engine comes next.
 */
#include <stdio.h>
#include <string.h>

#include "bundle_summary.h"
#include "commands.h"
#include "db.h"
#include "load_cli.h"

static const char analyze_usage[] =
	"usage: memsnap analyze BUNDLE [-o DB] [--force] [--max-member SIZE] [--max-total SIZE]\n"
	"\n"
	"Load a bundle into its database (or reuse it) and report: the bundle summary\n"
	"and the rows loaded per table.\n"
	"\n"
	"  -o, --output DB         the database (default: BUNDLE with .db)\n"
	"  -f, --force             load again even if DB matches the bundle\n"
	"      --max-member SIZE   refuse a bundle member larger than SIZE (default 256M)\n"
	"      --max-total SIZE    stop when the bundle decompresses to more than SIZE\n"
	"  -q, --quiet             no loading messages\n"
	"  -h, --help              show this help\n"
	"\n"
	"Exit status: 0 ok, 1 not loadable or corrupt, 2 usage error.\n";

static const char *const tables[] = {
	"sample", "process", "proc_sample", "proc_rollup", "mapping", "numa_mapping", "proc_cgroup",
	"meminfo", "vmstat", "node_meminfo", "numastat", "buddyinfo", "zoneinfo", "swaps", "psi",
	"cgroup", "cgroup_value", "read_gap", "load_error",
};

int cmd_analyze(int argc, char **argv)
{
	struct load_cli cli;
	int r = load_cli_parse(&cli, argc, argv, "analyze", analyze_usage, 1);
	if (r != 0)
		return r < 0 ? MS_EXIT_USAGE : MS_EXIT_OK;
	struct load_result res;
	int rc = load_cli_run(&cli, "analyze", &res);
	if (rc != MS_EXIT_OK && !res.samples) {
		load_result_release(&res);
		return rc;
	}
	load_cli_report(&cli, "analyze", &res);
	struct bundle_summary s;
	struct ms_err err = MS_ERR_INIT;
	if (bundle_summarize(cli.o.bundle, &cli.o.limits, &s, &err) == 0 || s.samples)
		bundle_summary_print(stdout, cli.o.bundle, &s);
	bundle_summary_release(&s);
	ms_err_release(&err);
	sqlite3 *db;
	if (db_open_readonly(res.db_path, &db, &err) == 0) {
		printf("database:    %s\n", res.db_path);
		for (size_t i = 0; i < sizeof(tables) / sizeof(*tables); i++) {
			char sql[96];
			sqlite3_stmt *st;
			snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
			if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
			    sqlite3_step(st) == SQLITE_ROW)
				printf("  %-14s %lld rows\n", tables[i], sqlite3_column_int64(st, 0));
			sqlite3_finalize(st);
		}
		sqlite3_close(db);
	} else {
		fprintf(stderr, "memsnap: analyze: '%s': %s\n", res.db_path, ms_err_msg(&err));
		rc = MS_EXIT_FAILURE;
	}
	ms_err_release(&err);
	load_result_release(&res);
	return rc;
}
