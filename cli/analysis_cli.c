/*
 * analysis_cli.c - the rule options and the run shared by analyze and
 * report (see analysis_cli.h).
 */
#include "analysis_cli.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "html_report.h"
#include "out_file.h"
#include "parse_num.h"
#include "rule_run.h"
#include "term.h"

enum { OPT_ONLY = 400, OPT_SKIP, OPT_FAILON, OPT_TIMEOUT };

const struct ms_opt rules_cli_source_opts[] = {
	{ 'r', "rules", "DIR", "add the rules in DIR (*.sql, recursively); a rule with\n"
	  "a built-in rule's id replaces it (repeatable)" },
	{ 's', "set", "ID.PARAM=VALUE", "override a rule parameter (repeatable)" },
	{ 0, NULL, NULL, NULL },
};

const struct ms_opt rules_cli_run_opts[] = {
	{ OPT_ONLY, "only", "LIST", "run only these rules: ids or folders, comma-separated" },
	{ OPT_SKIP, "skip", "LIST", "do not run these rules (ids or folders)" },
	{ OPT_FAILON, "fail-on", "SEVERITY", "exit 3 when a finding is at least SEVERITY\n"
	  "(info, warning, critical); else 4 when a rule could\n"
	  "not judge (the recording is too short for it)" },
	{ OPT_TIMEOUT, "rule-timeout", "D", "stop a rule's query after D (default 60s)" },
	{ 0, NULL, NULL, NULL },
};

void rules_cli_init(struct rules_cli *r)
{
	memset(r, 0, sizeof(*r));
	r->fail_on = -1;
	r->timeout_s = 60;
}

void rules_cli_release(struct rules_cli *r)
{
	free(r->dirs);
	free(r->sets);
	r->dirs = r->sets = NULL;
}

static int push(const char ***v, size_t *n, const char *s, struct ms_err *err)
{
	const char **nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return ms_err_set(err, ENOMEM, "out of memory");
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

int rules_cli_opt(void *ctx, int id, const char *arg, struct ms_err *err)
{
	struct rules_cli *r = ctx;
	uint64_t ms;
	switch (id) {
	case 'r': return push(&r->dirs, &r->ndirs, arg, err);
	case 's': return push(&r->sets, &r->nsets, arg, err);
	case OPT_ONLY: r->only = arg; return 0;
	case OPT_SKIP: r->skip = arg; return 0;
	case OPT_FAILON:
		r->fail_on = rule_severity_parse(arg, strlen(arg));
		if (r->fail_on < 0)
			return ms_err_set(err, EINVAL, "--fail-on '%s': expected info, warning or critical",
					  arg);
		return 0;
	case OPT_TIMEOUT:
		if (ms_parse_duration(arg, &ms, "--rule-timeout", err) < 0)
			return -1;
		if (ms == 0)
			return ms_err_set(err, EINVAL, "--rule-timeout '%s': must be more than 0", arg);
		r->timeout_s = (double)ms / 1000.0;
		return 0;
	}
	return ms_err_set(err, EINVAL, "unknown option");
}

int rules_cli_build(const struct rules_cli *r, int select, struct rule_set *set, const char *name)
{
	struct ms_err err = MS_ERR_INIT;
	int rc = MS_EXIT_OK;
	if (rule_set_build(set, r->dirs, r->ndirs, r->sets, r->nsets, &err) < 0)
		rc = err.code == ENOMEM ? MS_EXIT_FAILURE : MS_EXIT_USAGE;
	else if (select && rule_set_select(set, r->only, r->skip, &err) < 0)
		rc = MS_EXIT_USAGE;
	if (rc != MS_EXIT_OK)
		fprintf(stderr, "memsnap: %s: %s\n", name, ms_err_msg(&err));
	ms_err_release(&err);
	return rc;
}

static void rules_progress(void *ctx, size_t done, size_t total)
{
	term_progress_update(ctx, done, total);
}

int analysis_cli_start(struct analysis_cli *x, struct load_cli *lc, const struct rules_cli *r,
		       struct rule_set *set, const char *name, char *const *inputs, size_t n)
{
	memset(x, 0, sizeof(*x));
	int rc = rules_cli_build(r, 1, set, name);
	if (rc != MS_EXIT_OK)
		return rc;
	rc = load_cli_run(lc, name, inputs, n, &x->res);
	load_cli_release(lc);
	x->loaded = 1;
	if (rc != MS_EXIT_OK && !x->res.samples)
		return rc;
	load_cli_report(lc, name, &x->res);
	struct ms_err err = MS_ERR_INIT;
	setlocale(LC_CTYPE, ""); /* only to learn whether the terminal takes UTF-8 */
	if (rule_db_open(x->res.db_path, &x->sb, &x->db, &err) < 0) {
		fprintf(stderr, "memsnap: %s: %s\n", name, ms_err_msg(&err));
		ms_err_release(&err);
		return MS_EXIT_FAILURE;
	}
	/* a hostile rule must not take the laptop's memory with it */
	sqlite3_hard_heap_limit64((sqlite3_int64)1 << 30);
	struct term_progress tp;
	term_progress_init(&tp, "rules", 1);
	const struct analysis_progress ap = { rules_progress, &tp };
	int arc = analysis_run(x->db, &x->sb, set, r->timeout_s, lc->quiet ? NULL : &ap, &x->a, &err);
	term_progress_clear(&tp);
	if (arc < 0) {
		fprintf(stderr, "memsnap: %s: '%s': %s\n", name, x->res.db_path, ms_err_msg(&err));
		ms_err_release(&err);
		return MS_EXIT_FAILURE;
	}
	x->ran = 1;
	return rc;
}

int analysis_cli_html(FILE *f, sqlite3 *db, const struct analysis *a, struct ms_err *err)
{
	/* the charts in the zone of the page's times (display_zone.c) */
	const struct html_options ho = { getenv("TZ") };
	return html_report(f, db, a, &ho, err);
}

static int html_page(FILE *f, void *ctx, struct ms_err *err)
{
	const struct analysis_cli *x = ctx;
	return analysis_cli_html(f, x->db, &x->a, err);
}

int analysis_cli_write_html(const struct analysis_cli *x, const char *path, const char *name)
{
	struct ms_err err = MS_ERR_INIT;
	int rc = out_file_write(path, html_page, (void *)x, &err);
	if (rc < 0)
		fprintf(stderr, "memsnap: %s: %s\n", name, ms_err_msg(&err));
	ms_err_release(&err);
	return rc;
}

int analysis_cli_finish(struct analysis_cli *x, const struct rules_cli *r, const char *name, int rc)
{
	if (x->ran) {
		for (size_t i = 0; i < x->a.noutcomes; i++)
			if (x->a.outcomes[i].error)
				fprintf(stderr, "memsnap: %s: rule failed: %s\n", name, x->a.outcomes[i].error);
		if (x->a.failed)
			rc = MS_EXIT_FAILURE;
		if (rc == MS_EXIT_OK && r->fail_on >= 0) {
			for (size_t i = 0; i < x->a.findings.n; i++)
				if ((int)x->a.findings.f[i].severity >= r->fail_on)
					rc = MS_EXIT_FINDINGS;
			/* insufficient data is no clean bill of health */
			if (rc == MS_EXIT_OK && x->a.insufficient)
				rc = MS_EXIT_UNJUDGED;
		}
		analysis_release(&x->a);
	}
	if (x->db)
		sqlite3_close(x->db);
	if (x->loaded)
		load_result_release(&x->res);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "memsnap: %s: writing the report: %s\n", name, strerror(errno));
		rc = MS_EXIT_FAILURE;
	}
	return rc;
}
