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
 * Errors: a record that does not parse becomes a load_error row and
 * loading goes on; only I/O, SQLite and memory failures stop a load.
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
#include "db.h"
#include "kv.h"
#include "load_container.h"
#include "load_recording.h"
#include "load_state.h"
#include "ms_buf.h"
#include "ms_hash.h"
#include "parse_num.h"
#include "record.h"
#include "recording_format.h"
#include "version.h"

char *loader_default_db(const char *bundle)
{
	size_t n = strlen(bundle);
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

/* 1 when DB exists and was loaded from a bundle with identity ID */
static int db_matches(const char *db_path, const char *id)
{
	sqlite3 *db;
	struct ms_err e = MS_ERR_INIT;
	if (access(db_path, F_OK) != 0 || db_open_readonly(db_path, &db, &e) < 0) {
		ms_err_release(&e);
		return 0;
	}
	sqlite3_stmt *s = NULL;
	int match = 0;
	if (sqlite3_prepare_v2(db, "SELECT bundle_hash, schema_version FROM load_info", -1, &s,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(s, 0);
		match = h && !strcmp(h, id) && sqlite3_column_int(s, 1) == MS_SCHEMA_VERSION;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (match && (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK ||
		      sqlite3_step(s) != SQLITE_ROW || sqlite3_column_int(s, 0) != db_schema_id()))
		match = 0; /* made by a build with another schema */
	sqlite3_finalize(s);
	sqlite3_close(db);
	return match;
}

static char *line_value(const char *text, size_t len, const char *key)
{
	size_t kl = strlen(key);
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > kl && !memcmp(p, key, kl) && p[kl] == ' ')
			return strndup(p + kl + 1, (size_t)(eol - p - kl - 1));
		p = eol + 1;
	}
	return NULL;
}

struct ctx {
	struct load_state ls;
	const struct load_opts *o;
	int has_header;
	long format;
	char *end_reason;
	uint64_t bundle_size;
	struct rec_load rl;          /* the parts of a recording, its triggers */
	unsigned part;               /* 1, 2 ... */
	unsigned offset;             /* the part's sample N is sample OFFSET + N here */
};

static int on_header(struct ctx *c, const struct bundle_member *m, struct ms_err *err)
{
	struct load_state *ls = &c->ls;
	c->has_header = 1;
	char *f = line_value(m->data, m->len, "format");
	/* digits only, from 1; more digits than 64 bits hold is newer still */
	uint64_t v = 0;
	const char *q = f;
	int digits = f && *f && strspn(f, "0123456789") == strlen(f);
	int big = digits && (ms_scan_u64(&q, f + strlen(f), &v) < 0 || v > MS_BUNDLE_FORMAT);
	if (!digits || (!big && v == 0)) {
		free(f);
		return ms_err_set(err, EINVAL, "%s: no valid 'format' line", m->name);
	}
	if (big) {
		ms_err_set(err, EINVAL,
			   "bundle format %s is newer than this memsnap reads (up to %d); use a newer memsnap",
			   f, MS_BUNDLE_FORMAT);
		free(f);
		return -1;
	}
	free(f);
	c->format = (long)v;
	rec_load_header(&c->rl, m->data, m->len);
	if (c->part > 1)
		return 0; /* one host: the first part's header stands for the recording */
	ls->cg_v1 = line_value(m->data, m->len, "cgroup_v1_memory");
	ls->cg_v2 = line_value(m->data, m->len, "cgroup_v2");
	const char *p = m->data, *e = m->data + m->len;
	while (p < e) {
		const char *eol = memchr(p, '\n', (size_t)(e - p));
		if (!eol)
			eol = e;
		const char *sp = memchr(p, ' ', (size_t)(eol - p));
		if (sp) {
			bind_text(ls->st[ST_HEADER], 1, p, (size_t)(sp - p));
			bind_text(ls->st[ST_HEADER], 2, sp + 1, (size_t)(eol - sp - 1));
			if (load_step(ls, ST_HEADER, err) < 0)
				return -1;
		}
		p = eol + 1;
	}
	return 0;
}

static int on_host(struct ctx *c, const struct bundle_member *m, unsigned sample,
		   struct ms_err *err)
{
	struct load_state *ls = &c->ls;
	size_t pos = 0;
	struct ms_record r;
	struct ms_err perr = MS_ERR_INIT;
	int rc;
	while ((rc = record_next(m->data, m->len, &pos, &r, m->name, &perr)) > 0) {
		if (record_path(&r, &ls->path) < 0)
			return ms_err_set(err, ENOMEM, "out of memory");
		sqlite3_stmt *s = ls->st[ST_HOST_FILE];
		bind_i64(s, 1, sample);
		bind_text(s, 2, ls->path.data, ls->path.len);
		bind_text(s, 3, r.status, r.status_len);
		bind_text(s, 4, r.data, r.len);
		if (load_step(ls, ST_HOST_FILE, err) < 0)
			return -1;
		if (ls->path.len == 14 && !memcmp(ls->path.data, "memsnap:system", 14)) {
			char *ps = line_value(r.data, r.len, "page_size");
			uint64_t v;
			struct ms_err ignored = MS_ERR_INIT;
			if (ps && ms_parse_u64(ps, 512, 1u << 30, &v, "page_size", &ignored) == 0)
				ls->page_size = (long)v;
			ms_err_release(&ignored);
			free(ps);
		}
	}
	if (rc < 0) {
		rc = load_error(ls, m->name, NULL, ms_err_msg(&perr), err);
		ms_err_release(&perr);
		return rc;
	}
	return 0;
}

/* The tables with a row per sample (the drop_incomplete list below has them too) */
static const char *const sample_tables[] = {
	"meminfo", "vmstat", "node_meminfo", "numastat", "buddyinfo", "zoneinfo", "swaps",
	"psi", "cgroup_value", "proc_sample", "proc_rollup", "mapping", "numa_mapping",
	"read_gap", "host_file", "trigger_event",
};

/* Sample N ended without a valid meta and a later sample follows (only a
 * hostile or damaged bundle does that), or a part of a recording ended
 * inside it (QUIET: a crash did that), or an earlier part covered its time
 * (QUIET): its rows go, so that every table holds complete samples only.
 * Its processes stay (later samples may have them too). */
static int drop_sample(struct ctx *c, const char *member, unsigned n, int quiet,
		       struct ms_err *err)
{
	struct load_state *ls = &c->ls;
	for (size_t i = 0; i < sizeof(sample_tables) / sizeof(*sample_tables); i++) {
		char sql[96];
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE sample = ?1", sample_tables[i]);
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(ls->db, sql, -1, &s, NULL) != SQLITE_OK)
			return ms_err_set(err, EIO, "%s", sqlite3_errmsg(ls->db));
		sqlite3_bind_int64(s, 1, n);
		int rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return ms_err_set(err, EIO, "%s", sqlite3_errmsg(ls->db));
	}
	if (quiet)
		return 0;
	char msg[96];
	snprintf(msg, sizeof(msg), "sample %u has no valid meta: its rows were dropped", n);
	return load_error(ls, member, NULL, msg, err);
}

