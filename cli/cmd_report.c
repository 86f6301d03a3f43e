/*
 * cmd_report.c - `memsnap report BUNDLE|DB`: the analysis of analyze, written
 * as one self-contained HTML file.
 *
 * Exit status as analyze's; 1 also when the report cannot be written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_cli.h"
#include "commands.h"

static const struct ms_opt report_opts[] = {
	{ 'o', "output", "FILE", "the report (default: BUNDLE with .html)" },
	{ 0, NULL, NULL, NULL },
};

static const struct ms_opt *const report_tables[] = {
	report_opts, load_cli_db_opts, load_cli_opts, load_cli_window_opts, rules_cli_source_opts,
	rules_cli_run_opts, NULL
};

const struct ms_cmd_doc report_doc = {
	"report",
	"report BUNDLE...|DIR|DB [-o FILE] [options]",
	"Load a bundle (or reuse its database, or read the DB given), run every rule,\n"
	"and write one self-contained HTML file: the findings with the chart that backs\n"
	"each, the system memory over time, swap, PSI, the top processes and the NUMA\n"
	"nodes. It needs no network: no scripts, fonts or styles from elsewhere.\n"
	"Several bundles of one host, or a recorder's DIR, are one recording.",
	report_tables,
	"Exit status: 0 ok, 1 the load, a rule or writing the report failed, 2 usage\n"
	"error, 3 a finding at or above --fail-on (and nothing failed), 4 with\n"
	"--fail-on: none of those, but a rule could not judge (insufficient data).\n",
};

static int report_opt(void *ctx, int id, const char *arg, struct ms_err *err)
{
	(void)id;
	(void)err;
	*(const char **)ctx = arg;
	return 0;
}

/* BUNDLE with .html instead of .tar.zst or .db (or with .html added). */
static char *default_html(const char *bundle)
{
	size_t n = strlen(bundle);
	while (n > 1 && bundle[n - 1] == '/')
		n--; /* a recorder's directory: DIR.html beside it */
	size_t base = n > 8 && !memcmp(bundle + n - 8, ".tar.zst", 8) ? n - 8
		      : n > 3 && !memcmp(bundle + n - 3, ".db", 3) ? n - 3 : n;
	char *p = malloc(base + 6);
	if (p)
		snprintf(p, base + 6, "%.*s.html", (int)base, bundle);
	return p;
}

static void summary(const struct analysis *a, const char *path)
{
	fprintf(stderr, "memsnap: report: wrote %s: %zu findings (%zu critical, %zu warning,"
		" %zu info) from %zu rules", path, a->findings.n,
		finding_list_count(&a->findings, RULE_CRITICAL),
		finding_list_count(&a->findings, RULE_WARNING),
		finding_list_count(&a->findings, RULE_INFO), a->noutcomes);
	if (a->insufficient)
		fprintf(stderr, ", %zu could not judge (insufficient data)", a->insufficient);
	fputc('\n', stderr);
}

int cmd_report(int argc, char **argv)
{
	const char *out = NULL;
	struct load_cli lc;
	struct rules_cli r;
	load_cli_init(&lc);
	rules_cli_init(&r);
	const struct ms_opt_handler h[] = {
		{ report_opt, &out }, { load_cli_opt, &lc }, { load_cli_opt, &lc },
		{ load_cli_opt, &lc }, { rules_cli_opt, &r }, { rules_cli_opt, &r },
	};
	int first;
	int rc = command_parse(&report_doc, h, argc, argv, &first);
	if (rc < 0 && argc - first < 1)
		rc = command_usage_error("report", "expected a BUNDLE or DB, several bundles of one host, or a DIR");
	char *out_default = NULL;
	if (rc < 0 && !out && !(out = out_default = default_html(argv[first])))
		rc = MS_EXIT_FAILURE;
	if (rc >= 0) {
		rules_cli_release(&r);
		return rc;
	}
	struct rule_set set = { NULL, 0 };
	struct analysis_cli x;
	rc = analysis_cli_start(&x, &lc, &r, &set, "report", argv + first, (size_t)(argc - first));
	if (x.ran) {
		if (analysis_cli_write_html(&x, out, "report") < 0)
			rc = MS_EXIT_FAILURE;
		else if (!lc.quiet && rc == MS_EXIT_OK)
			summary(&x.a, out);
	}
	rc = analysis_cli_finish(&x, &r, "report", rc);
	rule_set_release(&set);
	rules_cli_release(&r);
	free(out_default);
	return rc;
}
