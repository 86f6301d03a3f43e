/*
 * fleet_db.c - one database for many hosts (see fleet_db.h).
 *
 * The single-host schema is built in an in-memory database (the template)
 * whenever its shape is needed; its tables, columns, keys and indexes are
 * read back with PRAGMA table_xinfo and index_info, and its views' text
 * from sqlite_master, so nothing here names a table of the schema.
 */
#include "fleet_db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "load_place.h"
#include "ms_buf.h"
#include "private_file.h"
#include "version.h"

static const char fleet_sql[] =
	"CREATE TABLE fleet_info (\n"
	"  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
	"  fleet_version INTEGER NOT NULL,    -- FLEET_SCHEMA_VERSION\n"
	"  schema_id INTEGER NOT NULL,        -- the single-host schema's (db_schema_id())\n"
	"  memsnap_version TEXT NOT NULL,\n"
	"  created_at TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE fleet_host (\n"
	"  host_id INTEGER PRIMARY KEY,\n"
	"  host_key TEXT NOT NULL UNIQUE,     -- the identity bundles are grouped by\n"
	"  label TEXT NOT NULL UNIQUE,        -- how reports name it\n"
	"  hostname TEXT,\n"
	"  boot_id TEXT,\n"
	"  source TEXT,                       -- the bundles it was loaded from\n"
	"  samples INTEGER,\n"
	"  loaded_at TEXT NOT NULL\n"
	");\n";

static int prep(sqlite3 *db, sqlite3_stmt **st, const char *sql, struct ms_err *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return ms_err_set(err, EIO, "%s", sqlite3_errmsg(db));
	return 0;
}

/* The single-host schema in memory. */
static int template_open(sqlite3 **tpl, struct ms_err *err)
{
	if (sqlite3_open_v2(":memory:", tpl, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_close(*tpl);
		*tpl = NULL;
		return ms_err_set(err, ENOMEM, "out of memory");
	}
	if (db_create_schema(*tpl, err) < 0) {
		sqlite3_close(*tpl);
		*tpl = NULL;
		return -1;
	}
	return 0;
}

/* Append '"NAME"' to B (names come from our own schema; quoted all the
 * same, since some are keywords: end, offset). */
static int add_ident(struct ms_buf *b, const char *name)
{
	if (ms_buf_addstr(b, "\"") < 0)
		return -1;
	for (const char *p = name; *p; p++)
		if (ms_buf_add(b, p, 1) < 0 || (*p == '"' && ms_buf_add(b, p, 1) < 0))
			return -1;
	return ms_buf_addstr(b, "\"");
}

struct table_shape {
	struct ms_buf cols;       /* "c1", "c2" ... every column, generated ones too */
	struct ms_buf create;     /* the fleet table's CREATE TABLE (and its host index) */
};

/* The shape of template table T: its columns, and its fleet table: the
 * same columns after host_id (generated ones stored), its primary key
 * after host_id, WITHOUT ROWID; a table without a key gets an index on
 * host_id. */
static int table_shape(sqlite3 *tpl, const char *t, struct table_shape *s, struct ms_err *err)
{
	sqlite3_stmt *st;
	char *sql = sqlite3_mprintf("SELECT name, type, \"notnull\", pk FROM pragma_table_xinfo(%Q) "
				    "ORDER BY cid", t);
	if (!sql)
		return ms_err_set(err, ENOMEM, "out of memory");
	int rc = prep(tpl, &st, sql, err);
	sqlite3_free(sql);
	if (rc < 0)
		return -1;
	struct ms_buf pk;
	ms_buf_reset(&s->cols);
	ms_buf_reset(&s->create);
	rc = ms_buf_init(&pk, 64);
	int npk = 0, maxpk = 0;
	if (rc == 0)
		rc = ms_buf_addstr(&s->create, "CREATE TABLE ") < 0 || add_ident(&s->create, t) < 0 ||
		     ms_buf_addstr(&s->create, " (\n  host_id INTEGER NOT NULL") < 0 ? -1 : 0;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *type = (const char *)sqlite3_column_text(st, 1);
		int key = sqlite3_column_int(st, 3);
		rc = (s->cols.len && ms_buf_addstr(&s->cols, ", ") < 0) || add_ident(&s->cols, name) < 0 ||
		     ms_buf_addstr(&s->create, ",\n  ") < 0 || add_ident(&s->create, name) < 0 ||
		     ms_buf_addf(&s->create, " %s%s", type ? type : "",
				 sqlite3_column_int(st, 2) || key ? " NOT NULL" : "") < 0 ? -1 : 0;
		npk += key > 0;
		maxpk = key > maxpk ? key : maxpk;
	}
	sqlite3_finalize(st);
	/* the key's columns in key order */
	for (int k = 1; rc == 0 && k <= maxpk; k++) {
		sql = sqlite3_mprintf("SELECT name FROM pragma_table_xinfo(%Q) WHERE pk = %d", t, k);
		if (!sql || prep(tpl, &st, sql, err) < 0) {
			sqlite3_free(sql);
			rc = sql ? -1 : ms_err_set(err, ENOMEM, "out of memory");
			break;
		}
		sqlite3_free(sql);
		if (sqlite3_step(st) == SQLITE_ROW)
			rc = ms_buf_addstr(&pk, ", ") < 0 ||
			     add_ident(&pk, (const char *)sqlite3_column_text(st, 0)) < 0 ? -1 : 0;
		sqlite3_finalize(st);
	}
	if (rc == 0)
		rc = (npk ? ms_buf_addf(&s->create, ",\n  PRIMARY KEY (host_id%s)\n) WITHOUT ROWID;\n", pk.data)
		      : ms_buf_addf(&s->create, "\n);\nCREATE INDEX \"%s_host\" ON ", t) < 0 ||
			add_ident(&s->create, t) < 0 || ms_buf_addstr(&s->create, "(host_id);\n")) < 0 ? -1 : 0;
	ms_buf_release(&pk);
	if (rc < 0 && !err->msg)
		ms_err_set(err, ENOMEM, "out of memory");
	return rc;
}