/* KEY's value as a finite number (*OK cleared when absent, not a number,
 * or "nan", "inf", "1e999": a bundle's text) */
static double line_double(const char *t, size_t n, const char *key, int *ok)
{
	char *v = line_value(t, n, key);
	char *end = NULL;
	double d = v ? strtod(v, &end) : 0;
	if (!v || end == v || !isfinite(d)) {
		*ok = 0;
		d = 0;
	}
	free(v);
	return d;
}

static int64_t line_i64(const char *t, size_t n, const char *key)
{
	char *v = line_value(t, n, key);
	uint64_t x = 0;
	const char *p = v;
	int ok = v && ms_scan_u64(&p, v + strlen(v), &x) == 0 && x <= INT64_MAX;
	free(v);
	return ok ? (int64_t)x : -1;
}

static int on_meta(struct ctx *c, const struct bundle_member *m, unsigned sample,
		   struct ms_err *err)
{
	struct load_state *ls = &c->ls;
	const char *t = m->data;
	size_t n = m->len;
	int ok = 1;
	double wall = line_double(t, n, "wall", &ok), mono = line_double(t, n, "mono", &ok);
	if (!ok)
		return load_error(ls, m->name, NULL, "meta: no 'wall' or 'mono' time; sample not loaded",
				  err);
	if (load_proc_flush(ls, err) < 0)
		return -1;
	if (rec_load_sample(&c->rl, sample, wall)) {
		/* an earlier part covered this time: the sample is left out */
		if (sample > ls->max_complete)
			ls->max_complete = sample;
		return drop_sample(c, m->name, sample, 1, err);
	}
	int has_boot = 1, has_end = 1;
	double boot = line_double(t, n, "boot", &has_boot);
	double wall_end = line_double(t, n, "wall_end", &has_end);
	char *tiers = line_value(t, n, "tiers");
	sqlite3_stmt *s = ls->st[ST_SAMPLE];
	int i = 1;
	bind_i64(s, i++, sample);
	bind_double(s, i++, wall);
	bind_double(s, i++, mono);
	if (has_boot)
		bind_double(s, i++, boot);
	else
		bind_null(s, i++);
	if (has_end)
		bind_double(s, i++, wall_end);
	else
		bind_null(s, i++);
	bind_text(s, i++, tiers ? tiers : "0", tiers ? strlen(tiers) : 1);
	bind_i64(s, i++, tiers && strchr(tiers, '1') != NULL);
	bind_i64(s, i++, tiers && strchr(tiers, '2') != NULL);
	free(tiers);
	const char *keys[] = { "cpu_us", "wall_us", "late_us", "missed_ticks", "processes",
			       "cgroups", "read_bytes", "offset", "gaps" };
	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++)
		bind_i64_or_null(s, i++, line_i64(t, n, keys[k]), 1);
	if (load_step(ls, ST_SAMPLE, err) < 0)
		return -1;
	const char *p = t, *e = t + n;
	while (p < e) {
		const char *eol = memchr(p, '\n', (size_t)(e - p));
		if (!eol)
			eol = e;
		if (eol - p > 10 && !memcmp(p, "deferred ", 9) && p[9] >= '0' && p[9] <= '9') {
			bind_i64(ls->st[ST_DEFERRED], 1, sample);
			bind_i64(ls->st[ST_DEFERRED], 2, p[9] - '0');
			if (load_step(ls, ST_DEFERRED, err) < 0)
				return -1;
		}
		p = eol + 1;
	}
	ls->samples++;
	if (c->o->progress) {
		int64_t off = line_i64(t, n, "offset");
		if (off >= 0)
			c->o->progress(c->o->progress_ctx, (uint64_t)off, c->bundle_size);
	}
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
		if (!ok) {
			sqlite3_stmt *s = ls->st[ST_GAP];
			bind_i64(s, 1, ls->sample);
			bind_text(s, 2, path, ls->path.len);
			bind_text(s, 3, r.status, r.status_len);
			if (load_step(ls, ST_GAP, err) < 0)
				return -1;
			if (!record_status_is(&r, "trunc"))
				continue; /* nothing was read */
		}
		int64_t pid = -1;
		const char *file = NULL;
		if (!strncmp(path, "/proc/", 6) && path[6] >= '1' && path[6] <= '9') {
			const char *q = path + 6;
			uint64_t v;
			if (ms_scan_u64(&q, path + ls->path.len, &v) == 0 && *q == '/' && v <= INT64_MAX) {
				pid = (int64_t)v;
				file = q + 1;
			}
		}
		int lr = pid > 0 ? load_proc_record(ls, m->name, &r, pid, file, err)
				 : load_system_record(ls, m->name, &r, path, err);
		if (lr < 0)
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

