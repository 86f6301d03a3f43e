/*
 * load_place.h - where a bundle's database is, whether it is reused, and
 * the lock of whoever builds it.
 *
 * Any number of load, query, analyze and report may run on one bundle at
 * once.  A database at its path is always complete (the loader builds
 * DB.tmp and renames it over DB), so a reader that finds it matching the
 * bundle reads it without a lock.  A builder takes an exclusive flock on
 * DB.lock (private_file.h), then looks again: whoever waited finds the
 * database the first one built and reuses it.  When the bundle's directory cannot be written
 * (a read-only mount, another user's incident folder), the database goes
 * to the cache directory, under a name made from the bundle's identity.
 */
#ifndef LOAD_PLACE_H
#define LOAD_PLACE_H

#include "loader.h"

/* load_info's damage of a bundle that just ends, without a trailer (the
 * load's result has no damage text then) */
extern const char load_no_trailer[];

/* RES->db_path chosen for O (O->db_path, or beside O->bundle, or in
 * O->cache_dir: RES->cached) for the bundle of identity ID.  Returns 0
 * with RES filled from its load_info when a database there can be reused
 * (RES->reused); 1 when it must be built, with *LOCK held (released with
 * load_unlock() once the database is in place); -1 with ERR. */
int load_place(const struct load_opts *o, const char *id, struct load_result *res, int *lock,
	       struct ms_err *err);

/* The lock of load_place() released (its file removed). */
void load_unlock(const struct load_result *res, int lock);

#endif
