/*
 * redact_names.h - names to pseudonyms, for redaction (redact.h).
 *
 * A name of a class (a host name, a cgroup's directory name, a user name
 * in a /home path) gets a pseudonym the first time it is met: host-1,
 * cg-1, user-1 ... in the order met, so that the same bundle redacts to
 * the same bytes, and the same name is the same pseudonym everywhere in
 * it.  A cgroup name keeps its systemd unit suffix (nginx.service ->
 * cg-3.service).  Each new pair is written at once to the mapping file,
 * "CLASS<TAB>PSEUDONYM<TAB>REAL\n" with REAL in the record path escaping
 * (bytes <= 0x20, '%' and 0x7f as %XX), so that a collector killed
 * mid-run leaves every pseudonym its bundle holds explained.  The map is
 * keyed by a seeded hash (ms_hash.h): names come from other machines.
 */
#ifndef REDACT_NAMES_H
#define REDACT_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "ms_buf.h"
#include "ms_err.h"

enum redact_class { RC_HOST, RC_CGROUP, RC_USER, RC_NCLASSES };

struct name_map {
	struct name_ent *t;        /* open addressing, cap a power of two */
	size_t cap, n;
	unsigned next[RC_NCLASSES];
	uint64_t seed;
	int fd;                    /* the mapping file; -1: none */
};

/* An empty map writing new pairs to FD (-1: nowhere); -1 with ERR when
 * the mapping file's first line cannot be written. */
int name_map_init(struct name_map *m, int fd, struct ms_err *err);
void name_map_release(struct name_map *m);

/* REAL (N bytes) of class C as its pseudonym, appended to OUT; the last
 * SUFFIX bytes of REAL are kept after it.  -1 with ERR (out of memory, or
 * the mapping file could not be written). */
int name_map_put(struct name_map *m, enum redact_class c, const char *real, size_t n,
		 size_t suffix, struct ms_buf *out, struct ms_err *err);

/* A cgroup path below its hierarchy's root (REL, N bytes: "/a/b.service",
 * or "" for the root) appended to OUT with each directory name mapped,
 * except the names every host has (system.slice, kubepods ...: listed in
 * redact_names.c) and those made of a uid or session number
 * (user-1000.slice).  With FILE, a last component that names a cgroup
 * interface file (memory.stat) is kept. */
int redact_cgroup_path(struct name_map *m, const char *rel, size_t n, int file,
		       struct ms_buf *out, struct ms_err *err);

/* TEXT (N bytes) appended to OUT with the user name of every "/home/NAME"
 * mapped. */
int redact_homes(struct name_map *m, const char *text, size_t n, struct ms_buf *out,
		 struct ms_err *err);

#endif
