/*
 * rule_chart.h - the charts a rule declares in its header, which the HTML
 * report draws for each of its findings (docs/rules.md, "Charts"):
 *
 *     -- chart: bytes | Process :entity: memory
 *     -- line: RSS | SELECT t, vm_rss_bytes FROM proc_series WHERE pid = CAST(:entity AS INTEGER)
 *     --   ORDER BY sample
 *     -- ref: limit | SELECT 1073741824
 *     -- chart: cgroup-memory
 *     -- when: :entity_kind = 'cgroup'
 *
 * A "chart:" line opens a chart: a unit and a title, or the name of a
 * standard chart (process-memory, cgroup-memory ...) whose series it
 * brings; "line:", "dashed:", "area:" and "ref:" add series to the chart
 * above them, "when:" makes it conditional.  Every SQL (series, ref, when)
 * and the title may use the finding's columns as :name parameters.  The
 * parsing is pure (rule_parse() calls it); rule_run() checks the SQL on the
 * database, the report binds and draws.
 */
#ifndef RULE_CHART_H
#define RULE_CHART_H

#include <stddef.h>

#include "ms_err.h"

enum rule_chart_unit { RULE_UNIT_NUMBER, RULE_UNIT_BYTES, RULE_UNIT_PERCENT, RULE_UNIT_PER_S };
enum rule_series_kind { RULE_LINE, RULE_DASHED, RULE_AREA, RULE_REF };

#define RULE_CHART_MAX_SERIES 8   /* line:, dashed: and area: of one chart */
#define RULE_CHART_MAX_REFS 4

struct rule_series {
	enum rule_series_kind kind;
	char *name;
	char *sql;      /* rows (t, y) in time order; a ref: one number */
	int line;       /* of its header line */
};

struct rule_chart {
	enum rule_chart_unit unit;
	int capture;    /* the time axis spans the whole capture */
	char *title;    /* ":name" stands for the finding's column NAME */
	char *when;     /* an SQL expression; NULL: every finding */
	int when_line;
	int line;       /* of its "chart:" line */
	struct rule_series *series;
	size_t nseries;
};

struct rule_charts {
	struct rule_chart *c;
	size_t n;
	char **more;    /* while parsing: the SQL a continuation line extends */
};

/* The header keys of charts: "chart", "when", "line", "dashed", "area",
 * "ref".  Returns the key's index, or -1 when KEY (LEN bytes) is none. */
int rule_chart_key(const char *key, size_t len);

/* One header line of key K (from rule_chart_key()), its value V..E.  On
 * error returns -1 with "ORIGIN:LINE: message" in ERR. */
int rule_chart_parse(struct rule_charts *cs, int k, const char *v, const char *e, int line,
		     const char *origin, struct ms_err *err);

/* A continuation line V..E: appended, after a newline, to the SQL of the
 * line before.  1 when done, 0 when that line takes no continuation (a
 * "chart:" line), -1 on ENOMEM. */
int rule_chart_continue(struct rule_charts *cs, const char *v, const char *e);

/* The header ended: check the last chart.  0, or -1 with ERR set. */
int rule_chart_finish(struct rule_charts *cs, const char *origin, struct ms_err *err);

void rule_charts_release(struct rule_charts *cs);

/* The unit's header name ("bytes", "per-second", "percent", "number"). */
const char *rule_chart_unit_name(enum rule_chart_unit u);

/* The next ":name" in S: its start (at the colon) and the name's length
 * (after the colon), or NULL when there is none. */
const char *rule_chart_next_param(const char *s, size_t *len);

#endif
