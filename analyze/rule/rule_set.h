/*
 * rule_set.h - the rules a run uses: the built-in ones, the directories
 * given with --rules (a rule with a built-in's id replaces it), the
 * --only/--skip selection and the --set overrides.
 *
 * A rule file that does not parse stays in the set as a broken entry (its
 * error kept), so that the run reports it and the other rules still run.
 */
#ifndef RULE_SET_H
#define RULE_SET_H

#include "rule.h"

struct rule_entry {
	struct rule rule;   /* valid when !error */
	char *origin;       /* owned copy, valid even when broken */
	char *error;        /* "FILE:LINE: message" of a broken file, else NULL */
	int selected;       /* chosen by --only/--skip (broken entries: 1) */
	int builtin;        /* embedded in the binary (else from --rules) */
};

struct rule_set {
	struct rule_entry *e;
	size_t n;
};

/* Fill *SET with the built-in rules.  -1 on ENOMEM. */
int rule_set_init(struct rule_set *set, struct ms_err *err);

/* Add every *.sql below DIR (recursively, in name order).  A file whose id
 * is a built-in one replaces it; the same id twice among added files is an
 * error for the later one.  -1 when DIR cannot be read (ERR says why). */
int rule_set_add_dir(struct rule_set *set, const char *dir, struct ms_err *err);

/* rule_set_init(), then each of DIRS added and each of SETS applied: the
 * set a run's options ask for.  -1 with ERR set (ENOMEM: out of memory,
 * anything else: the options are wrong). */
int rule_set_build(struct rule_set *set, const char *const *dirs, size_t ndirs,
		   const char *const *sets, size_t nsets, struct ms_err *err);

/* Select: ONLY and SKIP are comma-separated ids or folders (NULL = none).
 * -1 when a name matches no rule. */
int rule_set_select(struct rule_set *set, const char *only, const char *skip,
		    struct ms_err *err);

/* Apply "ID.PARAM=VALUE": -1 for an unknown rule or parameter or a bad value. */
int rule_set_override(struct rule_set *set, const char *assignment, struct ms_err *err);

/* Set parameter PM of E's rule to V, read in PM's unit (rule_unit.h) and
 * range-checked; a text parameter takes V as it is.  -1 with ERR naming
 * WHAT (the assignment as given), the rule, the parameter and the forms
 * it accepts. */
int rule_set_assign(const struct rule_entry *e, struct rule_param *pm, const char *v,
		    const char *what, struct ms_err *err);

/* The entry with this id, or NULL. */
struct rule_entry *rule_set_find(const struct rule_set *set, const char *id);

void rule_set_release(struct rule_set *set);

#endif
