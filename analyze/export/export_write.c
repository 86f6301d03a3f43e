/*
 * export_write.c - a host's rows into the export files (see export.h).
 *
 * CSV (RFC 4180) with a header line: NULL is \N (unquoted), which every
 * engine can be told (ClickHouse reads it as is); a text value is quoted
 * when it is empty, holds a comma, a quote or a line break, starts or ends
 * with a blank, or is "\N" itself.  NDJSON: one object a line, NULL as
 * null.  Text is written as valid UTF-8 (an invalid byte becomes U+FFFD):
 * /proc names are bytes, and a warehouse refuses what is not UTF-8.
 * Reals are written with the fewest digits that read back the same.
 */
#include "export.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fleet.h"
#include "report.h"

/* One value of a row. */
struct cell {
	int null;
	int big;         /* an integer column's value above 2^63-1: R holds it */
	long long i;
	double r;
	const char *s;
};

const char *export_suffix(enum export_format fmt)
{
	return fmt == EXPORT_CSV ? ".csv" : ".ndjson";
}

/* The length of the valid UTF-8 sequence at P (of N bytes), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	if (p[0] < 0x80)
		return 1;
	size_t len = p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : p[0] >= 0xe0 && p[0] <= 0xef ? 3
		     : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
	if (!len || len > n)
		return 0;
	for (size_t k = 1; k < len; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) || (p[0] == 0xf0 && p[1] < 0x90) ||
	    (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;
	return len;
}

/* Whether byte C is written as it is (CSV: all but quotes; JSON: also
 * not backslashes or control characters). */
static int plain(unsigned char c, int json)
{
	return c < 0x80 && c != '"' && (!json || (c >= 0x20 && c != '\\'));
}

/* S as valid UTF-8, its quotes doubled (CSV) or JSON's escapes applied. */
static void put_text(FILE *f, const char *s, int json)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	while (n) {
		size_t k = 0;
		while (k < n && plain(p[k], json))
			k++;
		if (k) {
			fwrite(p, 1, k, f);
		} else if (!(k = utf8_len(p, n))) {
			fputs("\xef\xbf\xbd", f);
			k = 1;
		} else if (*p == '"') {
			fputs(json ? "\\\"" : "\"\"", f);
		} else if (*p == '\\') {
			fputs("\\\\", f);
		} else if (*p < 0x20) {
			fprintf(f, *p == '\n' ? "\\n" : *p == '\t' ? "\\t" : "\\u%04x", *p);
		} else {
			fwrite(p, 1, k, f);
		}
		p += k;
		n -= k;
	}
}

static int csv_needs_quotes(const char *s)
{
	size_t n = strlen(s);
	return !n || strpbrk(s, ",\"\r\n") || s[0] == ' ' || s[n - 1] == ' ' || !strcmp(s, "\\N");
}

/* The shortest "%.Ng" that reads back as X. */
static void real_text(double x, char *buf, size_t size)
{
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(buf, size, "%.*g", digits, x);
		if (strtod(buf, NULL) == x)
			return;
	}
}

static void put_cell(FILE *f, enum export_format fmt, enum export_type type, const struct cell *c)
{
	char b[48];
	int json = fmt == EXPORT_NDJSON;
	if (c->null || (type == XT_REAL && !isfinite(c->r)) || ((type == XT_TEXT || type == XT_TIME) && !c->s)) {
		fputs(json ? "null" : "\\N", f);
		return;
	}
	if (type == XT_INT && c->big) {
		fprintf(f, "%.0f", c->r); /* the REAL the database holds (docs/schema.md) */
		return;
	}
	switch (type) {
	case XT_INT: {
		/* digits by hand: fprintf per cell costs more than the query */
		char *e = b + sizeof(b), *q = e;
		unsigned long long u = c->i < 0 ? 0ull - (unsigned long long)c->i : (unsigned long long)c->i;
		do
			*--q = (char)('0' + u % 10);
		while (u /= 10);
		if (c->i < 0)
			*--q = '-';
		fwrite(q, 1, (size_t)(e - q), f);
		return;
	}
	case XT_REAL:
		real_text(c->r, b, sizeof(b));
		fputs(b, f);
		return;
	case XT_TIME: /* ISO 8601: nothing to quote in CSV */
		fprintf(f, json ? "\"%s\"" : "%s", c->s);
		return;
	case XT_TEXT: {
		int q = json || csv_needs_quotes(c->s);
		if (q)
			fputc('"', f);
		put_text(f, c->s, json);
		if (q)
			fputc('"', f);
	}
	}
}

/* One row of table T: the host, the recording, then CELLS. */
static void put_row(struct export_out *o, size_t t, const struct cell *lead, const struct cell *cells)
{
	const struct export_table *x = &export_tables[t];
	FILE *f = o->f[t];
	int json = o->fmt == EXPORT_NDJSON;
	if (json)
		fputc('{', f);
	for (size_t i = 0; i < 2 + x->ncols; i++) {
		const struct export_col *c = i < 2 ? &export_lead[i] : &x->cols[i - 2];
		if (i)
			fputc(',', f);
		if (json)
			fprintf(f, "\"%s\":", c->name);
		put_cell(f, o->fmt, c->type, i < 2 ? &lead[i] : &cells[i - 2]);
	}
	fputs(json ? "}\n" : "\n", f);
	o->rows[t]++;
}