typedef int (*table_fn)(void *ctx, const char *table, const struct table_shape *s, struct ms_err *err);

/* FN on every table of the template, in the schema's order. */
static int each_table(sqlite3 *tpl, table_fn fn, void *ctx, struct ms_err *err)
{
	sqlite3_stmt *st;
	struct table_shape s;
	if (prep(tpl, &st, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
		 "'sqlite\\_%' ESCAPE '\\' ORDER BY rowid", err) < 0)
		return -1;
	int rc = ms_buf_init(&s.cols, 256) < 0 || ms_buf_init(&s.create, 1024) < 0
		 ? ms_err_set(err, ENOMEM, "out of memory") : 0;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		rc = table_shape(tpl, t, &s, err) < 0 || fn(ctx, t, &s, err) < 0 ? -1 : 0;
	}
	sqlite3_finalize(st);
	ms_buf_release(&s.cols);
	ms_buf_release(&s.create);
	return rc;
}

static int create_table(void *ctx, const char *table, const struct table_shape *s, struct ms_err *err)
{
	(void)table;
	return db_exec(ctx, s->create.data, "fleet schema", err);
}

/* The template's own indexes, with host_id in front. */
static int create_indexes(sqlite3 *tpl, sqlite3 *db, struct ms_err *err)
{
	sqlite3_stmt *st, *ic;
	if (prep(tpl, &st, "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
		 "ORDER BY rowid", err) < 0)
		return -1;
	if (prep(tpl, &ic, "SELECT name FROM pragma_index_info(?1) ORDER BY seqno", err) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	struct ms_buf b;
	int rc = ms_buf_init(&b, 256);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		ms_buf_reset(&b);
		sqlite3_bind_value(ic, 1, sqlite3_column_value(st, 0));
		rc = ms_buf_addstr(&b, "CREATE INDEX ") < 0 ||
		     add_ident(&b, (const char *)sqlite3_column_text(st, 0)) < 0 ||
		     ms_buf_addstr(&b, " ON ") < 0 || add_ident(&b, (const char *)sqlite3_column_text(st, 1)) < 0 ||
		     ms_buf_addstr(&b, "(host_id") < 0 ? -1 : 0;
		while (rc == 0 && sqlite3_step(ic) == SQLITE_ROW)
			rc = ms_buf_addstr(&b, ", ") < 0 || add_ident(&b, (const char *)sqlite3_column_text(ic, 0)) < 0
			     ? -1 : 0;
		sqlite3_reset(ic);
		if (rc == 0 && ms_buf_addstr(&b, ")") < 0)
			rc = -1;
		if (rc < 0)
			ms_err_set(err, ENOMEM, "out of memory");
		else
			rc = db_exec(db, b.data, "fleet index", err);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(ic);
	ms_buf_release(&b);
	return rc;
}

int fleet_db_is(sqlite3 *db)
{
	sqlite3_stmt *st;
	int is = 0;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'fleet_host'",
			       -1, &st, NULL) == SQLITE_OK) {
		is = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	return is;
}

