/*
 * report.h - the analysis as text for a terminal or as JSON (docs/cli.md
 * "analyze" and docs/report-json.md describe both).
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include "analysis.h"
#include "fleet.h"
#include "ms_err.h"

struct cJSON;

/* Findings grouped by severity, each rule's explanation and action once,
 * what the bundle did not hold, and a one-line summary.  COLOR: ANSI
 * colours (the caller decides: a terminal, no NO_COLOR). */
void report_text(FILE *out, const struct analysis *a, sqlite3 *db, int color, int use_ascii);

/* The recording's parts, the incident and the recorder's triggers, when
 * there are any (lines of the text report). */
void report_recording(FILE *out, const struct bundle_facts *f);

/* The JSON document (format "memsnap-findings", version 1). */
int report_json(FILE *out, const struct analysis *a, struct ms_err *err);

/* The compact timeline of system series (sparklines), from DB; ASCII
 * characters instead of Unicode blocks when USE_ASCII. */
#include <sqlite3.h>
void report_timeline(FILE *out, sqlite3 *db, int use_ascii);

/* A header line, then one finding a line, tab-separated: severity, rule
 * id, entity kind, entity, start and end (UTC, ISO 8601), value (%.6g), message,
 * value's unit, pid, comm, cgroup, node, zone, mapping start and end (-
 * where there is none); then a line per rule that did not judge: "failed"
 * or "insufficient", its id, and why in the message field; then a line
 * per trigger of a recorder (the first 200): "trigger", its kind, "cgroup"
 * or "system", the cgroup, its time as start and end, its fields as the
 * message.  Tabs and newlines in text become spaces. */
void report_tsv(FILE *out, const struct analysis *a);

/* "2026-12-01 06:41:05" (UTC) into BUF (at least 20 bytes): JSON, TSV. */
void report_utc(double t, char *buf, size_t size);
/* "2026-12-01T06:41:05Z" (at least 21 bytes): the JSON report's times. */
void report_iso_utc(double t, char *buf, size_t size);

/* Text as one TSV field: tabs and newlines as spaces. */
void report_tsv_field(FILE *out, const char *s);
/* The TSV's header line, and its rows of A (each led by HOST and a tab
 * when HOST is not NULL: the fleet's). */
extern const char report_tsv_header[];
void report_tsv_rows(FILE *out, const struct analysis *a, const char *host);

/* Text: "CRITICAL" ..., and its ANSI colour. */
extern const char *const report_sev_label[3];
extern const char *const report_sev_color[3];

/* The pieces of the JSON document, for the fleet's (report_json.c): the
 * document's object with its format, version and memsnap_version (NULL
 * when out of memory), ... */
struct cJSON *report_json_root(const char *format, int version);
struct cJSON *report_json_bundle(const struct bundle_facts *f);
struct cJSON *report_json_finding(const struct finding *x);
struct cJSON *report_json_rule(const struct rule_outcome *o);
/* The counts of A: findings by severity, rules, failed, could not judge. */
struct cJSON *report_json_summary(const struct analysis *a);
/* K: "2026-12-01T06:41:05Z" */
void report_json_utc(struct cJSON *o, const char *k, double t);
/* Print ROOT (and free it). */
int report_json_print(FILE *out, struct cJSON *root, struct ms_err *err);

/* The fleet (docs/cli.md, "Many hosts"; docs/report-json.md, "memsnap-fleet"):
 * the findings grouped across hosts with the hosts' table, the largest
 * process growth per host and the hosts that failed; the JSON document;
 * one finding a line with its host first. */
void report_fleet_text(FILE *out, const struct fleet *f, int color);
int report_fleet_json(FILE *out, const struct fleet *f, struct ms_err *err);
void report_fleet_tsv(FILE *out, const struct fleet *f);
/* The same in the zone the times are shown in (the process's TZ, set by
 * cli/display_zone.c): text, HTML. */
void report_local(double t, char *buf, size_t size);
/* That zone's abbreviation at T ("UTC", "CET", "+0530"). */
void report_zone(double t, char *buf, size_t size);
/* Both: "2026-12-01 06:41:05 CET" (BUF: 48 bytes). */
void report_instant(double t, char *buf, size_t size);
/* "2026-12-01 06:41:05 to 06:51:00 CET": the end's date when it is another
 * day, the zone after each time when it changed in between (BUF: 80 bytes). */
void report_span(double t0, double t1, char *buf, size_t size);

#endif
