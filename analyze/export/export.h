/*
 * export.h - the time series and findings of hosts as files for a
 * warehouse (`memsnap export`, docs/export.md): one file per table, CSV
 * or NDJSON, every row starting with its host and recording; and the
 * CREATE TABLE statements that match (ClickHouse, PostgreSQL).
 *
 * The tables (export_tables.c) are the one owner of the exported schema:
 * their columns' names, types and the SQL that fills them from a host's
 * tables and views (docs/schema.md), so the files' headers, the rows and
 * the DDL cannot disagree.  Names follow the views' convention
 * (docs/schema.md, "Units"): a unit ends the name (_bytes, _s, _per_s,
 * _pages_per_s, _share), t is UTC seconds since the epoch and t_utc the
 * same as ISO 8601 text; where a view has the column, the name is the
 * view's.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

#include "finding.h"
#include "ms_err.h"

#define EXPORT_SCHEMA_VERSION 1

enum export_type {
	XT_TEXT,
	XT_INT,      /* a 64-bit integer */
	XT_REAL,
	XT_TIME,     /* ISO 8601 UTC text (the views' t_utc), a time type in the DDL */
};

struct export_col {
	const char *name;
	enum export_type type;
	int key;             /* 1: never NULL and part of the sort key; 2: never NULL; 0: NULL when unknown */
	const char *expr;    /* its SQL, over the table's FROM (NULL: the findings') */
};

struct export_table {
	const char *name;    /* the file's name without its suffix; the table's after memsnap_ */
	const char *doc;
	const struct export_col *cols;
	size_t ncols;
	const char *from;    /* "FROM ... " of its SELECT (NULL: the findings) */
	const char *order;   /* "ORDER BY ..." of the SELECT */
};

/* system, node, cgroup, process, mapping, finding, recording */
#define EXPORT_NTABLES 7
extern const struct export_table export_tables[EXPORT_NTABLES];

/* Every row's first two columns: the host (its label, unique in the
 * export) and the recording's id (boot id '@' first sample's epoch second). */
extern const struct export_col export_lead[2];
/* The SQL of a host's recording id, on its tables. */
extern const char export_recording_id_sql[];

enum export_format { EXPORT_CSV, EXPORT_NDJSON };
enum export_engine { EXPORT_CLICKHOUSE, EXPORT_POSTGRES };

struct export_out {
	enum export_format fmt;
	FILE *f[EXPORT_NTABLES];       /* borrowed: where each table goes */
	uint64_t rows[EXPORT_NTABLES];
};

/* ".csv" or ".ndjson" */
const char *export_suffix(enum export_format fmt);

/* The CSV header lines (nothing for NDJSON). */
int export_begin(struct export_out *o, struct ms_err *err);

/* Host HOST: the rows of every table from DB (its tables and views, e.g.
 * a sandboxed rule connection), and FINDINGS. */
int export_host(struct export_out *o, sqlite3 *db, const char *host, const struct finding_list *findings,
		struct ms_err *err);

/* CREATE TABLE statements for engine E, one per table (memsnap_NAME). */
void export_ddl(FILE *out, enum export_engine e);

#endif
