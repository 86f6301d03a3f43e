/*
 * loader.h - load a bundle into an analysis database.
 *
 * loader_load() streams the bundle (never extracting), parses each record
 * with its kind's parser and inserts rows with prepared statements inside
 * one transaction, into DB.tmp, renamed over DB at the end: a database at
 * DB is always complete.  A database whose load_info matches the bundle
 * (size, mtime and a hash of its first MiB) is reused unless FORCE.
 *
 * A recording of several bundles (PARTS, in time order) is loaded into
 * one database: their samples numbered on from one bundle to the next, a
 * sample whose time an earlier bundle covered already left out, and one
 * recording_part row per bundle (schema/050-recording.sql).
 */
#ifndef LOADER_H
#define LOADER_H

#include <stdint.h>

#include "bundle_reader.h"
#include "ms_err.h"

struct load_opts {
	const char *bundle;          /* the input as given (a bundle, or a directory) */
	const char *const *parts;    /* the bundles of the recording, in time order
				      * (common/recording.h); NULL: BUNDLE alone */
	size_t nparts;
	const char *name;            /* what load_info calls it (NULL: BUNDLE) */
	const char *db_path;         /* NULL: BUNDLE with .db instead of .tar.zst */
	int force;
	struct bundle_limits limits;
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
};

struct load_result {
	char *db_path;               /* owned */
	int reused;                  /* the database already matched */
	unsigned samples;            /* complete samples loaded */
	int truncated, corrupt;
	char *damage;                /* owned, when truncated or corrupt */
	uint64_t load_errors;        /* records that could not be parsed */
	uint64_t rows;               /* rows inserted */
};

/* Returns 0 when a database for the bundle exists at res->db_path
 * (possibly from a truncated or corrupt bundle: see res), -1 otherwise. */
int loader_load(const struct load_opts *o, struct load_result *res, struct ms_err *err);
void load_result_release(struct load_result *res);

/* The default database path for BUNDLE (malloc'd). */
char *loader_default_db(const char *bundle);

#endif
