/*
 * load_system_kinds.h - loaders for the system and cgroup file kinds that
 * have their own parser (analyze/parse/).  Private to the loader.
 */
#ifndef LOAD_SYSTEM_KINDS_H
#define LOAD_SYSTEM_KINDS_H

#include "load_state.h"

int load_psi(struct load_state *ls, const char *member, const struct ms_record *r,
	     const char *scope, struct ms_err *err);
int load_buddyinfo(struct load_state *ls, const char *member, const struct ms_record *r,
		   struct ms_err *err);
int load_swaps(struct load_state *ls, const char *member, const struct ms_record *r,
	       struct ms_err *err);
int load_zoneinfo(struct load_state *ls, const char *member, const struct ms_record *r,
		  struct ms_err *err);
/* one file of cgroup CGROUP (its id) named FILE ("memory.stat") */
int load_cgroup_file(struct load_state *ls, const char *member, const struct ms_record *r,
		     int64_t cgroup, const char *file, struct ms_err *err);
/* key/value cgroup files (load_system.c) */
int load_cgroup_kv(struct load_state *ls, const char *member, const struct ms_record *r,
		   int64_t cgroup, const char *file, struct ms_err *err);

#endif
