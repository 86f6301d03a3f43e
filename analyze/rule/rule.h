/*
 * rule.h - one rule file: its header and its query (docs/rules.md).
 *
 *     -- id: leak/process
 *     -- severity: warning
 *     -- title: A process's anonymous memory grows steadily
 *     -- explain: What it measures, in one paragraph; continuation lines
 *     --   are indented by at least two spaces after the "--".
 *     -- action: What to do about it.
 *     -- param: min_growth = 4 MiB [0, 1048576] | the smallest growth over the window
 *     -- needs: :min_minutes
 *     -- unit: MiB/h | value, rate_mib_h
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
#include "rule_unit.h"

enum rule_severity { RULE_INFO = 0, RULE_WARNING = 1, RULE_CRITICAL = 2 };

struct rule_param {
	char *name;     /* [a-z_][a-z0-9_]*, bound as :name */
	char *value;    /* what is bound: a number (in UNIT) or 'text' */
	char *def;      /* the default, as written */
	char *unit;     /* "" when dimensionless */
	char *doc;
	int line;
	int text;       /* a text parameter ('quoted'): no unit, no range */
	struct rule_unit u;        /* UNIT parsed (its name borrows unit) */
	double lo, hi;             /* the range, in UNIT; -inf/inf when open */
	int lo_open, hi_open;      /* "(" or ")": the bound itself is outside */
	int has_range;
};

/* "-- unit: MiB/h | value, rate_mib_h": the unit of one query column */
struct rule_column_unit {
	char *column;
	char *unit;
	struct rule_unit u;        /* its name borrows unit */
	int line;
};

/* "-- needs: :min_buckets * :bucket_samples samples": the least data a
 * rule can judge at all, a product of numbers and parameters */
enum rule_need_kind { RULE_NEED_SPAN, RULE_NEED_SAMPLES, RULE_NEED_INTERVALS,
		      RULE_NEED_ROLLUP, RULE_NEED_SMAPS };
#define RULE_NEED_MAX_FACTORS 4
struct rule_need {
	enum rule_need_kind kind;
	double scale;              /* a span: seconds per unit (0: the parameter's unit) */
	size_t nfactors;
	double num[RULE_NEED_MAX_FACTORS];
	char *param[RULE_NEED_MAX_FACTORS];  /* NULL where the factor is num[] */
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
	struct rule_column_unit *units;
	size_t nunits;
	struct rule_need *needs;
	size_t nneeds;
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

/* Is V inside P's range? */
int rule_param_in_range(const struct rule_param *p, double v);

/* Append P's range as a person reads it ("from 0 to 1", "more than 0") to B;
 * nothing when P has none.  -1 on ENOMEM. */
int rule_param_say_range(const struct rule_param *p, struct ms_buf *b);

/* Append what --set accepts for P to B: "a size: 2MiB, 512K ... (a plain
 * number is MiB), at least 0 and at most 1048576 MiB".  -1 on ENOMEM. */
int rule_param_say_forms(const struct rule_param *p, struct ms_buf *b);

/* The unit declared for column NAME, or NULL. */
const struct rule_column_unit *rule_column_unit(const struct rule *r, const char *name);

/* Need N's amount with the parameters' current values: seconds for a span,
 * a count otherwise. */
double rule_need_amount(const struct rule *r, const struct rule_need *n);

/* For the header parsers (rule.c, rule_chart.c): S..E past its leading
 * blanks; S..E without its trailing blanks, allocated (NULL on ENOMEM). */
const char *rule_skip_blank(const char *s, const char *e);
char *rule_dup_range(const char *s, const char *e);

#endif
