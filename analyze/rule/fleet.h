/*
 * fleet.h - the analyses of many hosts, and their findings grouped across
 * hosts: by rule and entity identity (the same program, cgroup, node or
 * system-wide entity on several hosts), with the hosts, the first and last
 * onset and the worst severity.
 *
 * An entity's identity is what stays the same from one host to the next:
 * a process's program name (comm) without its PID, a mapping's program and
 * path without the PID and addresses, a cgroup's path, a node's number.
 */
#ifndef FLEET_H
#define FLEET_H

#include <sqlite3.h>
#include <stddef.h>

#include "analysis.h"

/* The process whose anonymous memory (RssAnon + VmSwap) grew the most on a
 * host, from its first sample to its last. */
struct fleet_growth {
	int has;             /* some process had two samples with the value */
	long long pid;
	char *comm;
	double bytes;        /* growth, negative when every process shrank */
	char *text;          /* "+46.9 MiB" (fmt_bytes) */
	double t0, t1;       /* its first and last sample */
};

struct fleet_host {
	char *label;         /* unique among the hosts */
	char *hostname, *boot_id;
	char *source;        /* the inputs, as the user would name them */
	char *error;         /* why it could not be loaded or analyzed (NULL if out of memory) */
	int failed;          /* it could not: A is empty */
	int ran;             /* A holds its analysis */
	struct analysis a;
	struct fleet_growth growth;
	char *report;        /* its HTML page (a file name next to the fleet page) */
};

struct fleet_group {
	const struct rule *rule;     /* borrowed from the rule set */
	const char *entity_kind;     /* borrowed from a finding */
	char *identity;
	enum rule_severity worst;
	double onset_first, onset_last;  /* the findings' earliest and latest t_start */
	size_t *hosts;               /* indexes into the fleet's hosts, ascending */
	enum rule_severity *worst_on; /* the worst severity on each of those hosts */
	size_t nhosts;
	size_t findings;
};

struct fleet {
	struct fleet_host *h;
	size_t n;
	struct fleet_group *g;
	size_t ng;
};

/* F's entity as it is named across hosts (malloc'd; NULL on ENOMEM). */
char *finding_identity(const struct finding *f);

/* Group the findings of every host that ran, into F->g: worst severity
 * first, then the most hosts, then rule id and identity. */
int fleet_group(struct fleet *f, struct ms_err *err);

/* The host's largest process anon growth, from DB (a host's tables). */
int fleet_growth_query(sqlite3 *db, struct fleet_growth *g, struct ms_err *err);

/* The hosts that ran and have a growth, largest growth first (then by
 * label): a malloc'd array of *N pointers into F, NULL on ENOMEM. */
const struct fleet_host **fleet_by_growth(const struct fleet *f, size_t *n);

/* Hosts that ran, and their findings at severity S (-1: all). */
size_t fleet_ran(const struct fleet *f);
size_t fleet_findings(const struct fleet *f, int s);
/* The first and last sample of the hosts that ran: 0, or -1 when none
 * has a sample. */
int fleet_window(const struct fleet *f, double *t0, double *t1);

void fleet_release(struct fleet *f);

#endif
