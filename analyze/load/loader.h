/*
 * loader.h - load a bundle into an analysis database.
 *
 * loader_load() streams the bundle (never extracting), parses each record
 * with its kind's parser and inserts rows with prepared statements inside
 * one transaction, into DB.tmp, renamed over DB at the end: a database at
 * DB is always complete.  A database whose load_info matches the bundle
 * (size, mtime and a hash of its first MiB) is reused unless FORCE, and
 * gives the same result as the load that made it (load_info keeps it).
 * Where the database goes and the lock of concurrent loads: load_place.h.
 *
 * With a WINDOW only the samples from FROM to TO are loaded
 * (load_window.h: the samples before it are not parsed, and the read stops
 * after it); load_info records the window, and a database is reused only
 * for the same window.
 *
 * A recording of several bundles (PARTS, in time order) is loaded into
 * one database: their samples numbered on from one bundle to the next, a
 * sample whose time an earlier bundle covered already left out, a sample
 * a bundle ends inside (a crash) dropped, and one recording_part row per
 * bundle (schema/050-recording.sql).  A window applies to the recording
 * as to one bundle (the caller gives only the parts it overlaps).
 */
#ifndef LOADER_H
#define LOADER_H

#include <stdint.h>

#include "bundle_reader.h"
#include "bundle_span.h"
#include "ms_err.h"

/* the samples whose time is from FROM to TO (UTC seconds, resolved), of
 * the bundle (or the recording: its first part's start and its last part's
 * end) whose span is SPAN */
struct load_window {
	double from, to;
	const struct bundle_span *span;
};

struct load_opts {
	const char *bundle;          /* the input as given (a bundle, or a directory) */
	const char *const *parts;    /* the bundles of a recording, in time order
				      * (common/recording.h); NULL: BUNDLE alone */
	size_t nparts;
	const char *name;            /* what load_info calls it (NULL: BUNDLE) */
	const char *db_path;         /* NULL: BUNDLE with .db instead of .tar.zst */
	const char *cache_dir;       /* where DB goes when BUNDLE's directory is not
				      * writable (NULL: nowhere else) */
	int force;
	struct bundle_limits limits;
	const struct load_window *window;   /* NULL: the whole bundle */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
};

struct load_result {
	char *db_path;               /* owned */
	int reused;                  /* the database already matched */
	int cached;                  /* it is in the cache directory */
	int given;                   /* it was given (loader_open_db) */
	unsigned samples;            /* complete samples loaded */
	int truncated, corrupt;
	char *damage;                /* owned, when truncated or corrupt */
	uint64_t load_errors;        /* load_error rows: lines, records, members unparsed */
	uint64_t rows;               /* rows inserted */
	unsigned before;             /* with a window: samples met before it */
};

/* Returns 0 when a database for the bundle exists at res->db_path
 * (possibly from a truncated or corrupt bundle: see res), -1 otherwise;
 * ENODATA when the window holds no complete sample (no database then). */
int loader_load(const struct load_opts *o, struct load_result *res, struct ms_err *err);
void load_result_release(struct load_result *res);

/* An analysis database given as it is (analyze x.db): RES filled from
 * its load_info, as if its bundle had just been loaded; -1 with ERR when
 * PATH is not a database of this memsnap's schema. */
int loader_open_db(const char *path, struct load_result *res, struct ms_err *err);

/* The default database path for BUNDLE (malloc'd): its name with .db
 * instead of .tar.zst; a directory's (a recording) beside it, DIR.db. */
char *loader_default_db(const char *bundle);

#endif
