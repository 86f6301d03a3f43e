/*
 * query_print.c - the output formats of `memsnap query` (see query_print.h).
 */
#include "query_print.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text_clean.h"

/* BLOB column I of ST as lower-case hex. */
static void hex(FILE *out, sqlite3_stmt *st, int i)
{
	const unsigned char *b = sqlite3_column_blob(st, i);
	int n = sqlite3_column_bytes(st, i);
	for (int k = 0; k < n; k++)
		fprintf(out, "%02x", b[k]);
}

/* The length of the valid UTF-8 sequence at S (N bytes left), or 0. */
static int utf8_len(const unsigned char *s, size_t n)
{
	int len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
		  : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (len == 0 || (size_t)len > n)
		return 0;
	for (int k = 1; k < len; k++)
		if ((s[k] & 0xc0) != 0x80)
			return 0;
	/* overlong forms, surrogates and code points past U+10FFFF */
	if ((len == 2 && s[0] < 0xc2) || (len == 3 && s[0] == 0xe0 && s[1] < 0xa0) ||
	    (len == 3 && s[0] == 0xed && s[1] >= 0xa0) || (len == 4 && s[0] == 0xf0 && s[1] < 0x90) ||
	    (len == 4 && (s[0] > 0xf4 || (s[0] == 0xf4 && s[1] >= 0x90))))
		return 0;
	return len;
}

/* S (N bytes) as a JSON string. */
static void json_string(FILE *out, const unsigned char *s, size_t n)
{
	putc('"', out);
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		int len = utf8_len(s + i, n - i);
		if (c == '"' || c == '\\') {
			fprintf(out, "\\%c", c);
		} else if (c == '\n') {
			fputs("\\n", out);
		} else if (c == '\t') {
			fputs("\\t", out);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
		} else if (len == 0) {
			fputs("\\ufffd", out);
			len = 1;
		} else {
			fwrite(s + i, 1, (size_t)len, out);
		}
		i += len ? (size_t)len : 1;
	}
	putc('"', out);
}

/* Column I of ST as a JSON value. */
static void json_value(FILE *out, sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		fprintf(out, "%" PRId64, (int64_t)sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT: {
		double v = sqlite3_column_double(st, i);
		char b[40];
		snprintf(b, sizeof(b), "%.15g", v);
		if (strtod(b, NULL) != v)
			snprintf(b, sizeof(b), "%.17g", v);
		fputs(isfinite(v) ? b : "null", out);
		break;
	}
	case SQLITE_NULL:
		fputs("null", out);
		break;
	case SQLITE_BLOB:
		putc('"', out);
		hex(out, st, i);
		putc('"', out);
		break;
	default:
		json_string(out, sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i));
	}
}

/* One row as a JSON object. */
static void json_row(FILE *out, sqlite3_stmt *st)
{
	putc('{', out);
	for (int i = 0; i < sqlite3_column_count(st); i++) {
		const char *name = sqlite3_column_name(st, i);
		if (i)
			putc(',', out);
		json_string(out, (const unsigned char *)name, strlen(name));
		putc(':', out);
		json_value(out, st, i);
	}
	putc('}', out);
}

static void csv_field(FILE *out, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, out);
		return;
	}
	putc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', out);
		putc(*s, out);
	}
	putc('"', out);
}

static void csv_row(FILE *out, sqlite3_stmt *st)
{
	for (int i = 0; i < sqlite3_column_count(st); i++) {
		if (i)
			putc(',', out);
		if (sqlite3_column_type(st, i) == SQLITE_BLOB)
			hex(out, st, i);
		else
			csv_field(out, (const char *)sqlite3_column_text(st, i));
	}
	putc('\n', out);
}

/* Column I of ST as the table shows it, allocated: NULL, hex for a BLOB,
 * text without control characters. */
static char *cell(sqlite3_stmt *st, int i)
{
	int type = sqlite3_column_type(st, i);
	if (type == SQLITE_BLOB) {
		int n = sqlite3_column_bytes(st, i);
		const unsigned char *b = sqlite3_column_blob(st, i);
		char *c = malloc(2 * (size_t)n + 1);
		for (int k = 0; c && k < n; k++)
			snprintf(c + 2 * k, 3, "%02x", b[k]);
		if (c)
			c[2 * n] = '\0';
		return c;
	}
	const char *t = type == SQLITE_NULL ? "NULL" : (const char *)sqlite3_column_text(st, i);
	char *c = strdup(t ? t : "");
	text_clean(c, 0); /* a table for a terminal: no control characters */
	return c;
}

/* The aligned table: every row is read first to measure the columns. */
static int table(FILE *out, sqlite3_stmt *st)
{
	int n = sqlite3_column_count(st), rc = SQLITE_DONE;
	size_t *w = calloc((size_t)n + 1, sizeof(*w));
	char **cells = NULL;
	size_t ncells = 0, cap = 0;
	int err = !w;
	for (int i = 0; !err && i < n; i++)
		w[i] = strlen(sqlite3_column_name(st, i));
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n && !err; i++) {
			char *c = cell(st, i);
			if (ncells == cap) {
				cap = cap ? cap * 2 : 256;
				char **p = realloc(cells, cap * sizeof(*p));
				if (p)
					cells = p;
			}
			if (!c || ncells == cap) {
				free(c);
				err = 1;
				break;
			}
			cells[ncells++] = c;
			if (strlen(c) > w[i])
				w[i] = strlen(c);
		}
	}
	for (int i = 0; !err && i < n; i++)
		fprintf(out, "%s%-*s", i ? "  " : "", (int)w[i], sqlite3_column_name(st, i));
	if (!err)
		putc('\n', out);
	for (int i = 0; !err && i < n; i++) {
		fputs(i ? "  " : "", out);
		for (size_t k = 0; k < w[i]; k++)
			putc('-', out);
	}
	if (!err)
		putc('\n', out);
	for (size_t k = 0; k < ncells; k++) {
		int col = (int)(k % (size_t)n);
		if (!err) {
			fprintf(out, "%s%-*s", col ? "  " : "", (int)w[col], cells[k]);
			if (col == n - 1)
				putc('\n', out);
		}
		free(cells[k]);
	}
	free(cells);
	free(w);
	return err ? SQLITE_NOMEM : rc;
}

int query_print(FILE *out, sqlite3_stmt *st, enum query_format format)
{
	if (format == QUERY_TABLE)
		return table(out, st);
	int rc;
	long rows = 0;
	if (format == QUERY_CSV) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			if (i)
				putc(',', out);
			csv_field(out, sqlite3_column_name(st, i));
		}
		putc('\n', out);
	}
	if (format == QUERY_JSON)
		putc('[', out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (format == QUERY_CSV) {
			csv_row(out, st);
		} else {
			if (format == QUERY_JSON)
				fputs(rows ? ",\n" : "\n", out);
			json_row(out, st);
			if (format == QUERY_NDJSON)
				putc('\n', out);
		}
		rows++;
	}
	if (format == QUERY_JSON)
		fputs(rows ? "\n]\n" : "]\n", out);
	return rc;
}