int export_begin(struct export_out *o, struct ms_err *err)
{
	(void)err;
	memset(o->rows, 0, sizeof(o->rows));
	if (o->fmt != EXPORT_CSV)
		return 0;
	for (size_t t = 0; t < EXPORT_NTABLES; t++) {
		fputs("host,recording_id", o->f[t]);
		for (size_t i = 0; i < export_tables[t].ncols; i++)
			fprintf(o->f[t], ",%s", export_tables[t].cols[i].name);
		fputc('\n', o->f[t]);
	}
	return 0;
}

/* Column I of ST's row as TYPE: only what the type needs (a number asked
 * for as text is formatted by SQLite); an integer column's REAL above
 * 2^63-1 (docs/schema.md) is kept as a REAL. */
static void fetch(sqlite3_stmt *st, int i, enum export_type type, struct cell *c)
{
	int t = sqlite3_column_type(st, i);
	memset(c, 0, sizeof(*c));
	c->null = t == SQLITE_NULL;
	if (c->null)
		return;
	if (type == XT_INT && t == SQLITE_FLOAT) {
		c->r = sqlite3_column_double(st, i);
		c->big = c->r > 9223372036854775807.0;
		c->i = c->big ? 0 : (long long)c->r;
	} else if (type == XT_INT) {
		c->i = sqlite3_column_int64(st, i);
	} else if (type == XT_REAL) {
		c->r = sqlite3_column_double(st, i);
	} else {
		c->s = (const char *)sqlite3_column_text(st, i);
	}
}

/* The SELECT of table X. */
static char *select_sql(const struct export_table *x)
{
	size_t n = strlen(x->from) + strlen(x->order) + 16;
	for (size_t i = 0; i < x->ncols; i++)
		n += strlen(x->cols[i].expr) + 4;
	char *s = malloc(n);
	if (!s)
		return NULL;
	size_t len = (size_t)snprintf(s, n, "SELECT ");
	for (size_t i = 0; i < x->ncols; i++)
		len += (size_t)snprintf(s + len, n - len, "%s%s", i ? ", " : "", x->cols[i].expr);
	snprintf(s + len, n - len, "\n%s%s", x->from, x->order);
	return s;
}

static int table_rows(struct export_out *o, size_t t, sqlite3 *db, const struct cell *lead, struct ms_err *err)
{
	const struct export_table *x = &export_tables[t];
	sqlite3_stmt *st;
	char *sql = select_sql(x);
	struct cell *cells = calloc(x->ncols, sizeof(*cells));
	int rc = sql && cells ? 0 : ms_err_set(err, ENOMEM, "out of memory");
	if (rc == 0 && sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		rc = ms_err_set(err, EIO, "export %s: %s", x->name, sqlite3_errmsg(db));
	free(sql);
	int step = SQLITE_DONE;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		for (size_t i = 0; i < x->ncols; i++)
			fetch(st, (int)i, x->cols[i].type, &cells[i]);
		put_row(o, t, lead, cells);
	}
	if (rc == 0) {
		if (step != SQLITE_DONE)
			rc = ms_err_set(err, EIO, "export %s: %s", x->name, sqlite3_errmsg(db));
		sqlite3_finalize(st);
	}
	free(cells);
	return rc;
}

/* The findings as rows of table T. */
static int finding_rows(struct export_out *o, size_t t, const struct finding_list *l, const struct cell *lead,
			struct ms_err *err)
{
	for (size_t k = 0; k < l->n; k++) {
		const struct finding *x = &l->f[k];
		cJSON *j = report_json_finding(x);
		char *ev = j ? cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "evidence")) : NULL;
		char *identity = finding_identity(x);
		cJSON_Delete(j);
		if (!ev || !identity) {
			cJSON_free(ev);
			free(identity);
			return ms_err_set(err, ENOMEM, "out of memory");
		}
		char t0[32], t1[32];
		report_iso_utc(x->t_start, t0, sizeof(t0));
		report_iso_utc(x->t_end, t1, sizeof(t1));
		const struct cell c[] = {
			{ .s = x->rule->id }, { .s = rule_severity_name(x->severity) }, { .s = x->entity_kind },
			{ .s = x->entity }, { .s = identity }, { .r = x->t_start }, { .s = t0 }, { .r = x->t_end },
			{ .s = t1 }, { .null = !x->has_value, .r = x->value }, { .s = x->message }, { .s = ev },
		};
		put_row(o, t, lead, c);
		cJSON_free(ev);
		free(identity);
	}
	return 0;
}

int export_host(struct export_out *o, sqlite3 *db, const char *host, const struct finding_list *findings,
		struct ms_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, export_recording_id_sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		ms_err_set(err, EIO, "export: %s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	struct cell lead[2] = { { .s = host }, { .s = (const char *)sqlite3_column_text(st, 0) } };
	int rc = 0;
	for (size_t t = 0; rc == 0 && t < EXPORT_NTABLES; t++)
		rc = export_tables[t].from ? table_rows(o, t, db, lead, err)
		     : finding_rows(o, t, findings, lead, err);
	sqlite3_finalize(st);
	for (size_t t = 0; rc == 0 && t < EXPORT_NTABLES; t++)
		if (ferror(o->f[t]))
			rc = ms_err_set(err, EIO, "export %s: a write failed", export_tables[t].name);
	return rc;
}
