/*
 * loader.c - bundle -> parsers -> SQLite (see loader.h).
 *
 * Streaming: members arrive in order; a sample's rows are inserted as its
 * records are parsed and the sample row itself when its meta arrives.  At
 * the end, rows of a sample whose meta never came (the sample in flight
 * when the collector died) are deleted, and so are, when the next sample
 * starts, those of a sample without a valid meta (a hostile or damaged
 * bundle), so every table holds exactly the complete samples.  Members of
 * a sample already complete, or older, are skipped (load_error).
 *
 * Identity: a process is (pid, starttime).  Within a sample the records of
 * one process are contiguous and start with its stat (the collector's
 * guarantee), which gives the identity; the other records of that PID in
 * the sample, tier 1 and 2 included, attach to it through a per-sample
 * PID map.  Processes are cached in memory (a hash of (pid, starttime)):
 * the only state that grows with the bundle, with distinct processes.
 *
 * Errors: a line that does not parse becomes a load_error row (its row or
 * field is missing; the lines after it load), and so does a record that
 * does not parse as a whole; loading goes on.  Only I/O, SQLite and memory
 * failures stop a load.
 * Bundles are untrusted (docs/security.md): the in-memory tables are keyed
 * by seeded hashes (ms_hash.h), and no value reaches SQLite unchecked.
 */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bundle_format.h"
#include "bundle_text.h"
#include "db.h"
#include "load_container.h"
#include "load_derive.h"
#include "load_host.h"
#include "load_kinds.h"
#include "load_place.h"
#include "load_recording.h"
#include "load_state.h"
#include "load_window.h"
#include "ms_buf.h"
#include "ms_hash.h"
#include "parse_num.h"
#include "private_file.h"
#include "record.h"
#include "recording_format.h"
#include "version.h"

char *loader_default_db(const char *bundle)
{
	size_t n = strlen(bundle);
	while (n > 1 && bundle[n - 1] == '/')
		n--; /* a directory: DIR.db beside it */
	const char *suffixes[] = { ".tar.zst", ".tzst", ".zst" };
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(*suffixes); i++) {
		size_t sl = strlen(suffixes[i]);
		if (n > sl && !strcmp(bundle + n - sl, suffixes[i])) {
			n -= sl;
			break;
		}
	}
	char *s = malloc(n + 4);
	if (s) {
		memcpy(s, bundle, n);
		memcpy(s + n, ".db", 4);
	}
	return s;
}

/* size:mtime:FNV-1a of the first MiB: cheap, and changes whenever the
 * bundle does (a bundle only grows, and its header has the start time) */
