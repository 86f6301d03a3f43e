/*
 * cmd_analyze.c - `memsnap analyze BUNDLE`: load the bundle (or reuse its
 * database), run the rules in their sandbox, report the findings; and
 * `memsnap report BUNDLE`, the same run written as an HTML report.
 *
 * Exit status: 0 ok; 1 something failed (the load, or a rule: the others
 * still ran and are reported); 2 usage; 3 no failure, but a finding at or
 * above --fail-on.
 */
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "commands.h"
#include "html_report.h"
#include "load_cli.h"
#include "parse_num.h"
#include "report.h"
#include "rule_run.h"
#include "rule_set.h"

static const char analyze_usage[] =
	"usage: memsnap analyze BUNDLE [options]\n"
	"\n"
	"Load a bundle into its database (or reuse it), run every rule on it and report\n"
	"the findings: grouped by severity, each with its entity, time window, numbers,\n"
	"explanation and what to do, then what the bundle did not hold.\n"
	"\n"
	"  -o, --output DB          the database (default: BUNDLE with .db)\n"
	"  -f, --force              load again even if DB matches the bundle\n"
	"      --max-member SIZE    refuse a bundle member larger than SIZE (default 256M)\n"
	"      --max-total SIZE     stop when the bundle decompresses to more than SIZE\n"
	"  -r, --rules DIR          add the rules in DIR (*.sql, recursively); a rule with\n"
	"                           a built-in rule's id replaces it (repeatable)\n"
	"      --only LIST          run only these rules: ids or folders, comma-separated\n"
	"      --skip LIST          do not run these rules (ids or folders)\n"
	"  -s, --set ID.PARAM=VALUE override a rule parameter (repeatable)\n"
	"      --format FORMAT      text (default), json, or tsv (one finding a line:\n"
	"                           severity, rule, entity kind, entity, start, end,\n"
	"                           value, message; for scripts)\n"
	"      --fail-on SEVERITY   exit 3 when a finding is at least SEVERITY\n"
	"                           (info, warning, critical)\n"
	"      --rule-timeout D     stop a rule's query after D (default 60s)\n"
	"      --color WHEN         auto (default: on a terminal, unless NO_COLOR is set),\n"
	"                           always or never\n"
	"      --html FILE          also write the HTML report (as 'memsnap report') to FILE\n"
	"      --ascii              draw the timeline with ASCII characters (the default\n"
	"                           when the locale is not UTF-8)\n"
	"  -q, --quiet              no loading messages\n"
	"  -h, --help               show this help\n"
	"\n"
	"'memsnap rules' lists the rules and their parameters; docs/rules/ explains each.\n"
	"Exit status: 0 ok, 1 the load or a rule failed (the other rules still ran),\n"
	"2 usage error, 3 a finding at or above --fail-on (and nothing failed).\n";

static const char report_usage[] =
	"usage: memsnap report BUNDLE [-o FILE] [options]\n"
	"\n"
	"Load a bundle (or reuse its database), run every rule, and write one\n"
	"self-contained HTML file: the findings with the chart that backs each, the\n"
	"system memory over time, swap, PSI, the top processes and the NUMA nodes. It\n"
	"needs no network: no scripts, fonts or styles from elsewhere.\n"
	"\n"
	"  -o, --output FILE        the report (default: BUNDLE with .html)\n"
	"      --db DB              the database (default: BUNDLE with .db)\n"
	"  -f, --force              load again even if DB matches the bundle\n"
	"      --max-member SIZE    refuse a bundle member larger than SIZE (default 256M)\n"
	"      --max-total SIZE     stop when the bundle decompresses to more than SIZE\n"
	"  -r, --rules DIR          add the rules in DIR (as analyze --rules; repeatable)\n"
	"      --only LIST          run only these rules: ids or folders, comma-separated\n"
	"      --skip LIST          do not run these rules (ids or folders)\n"
	"  -s, --set ID.PARAM=VALUE override a rule parameter (repeatable)\n"
	"      --fail-on SEVERITY   exit 3 when a finding is at least SEVERITY\n"
	"      --rule-timeout D     stop a rule's query after D (default 60s)\n"
	"  -q, --quiet              no loading messages\n"
	"  -h, --help               show this help\n"
	"\n"
	"Exit status: 0 ok, 1 the load, a rule or writing the report failed, 2 usage\n"
	"error, 3 a finding at or above --fail-on (and nothing failed).\n";

enum { FMT_TEXT, FMT_JSON, FMT_TSV };
enum { OPT_ONLY = 300, OPT_SKIP, OPT_FORMAT, OPT_FAILON, OPT_TIMEOUT, OPT_COLOR, OPT_HTML, OPT_ASCII };

struct analyze_opts {
	const char **dirs;
	size_t ndirs;
	const char **sets;
	size_t nsets;
	const char *only, *skip;
	int format;       /* FMT_TEXT, FMT_JSON, FMT_TSV */
	int fail_on;      /* a severity, or -1 */
	double timeout_s;
	int color;        /* -1 auto, 0 never, 1 always */
	const char *html; /* --html FILE, or report's -o */
	int report;       /* memsnap report: HTML only */
	int ascii;        /* --ascii timeline */
};