static int on_member(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	struct ctx *c = ctx;
	struct load_state *ls = &c->ls;
	if (!strcmp(m->name, MS_MEMBER_HEADER))
		return c->has_header ? load_error(ls, m->name, NULL, "a second header; ignored", err)
				     : on_header(c, m, err);
	if (!c->has_header)
		return ms_err_set(err, EINVAL, "first member is '%s', not '%s': not a memsnap bundle",
				  m->name, MS_MEMBER_HEADER);
	if (!strcmp(m->name, MS_MEMBER_TRAILER)) {
		free(c->end_reason);
		c->end_reason = line_value(m->data, m->len, "end_reason");
		return 0;
	}
	const char *slash = strchr(m->name, '/');
	const char *p = m->name;
	uint64_t num;
	if (!slash || ms_scan_u64(&p, slash, &num) < 0 || p != slash || !num ||
	    num + c->offset > UINT32_MAX)
		return 0; /* a member a later format added: ignored */
	num += c->offset;
	const char *kind = slash + 1;
	if ((unsigned)num != ls->sample) {
		if (load_proc_flush(ls, err) < 0)
			return -1;
		if ((unsigned)num <= ls->max_complete)
			return load_error(ls, m->name, NULL,
					  "sample number goes backwards or repeats; member skipped", err);
		if (ls->sample > ls->max_complete && drop_sample(c, m->name, ls->sample, 0, err) < 0)
			return -1;
		load_proc_sample_start(ls, (unsigned)num);
	} else if ((unsigned)num <= ls->max_complete) {
		/* the same sample again right after its meta (a duplicated sample) */
		return load_error(ls, m->name, NULL,
				  "sample number goes backwards or repeats; member skipped", err);
	}
	if (!strcmp(kind, "meta"))
		return on_meta(c, m, (unsigned)num, err);
	if (!strcmp(kind, "host"))
		return on_host(c, m, (unsigned)num, err);
	if (kind[0] == 't' && kind[1] >= '0' && kind[1] <= '9')
		return on_records(c, m, err);
	if (!strcmp(kind, MS_KIND_TRIGGER))
		return rec_load_triggers(&c->rl, ls, m, (unsigned)num, err);
	return 0;
}

