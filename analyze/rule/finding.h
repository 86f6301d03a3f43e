/*
 * finding.h - what a rule's query returned: one finding per row.
 *
 * Required columns (docs/rules.md): entity_kind, entity, t_start, t_end,
 * value, message; an optional `severity` column overrides the rule's
 * severity for that row; every other column is kept as evidence, in query
 * order, with its SQL type.
 */
#ifndef FINDING_H
#define FINDING_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "rule.h"

enum evidence_type { EV_NULL, EV_INT, EV_REAL, EV_TEXT };

struct evidence {
	char *name;
	enum evidence_type type;
	int64_t i;
	double r;
	char *text;
};

struct finding {
	const struct rule *rule;     /* borrowed from the rule set */
	enum rule_severity severity;
	char *entity_kind;           /* process, cgroup, node, system, mapping, swap ... */
	char *entity;
	double t_start, t_end;       /* UTC seconds since the epoch */
	int has_value;
	double value;
	char *message;
	struct evidence *ev;
	size_t nev;
};

struct finding_list {
	struct finding *f;
	size_t n, alloc;
};

/* Does the entity name its kind already ("system", "node 1")?  Reports
 * then print the entity alone. */
int finding_entity_has_kind(const struct finding *f);

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
