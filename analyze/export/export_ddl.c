/*
 * export_ddl.c - CREATE TABLE statements matching the export files (see
 * export.h): a ClickHouse MergeTree table, or a PostgreSQL table, per file.
 *
 * ClickHouse: key columns are not Nullable (a MergeTree sort key cannot
 * be); times are DateTime('UTC'), which every release since 18 has (it
 * keeps seconds: the *_epoch_s column keeps the fraction).  Its CSV and
 * JSON readers take the ISO 8601 times with date_time_input_format =
 * 'best_effort'.  PostgreSQL: timestamptz, bigint, double precision, text.
 */
#include "export.h"

static const char *type_name(enum export_engine e, enum export_type t)
{
	static const char *const ch[] = { "String", "Int64", "Float64", "DateTime('UTC')" };
	static const char *const pg[] = { "text", "bigint", "double precision", "timestamptz" };
	return e == EXPORT_CLICKHOUSE ? ch[t] : pg[t];
}

static void column(FILE *out, enum export_engine e, const struct export_col *c, int last)
{
	const char *t = type_name(e, c->type);
	if (e == EXPORT_CLICKHOUSE)
		fprintf(out, "  %s %s%s%s%s\n", c->name, c->key ? "" : "Nullable(", t, c->key ? "" : ")",
			last ? "" : ",");
	else
		fprintf(out, "  %s %s%s%s\n", c->name, t, c->key ? " NOT NULL" : "", last ? "" : ",");
}

void export_ddl(FILE *out, enum export_engine e)
{
	for (size_t t = 0; t < EXPORT_NTABLES; t++) {
		const struct export_table *x = &export_tables[t];
		fprintf(out, "%s-- %s%s: %s\nCREATE TABLE IF NOT EXISTS memsnap_%s (\n", t ? "\n" : "", x->name,
			export_suffix(EXPORT_CSV), x->doc, x->name);
		for (size_t i = 0; i < 2 + x->ncols; i++)
			column(out, e, i < 2 ? &export_lead[i] : &x->cols[i - 2], i + 1 == 2 + x->ncols);
		if (e == EXPORT_POSTGRES) {
			fputs(");\n", out);
			continue;
		}
		fputs(") ENGINE = MergeTree ORDER BY (", out);
		for (size_t i = 0, n = 0; i < 2 + x->ncols; i++) {
			const struct export_col *c = i < 2 ? &export_lead[i] : &x->cols[i - 2];
			if (c->key == 1)
				fprintf(out, "%s%s", n++ ? ", " : "", c->name);
		}
		fputs(");\n", out);
	}
}
