/*
 * stats_fmt.h - the numbers of a finding's message as SQL scalar
 * functions, so that every rule words a size, a duration, a rate or a
 * p-value the same way (reference: docs/stats.md, "Formatting"):
 *
 *     fmt_bytes(x [, gib_decimals [, mib_decimals]])   '1.5 GiB', '12 MiB'
 *     fmt_duration(seconds [, style])                   '42 min', '3.5 h'
 *     fmt_duration_range(lo, hi [, style])              '1.0-2.5 h'
 *     fmt_rate(x [, max_decimals [, digits]])           '12', '3.4', '0.52'
 *     fmt_rate_range(lo, hi [, max_decimals [, digits]])'0.52-1.3'
 *     fmt_p(p)                                          '0.012', '3e-05'
 *     fmt_hex(x [, digits])                             'ffffffffff600000'
 *
 * Each returns NULL for a NULL or non-finite number, and formats with
 * SQLite's own printf (sqlite3_mprintf), so its text is byte for byte what
 * printf() in SQL gives for the same format.  Registered by
 * ms_stats_register() with the statistics (deterministic, innocuous).
 */
#ifndef STATS_FMT_H
#define STATS_FMT_H

#ifdef MS_STATS_EXTENSION
#include <sqlite3ext.h>
#else
#include <sqlite3.h>
#endif

/* Register the fmt_* functions on DB; SQLITE_OK or the first error. */
int ms_fmt_register(sqlite3 *db);

#endif