static const char *const drop_incomplete[] = {
	"DELETE FROM meminfo WHERE sample > ?1", "DELETE FROM vmstat WHERE sample > ?1",
	"DELETE FROM node_meminfo WHERE sample > ?1", "DELETE FROM numastat WHERE sample > ?1",
	"DELETE FROM buddyinfo WHERE sample > ?1", "DELETE FROM zoneinfo WHERE sample > ?1",
	"DELETE FROM swaps WHERE sample > ?1", "DELETE FROM psi WHERE sample > ?1",
	"DELETE FROM cgroup_value WHERE sample > ?1", "DELETE FROM proc_sample WHERE sample > ?1",
	"DELETE FROM proc_rollup WHERE sample > ?1", "DELETE FROM mapping WHERE sample > ?1",
	"DELETE FROM numa_mapping WHERE sample > ?1", "DELETE FROM read_gap WHERE sample > ?1",
	"DELETE FROM host_file WHERE sample > ?1", "DELETE FROM trigger_event WHERE sample > ?1",
	"DELETE FROM proc_cgroup WHERE first_sample > ?1",
	"UPDATE proc_cgroup SET last_sample = ?1 WHERE last_sample > ?1",
	"DELETE FROM process WHERE first_sample > ?1",
	"UPDATE process SET last_sample = ?1 WHERE last_sample > ?1",
	/* open memberships end where their process was last seen */
	("UPDATE proc_cgroup SET last_sample = (SELECT last_sample FROM process p "
	 "WHERE p.id = proc_cgroup.process_id) WHERE last_sample = -1"),
};

/* Rows of the sample in flight when the collector stopped (no meta)
 * are removed: every table holds complete samples only. */
