/*
 * chart_series.c - a (t, y) series from one query (see chart_series.h).
 */
#include "chart_series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int chart_series_load(sqlite3 *db, const char *sql, long long a1, const char *a2,
		     struct chart_series *s)
{
	sqlite3_stmt *st;
	s->n = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, a1);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_text(st, 2, a2 ? a2 : "", -1, SQLITE_STATIC);
	int rc = chart_series_read(st, s);
	sqlite3_finalize(st);
	return rc;
}

int chart_series_read(sqlite3_stmt *st, struct chart_series *s)
{
	int rc;
	s->n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (s->n == s->alloc) {
			size_t na = s->alloc ? 2 * s->alloc : 256;
			double *nt = realloc(s->t, na * sizeof(double));
			if (nt)
				s->t = nt;
			double *ny = nt ? realloc(s->y, na * sizeof(double)) : NULL;
			if (!ny)
				return -1;
			s->y = ny;
			s->alloc = na;
		}
		s->t[s->n] = sqlite3_column_double(st, 0);
		s->y[s->n] = sqlite3_column_type(st, 1) == SQLITE_NULL ? NAN
			     : sqlite3_column_double(st, 1);
		s->n++;
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

void chart_series_release(struct chart_series *s)
{
	free(s->t);
	free(s->y);
	s->t = s->y = NULL;
	s->n = s->alloc = 0;
}

int chart_markers_load(sqlite3 *db, const char *sql, size_t max, struct chart_markers *mk)
{
	sqlite3_stmt *st;
	int rc = SQLITE_NOMEM;
	*mk = (struct chart_markers){ NULL, 0, 0 };
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	mk->m = calloc(max ? max : 1, sizeof(*mk->m));
	while (mk->m && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *label = (const char *)sqlite3_column_text(st, 1);
		if (sqlite3_column_type(st, 0) == SQLITE_NULL || !label)
			continue;
		if (mk->total++ >= max)
			continue;
		char *name = strdup(label);
		if (!name) {
			rc = SQLITE_NOMEM;
			break;
		}
		mk->m[mk->n++] = (struct svg_marker){ name, sqlite3_column_double(st, 0) };
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		chart_markers_release(mk);
		return -1;
	}
	return 0;
}

void chart_markers_release(struct chart_markers *mk)
{
	for (size_t i = 0; i < mk->n; i++)
		free((char *)mk->m[i].name);
	free(mk->m);
	*mk = (struct chart_markers){ NULL, 0, 0 };
}
