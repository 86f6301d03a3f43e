/*
 * query_print.h - the rows of `memsnap query`: an aligned table, CSV,
 * a JSON array or NDJSON (one object a line).
 *
 * CSV, JSON and NDJSON stream: each row is written as it is stepped and
 * nothing of it is kept, so a query of any size runs in bounded memory.
 * The aligned table measures its columns first and so holds every row.
 * In every format a BLOB is its bytes in lower-case hexadecimal; in JSON
 * integers are exact (never through a double), non-finite reals are null,
 * and text that is not valid UTF-8 has U+FFFD for each bad byte.
 */
#ifndef QUERY_PRINT_H
#define QUERY_PRINT_H

#include <sqlite3.h>
#include <stdio.h>

enum query_format { QUERY_TABLE, QUERY_CSV, QUERY_JSON, QUERY_NDJSON };

/* Step ST to its end, printing each row to OUT in FORMAT.  Returns what
 * the last sqlite3_step() returned (SQLITE_DONE when all went well), or
 * SQLITE_NOMEM. */
int query_print(FILE *out, sqlite3_stmt *st, enum query_format format);

#endif
