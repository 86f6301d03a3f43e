/*
 * finding.h - what a rule's query returned: one finding per row.
 *
 * Required columns (docs/rules.md): entity_kind, entity, t_start, t_end,
 * value, message; an optional `severity` column overrides the rule's
 * severity for that row, an optional `value_unit` the unit of its value
 * (`unit: ... | value` in the header otherwise); the entity columns (process_id, cgroup_id, node,
 * zone, mapping_start, mapping_end) say which entity it is about, and the
 * engine looks it up (finding_resolve(); `entity` may be left out then);
 * every other column is kept as evidence, in query order, with its SQL
 * type and its declared unit.
 */
#ifndef FINDING_H
#define FINDING_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"
#include "rule.h"

enum evidence_type { EV_NULL, EV_INT, EV_REAL, EV_TEXT };

struct evidence {
	char *name;
	enum evidence_type type;
	int64_t i;
	double r;
	char *text;
	const struct rule_unit *unit;  /* the rule's declaration, or NULL */
};

/* What a finding is about, typed: the entity columns a rule returned, and
 * what finding_resolve() found for them in the database.  has_* say which
 * columns were given (not NULL). */
struct finding_subject {
	int has_process, has_cgroup, has_node, has_mapping;
	int64_t process_id, cgroup_id, node;
	uint64_t mapping_start, mapping_end;
	char *zone;
	/* looked up */
	int64_t pid, start_ticks;     /* process.pid, process.starttime */
	int has_start_time;
	double start_time;            /* the process's start, UTC seconds since the epoch */
	char *comm;
	char *cgroup;                 /* cgroup.rel: the cgroup's, or the process's memory cgroup */
};

struct finding {
	const struct rule *rule;     /* borrowed from the rule set */
	enum rule_severity severity;
	char *entity_kind;           /* process, cgroup, node, system, mapping, swap ... */
	char *entity;                /* NULL until finding_resolve() when the rule left it out */
	double t_start, t_end;       /* UTC seconds since the epoch */
	int has_value;
	double value;
	const struct rule_unit *value_unit;  /* the rule's declaration, or NULL: see finding_value_unit() */
	struct rule_unit own_value_unit;     /* a value_unit column's, when value_unit_name */
	char *value_unit_name;
	char *message;
	struct evidence *ev;
	size_t nev;
	struct finding_subject subject;
};

struct finding_list {
	struct finding *f;
	size_t n, alloc;
};

/* Does the entity name its kind already ("system", "node 1")?  Reports
 * then print the entity alone. */
int finding_entity_has_kind(const struct finding *f);

/* The unit of F's value: its row's value_unit, else the rule's
 * declaration; NULL when neither says. */
const struct rule_unit *finding_value_unit(const struct finding *f);

/* The names of the entity columns, NULL-terminated. */
extern const char *const finding_entity_columns[];

/* Look up F's entity columns in DB (the process, its memory cgroup, the
 * cgroup) into F->subject, and make F->entity when the rule left it out:
 * "PID (comm)", the cgroup's path, "node N", "node N zone Z", "system".
 * -1 on ENOMEM or when F names an entity DB does not hold (ERR says). */
int finding_resolve(sqlite3 *db, struct finding *f, struct ms_err *err);

/* Bind every parameter ":NAME" of ST to F's column NAME: entity_kind,
 * entity, t_start, t_end, value, message, severity or an evidence column
 * (docs/rules.md, "Charts").  -1 when F has no such column (or a binding
 * failed); ST is then partly bound. */
int finding_bind(sqlite3_stmt *st, const struct finding *f);

/* TEXT with every ":NAME" that is a column of F replaced by its value
 * (text as is, numbers with %g, NULL as nothing); malloc'd, NULL on ENOMEM. */
char *finding_subst(const char *text, const struct finding *f);

/* Append an empty finding; NULL on ENOMEM.  The list owns it. */
struct finding *finding_list_add(struct finding_list *l);

/* Sort by severity (critical first), then rule id, then value (largest
 * first), then entity: a stable order for output and tests. */
void finding_list_sort(struct finding_list *l);

size_t finding_list_count(const struct finding_list *l, enum rule_severity s);

/* Free the findings from index N on. */
void finding_list_truncate(struct finding_list *l, size_t n);

void finding_list_release(struct finding_list *l);

#endif