static int push(const char ***v, size_t *n, const char *s, struct ms_err *err)
{
	const char **nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return ms_err_set(err, ENOMEM, "out of memory");
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

static int analyze_opt(void *ctx, int ch, const char *arg, struct ms_err *err)
{
	struct analyze_opts *o = ctx;
	uint64_t ms;
	switch (ch) {
	case 'r': return push(&o->dirs, &o->ndirs, arg, err);
	case 's': return push(&o->sets, &o->nsets, arg, err);
	case 'o':
	case OPT_HTML: o->html = arg; return 0;
	case OPT_ONLY: o->only = arg; return 0;
	case OPT_ASCII: o->ascii = 1; return 0;
	case OPT_SKIP: o->skip = arg; return 0;
	case OPT_FORMAT:
		if (!strcmp(arg, "text"))
			o->format = FMT_TEXT;
		else if (!strcmp(arg, "json"))
			o->format = FMT_JSON;
		else if (!strcmp(arg, "tsv"))
			o->format = FMT_TSV;
		else
			return ms_err_set(err, EINVAL, "--format '%s': expected text, json or tsv", arg);
		return 0;
	case OPT_FAILON:
		o->fail_on = rule_severity_parse(arg, strlen(arg));
		if (o->fail_on < 0)
			return ms_err_set(err, EINVAL, "--fail-on '%s': expected info, warning or critical",
					  arg);
		return 0;
	case OPT_TIMEOUT:
		if (ms_parse_duration(arg, &ms, "--rule-timeout", err) < 0)
			return -1;
		if (ms == 0)
			return ms_err_set(err, EINVAL, "--rule-timeout '%s': must be more than 0", arg);
		o->timeout_s = (double)ms / 1000.0;
		return 0;
	case OPT_COLOR:
		if (!strcmp(arg, "auto"))
			o->color = -1;
		else if (!strcmp(arg, "always"))
			o->color = 1;
		else if (!strcmp(arg, "never"))
			o->color = 0;
		else
			return ms_err_set(err, EINVAL, "--color '%s': expected auto, always or never", arg);
		return 0;
	}
	return ms_err_set(err, EINVAL, "unknown option");
}

/* Build the rule set the options ask for; prints and returns an exit code. */
static int make_rules(const struct analyze_opts *o, struct rule_set *set, const char *name)
{
	struct ms_err err = MS_ERR_INIT;
	int rc = MS_EXIT_OK;
	if (rule_set_build(set, o->dirs, o->ndirs, o->sets, o->nsets, &err) < 0)
		rc = err.code == ENOMEM ? MS_EXIT_FAILURE : MS_EXIT_USAGE;
	else if (rule_set_select(set, o->only, o->skip, &err) < 0)
		rc = MS_EXIT_USAGE;
	if (rc != MS_EXIT_OK)
		fprintf(stderr, "memsnap: %s: %s\n", name, ms_err_msg(&err));
	ms_err_release(&err);
	return rc;
}

/* Write the HTML report to PATH, through PATH.tmp renamed at the end. */
static int write_html(const char *path, sqlite3 *db, const struct analysis *a, const char *name)
{
	struct ms_err err = MS_ERR_INIT;
	size_t n = strlen(path) + 5;
	char *tmp = malloc(n);
	FILE *f = tmp ? (snprintf(tmp, n, "%s.tmp", path), fopen(tmp, "w")) : NULL;
	int rc = 0;
	if (!f) {
		fprintf(stderr, "memsnap: %s: '%s': %s\n", name, tmp ? tmp : path, strerror(tmp ? errno : ENOMEM));
		free(tmp);
		return -1;
	}
	if (html_report(f, db, a, &err) < 0) {
		fprintf(stderr, "memsnap: %s: '%s': %s\n", name, path, ms_err_msg(&err));
		rc = -1;
	}
	if (fclose(f) != 0 && rc == 0) {
		fprintf(stderr, "memsnap: %s: '%s': %s\n", name, path, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(tmp, path) < 0) {
		fprintf(stderr, "memsnap: %s: '%s': %s\n", name, path, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	ms_err_release(&err);
	return rc;
}

/* BUNDLE with .html instead of .tar.zst (or with .html added). */
static char *default_html(const char *bundle)
{
	size_t n = strlen(bundle);
	size_t base = n > 8 && !strcmp(bundle + n - 8, ".tar.zst") ? n - 8 : n;
	char *p = malloc(base + 6);
	if (p)
		snprintf(p, base + 6, "%.*s.html", (int)base, bundle);
	return p;
}

static int run(int argc, char **argv, int report)
{
	const char *name = report ? "report" : "analyze";
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "set", required_argument, NULL, 's' },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "skip", required_argument, NULL, OPT_SKIP },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "fail-on", required_argument, NULL, OPT_FAILON },
		{ "rule-timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "html", required_argument, NULL, OPT_HTML },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ NULL, 0, NULL, 0 },
	};
	static const struct option report_longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "set", required_argument, NULL, 's' },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "skip", required_argument, NULL, OPT_SKIP },
		{ "fail-on", required_argument, NULL, OPT_FAILON },
		{ "rule-timeout", required_argument, NULL, OPT_TIMEOUT },
		{ NULL, 0, NULL, 0 },
	};
	struct analyze_opts o = { .fail_on = -1, .timeout_s = 60, .color = -1, .report = report };
	struct load_cli_extra x = { report ? report_longopts : longopts, "r:s:", analyze_opt, &o, report };
	struct load_cli cli;
	struct rule_set set = { NULL, 0 };
	struct load_result res;
	char *html_default = NULL;
	int loaded = 0;
	int rc = load_cli_parse_ext(&cli, argc, argv, name, report ? report_usage : analyze_usage, 1, &x);
	if (rc != 0) {
		rc = rc < 0 ? MS_EXIT_USAGE : MS_EXIT_OK;
		goto out;
	}
	if (report && !o.html) {
		o.html = html_default = default_html(cli.o.bundle);
		if (!o.html) {
			rc = MS_EXIT_FAILURE;
			goto out;
		}
	}
	/* the rules first: a typo in --set should not cost a load */
	rc = make_rules(&o, &set, name);
	if (rc != MS_EXIT_OK)
		goto out;
	rc = load_cli_run(&cli, name, &res);
	loaded = 1;
	if (rc != MS_EXIT_OK && !res.samples)
		goto out;
	load_cli_report(&cli, name, &res);

	struct ms_err err = MS_ERR_INIT;
	struct rule_sandbox sb;
	setlocale(LC_CTYPE, ""); /* only to learn whether the terminal takes UTF-8 */
	sqlite3 *db;
	struct analysis a;
	if (rule_db_open(res.db_path, &sb, &db, &err) < 0) {
		fprintf(stderr, "memsnap: %s: %s\n", name, ms_err_msg(&err));
		ms_err_release(&err);
		rc = MS_EXIT_FAILURE;
		goto out;
	}
	/* a hostile rule must not take the laptop's memory with it */
	sqlite3_hard_heap_limit64((sqlite3_int64)1 << 30);
	if (analysis_run(db, &sb, &set, o.timeout_s, &a, &err) < 0) {
		fprintf(stderr, "memsnap: %s: '%s': %s\n", name, res.db_path, ms_err_msg(&err));
		ms_err_release(&err);
		sqlite3_close(db);
		rc = MS_EXIT_FAILURE;
		goto out;
	}
	if (o.html && write_html(o.html, db, &a, name) < 0)
		rc = MS_EXIT_FAILURE;
	if (report) {
		if (!cli.quiet && rc == MS_EXIT_OK)
			fprintf(stderr, "memsnap: report: wrote %s: %zu findings (%zu critical, %zu warning,"
				" %zu info) from %zu rules\n", o.html, a.findings.n,
				finding_list_count(&a.findings, RULE_CRITICAL),
				finding_list_count(&a.findings, RULE_WARNING),
				finding_list_count(&a.findings, RULE_INFO), a.noutcomes);
	} else if (o.format == FMT_JSON) {
		if (report_json(stdout, &a, &err) < 0) {
			fprintf(stderr, "memsnap: analyze: %s\n", ms_err_msg(&err));
			rc = MS_EXIT_FAILURE;
		}
	} else if (o.format == FMT_TSV) {
		report_tsv(stdout, &a);
	} else {
		int color = o.color >= 0 ? o.color : isatty(1) && !getenv("NO_COLOR");
		const char *cs = nl_langinfo(CODESET);
		report_text(stdout, &a, db, color, o.ascii || !cs || strcmp(cs, "UTF-8"));
	}
	sqlite3_close(db);
	ms_err_release(&err);
	for (size_t i = 0; i < a.noutcomes; i++)
		if (a.outcomes[i].error)
			fprintf(stderr, "memsnap: %s: rule failed: %s\n", name, a.outcomes[i].error);
	if (a.failed)
		rc = MS_EXIT_FAILURE;
	if (rc == MS_EXIT_OK && o.fail_on >= 0)
		for (size_t i = 0; i < a.findings.n; i++)
			if ((int)a.findings.f[i].severity >= o.fail_on)
				rc = MS_EXIT_FINDINGS;
	analysis_release(&a);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "memsnap: %s: writing the report: %s\n", name, strerror(errno));
		rc = MS_EXIT_FAILURE;
	}
out:
	if (loaded)
		load_result_release(&res);
	rule_set_release(&set);
	free(o.dirs);
	free(o.sets);
	free(html_default);
	return rc;
}

int cmd_analyze(int argc, char **argv)
{
	return run(argc, argv, 0);
}

int cmd_report(int argc, char **argv)
{
	return run(argc, argv, 1);
}
