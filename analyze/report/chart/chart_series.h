/*
 * chart_series.h - time series for the report's charts, read from the
 * analysis database with one query each.
 */
#ifndef CHART_SERIES_H
#define CHART_SERIES_H

#include <sqlite3.h>
#include <stddef.h>

#include "svg_chart.h"

struct chart_series {
	double *t, *y;   /* owned; NULL y values become NaN (gaps) */
	size_t n, alloc;
};

/* Run SQL (two columns: t, y; rows in time order) with the optional ?1
 * integer argument A1 and ?2 text argument A2 into *S (emptied first).
 * -1 on an SQL error or ENOMEM; the message is in the database handle. */
int chart_series_load(sqlite3 *db, const char *sql, long long a1, const char *a2,
		     struct chart_series *s);

/* Step ST (prepared and bound by the caller; two columns t, y) into *S
 * (emptied first).  -1 on an SQL error or ENOMEM. */
int chart_series_read(sqlite3_stmt *st, struct chart_series *s);

void chart_series_release(struct chart_series *s);

/* Times to mark on charts: a query's rows (t, label), t in UTC seconds,
 * label text (NULL rows are skipped), the first MAX kept. */
struct chart_markers {
	struct svg_marker *m;   /* owned, and so are their names */
	size_t n;
	size_t total;           /* rows the query gave: more than N when over MAX */
};

/* Run SQL into *MK.  -1 on an SQL error or ENOMEM (the message is in the
 * database handle; *MK is empty). */
int chart_markers_load(sqlite3 *db, const char *sql, size_t max, struct chart_markers *mk);

void chart_markers_release(struct chart_markers *mk);

/* The queries of the common system series: a column of the `mem` view, the
 * per-second rate of a vmstat counter. */
#define SERIES_MEM(col) "SELECT t, " col " FROM mem ORDER BY sample"
#define SERIES_RATE(key) "SELECT t, per_s FROM vmstat_rate WHERE key = '" key "' ORDER BY sample"

#endif
