/*
 * load_place.c - where a bundle's database is, whether it is reused, and
 * the lock of whoever builds it (see load_place.h).
 */
#include "load_place.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "ms_hash.h"
#include "private_file.h"

/* LOAD_INFO's row into RES (what the load found: the build's own result) */
static void fill_result(sqlite3_stmt *s, struct load_result *res)
{
	res->samples = (unsigned)sqlite3_column_int64(s, 2);
	res->truncated = sqlite3_column_int(s, 3);
	res->corrupt = sqlite3_column_int(s, 4);
	const char *d = (const char *)sqlite3_column_text(s, 5);
	free(res->damage);
	res->damage = d && strcmp(d, load_no_trailer) ? strdup(d) : NULL;
	res->rows = (uint64_t)sqlite3_column_int64(s, 6);
	res->load_errors = (uint64_t)sqlite3_column_int64(s, 7);
}

/* 1 when DB holds the user_version of this build's schema */
static int same_schema(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	int same = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
		   sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == db_schema_id();
	sqlite3_finalize(s);
	return same;
}

/* 1 when the window of load_info row S is W (NULL: the whole bundle) */
static int same_window(sqlite3_stmt *s, const struct load_window *w)
{
	int cut = sqlite3_column_type(s, 8) != SQLITE_NULL;
	return cut == (w != NULL) &&
	       (!w || (sqlite3_column_double(s, 8) == w->from && sqlite3_column_double(s, 9) == w->to));
}

/* 1 when PATH is a database of this schema and, with ID, of the bundle
 * of identity ID cut to window W: RES filled from its load_info; else 0
 * with ERR */
static int read_info(const char *path, const char *id, const struct load_window *w,
		     struct load_result *res, struct ms_err *err)
{
	sqlite3 *db;
	if (db_open_readonly(path, &db, err) < 0)
		return 0;
	static const char other[] = "made by a memsnap with another schema: load its bundle again";
	sqlite3_stmt *s = NULL;
	int match = 0;
	if (!same_schema(db)) {
		int memsnap = sqlite3_prepare_v2(db, "SELECT 1 FROM load_info", -1, &s, NULL) == SQLITE_OK;
		ms_err_set(err, EINVAL, "%s", memsnap ? other : "not a memsnap database (no load_info)");
	} else if (sqlite3_prepare_v2(db, "SELECT bundle_hash, schema_version, complete_samples, "
					  "truncated, corrupt, damage, rows, load_errors, window_from, "
					  "window_to FROM load_info",
				      -1, &s, NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
		ms_err_set(err, EINVAL, "not a memsnap database (no load_info)");
	} else if (sqlite3_column_int(s, 1) != MS_SCHEMA_VERSION) {
		ms_err_set(err, EINVAL, "%s", other);
	} else if (id && (!sqlite3_column_text(s, 0) ||
			  strcmp((const char *)sqlite3_column_text(s, 0), id))) {
		ms_err_set(err, EINVAL, "loaded from another bundle");
	} else if (id && !same_window(s, w)) {
		ms_err_set(err, EINVAL, "loaded from another window of the bundle");
	} else {
		fill_result(s, res);
		match = 1;
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return match;
}

int loader_open_db(const char *path, struct load_result *res, struct ms_err *err)
{
	memset(res, 0, sizeof(*res));
	res->given = 1;
	if (!(res->db_path = strdup(path)))
		return ms_err_set(err, ENOMEM, "out of memory");
	return read_info(path, NULL, NULL, res, err) ? 0 : -1;
}

/* 1 when a database at PATH can be reused for identity ID (RES filled) */
static int reusable(const struct load_opts *o, const char *path, const char *id,
		    struct load_result *res)
{
	struct ms_err e = MS_ERR_INIT;
	int ok = !o->force && access(path, F_OK) == 0 && read_info(path, id, o->window, res, &e);
	ms_err_release(&e);
	res->reused = ok;
	return ok;
}

/* 1 when the directory of PATH cannot be written */
static int dir_unwritable(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	int no = dir && access(dir, W_OK | X_OK) < 0 &&
		 (errno == EACCES || errno == EROFS || errno == EPERM);
	free(dir);
	return no;
}

/* The cache's path for the bundle of identity ID: DIR/STEM-HASH.db, STEM
 * the bundle's name without its suffix */
static char *cache_path(const char *dir, const char *bundle, const char *id)
{
	const char *base = strrchr(bundle, '/');
	char *stem = loader_default_db(base ? base + 1 : bundle);
	if (!stem)
		return NULL;
	stem[strlen(stem) - 3] = '\0'; /* ".db" */
	size_t n = strlen(dir) + strlen(stem) + 24;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s-%016llx.db", dir, stem,
			 (unsigned long long)ms_hash_bytes(id, strlen(id), 0));
	free(stem);
	return p;
}

/* RES->db_path moved to the cache (made when missing) */
static int to_cache(const struct load_opts *o, const char *id, struct load_result *res,
		    struct ms_err *err)
{
	char *p = cache_path(o->cache_dir, o->bundle, id);
	if (!p)
		return ms_err_set(err, ENOMEM, "out of memory");
	free(res->db_path);
	res->db_path = p;
	res->cached = 1;
	if (private_mkdirs(o->cache_dir, err) < 0)
		return ms_err_prefix(err, "cannot write beside the bundle, nor in the cache");
	return 0;
}

/* DB.lock */
static char *lock_path(const char *db)
{
	size_t n = strlen(db) + 6;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s.lock", db);
	return p;
}

int load_place(const struct load_opts *o, const char *id, struct load_result *res, int *lock,
	       struct ms_err *err)
{
	*lock = -1;
	res->db_path = o->db_path ? strdup(o->db_path) : loader_default_db(o->bundle);
	if (!res->db_path)
		return ms_err_set(err, ENOMEM, "out of memory");
	if (reusable(o, res->db_path, id, res))
		return 0;
	if (!o->db_path && o->cache_dir && dir_unwritable(res->db_path)) {
		if (to_cache(o, id, res, err) < 0)
			return -1;
		if (reusable(o, res->db_path, id, res))
			return 0;
	}
	char *lp = lock_path(res->db_path);
	if (!lp)
		return ms_err_set(err, ENOMEM, "out of memory");
	*lock = private_lock(lp, err);
	free(lp);
	if (*lock < 0)
		return -1;
	/* whoever held the lock may have built it meanwhile */
	if (reusable(o, res->db_path, id, res)) {
		load_unlock(res, *lock);
		*lock = -1;
		return 0;
	}
	return 1;
}

void load_unlock(const struct load_result *res, int lock)
{
	char *lp = lock_path(res->db_path);
	if (lp)
		private_unlock(lp, lock);
	else
		close(lock); /* the file stays; the lock goes */
	free(lp);
}