static int finish(struct ctx *c, struct ms_err *err)
{
	struct load_state *ls = &c->ls;
	if (load_proc_flush(ls, err) < 0 || load_proc_finish(ls, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(drop_incomplete) / sizeof(*drop_incomplete); i++) {
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(ls->db, drop_incomplete[i], -1, &s, NULL) != SQLITE_OK)
			return ms_err_set(err, EIO, "%s", sqlite3_errmsg(ls->db));
		sqlite3_bind_int64(s, 1, ls->max_complete);
		int rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return ms_err_set(err, EIO, "%s", sqlite3_errmsg(ls->db));
	}
	return 0;
}

static int write_load_info(struct ctx *c, const char *id, uint64_t size, int64_t mtime,
			   const struct load_result *res, struct ms_err *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(c->ls.db,
			       "INSERT INTO load_info(id, schema_version, memsnap_version, bundle_path, "
			       "bundle_size, bundle_mtime, bundle_hash, format, complete_samples, "
			       "truncated, corrupt, damage, clean_end, end_reason, loaded_at) "
			       "VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
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
	sqlite3_bind_int(s, i++, res->truncated);
	sqlite3_bind_int(s, i++, res->corrupt);
	if (res->damage)
		sqlite3_bind_text(s, i, res->damage, -1, SQLITE_STATIC);
	else if (res->truncated)
		sqlite3_bind_text(s, i, "no trailer: the collector did not close the bundle", -1,
				  SQLITE_STATIC);
	i++;
	sqlite3_bind_int(s, i++, c->end_reason != NULL);
	if (c->end_reason)
		sqlite3_bind_text(s, i, c->end_reason, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return ms_err_set(err, EIO, "%s", sqlite3_errmsg(c->ls.db));
	return 0;
}

/* One bundle of the recording into the open database; what its read
 * found goes into RES (the last part's end is the recording's; a damage
 * names its part when there are several). */
static int load_part(struct ctx *c, const char *path, struct load_result *res, struct ms_err *err)
{
	struct load_state *ls = &c->ls;
	struct bundle_read_result rr;
	memset(&rr, 0, sizeof(rr));
	c->part++;
	c->has_header = 0;
	free(c->end_reason);
	c->end_reason = NULL;
	c->offset = ls->max_complete;
	rec_load_part_begin(&c->rl, c->part, path);
	int rc = bundle_read(path, &c->o->limits, on_member, c, &rr, err);
	if (rc == 0 && !c->has_header)
		rc = ms_err_set(err, EINVAL, "no '%s' member: not a memsnap bundle", MS_MEMBER_HEADER);
	if (rc < 0) {
		if (c->o->nparts > 1)
			ms_err_prefix(err, "'%s'", path);
		bundle_read_result_release(&rr);
		return -1;
	}
	/* a part that ends inside a sample (a crash): that sample's rows go
	 * before the next part numbers on */
	if (load_proc_flush(ls, err) < 0 ||
	    (ls->sample > ls->max_complete && drop_sample(c, path, ls->sample, 1, err) < 0) ||
	    rec_load_part_end(&c->rl, ls, &rr, c->end_reason, err) < 0) {
		bundle_read_result_release(&rr);
		return -1;
	}
	ls->sample = 0;
	res->truncated = rr.truncated || (!rr.damage && !c->end_reason);
	res->corrupt |= rr.corrupt;
	if (rr.damage && !res->damage) {
		size_t n = strlen(path) + strlen(rr.damage) + 8;
		if ((res->damage = malloc(n)))
			snprintf(res->damage, n, c->o->nparts > 1 ? "'%s': %s" : "%.0s%s", path, rr.damage);
	}
	bundle_read_result_release(&rr);
	return 0;
}

void load_state_release(struct load_state *ls)
{
	load_finalize(ls);
	free(ls->cg_v1);
	free(ls->cg_v2);
	free(ls->procs);
	free(ls->proc_slots);
	free(ls->pid_keys);
	free(ls->pid_vals);
	for (size_t i = 0; i < ls->cg_cap; i++)
		free(ls->cg_paths[i]);
	free(ls->cg_paths);
	free(ls->cg_ids);
	free(ls->row.cpus_allowed);
	free(ls->row.mems_allowed);
	ms_buf_release(&ls->path);
	ms_buf_release(&ls->tmp);
}

/* A fresh database at TMP, with the schema and statements, in a transaction */
static int open_tmp(struct ctx *c, const char *tmp, struct ms_err *err)
{
	if (sqlite3_open_v2(tmp, &c->ls.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK)
		return ms_err_set(err, EIO, "'%s': %s", tmp, sqlite3_errmsg(c->ls.db));
	/* a fresh file that is renamed into place only when complete: no
	 * journal is needed, and nothing is synced until the end */
	if (db_exec(c->ls.db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
			      "PRAGMA locking_mode=EXCLUSIVE; PRAGMA temp_store=MEMORY; "
			      "PRAGMA cache_size=-65536; PRAGMA foreign_keys=OFF",
		    "pragmas", err) < 0 ||
	    db_create_schema(c->ls.db, err) < 0 || load_prepare(&c->ls, err) < 0 ||
	    rec_load_prepare(&c->rl, c->ls.db, err) < 0 || db_exec(c->ls.db, "BEGIN", "begin", err) < 0)
		return -1;
	load_proc_init(&c->ls);
	return 0;
}

/* Close the database and put it in place */
static int close_tmp(struct ctx *c, const char *tmp, const char *db_path, struct ms_err *err)
{
	load_finalize(&c->ls);
	rec_load_finalize(&c->rl);
	int rc = sqlite3_close(c->ls.db);
	c->ls.db = NULL;
	if (rc != SQLITE_OK)
		return ms_err_set(err, EIO, "closing '%s'", tmp);
	if (rename(tmp, db_path) < 0)
		return ms_err_set(err, errno, "'%s': %s", db_path, strerror(errno));
	return 0;
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
	res->db_path = o->db_path ? strdup(o->db_path) : loader_default_db(o->bundle);
	if (!res->db_path)
		return ms_err_set(err, ENOMEM, "out of memory");
	char id[96];
	uint64_t size;
	int64_t mtime;
	if ((lo.nparts == 1 ? bundle_identity(lo.parts[0], &size, &mtime, id, sizeof(id), err)
			    : parts_identity(&lo, &size, &mtime, id, sizeof(id), err)) < 0)
		return -1;
	if (!o->force && db_matches(res->db_path, id)) {
		res->reused = 1;
		return 0;
	}
	size_t tl = strlen(res->db_path) + 8;
	char *tmp = malloc(tl);
	if (!tmp)
		return ms_err_set(err, ENOMEM, "out of memory");
	snprintf(tmp, tl, "%s.tmp", res->db_path);
	unlink(tmp);
	struct ctx c;
	memset(&c, 0, sizeof(c));
	c.o = &lo;
	c.bundle_size = size;
	c.ls.page_size = 4096;
	c.ls.hash_seed = ms_hash_seed();
	int rc = -1;
	if (ms_buf_init(&c.ls.path, 256) < 0 || ms_buf_init(&c.ls.tmp, 256) < 0) {
		ms_err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	if (open_tmp(&c, tmp, err) < 0)
		goto out;
	for (size_t i = 0; i < lo.nparts; i++)
		if (load_part(&c, lo.parts[i], res, err) < 0)
			goto out;
	if (finish(&c, err) < 0 || load_containers(c.ls.db, err) < 0 ||
	    write_load_info(&c, id, size, mtime, res, err) < 0 ||
	    db_exec(c.ls.db, "COMMIT", "commit", err) < 0 || close_tmp(&c, tmp, res->db_path, err) < 0)
		goto out;
	res->samples = c.ls.samples;
	res->load_errors = c.ls.errors;
	res->rows = c.ls.rows;
	rc = 0;
out:
	if (c.ls.db) {
		load_finalize(&c.ls);
		rec_load_finalize(&c.rl);
		sqlite3_close(c.ls.db);
		unlink(tmp);
	}
	load_state_release(&c.ls);
	free(c.end_reason);
	free(tmp);
	return rc;
}

void load_result_release(struct load_result *res)
{
	free(res->db_path);
	free(res->damage);
	memset(res, 0, sizeof(*res));
}