static int bundle_identity(const char *path, uint64_t *size, int64_t *mtime, char *out,
			   size_t outlen, struct ms_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ms_err_set(err, errno, "%s", strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return ms_err_set(err, e, "%s", strerror(e));
	}
	uint64_t h = 1469598103934665603ull;
	char buf[65536];
	size_t total = 0;
	while (total < (1u << 20)) {
		ssize_t r = read(fd, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		for (ssize_t i = 0; i < r; i++) {
			h ^= (unsigned char)buf[i];
			h *= 1099511628211ull;
		}
		total += (size_t)r;
	}
	close(fd);
	*size = (uint64_t)st.st_size;
	*mtime = (int64_t)st.st_mtime;
	snprintf(out, outlen, "%llu:%lld:%016llx", (unsigned long long)st.st_size,
		 (long long)st.st_mtime, (unsigned long long)h);
	return 0;
}

/* The identity of a recording of several bundles: each one's path, size
 * and mtime (a segment being written grows: the database is made again) */
static int parts_identity(const struct load_opts *o, uint64_t *size, int64_t *mtime, char *out,
			  size_t outlen, struct ms_err *err)
{
	uint64_t h = 1469598103934665603ull;
	*size = 0;
	*mtime = 0;
	for (size_t i = 0; i < o->nparts; i++) {
		struct stat st;
		if (stat(o->parts[i], &st) < 0)
			return ms_err_set(err, errno, "'%s': %s", o->parts[i], strerror(errno));
		char line[64];
		snprintf(line, sizeof(line), "/%llu:%lld", (unsigned long long)st.st_size,
			 (long long)st.st_mtime);
		for (const char *q = o->parts[i]; *q; q++)
			h = (h ^ (unsigned char)*q) * 1099511628211ull;
		for (const char *q = line; *q; q++)
			h = (h ^ (unsigned char)*q) * 1099511628211ull;
		*size += (uint64_t)st.st_size;
		if ((int64_t)st.st_mtime > *mtime)
			*mtime = (int64_t)st.st_mtime;
	}
	snprintf(out, outlen, "parts:%zu:%llu:%016llx", o->nparts, (unsigned long long)*size,
		 (unsigned long long)h);
	return 0;
}

struct ctx {
	struct load_state ls;
	const struct load_opts *o;
	int has_header;
	long format;
	char *end_reason;
	uint64_t bundle_size;
	struct host_facts host;      /* of the last host member, for its sample's host row */
	unsigned host_sample;        /* the sample of that member */
	const struct load_window *window;   /* NULL: the whole bundle */
	struct load_window_state win;
	int stopped;                 /* the window ended the read */
	struct rec_load rl;          /* the parts of a recording, its triggers */
	unsigned part;               /* 1, 2 ... */
	unsigned offset;             /* the part's sample N is sample OFFSET + N here */
	unsigned max_num;            /* the highest sample number met (the next
				      * part numbers on from it) */
	uint64_t done;               /* bytes of the parts read before this one */
};

static int on_header(struct ctx *c, const struct bundle_member *m, struct ms_err *err)
{
	struct load_state *ls = &c->ls;
	c->has_header = 1;
	if (bt_header_format(m->data, m->len, &c->format, err) < 0 ||
	    rec_load_header(&c->rl, m->data, m->len, err) < 0)
		return -1;
	struct bt_span sparse = { "", 0 }, unchanged = { "", 0 };
	bt_get(m->data, m->len, BK_PROC_SPARSE, &sparse);
	bt_get(m->data, m->len, BK_PROC_UNCHANGED, &unchanged);
	lw_kept_names(&c->win, sparse, unchanged);
	if (c->part > 1)
		return 0; /* one host: the first part's header stands for the recording */
	if (bt_get_str(m->data, m->len, BK_CGROUP_V1_MEMORY, &ls->cg_v1) < 0 ||
	    bt_get_str(m->data, m->len, BK_CGROUP_V2, &ls->cg_v2) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	size_t pos = 0;
	struct bt_span k, v;
	while (bt_next_line(m->data, m->len, &pos, &k, &v)) {
		bind_text(ls->st[ST_HEADER], 1, k.p, k.n);
		bind_text(ls->st[ST_HEADER], 2, v.p, v.n);
		if (load_step(ls, ST_HEADER, err) < 0)
			return -1;
	}
	return 0;
}

/* A malformed value of meta key K: a load_error, and the column is NULL */
static int meta_malformed(struct ctx *c, const struct bundle_member *m, enum bt_key k,
			  struct ms_err *err)
{
	char msg[96];
	snprintf(msg, sizeof(msg), "meta: '%s' is not a valid number; stored as NULL", bt_key_name(k));
	return load_error(&c->ls, m->name, NULL, msg, err);
}

/* Parameter I of S: meta key K as a finite number, or NULL */
static int bind_meta_double(struct ctx *c, const struct bundle_member *m, sqlite3_stmt *s, int i,
			    enum bt_key k, struct ms_err *err)
{
	double d;
	enum bt_got g = bt_get_double(m->data, m->len, k, &d);
	if (g == BT_FOUND)
		bind_double(s, i, d);
	else
		bind_null(s, i);
	return g == BT_MALFORMED ? meta_malformed(c, m, k, err) : 0;
}

/* Parameter I of S: meta key K as a count (up to INT64_MAX), or NULL */
static int bind_meta_count(struct ctx *c, const struct bundle_member *m, sqlite3_stmt *s, int i,
			   enum bt_key k, struct ms_err *err)
{
	uint64_t v;
	enum bt_got g = bt_get_u64(m->data, m->len, k, &v);
	if (g == BT_FOUND && v > INT64_MAX)
		g = BT_MALFORMED;
	bind_i64_or_null(s, i, g == BT_FOUND ? (int64_t)v : -1, 1);
	return g == BT_MALFORMED ? meta_malformed(c, m, k, err) : 0;
}

/* the meta's "deferred T budget" lines */
static int load_deferred(struct ctx *c, const struct bundle_member *m, unsigned sample,
			 struct ms_err *err)
{
	struct load_state *ls = &c->ls;
	size_t pos = 0;
	struct bt_span v;
	while (bt_next(m->data, m->len, &pos, BK_DEFERRED, &v)) {
		unsigned tier;
		if (bt_parse_deferred(v, &tier) != BT_FOUND) {
			if (load_error(ls, m->name, NULL, "meta: a malformed 'deferred' line; ignored",
				       err) < 0)
				return -1;
			continue;
		}
		bind_i64(ls->st[ST_DEFERRED], 1, sample);
		bind_i64(ls->st[ST_DEFERRED], 2, tier);
		if (load_step(ls, ST_DEFERRED, err) < 0)
			return -1;
	}
	return 0;
}

static int on_meta(struct ctx *c, const struct bundle_member *m, unsigned sample,
		   struct ms_err *err)
{
	static const enum bt_key counts[] = { BK_CPU_US, BK_WALL_US, BK_LATE_US, BK_MISSED_TICKS,
					      BK_PROCESSES, BK_CGROUPS, BK_READ_BYTES, BK_OFFSET,
					      BK_GAPS };
	struct load_state *ls = &c->ls;
	double wall, mono;
	if (bt_get_double(m->data, m->len, BK_WALL, &wall) != BT_FOUND ||
	    bt_get_double(m->data, m->len, BK_MONO, &mono) != BT_FOUND)
		return load_error(ls, m->name, NULL, "meta: no 'wall' or 'mono' time; sample not loaded",
				  err);
	if (c->window && wall > c->window->to) {
		/* the first sample after the window: its rows go as those of
		 * an incomplete sample (finish()), and the read ends */
		c->stopped = 1;
		return 1;
	}
	if (load_proc_flush(ls, err) < 0)
		return -1;
	if (rec_load_sample(&c->rl, sample, wall)) {
		/* an earlier part covered this time: the sample is left out */
		if (sample > ls->max_complete)
			ls->max_complete = sample;
		return load_drop_sample(ls, sample, err);
	}
	struct bt_span tiers = { "0", 1 };
	bt_get(m->data, m->len, BK_TIERS, &tiers);
	unsigned ran = bt_tiers_mask(tiers);
	sqlite3_stmt *s = ls->st[ST_SAMPLE];
	int i = 1;
	bind_i64(s, i++, sample);
	bind_double(s, i++, wall);
	bind_double(s, i++, mono);
	if (bind_meta_double(c, m, s, i++, BK_BOOT, err) < 0 ||
	    bind_meta_double(c, m, s, i++, BK_WALL_END, err) < 0)
		return -1;
	bind_text(s, i++, tiers.p, tiers.n);
	bind_i64(s, i++, (ran & 2) != 0);
	bind_i64(s, i++, (ran & 4) != 0);
	for (size_t k = 0; k < sizeof(counts) / sizeof(*counts); k++)
		if (bind_meta_count(c, m, s, i++, counts[k], err) < 0)
			return -1;
	if (load_step(ls, ST_SAMPLE, err) < 0 || load_deferred(c, m, sample, err) < 0 ||
	    (c->host_sample == sample && load_host_row(ls, sample, &c->host, err) < 0))
		return -1;
	ls->samples++;
	if (sample > ls->max_complete)
		ls->max_complete = sample;
	return 0;
}

static int on_records(struct ctx *c, const struct bundle_member *m, struct ms_err *err)
{
	struct load_state *ls = &c->ls;
	size_t pos = 0;
	struct ms_record r;
	struct ms_err perr = MS_ERR_INIT;
	int rc;
	while ((rc = record_next(m->data, m->len, &pos, &r, m->name, &perr)) > 0) {
		if (record_path(&r, &ls->path) < 0)
			return ms_err_set(err, ENOMEM, "out of memory");
		const char *path = ls->path.data;
		int ok = record_status_is(&r, "ok");
		if (!ok && record_status_is(&r, MS_STATUS_UNCHANGED) && load_unchanged(ls))
			continue; /* the process's last read stands for it (load_proc_flush) */
		if (!ok) {
			if (load_gap(ls, path, ls->path.len, r.status, r.status_len, err) < 0)
				return -1;
			if (!record_status_is(&r, "trunc"))
				continue; /* nothing was read */
		}
		if (load_record(ls, m->name, &r, err) < 0)
			return -1;
	}
	if (rc < 0) {
		/* damaged framing: what came before was loaded; the rest of the
		 * member cannot be trusted */
		rc = load_error(ls, m->name, NULL, ms_err_msg(&perr), err);
		ms_err_release(&perr);
		return rc;
	}
	return 0;
}

/* Sample N ended without a valid meta and a later sample follows (only a
 * hostile or damaged bundle does that): its rows go, so that every table
 * holds complete samples only.  Its processes stay (later samples may
 * have them too). */
static int drop_sample(struct ctx *c, const char *member, unsigned n, struct ms_err *err)
{
	struct load_state *ls = &c->ls;
	if (load_drop_sample(ls, n, err) < 0)
		return -1;
	char msg[96];
	snprintf(msg, sizeof(msg), "sample %u has no valid meta: its rows were dropped", n);
	return load_error(ls, member, NULL, msg, err);
}

/* ---- a load cut to a window (load_window.h) ---- */

enum { WINDOW_LOAD = 2 };   /* window_member(): the loader loads the member */

static int on_member(void *ctx, const struct bundle_member *m, struct ms_err *err);

/* Member M (KIND) of sample NUM, before the window: a host member (the
 * latest is the host as the window starts: its rows replace the earlier
 * one's), and the t0 records, for the command lines */
static int before_member(struct ctx *c, const struct bundle_member *m, unsigned num,
			 const char *kind, struct ms_err *err)
{
	struct load_state *ls = &c->ls;
	if (!strcmp(kind, "host")) {
		if (db_exec(ls->db, "DELETE FROM host_file; DELETE FROM host", "host", err) < 0)
			return -1;
		c->host_sample = num;
		return load_host_member(ls, m, num, &c->host, err);
	}
	if (kind[0] == 't' && kind[1] == '0' && (kind[2] == '\0' || kind[2] == '.'))
		return lw_scan(&c->win, m, err);
	return 0;
}

/* The meta of sample NUM, before the window: its host row */
static int before_meta(struct ctx *c, unsigned num, struct ms_err *err)
{
	if (c->host_sample == num && load_host_row(&c->ls, num, &c->host, err) < 0)
		return -1;
	return lw_sample_before(&c->win, err);
}

/* The members held for sample NUM, now that its meta M put it in the window
 * (V: loaded) or before it (as a skipped sample's); then M */
static int held_members(struct ctx *c, const struct bundle_member *m, unsigned num,
			enum lw_verdict v, struct ms_err *err)
{
	struct load_window_state *w = &c->win;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < w->nheld; i++) {
		const struct lw_member *h = &w->held[i];
		const struct bundle_member hm = { h->name, h->data, h->len, h->mtime, h->offset };
		unsigned n;
		const char *kind;
		if (v == LW_IN)
			rc = on_member(c, &hm, err);
		else if (bundle_member_sample(h->name, &n, &kind))
			rc = before_member(c, &hm, n + c->offset, kind, err);
	}
	lw_drop_held(w);
	if (rc != 0)
		return rc;
	return v == LW_IN ? on_member(c, m, err) : before_meta(c, num, err);
}

/* Member M (KIND) of sample NUM with a window: WINDOW_LOAD when the loader
 * loads it; else what on_member() returns */
static int window_member(struct ctx *c, const struct bundle_member *m, unsigned num,
			 const char *kind, struct ms_err *err)
{
	struct load_window_state *w = &c->win;
	int route = lw_route(w, &c->ls, m, num, err);
	if (route < 0)
		return -1;
	if (route == LW_LOAD)
		return WINDOW_LOAD;
	if (strcmp(kind, "meta"))
		return route == LW_HOLD ? lw_hold(w, m, err) : before_member(c, m, num, kind, err);
	double wall, mono;
	enum lw_verdict v;
	if (bt_get_double(m->data, m->len, BK_WALL, &wall) != BT_FOUND ||
	    bt_get_double(m->data, m->len, BK_MONO, &mono) != BT_FOUND) {
		lw_drop_held(w);
		return load_error(&c->ls, m->name, NULL,
				  "meta: no 'wall' or 'mono' time; sample not loaded", err);
	}
	if (lw_meta(w, &c->ls, m->name, wall, &v, err) < 0)
		return -1;
	if (v == LW_AFTER) {
		lw_drop_held(w);
		c->stopped = 1;
		return 1;
	}
	return held_members(c, m, num, v, err);
}

static int on_member(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	struct ctx *c = ctx;
	struct load_state *ls = &c->ls;
	if (c->o->progress)
		c->o->progress(c->o->progress_ctx, c->done + m->offset, c->bundle_size);
	if (!strcmp(m->name, MS_MEMBER_HEADER))
		return c->has_header ? load_error(ls, m->name, NULL, "a second header; ignored", err)
				     : on_header(c, m, err);
	if (!c->has_header)
		return ms_err_set(err, EINVAL, "first member is '%s', not '%s': not a memsnap bundle",
				  m->name, MS_MEMBER_HEADER);
	if (!strcmp(m->name, MS_MEMBER_TRAILER)) {
		free(c->end_reason);
		return bt_get_str(m->data, m->len, BK_END_REASON, &c->end_reason) < 0
			       ? ms_err_set(err, ENOMEM, "out of memory") : 0;
	}
	unsigned num;
	const char *kind;
	if (!bundle_member_sample(m->name, &num, &kind) || num > UINT32_MAX - c->offset)
		return 0; /* a member a later format added: ignored */
	num += c->offset;
	if (num > c->max_num)
		c->max_num = num;
	if (c->window) {
		int r = window_member(c, m, num, kind, err);
		if (r != WINDOW_LOAD)
			return r;
	}
	if (num != ls->sample) {
		if (load_proc_flush(ls, err) < 0)
			return -1;
		if (num <= ls->max_complete)
			return load_error(ls, m->name, NULL,
					  "sample number goes backwards or repeats; member skipped", err);
		if (ls->sample > ls->max_complete && drop_sample(c, m->name, ls->sample, err) < 0)
			return -1;
		load_proc_sample_start(ls, num);
	} else if (num <= ls->max_complete) {
		/* the same sample again right after its meta (a duplicated sample) */
		return load_error(ls, m->name, NULL,
				  "sample number goes backwards or repeats; member skipped", err);
	}
	if (!strcmp(kind, "meta"))
		return on_meta(c, m, num, err);
	if (!strcmp(kind, "host")) {
		c->host_sample = num;
		return load_host_member(ls, m, num, &c->host, err);
	}
	if (kind[0] == 't' && kind[1] >= '0' && kind[1] <= '9')
		return on_records(c, m, err);
	if (!strcmp(kind, MS_KIND_TRIGGER))
		return rec_load_triggers(ls, m, num, err);
	return 0;
}

/* Rows of the sample in flight when the collector stopped (no meta)
 * are removed: every table holds complete samples only. */
static int finish(struct ctx *c, struct ms_err *err)
{
	struct load_state *ls = &c->ls;
	if (load_proc_flush(ls, err) < 0 || load_proc_finish(ls, err) < 0 ||
	    load_drop_after(ls, ls->max_complete, err) < 0)
		return -1;
	if (load_proc_cgroup_finish(ls, err) < 0 ||
	    (c->window && lw_finish(&c->win, ls, err) < 0))
		return -1;
	return load_derive(ls, err);
}

const char load_no_trailer[] = "no trailer: the collector did not close the bundle";

/* The window, and the bundle's span, into load_info (NULL without one) */
static void bind_window(sqlite3_stmt *s, int i, const struct load_window *w)
{
	const double v[] = { w ? w->from : 0, w ? w->to : 0, w ? w->span->first : 0,
			     w ? w->span->last : 0 };
	for (size_t k = 0; k < sizeof(v) / sizeof(*v); k++, i++)
		if (w && isfinite(v[k]))
			sqlite3_bind_double(s, i, v[k]);
		else
			sqlite3_bind_null(s, i);
}

static int write_load_info(struct ctx *c, const char *id, uint64_t size, int64_t mtime,
			   const struct load_result *res, struct ms_err *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(c->ls.db,
			       "INSERT INTO load_info(id, schema_version, memsnap_version, bundle_path, "
			       "bundle_size, bundle_mtime, bundle_hash, format, complete_samples, "
			       "truncated, corrupt, damage, clean_end, end_reason, rows, load_errors, "
			       "window_from, window_to, recording_first, recording_last, loaded_at) "
			       "VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
			       "strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
			       -1, &s, NULL) != SQLITE_OK)
		return ms_err_set(err, EIO, "%s", sqlite3_errmsg(c->ls.db));
	int i = 1;
	sqlite3_bind_int(s, i++, MS_SCHEMA_VERSION);
	sqlite3_bind_text(s, i++, MEMSNAP_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, i++, c->o->name ? c->o->name : c->o->bundle, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, i++, (int64_t)size);
	sqlite3_bind_int64(s, i++, mtime);
	sqlite3_bind_text(s, i++, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, i++, c->format);
	sqlite3_bind_int64(s, i++, c->ls.samples);
	/* a read the window ended saw no damage, and the trailer is the one
	 * bundle_span() read */
	const char *end = c->stopped ? c->window->span->end_reason : c->end_reason;
	sqlite3_bind_int(s, i++, res->truncated);
	sqlite3_bind_int(s, i++, res->corrupt);
	if (res->damage)
		sqlite3_bind_text(s, i, res->damage, -1, SQLITE_STATIC);
	else if (res->truncated)
		sqlite3_bind_text(s, i, load_no_trailer, -1, SQLITE_STATIC);
	i++;
	sqlite3_bind_int(s, i++, end != NULL);
	if (end)
		sqlite3_bind_text(s, i, end, -1, SQLITE_STATIC);
	i++;
	/* the rows, counted before this one: what the load reports */
	sqlite3_bind_int64(s, i++, (int64_t)c->ls.rows);
	sqlite3_bind_int64(s, i++, (int64_t)c->ls.errors);
	bind_window(s, i, c->window);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return ms_err_set(err, EIO, "%s", sqlite3_errmsg(c->ls.db));
	return 0;
}

