/*
 * cmd_analyze.c - `memsnap analyze BUNDLE|DB`: load the bundle (or reuse
 * its database, or read the database given), run the rules in their sandbox, report the findings as text,
 * JSON or TSV (and the HTML report with --html).
 *
 * Exit status: 0 ok; 1 something failed (the load, or a rule: the others
 * still ran and are reported); 2 usage; 3 no failure, but a finding at or
 * above --fail-on; 4 with --fail-on, none of those but a rule could not
 * judge (insufficient data).
 */
#include <errno.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_cli.h"
#include "commands.h"
#include "fleet_cli.h"
#include "report.h"
#include "term.h"

enum { FMT_TEXT, FMT_JSON, FMT_TSV };
enum { OPT_FORMAT = 300, OPT_COLOR, OPT_HTML, OPT_ASCII };

struct analyze_opts {
	int format;       /* FMT_TEXT, FMT_JSON, FMT_TSV */
	int color;        /* -1 auto, 0 never, 1 always */
	const char *html; /* --html FILE */
	int ascii;        /* --ascii timeline */
};

static const struct ms_opt analyze_opts[] = {
	{ OPT_FORMAT, "format", "FORMAT", "text (default), json (docs/report-json.md), or tsv\n"
	  "(a header line, then one finding a line: severity,\n"
	  "rule, entity kind, entity, start, end, value,\n"
	  "message, value unit, pid, comm, cgroup, node, zone,\n"
	  "mapping start and end; then the rules that failed\n"
	  "or could not judge)" },
	{ OPT_COLOR, "color", "WHEN", "auto (default: on a terminal, unless NO_COLOR is\n"
	  "non-empty or TERM is dumb), always or never" },
	{ OPT_HTML, "html", "FILE", "also write the HTML report (as 'memsnap report') to FILE" },
	{ OPT_ASCII, "ascii", NULL, "draw the timeline with ASCII characters (the default\n"
	  "when the locale is not UTF-8)" },
	{ 0, NULL, NULL, NULL },
};

static const struct ms_opt *const analyze_tables[] = {
	load_cli_output_opts, load_cli_opts, load_cli_window_opts, rules_cli_source_opts,
	rules_cli_run_opts, fleet_cli_opts, analyze_opts, NULL
};

const struct ms_cmd_doc analyze_doc = {
	"analyze",
	"analyze BUNDLE... | DIR | DB [options]",
	"Load a bundle into its database (or reuse it, or read the DB given), run every\n"
	"rule on it and report the findings: grouped by severity, each with its entity,\n"
	"time window, numbers, explanation and what to do, then what the bundle did not\n"
	"hold. Several bundles of one host, or a recorder's DIR, are one recording.\n"
	"With the bundles of several hosts (files, a directory of them, or a database\n"
	"of 'memsnap load --into'), each host is loaded and analyzed on its own (-j at\n"
	"once; --from/--to cut each host's bundles) and the fleet summary groups the\n"
	"findings across hosts by rule and entity: the hosts, the first onset, the\n"
	"worst severity.",
	analyze_tables,
	"'memsnap rules' lists the rules and their parameters; docs/rules/ explains each.\n"
	"Exit status: 0 ok, 1 the load or a rule failed (the other rules still ran),\n"
	"2 usage error, 3 a finding at or above --fail-on (and nothing failed), 4 with\n"
	"--fail-on: none of those, but a rule could not judge (insufficient data).\n",
};

/* the value of --format or --color: its index in NAMES, or -1 with ERR set */
static int choice(const char *opt, const char *arg, const char *const *names, size_t n,
		  const char *expected, struct ms_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(arg, names[i]))
			return (int)i;
	return ms_err_set(err, EINVAL, "%s '%s': expected %s", opt, arg, expected);
}

static int analyze_opt(void *ctx, int id, const char *arg, struct ms_err *err)
{
	static const char *const formats[] = { "text", "json", "tsv" };
	static const char *const colors[] = { "never", "always", "auto" };
	struct analyze_opts *o = ctx;
	int i;
	switch (id) {
	case OPT_HTML: o->html = arg; return 0;
	case OPT_ASCII: o->ascii = 1; return 0;
	case OPT_FORMAT:
		if ((i = choice("--format", arg, formats, 3, "text, json or tsv", err)) < 0)
			return -1;
		o->format = i;
		return 0;
	case OPT_COLOR:
		if ((i = choice("--color", arg, colors, 3, "auto, always or never", err)) < 0)
			return -1;
		o->color = i == 2 ? -1 : i;
		return 0;
	}
	return ms_err_set(err, EINVAL, "unknown option");
}

