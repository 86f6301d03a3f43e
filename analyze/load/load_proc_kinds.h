/*
 * load_proc_kinds.h - loaders for the per-process file kinds that have
 * their own parser (analyze/parse/).  Private to the loader.
 */
#ifndef LOAD_PROC_KINDS_H
#define LOAD_PROC_KINDS_H

#include "load_state.h"

int load_status(struct load_state *ls, const char *member, const struct ms_record *r,
		struct proc_row *row, struct ms_err *err);
int load_proc_cgroup(struct load_state *ls, const char *member, const struct ms_record *r,
		     struct proc_ref *p, struct ms_err *err);
int load_rollup(struct load_state *ls, const char *member, const struct ms_record *r,
		int64_t process_id, struct ms_err *err);
/* A tier-1 smaps (a kernel without smaps_rollup): its mappings summed
 * into the process's proc_rollup row, as smaps_rollup would give it. */
int load_smaps_sum(struct load_state *ls, const char *member, const struct ms_record *r,
		   int64_t process_id, struct ms_err *err);
int load_smaps(struct load_state *ls, const char *member, const struct ms_record *r,
	       int64_t process_id, struct ms_err *err);
int load_numa_maps(struct load_state *ls, const char *member, const struct ms_record *r,
		   int64_t process_id, struct ms_err *err);

#endif
