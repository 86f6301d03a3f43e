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
#include "fleet_cli.h"

static const struct ms_opt report_opts[] = {
	{ 'o', "output", "FILE", "the report (default: BUNDLE with .html)" },
	{ 0, NULL, NULL, NULL },
};

static const struct ms_opt *const report_tables[] = {
	report_opts, load_cli_db_opts, load_cli_opts, load_cli_window_opts, rules_cli_source_opts,
	rules_cli_run_opts, fleet_cli_opts, NULL
};

const struct ms_cmd_doc report_doc = {
	"report",
	"report BUNDLE... | DIR | DB [-o FILE] [options]",
	"Load a bundle (or reuse its database, or read the DB given), run every rule,\n"
	"and write one self-contained HTML file: the findings with the chart that backs\n"
	"each, the system memory over time, swap, PSI, the top processes and the NUMA\n"
	"nodes. It needs no network: no scripts, fonts or styles from elsewhere.\n"
	"With several hosts' bundles (or a fleet database), FILE is the fleet page:\n"
	"the findings grouped across hosts, hosts x findings, each host's own report\n"
	"linked, written next to it as FILE-HOST.html (default FILE: DIR.html for a\n"
	"directory, DB.html for a database, fleet.html otherwise). Several bundles of\n"
	"one host, or a recorder's DIR, are one recording.",
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

/* INPUT with .html instead of .tar.zst or .db (or with .html added; a
 * directory's trailing '/' dropped). */
static char *default_html(const char *input)
{
	size_t n = strlen(input);
	while (n > 1 && input[n - 1] == '/')
		n--;
	size_t base = n > 8 && !strncmp(input + n - 8, ".tar.zst", 8) ? n - 8
		      : n > 3 && !strncmp(input + n - 3, ".db", 3) ? n - 3 : n;
	char *p = malloc(base + 6);
	if (p)
		snprintf(p, base + 6, "%.*s.html", (int)base, input);
	return p;
}

static void fleet_summary(const struct fleet *f, const char *path)
{
	fprintf(stderr, "memsnap: report: wrote %s and %zu host reports next to it: %zu findings (%zu critical, "
		"%zu warning, %zu info) in %zu groups\n", path, fleet_ran(f), fleet_findings(f, -1),
		fleet_findings(f, RULE_CRITICAL), fleet_findings(f, RULE_WARNING), fleet_findings(f, RULE_INFO), f->ng);
}

/* Several hosts: the fleet page (at OUT, or named after the ONE input)
 * and theirs; an exit status. */
static int report_fleet(struct fleet_run *fr, const char *out, const char *one, struct analyze_cli *c)
{
	struct rule_set set = { NULL, 0 };
	char *def = NULL;
	int rc = MS_EXIT_OK;
	if (c->lc.o.db_path) {
		fleet_cli_release(fr);
		return command_usage_error("report", "--db names one host's database; for several hosts use "
					   "'memsnap load --into DB' and report DB");
	}
	if (!out && !(out = def = default_html(one ? one : "fleet")))
		rc = MS_EXIT_FAILURE;
	if (rc == MS_EXIT_OK)
		rc = fleet_cli_analyze(fr, c, &set, out, "report");
	if (rc == MS_EXIT_OK && !c->lc.quiet)
		fleet_summary(&fr->f, out);
	rc = fleet_cli_finish(fr, &c->r, "report", rc);
	rule_set_release(&set);
	free(def);
	return rc;
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
	struct analyze_cli c;
	analyze_cli_init(&c);
	const struct ms_opt_handler h[] = {
		{ report_opt, &out }, { load_cli_opt, &c.lc }, { load_cli_opt, &c.lc }, { load_cli_opt, &c.lc },
		{ rules_cli_opt, &c.r }, { rules_cli_opt, &c.r }, { fleet_cli_opt, &c.fc },
	};
	int first;
	int rc = command_parse(&report_doc, h, argc, argv, &first);
	struct fleet_run fr;
	if (fleet_cli_start(&fr, "report", &rc, argc, argv, first) == FLEET_MANY)
		rc = report_fleet(&fr, out, argc - first == 1 ? argv[first] : NULL, &c);
	char *out_default = NULL;
	if (rc < 0 && !out && !(out = out_default = default_html(argv[first])))
		rc = MS_EXIT_FAILURE;
	if (rc >= 0) {
		rules_cli_release(&c.r);
		return rc;
	}
	struct rule_set set = { NULL, 0 };
	struct analysis_cli x;
	rc = analysis_cli_start(&x, &c.lc, &c.r, &set, "report", argv + first, (size_t)(argc - first));
	if (x.ran) {
		if (analysis_cli_write_html(&x, out, "report") < 0)
			rc = MS_EXIT_FAILURE;
		else if (!c.lc.quiet && rc == MS_EXIT_OK)
			summary(&x.a, out);
	}
	rc = analysis_cli_finish(&x, &c.r, "report", rc);
	rule_set_release(&set);
	rules_cli_release(&c.r);
	free(out_default);
	return rc;
}