void load_state_release(struct load_state *ls)
{
	load_finalize(ls);
	free(ls->cg_v1);
	free(ls->cg_v2);
	load_proc_release(ls);
	load_cgroup_release(ls);
	ms_buf_release(&ls->path);
	ms_buf_release(&ls->tmp);
}

/* A fresh private file at TMP (the lock is held: no one else uses TMP;
 * a crashed load's is removed), opened by SQLite */
static int open_tmp(struct ctx *c, const char *tmp, struct ms_err *err)
{
	unlink(tmp);
	int fd = private_create(AT_FDCWD, tmp);
	if (fd < 0)
		return ms_err_set(err, errno, "'%s': %s", tmp, strerror(errno));
	close(fd);
	/* NOMUTEX: one thread uses the connection, so SQLite need not lock it
	 * on every bind and step (5 % of a load's instructions) */
	if (sqlite3_open_v2(tmp, &c->ls.db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK)
		return ms_err_set(err, EIO, "'%s': %s", tmp, sqlite3_errmsg(c->ls.db));
	return 0;
}

/* One bundle of the recording into the open database; what its read
 * found goes into RES (the last part's end is the recording's; a damage
 * names its part when there are several) */
static int load_part(struct ctx *c, const char *path, struct load_result *res, struct ms_err *err)
{
	struct load_state *ls = &c->ls;
	struct bundle_read_result rr;
	memset(&rr, 0, sizeof(rr));
	c->part++;
	c->has_header = 0;
	free(c->end_reason);
	c->end_reason = NULL;
	c->offset = c->max_num;
	rec_load_part_begin(&c->rl, c->part, path);
	int rc = bundle_read(path, &c->o->limits, on_member, c, &rr, err);
	if (rc >= 0 && !c->has_header)
		rc = ms_err_set(err, EINVAL, "no '%s' member: not a memsnap bundle", MS_MEMBER_HEADER);
	if (rc < 0) {
		if (c->o->nparts > 1)
			ms_err_prefix(err, "'%s'", path);
		bundle_read_result_release(&rr);
		return -1;
	}
	/* a part that ends inside a sample (a crash): that sample's rows go
	 * (quietly: a crash does that) before the next part numbers on */
	if (c->window)
		lw_drop_held(&c->win);
	if (load_proc_flush(ls, err) < 0 ||
	    (ls->sample > ls->max_complete && load_drop_sample(ls, ls->sample, err) < 0) ||
	    rec_load_part_end(&c->rl, ls, &rr, c->end_reason, c->o->nparts > 1, err) < 0) {
		bundle_read_result_release(&rr);
		return -1;
	}
	ls->sample = 0;
	res->truncated = !c->stopped && (rr.truncated || (!rr.damage && !c->end_reason));
	res->corrupt |= rr.corrupt;
	rc = 0;
	if (rr.damage && !res->damage) {
		size_t n = strlen(path) + strlen(rr.damage) + 8;
		if ((res->damage = malloc(n)))
			snprintf(res->damage, n, c->o->nparts > 1 ? "'%s': %s" : "%.0s%s", path, rr.damage);
		else
			rc = ms_err_set(err, ENOMEM, "out of memory");
	}
	bundle_read_result_release(&rr);
	struct stat st;
	if (stat(path, &st) == 0)
		c->done += (uint64_t)st.st_size;
	return rc;
}

/* A fresh database at TMP, with the schema and statements, in a transaction */
static int start_db(struct ctx *c, const char *tmp, struct ms_err *err)
{
	if (ms_buf_init(&c->ls.path, 256) < 0 || ms_buf_init(&c->ls.tmp, 256) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	if (open_tmp(c, tmp, err) < 0)
		return -1;
	/* a fresh file that is renamed into place only when complete: no
	 * journal is needed, and nothing is synced until the end */
	if (db_exec(c->ls.db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
			      "PRAGMA locking_mode=EXCLUSIVE; PRAGMA temp_store=MEMORY; "
			      "PRAGMA cache_size=-65536; PRAGMA foreign_keys=OFF",
		    "pragmas", err) < 0 ||
	    db_create_schema(c->ls.db, err) < 0 || load_prepare(&c->ls, err) < 0 ||
	    load_kinds_prepare(&c->ls, err) < 0 || db_exec(c->ls.db, "BEGIN", "begin", err) < 0)
		return -1;
	load_proc_init(&c->ls);
	return 0;
}

/* The parts read: the rows of incomplete samples gone, what is derived,
 * load_info, and the database closed and put in place */
static int end_db(struct ctx *c, const char *tmp, const char *id, uint64_t size, int64_t mtime,
		  struct load_result *res, struct ms_err *err)
{
	if (finish(c, err) < 0 || load_containers(c->ls.db, err) < 0)
		return -1;
	if (c->window && !c->ls.samples)
		return ms_err_set(err, ENODATA, "the window holds no complete sample");
	if (write_load_info(c, id, size, mtime, res, err) < 0 ||
	    db_exec(c->ls.db, "COMMIT", "commit", err) < 0)
		return -1;
	load_finalize(&c->ls);
	int rc = sqlite3_close(c->ls.db);
	c->ls.db = NULL;
	if (rc != SQLITE_OK)
		return ms_err_set(err, EIO, "closing '%s'", tmp);
	return private_commit(tmp, res->db_path, err);
}

int loader_load(const struct load_opts *o, struct load_result *res, struct ms_err *err)
{
	memset(res, 0, sizeof(*res));
	const char *one[1] = { o->bundle };
	struct load_opts lo = *o;
	if (!lo.parts) {
		lo.parts = one;
		lo.nparts = 1;
	}
	char id[96];
	uint64_t size;
	int64_t mtime;
	if ((lo.nparts == 1 ? bundle_identity(lo.parts[0], &size, &mtime, id, sizeof(id), err)
			    : parts_identity(&lo, &size, &mtime, id, sizeof(id), err)) < 0)
		return -1;
	int lock;
	int placed = load_place(&lo, id, res, &lock, err);
	if (placed <= 0)
		return placed;
	size_t tl = strlen(res->db_path) + 8;
	char *tmp = malloc(tl);
	if (!tmp) {
		load_unlock(res, lock);
		return ms_err_set(err, ENOMEM, "out of memory");
	}
	snprintf(tmp, tl, "%s.tmp", res->db_path);
	struct ctx c;
	memset(&c, 0, sizeof(c));
	c.o = &lo;
	c.bundle_size = size;
	c.ls.page_size = 4096;
	c.ls.hash_seed = ms_hash_seed();
	c.window = o->window;
	if (c.window) {
		lw_init(&c.win, c.window->from, c.window->to, ms_hash_seed());
		c.ls.seed = lw_seed;
		c.ls.seed_ctx = &c.win;
	}
	int rc = start_db(&c, tmp, err);
	for (size_t i = 0; rc == 0 && i < lo.nparts && !c.stopped; i++)
		rc = load_part(&c, lo.parts[i], res, err);
	if (rc == 0)
		rc = end_db(&c, tmp, id, size, mtime, res, err);
	if (rc == 0) {
		res->samples = c.ls.samples;
		res->before = c.win.before;
		res->load_errors = c.ls.errors;
		res->rows = c.ls.rows;
	}
	if (c.ls.db) {
		load_finalize(&c.ls);
		sqlite3_close(c.ls.db);
		unlink(tmp);
	}
	load_state_release(&c.ls);
	rec_load_release(&c.rl);
	free(c.end_reason);
	host_facts_release(&c.host);
	lw_release(&c.win);
	free(tmp);
	load_unlock(res, lock);
	return rc;
}

void load_result_release(struct load_result *res)
{
	free(res->db_path);
	free(res->damage);
	memset(res, 0, sizeof(*res));
}