/* The fleet's findings on stdout in the format asked for; an exit status. */
static int print_fleet(const struct analyze_opts *o, const struct fleet *f)
{
	struct ms_err err = MS_ERR_INIT;
	int rc = MS_EXIT_OK;
	if (o->format == FMT_JSON && report_fleet_json(stdout, f, &err) < 0) {
		fprintf(stderr, "memsnap: analyze: %s\n", ms_err_msg(&err));
		rc = MS_EXIT_FAILURE;
	} else if (o->format == FMT_TSV) {
		report_fleet_tsv(stdout, f);
	} else if (o->format == FMT_TEXT) {
		report_fleet_text(stdout, f, o->color >= 0 ? o->color : term_color(1));
	}
	ms_err_release(&err);
	return rc;
}

/* Several hosts: the fleet; an exit status. */
static int analyze_fleet(struct fleet_run *fr, const struct analyze_opts *o, struct analyze_cli *c)
{
	struct rule_set set = { NULL, 0 };
	if (c->lc.o.db_path) {
		fleet_cli_release(fr);
		return command_usage_error("analyze", "-o names one host's database; for several hosts use "
					   "'memsnap load --into DB' and analyze DB");
	}
	int rc = fleet_cli_analyze(fr, c, &set, o->html, "analyze");
	if (rc == MS_EXIT_OK || fleet_ran(&fr->f)) {
		int prc = print_fleet(o, &fr->f);
		rc = rc == MS_EXIT_OK ? prc : rc;
	}
	rc = fleet_cli_finish(fr, &c->r, "analyze", rc);
	rule_set_release(&set);
	return rc;
}

/* The findings on stdout in the format asked for; an exit status. */
static int print_findings(const struct analyze_opts *o, const struct analysis_cli *x)
{
	struct ms_err err = MS_ERR_INIT;
	int rc = MS_EXIT_OK;
	if (o->format == FMT_JSON) {
		if (report_json(stdout, &x->a, &err) < 0) {
			fprintf(stderr, "memsnap: analyze: %s\n", ms_err_msg(&err));
			rc = MS_EXIT_FAILURE;
		}
	} else if (o->format == FMT_TSV) {
		report_tsv(stdout, &x->a);
	} else {
		int color = o->color >= 0 ? o->color : term_color(1);
		const char *cs = nl_langinfo(CODESET);
		report_text(stdout, &x->a, x->db, color, o->ascii || !cs || strcmp(cs, "UTF-8"));
	}
	ms_err_release(&err);
	return rc;
}

int cmd_analyze(int argc, char **argv)
{
	struct analyze_opts o = { FMT_TEXT, -1, NULL, 0 };
	struct analyze_cli c;
	analyze_cli_init(&c);
	const struct ms_opt_handler h[] = {
		{ load_cli_opt, &c.lc }, { load_cli_opt, &c.lc }, { load_cli_opt, &c.lc },
		{ rules_cli_opt, &c.r }, { rules_cli_opt, &c.r }, { fleet_cli_opt, &c.fc }, { analyze_opt, &o },
	};
	int first;
	int rc = command_parse(&analyze_doc, h, argc, argv, &first);
	struct fleet_run fr;
	if (fleet_cli_start(&fr, "analyze", &rc, argc, argv, first) == FLEET_MANY)
		rc = analyze_fleet(&fr, &o, &c);
	if (rc >= 0) {
		rules_cli_release(&c.r);
		return rc;
	}
	struct rule_set set = { NULL, 0 };
	struct analysis_cli x;
	rc = analysis_cli_start(&x, &c.lc, &c.r, &set, "analyze", argv + first, (size_t)(argc - first));
	if (x.ran) {
		if (o.html && analysis_cli_write_html(&x, o.html, "analyze") < 0)
			rc = MS_EXIT_FAILURE;
		int prc = print_findings(&o, &x);
		if (rc == MS_EXIT_OK)
			rc = prc;
	}
	rc = analysis_cli_finish(&x, &c.r, "analyze", rc);
	rule_set_release(&set);
	rules_cli_release(&c.r);
	return rc;
}