int fleet_db_check(sqlite3 *db, struct ms_err *err)
{
	sqlite3_stmt *st;
	if (!fleet_db_is(db))
		return ms_err_set(err, EINVAL, "not a fleet database (no fleet_host table)");
	if (prep(db, &st, "SELECT fleet_version, schema_id FROM fleet_info", err) < 0)
		return -1;
	int ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == FLEET_SCHEMA_VERSION &&
		 sqlite3_column_int(st, 1) == db_schema_id();
	sqlite3_finalize(st);
	if (!ok)
		return ms_err_set(err, EINVAL, "made by a memsnap with another schema: load its hosts "
				  "into a new database");
	return 0;
}

/* A new fleet database in DB (empty): its schema and its fleet_info row. */
static int create_schema(sqlite3 *db, struct ms_err *err)
{
	sqlite3 *tpl;
	if (template_open(&tpl, err) < 0)
		return -1;
	char info[256];
	snprintf(info, sizeof(info), "INSERT INTO fleet_info VALUES (1, %d, %d, '%s', "
		 "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'))", FLEET_SCHEMA_VERSION, db_schema_id(),
		 MEMSNAP_VERSION);
	int rc = db_exec(db, "BEGIN", "begin", err) < 0 || db_exec(db, fleet_sql, "fleet schema", err) < 0 ||
		 each_table(tpl, create_table, db, err) < 0 || create_indexes(tpl, db, err) < 0 ||
		 db_exec(db, info, "fleet_info", err) < 0 || db_exec(db, "COMMIT", "commit", err) < 0 ? -1 : 0;
	sqlite3_close(tpl);
	return rc;
}

