/*
 * html_series.h - time series for the report's charts, read from the
 * analysis database with one query each.
 */
#ifndef HTML_SERIES_H
#define HTML_SERIES_H

#include <sqlite3.h>
#include <stddef.h>

struct html_series {
	double *t, *y;   /* owned; NULL y values become NaN (gaps) */
	size_t n, alloc;
};

/* Run SQL (two columns: t, y; rows in time order) with the optional ?1
 * integer argument A1 and ?2 text argument A2 into *S (emptied first).
 * -1 on an SQL error or ENOMEM; the message is in the database handle. */
int html_series_load(sqlite3 *db, const char *sql, long long a1, const char *a2,
		     struct html_series *s);

void html_series_release(struct html_series *s);

#endif
