/*
 * load_kinds.h - the kinds table: which bundle path goes to which parser
 * and which table (the analyzer's mirror of collect/sampler.c's lists).
 *
 * Every record of a sample's tier members (NNNNNN/t0, t1, t2) is matched
 * here by its path, and handed to its kind's LOAD function (load_state.h).
 * A path no kind has (a later collector's new file) is not loaded.
 */
#ifndef LOAD_KINDS_H
#define LOAD_KINDS_H

#include <stddef.h>
#include <stdint.h>

#include "load_state.h"

/* A path matched to its kind, and what the path itself says. */
struct load_match {
	const struct load_kind *kind;
	int64_t pid;              /* LOAD_PROCESS */
	int64_t node;             /* LOAD_NODE */
	int cgroup_version;       /* LOAD_CGROUP: 1 or 2 */
	size_t mount_len;         /* LOAD_CGROUP: PATH[0, mount_len) is the mount, */
	size_t dir_len;           /* PATH[0, dir_len) the cgroup's directory */
};

/* The kinds, in table order; *N gets their number. */
const struct load_kind *load_kinds(size_t *n);

/* Prepare the kinds' own statements (ls->kst; load_finalize() ends them). */
int load_kinds_prepare(struct load_state *ls, struct ms_err *err);

/* The kind of the (decoded) record path PATH (LEN bytes), given the memory
 * cgroup mounts the header names (CG_V1, CG_V2: NULL when none), with *M
 * filled; NULL when no kind has the path.  Pure. */
const struct load_kind *load_kind_match(const char *path, size_t len, const char *cg_v1,
					const char *cg_v2, struct load_match *m);

/* The bit of the per-process kind NAME ("status") in a row's read and
 * same masks (load_state.h); 0 when no per-process kind has that name. */
uint64_t load_kind_bit(const char *name);

/* The record at ls->path was MS_STATUS_UNCHANGED: marks it in its
 * process's row (1), or returns 0 when it is not a file that may be left
 * unread or has no row to go to (the caller records it as a gap). */
int load_unchanged(struct load_state *ls);

/* Load record R of MEMBER, whose decoded path is in ls->path: match it to
 * its kind and call its LOAD.  Returns -1 only on fatal errors (a line or
 * a record that does not parse is a load_error row). */
int load_record(struct load_state *ls, const char *member, const struct ms_record *r,
		struct ms_err *err);

#endif
