/*
 * load_drop.c - every table holds complete samples only: the rows of a
 * sample without a valid meta, and of the sample in flight when the
 * collector stopped, go.
 *
 * Derived, not listed: the tables are those the statements of load_stmt.c
 * write with rows per sample or spanning samples, and the kinds' own
 * tables (load_kinds.c: rows per sample), each once.  A new table is
 * cleaned up by being declared with its statement.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "load_kinds.h"
#include "load_state.h"

/* Run FMT (one %s: the table) with ?1 = N on TABLE. */
static int run_on(struct load_state *ls, const char *fmt, const char *table, int64_t n,
		  struct ms_err *err)
{
	char *sql = sqlite3_mprintf(fmt, table);
	sqlite3_stmt *s = NULL;
	if (!sql)
		return ms_err_set(err, ENOMEM, "out of memory");
	int rc = sqlite3_prepare_v2(ls->db, sql, -1, &s, NULL);
	sqlite3_free(sql);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(s, 1, n);
		rc = sqlite3_step(s);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return ms_err_set(err, EIO, "%s: %s", table, sqlite3_errmsg(ls->db));
	return 0;
}

/* Run FMT on every table whose rows are ROWS, each once. */
static int for_tables(struct load_state *ls, enum rows_of rows, const char *fmt, int64_t n,
		      struct ms_err *err)
{
	size_t nk, nt = 0;
	const struct load_kind *kinds = load_kinds(&nk);
	const char **tables = malloc((ST_COUNT + nk) * sizeof(*tables));
	if (!tables)
		return ms_err_set(err, ENOMEM, "out of memory");
	for (int i = 0; i < ST_COUNT; i++) {
		const char *t;
		if (load_stmt_rows((enum stmt_id)i, &t) == rows)
			tables[nt++] = t;
	}
	for (size_t i = 0; rows == ROWS_SAMPLE && i < nk; i++)
		if (kinds[i].sql)
			tables[nt++] = kinds[i].table;
	int rc = 0;
	for (size_t i = 0; i < nt && rc == 0; i++) {
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(tables[j], tables[i]);
		if (!seen)
			rc = run_on(ls, fmt, tables[i], n, err);
	}
	free(tables);
	return rc;
}

int load_drop_sample(struct load_state *ls, unsigned n, struct ms_err *err)
{
	return for_tables(ls, ROWS_SAMPLE, "DELETE FROM %s WHERE sample = ?1", n, err);
}

int load_drop_after(struct load_state *ls, unsigned last, struct ms_err *err)
{
	if (for_tables(ls, ROWS_SAMPLE, "DELETE FROM %s WHERE sample > ?1", last, err) < 0 ||
	    for_tables(ls, ROWS_SPAN, "DELETE FROM %s WHERE first_sample > ?1", last, err) < 0)
		return -1;
	return for_tables(ls, ROWS_SPAN, "UPDATE %s SET last_sample = ?1 WHERE last_sample > ?1",
			  last, err);
}