/* PATH opened, its schema made when the file is new (created 0600). */
static int open_locked(const char *path, sqlite3 **db, struct ms_err *err)
{
	int fd = private_create(AT_FDCWD, path);
	int created = fd >= 0;
	if (fd < 0 && errno == EEXIST)
		fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ms_err_set(err, errno, "'%s': %s", path, strerror(errno));
	struct stat st;
	int empty = fstat(fd, &st) == 0 && st.st_size == 0;
	close(fd);
	if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		ms_err_set(err, EIO, "'%s': %s", path, *db ? sqlite3_errmsg(*db) : "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(*db, 60000);
	if (empty ? create_schema(*db, err) < 0 : fleet_db_check(*db, err) < 0) {
		ms_err_prefix(err, "'%s'", path);
		goto fail;
	}
	return 0;
fail:
	sqlite3_close(*db);
	*db = NULL;
	if (created)
		unlink(path);
	return -1;
}

int fleet_db_open(const char *path, sqlite3 **db, struct ms_err *err)
{
	*db = NULL;
	/* DB.lock, as a loader holds it: two that create DB at once do not
	 * both make its schema */
	char *lp = load_lock_path(path);
	if (!lp)
		return ms_err_set(err, ENOMEM, "out of memory");
	int lock = private_lock(lp, err);
	int rc = lock < 0 ? -1 : open_locked(path, db, err);
	if (lock >= 0)
		private_unlock(lp, lock);
	free(lp);
	return rc;
}

struct copy_ctx {
	sqlite3 *db;
	int64_t host_id;
};

/* Table T of host C->host_id: its rows replaced by src's. */
static int copy_table(void *ctx, const char *t, const struct table_shape *s, struct ms_err *err)
{
	struct copy_ctx *c = ctx;
	struct ms_buf b;
	if (ms_buf_init(&b, 512) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	int rc = ms_buf_addstr(&b, "DELETE FROM main.") < 0 || add_ident(&b, t) < 0 ||
		 ms_buf_addf(&b, " WHERE host_id = %lld;\nINSERT INTO main.", (long long)c->host_id) < 0 ||
		 add_ident(&b, t) < 0 || ms_buf_addf(&b, " (host_id, %s) SELECT %lld, %s FROM src.", s->cols.data,
						     (long long)c->host_id, s->cols.data) < 0 ||
		 add_ident(&b, t) < 0 ? ms_err_set(err, ENOMEM, "out of memory") : 0;
	if (rc == 0)
		rc = db_exec(c->db, b.data, t, err);
	ms_buf_release(&b);
	return rc;
}

/* The host's row: found by its key, or added with a label no other host
 * has (H->label, then H->label#2 ...); H->id and H->label as stored. */
static int host_row(sqlite3 *db, struct fleet_db_host *h, struct ms_err *err)
{
	sqlite3_stmt *st;
	if (prep(db, &st, "SELECT host_id, label FROM fleet_host WHERE host_key = ?1", err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, h->key, -1, SQLITE_STATIC);
	int found = h->replaced = sqlite3_step(st) == SQLITE_ROW;
	char *label = found ? strdup((const char *)sqlite3_column_text(st, 1)) : NULL;
	h->id = found ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (found) {
		free(h->label);
		h->label = label;
		return label ? 0 : ms_err_set(err, ENOMEM, "out of memory");
	}
	/* the first of LABEL, LABEL#2, LABEL#3 ... that no host has */
	struct ms_buf b;
	if (ms_buf_init(&b, 64) < 0 || ms_buf_addstr(&b, h->label) < 0)
		goto oom;
	size_t base = b.len;
	if (prep(db, &st, "SELECT 1 FROM fleet_host WHERE label = ?1", err) < 0)
		goto fail;
	for (unsigned n = 2;; n++) {
		sqlite3_bind_text(st, 1, b.data, -1, SQLITE_STATIC);
		int taken = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
		if (!taken)
			break;
		b.data[b.len = base] = '\0';
		if (ms_buf_addf(&b, "#%u", n) < 0) {
			sqlite3_finalize(st);
			goto oom;
		}
	}
	sqlite3_finalize(st);
	if (prep(db, &st, "INSERT INTO fleet_host (host_key, label, loaded_at) VALUES (?1, ?2, '')", err) < 0)
		goto fail;
	sqlite3_bind_text(st, 1, h->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b.data, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : ms_err_set(err, EIO, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	if (rc < 0)
		goto fail;
	h->id = sqlite3_last_insert_rowid(db);
	free(h->label);
	h->label = b.data;
	return 0;
oom:
	ms_err_set(err, ENOMEM, "out of memory");
fail:
	ms_buf_release(&b);
	return -1;
}

static int host_update(sqlite3 *db, const struct fleet_db_host *h, struct ms_err *err)
{
	sqlite3_stmt *st;
	if (prep(db, &st, "UPDATE fleet_host SET hostname = ?2, boot_id = ?3, source = ?4, samples = "
		 "(SELECT count(*) FROM src.sample), loaded_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
		 "WHERE host_id = ?1", err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, h->id);
	sqlite3_bind_text(st, 2, h->hostname, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, h->boot_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, h->source, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : ms_err_set(err, EIO, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}

/* src (attached) was made from this memsnap's schema files */
static int check_src(sqlite3 *db, const char *host_db, struct ms_err *err)
{
	sqlite3_stmt *st;
	if (prep(db, &st, "PRAGMA src.user_version", err) < 0)
		return -1;
	int ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == db_schema_id();
	sqlite3_finalize(st);
	return ok ? 0 : ms_err_set(err, EINVAL, "'%s' is not a database of this memsnap's schema", host_db);
}

int fleet_db_add(sqlite3 *fleet, const char *host_db, struct fleet_db_host *h, struct ms_err *err)
{
	sqlite3_stmt *st;
	if (prep(fleet, &st, "ATTACH ?1 AS src", err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, host_db, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : ms_err_set(err, EIO, "'%s': %s", host_db,
								   sqlite3_errmsg(fleet));
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	sqlite3 *tpl = NULL;
	struct copy_ctx c = { fleet, 0 };
	rc = check_src(fleet, host_db, err) < 0 || template_open(&tpl, err) < 0 ||
	     db_exec(fleet, "BEGIN IMMEDIATE", "begin", err) < 0 ? -1 : 0;
	if (rc == 0) {
		rc = host_row(fleet, h, err) < 0 || (c.host_id = h->id, each_table(tpl, copy_table, &c, err) < 0) ||
		     host_update(fleet, h, err) < 0 || db_exec(fleet, "COMMIT", "commit", err) < 0 ? -1 : 0;
		if (rc < 0)
			sqlite3_exec(fleet, "ROLLBACK", NULL, NULL, NULL);
	}
	sqlite3_close(tpl);
	sqlite3_exec(fleet, "DETACH src", NULL, NULL, NULL);
	return rc;
}

static char *col_dup(sqlite3_stmt *st, int i, int *oom)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	char *s = t ? strdup((const char *)t) : NULL;
	*oom |= t && !s;
	return s;
}

int fleet_db_hosts(sqlite3 *db, struct fleet_db_host **out, size_t *n, struct ms_err *err)
{
	sqlite3_stmt *st;
	*out = NULL;
	*n = 0;
	if (prep(db, &st, "SELECT host_id, host_key, label, hostname, boot_id, source FROM fleet_host "
		 "ORDER BY label", err) < 0)
		return -1;
	int oom = 0;
	while (!oom && sqlite3_step(st) == SQLITE_ROW) {
		struct fleet_db_host *nh = realloc(*out, (*n + 1) * sizeof(*nh));
		if (!nh) {
			oom = 1;
			break;
		}
		*out = nh;
		struct fleet_db_host *h = &nh[(*n)++];
		h->id = sqlite3_column_int64(st, 0);
		h->key = col_dup(st, 1, &oom);
		h->label = col_dup(st, 2, &oom);
		h->hostname = col_dup(st, 3, &oom);
		h->boot_id = col_dup(st, 4, &oom);
		h->source = col_dup(st, 5, &oom);
	}
	sqlite3_finalize(st);
	return oom ? ms_err_set(err, ENOMEM, "out of memory") : 0;
}

void fleet_db_hosts_release(struct fleet_db_host *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].key);
		free(h[i].label);
		free(h[i].hostname);
		free(h[i].boot_id);
		free(h[i].source);
	}
	free(h);
}

int fleet_db_host_id(sqlite3 *db, const char *label, int64_t *id, struct ms_err *err)
{
	sqlite3_stmt *st;
	if (fleet_db_check(db, err) < 0 ||
	    prep(db, &st, "SELECT host_id FROM fleet_host WHERE label = ?1 UNION ALL SELECT host_id FROM "
		 "fleet_host WHERE hostname = ?1 AND (SELECT count(*) FROM fleet_host WHERE hostname = ?1) = 1 "
		 "LIMIT 1", err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, label, -1, SQLITE_STATIC);
	int found = sqlite3_step(st) == SQLITE_ROW;
	*id = found ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (found)
		return 0;
	char *all = NULL;
	if (prep(db, &st, "SELECT group_concat(label, ', ') FROM (SELECT label FROM fleet_host ORDER BY label)",
		 err) == 0) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			all = strdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	ms_err_set(err, ENOENT, "no host '%s' (the hosts: %s)", label, all ? all : "none");
	free(all);
	return -1;
}

static int host_view(void *ctx, const char *t, const struct table_shape *s, struct ms_err *err)
{
	struct copy_ctx *c = ctx;
	struct ms_buf b;
	if (ms_buf_init(&b, 512) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	int rc = ms_buf_addstr(&b, "CREATE TEMP VIEW ") < 0 || add_ident(&b, t) < 0 ||
		 ms_buf_addf(&b, " AS SELECT %s FROM main.", s->cols.data) < 0 || add_ident(&b, t) < 0 ||
		 ms_buf_addf(&b, " WHERE host_id = %lld", (long long)c->host_id) < 0
		 ? ms_err_set(err, ENOMEM, "out of memory") : 0;
	if (rc == 0)
		rc = db_exec(c->db, b.data, t, err);
	ms_buf_release(&b);
	return rc;
}

/* The schema's views, as TEMP views (over the tables' temp views). */
static int schema_views(sqlite3 *tpl, sqlite3 *db, struct ms_err *err)
{
	static const char create[] = "CREATE VIEW ";
	sqlite3_stmt *st;
	if (prep(tpl, &st, "SELECT name, sql FROM sqlite_master WHERE type = 'view' ORDER BY rowid", err) < 0)
		return -1;
	int rc = 0;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		const char *sql = (const char *)sqlite3_column_text(st, 1);
		if (!sql || strncmp(sql, create, strlen(create))) {
			rc = ms_err_set(err, EINVAL, "view %s: its SQL does not start with '%s'",
					(const char *)sqlite3_column_text(st, 0), create);
			break;
		}
		char *t = sqlite3_mprintf("CREATE TEMP VIEW %s", sql + strlen(create));
		rc = t ? db_exec(db, t, (const char *)sqlite3_column_text(st, 0), err)
		       : ms_err_set(err, ENOMEM, "out of memory");
		sqlite3_free(t);
	}
	sqlite3_finalize(st);
	return rc;
}

int fleet_db_select(sqlite3 *db, int64_t host_id, struct ms_err *err)
{
	sqlite3 *tpl;
	if (fleet_db_check(db, err) < 0 || template_open(&tpl, err) < 0)
		return -1;
	struct copy_ctx c = { db, host_id };
	int rc = each_table(tpl, host_view, &c, err) < 0 || schema_views(tpl, db, err) < 0 ? -1 : 0;
	sqlite3_close(tpl);
	return rc;
}
