/*
 * rule.h - one rule file: its header and its query (docs/rules.md).
 *
 *     -- id: leak/process
 *     -- severity: warning
 *     -- title: A process's anonymous memory grows steadily
 *     -- explain: What it measures, in one paragraph; continuation lines
 *     --   are indented by at least two spaces after the "--".
 *     -- action: What to do about it.
 *     -- param: min_growth = 4 MiB | the smallest growth over the window
 *     -- chart: process-memory
 *     SELECT ... :min_growth ...
 *
 * The header is the leading block of "--" lines; the first other line starts
 * the query, a single read-only SELECT whose rows are findings.  rule_parse()
 * is pure: text in, struct out, no I/O.
 */
#ifndef RULE_H
#define RULE_H

#include <stddef.h>

#include "ms_err.h"
#include "rule_chart.h"

enum rule_severity { RULE_INFO = 0, RULE_WARNING = 1, RULE_CRITICAL = 2 };

struct rule_param {
	char *name;     /* [a-z_][a-z0-9_]*, bound as :name */
	char *value;    /* the default, as written: a number or 'text' */
	char *unit;     /* "" when dimensionless */
	char *doc;
	int line;
};

struct rule {
	char *origin;   /* where it came from: a path, or "rules/ID.sql (built in)" */
	char *id;       /* e.g. leak/process */
	enum rule_severity severity;
	char *title;
	char *explain;
	char *action;
	struct rule_param *params;
	size_t nparams;
	char *sql;      /* the query, from its first line on */
	int sql_line;   /* the line of ORIGIN where the query starts */
	struct rule_charts charts;  /* what the HTML report draws (rule_chart.h) */
};

/* Parse TEXT (LEN bytes; need not be NUL-terminated) from ORIGIN into *OUT.
 * On error returns -1 with "ORIGIN:LINE: message" in ERR and *OUT empty. */
int rule_parse(const char *origin, const char *text, size_t len, struct rule *out,
	       struct ms_err *err);

/* Free what *R owns and zero it. */
void rule_release(struct rule *r);

/* "info", "warning", "critical" */
const char *rule_severity_name(enum rule_severity s);
/* Parse a severity name; -1 when unknown. */
int rule_severity_parse(const char *s, size_t len);

/* The parameter NAME (LEN bytes), or NULL. */
struct rule_param *rule_find_param(const struct rule *r, const char *name, size_t len);

/* Check a parameter value as written (a number, or text in single quotes
 * with '' for a quote); 0 when valid. */
int rule_value_check(const char *v);

/* For the header parsers (rule.c, rule_chart.c): S..E past its leading
 * blanks; S..E without its trailing blanks, allocated (NULL on ENOMEM). */
const char *rule_skip_blank(const char *s, const char *e);
char *rule_dup_range(const char *s, const char *e);

#endif
