/*
 * rule_run.h - running rules in a sandbox.
 *
 * rule_db_open() opens an analysis database for rules: read-only, with the
 * statistics functions registered and an authorizer that allows reading
 * and nothing else (no writes, no ATTACH/DETACH, no PRAGMA, no
 * transactions, no extension loading, no temporary objects).  rule_run()
 * runs one rule's query with its parameters bound and a time limit, and
 * appends a finding per row.
 */
#ifndef RULE_RUN_H
#define RULE_RUN_H

#include <sqlite3.h>
#include <time.h>

#include "finding.h"
#include "ms_err.h"
#include "rule.h"

#define RULE_MAX_FINDINGS 10000   /* rows one rule may return */
#define RULE_MAX_LENGTH (16 << 20) /* bytes of one string or blob in a rule */

struct rule_sandbox {
	char denied[160];  /* what the authorizer refused last, for the message */
};

/* A wall-clock limit on DB's statements: from rule_deadline_start() on,
 * a statement that runs past TIMEOUT_S seconds is interrupted
 * (SQLITE_INTERRUPT) and D->fired is set; D must live until
 * rule_deadline_stop().  Rules and the report's chart queries use it. */
struct rule_deadline {
	struct timespec end;
	int fired;
};
void rule_deadline_start(sqlite3 *db, struct rule_deadline *d, double timeout_s);
void rule_deadline_stop(sqlite3 *db);

/* Open PATH read-only for rules.  SB must outlive the connection. */
int rule_db_open(const char *path, struct rule_sandbox *sb, sqlite3 **db, struct ms_err *err);

/* Run R on DB, stopping it after TIMEOUT_S seconds of wall time.  On
 * success appends its findings to OUT; on failure OUT is as it was and ERR
 * holds "ORIGIN:LINE: message". */
int rule_run(sqlite3 *db, struct rule_sandbox *sb, const struct rule *r, double timeout_s,
	     struct finding_list *out, struct ms_err *err);

#endif
