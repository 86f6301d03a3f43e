/*
 * sqlfloor.c - the insert floor of `memsnap load`: insert the rows a load
 * produced into a fresh SQLite database as fast as SQLite can, with no
 * parsing.
 *
 *   sqlfloor dump LOADED.db ROWS     read every row of every table of a
 *                                    database `memsnap load` wrote, into a
 *                                    flat file (not timed)
 *   sqlfloor insert [-k] [-u] [-t] [-b] [-m] [-c KIB] ROWS OUT.db
 *                                    create the same schema (the loaded
 *                                    database's own CREATE statements:
 *                                    tables, keys, indexes, views) and
 *                                    insert the same rows, in the order the
 *                                    loader inserts them (sample by sample;
 *                                    in a sample, table after table, the
 *                                    sample row last); -k: the same tables
 *                                    with no key, constraint or index (the
 *                                    cheapest table shape for these rows)
 *
 * Diagnostics (not part of the floor): -t binds every text value
 * SQLITE_TRANSIENT (a copy), as the loader did up to 19a6f8b (it now
 * copies only the text of its small tables).  What the loader did before
 * 51a3ff9: -u also runs, after every proc_sample row, "UPDATE
 * process SET last_sample = ?, uid = coalesce(?, uid) WHERE id = ?"; -b
 * calls sqlite3_clear_bindings() after every reset.  -m opens the
 * database with SQLITE_OPEN_NOMUTEX (no connection mutex), which neither
 * the floor nor the loader does.
 *
 * Insert settings, the best SQLite offers for a bulk load and the ones the
 * loader uses: one transaction; one prepared statement per table, reused
 * (bind, step, reset); journal_mode=OFF, synchronous=OFF,
 * locking_mode=EXCLUSIVE, temp_store=MEMORY, cache_size=-65536 (64 MiB,
 * the loader's; -c changes it); text bound SQLITE_STATIC from the mapped
 * row file.  Column values are as stored (integers, reals, text).
 *
 * Row file: "MSFLOOR1", u32 nsql, nsql x (u32 len, CREATE ... text),
 * u32 ntables, per table (u32 len, name, u32 ncols, ncols x (u32 len,
 * column name, u32 len, declared type), u64 rows), then rows: u32 table
 * index, ncols values, each a type byte (0 NULL, 1 int64, 2 double,
 * 3 text u32 len + bytes, 4 blob u32 len + bytes).
 *
 * Build (see bench/load-throughput): gcc -O2 bench/sqlfloor.c -lsqlite3
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "sqlfloor: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		die("%s: %s", sql, msg ? msg : sqlite3_errmsg(db));
}

/* ---- dump ---- */

static FILE *out;
static void w32(uint32_t v) { fwrite(&v, 4, 1, out); }
static void w64(uint64_t v) { fwrite(&v, 8, 1, out); }
static void wstr(const char *s, size_t n)
{
	w32((uint32_t)n);
	fwrite(s, 1, n, out);
}

struct dtable {
	char *name;
	int ncols;
	char **cols, **types;
	char *sample_col;   /* column giving the sample a row belongs to, or NULL */
	uint64_t rows;
	sqlite3_stmt *cur;
	int has_row;
	int64_t row_sample; /* of the current row; INT64_MIN when NULL */
};

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (!p)
		die("out of memory");
	return p;
}

static int step_table(struct dtable *t)
{
	int rc = sqlite3_step(t->cur);
	if (rc == SQLITE_DONE) {
		t->has_row = 0;
		return 0;
	}
	if (rc != SQLITE_ROW)
		die("%s: %s", t->name, sqlite3_errmsg(sqlite3_db_handle(t->cur)));
	t->has_row = 1;
	t->row_sample = INT64_MIN;
	if (t->sample_col && sqlite3_column_type(t->cur, t->ncols) != SQLITE_NULL)
		t->row_sample = sqlite3_column_int64(t->cur, t->ncols);
	return 1;
}

static void write_row(struct dtable *t, uint32_t ti)
{
	w32(ti);
	for (int i = 0; i < t->ncols; i++) {
		int type = sqlite3_column_type(t->cur, i);
		unsigned char b;
		switch (type) {
		case SQLITE_INTEGER: {
			b = 1;
			fwrite(&b, 1, 1, out);
			int64_t v = sqlite3_column_int64(t->cur, i);
			fwrite(&v, 8, 1, out);
			break;
		}
		case SQLITE_FLOAT: {
			b = 2;
			fwrite(&b, 1, 1, out);
			double v = sqlite3_column_double(t->cur, i);
			fwrite(&v, 8, 1, out);
			break;
		}
		case SQLITE_TEXT:
		case SQLITE_BLOB: {
			b = type == SQLITE_TEXT ? 3 : 4;
			fwrite(&b, 1, 1, out);
			const void *p = type == SQLITE_TEXT ? (const void *)sqlite3_column_text(t->cur, i)
							    : sqlite3_column_blob(t->cur, i);
			wstr(p, (size_t)sqlite3_column_bytes(t->cur, i));
			break;
		}
		default:
			b = 0;
			fwrite(&b, 1, 1, out);
		}
	}
}

static int dump(const char *src, const char *dst)
{
	sqlite3 *db;
	if (sqlite3_open_v2(src, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("%s: %s", src, sqlite3_errmsg(db));
	exec(db, "PRAGMA cache_size=-262144");
	out = fopen(dst, "wb");
	if (!out)
		die("%s: %s", dst, strerror(errno));
	static char obuf[1 << 20];
	setvbuf(out, obuf, _IOFBF, sizeof(obuf));
	fwrite("MSFLOOR1", 1, 8, out);
	/* schema, in creation order (rowid order of sqlite_master) */
	sqlite3_stmt *s;
	const char *q = "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
			"AND name NOT LIKE 'sqlite_%' ORDER BY rowid";
	if (sqlite3_prepare_v2(db, q, -1, &s, NULL) != SQLITE_OK)
		die("%s", sqlite3_errmsg(db));
	char **sql = NULL;
	struct dtable *tab = NULL;
	uint32_t nsql = 0, ntab = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		sql = realloc(sql, (nsql + 1) * sizeof(*sql));
		sql[nsql++] = xstrdup((const char *)sqlite3_column_text(s, 2));
		if (!strcmp((const char *)sqlite3_column_text(s, 0), "table")) {
			tab = realloc(tab, (ntab + 1) * sizeof(*tab));
			memset(&tab[ntab], 0, sizeof(*tab));
			tab[ntab++].name = xstrdup((const char *)sqlite3_column_text(s, 1));
		}
	}
	sqlite3_finalize(s);
	w32(nsql);
	for (uint32_t i = 0; i < nsql; i++)
		wstr(sql[i], strlen(sql[i]));
	/* the sample row goes last in its sample, as the loader writes it at
	 * the meta; everything else in schema order */
	for (uint32_t i = 0; i + 1 < ntab; i++)
		if (!strcmp(tab[i].name, "sample")) {
			struct dtable t = tab[i];
			memmove(&tab[i], &tab[i + 1], (ntab - i - 1) * sizeof(*tab));
			tab[ntab - 1] = t;
			break;
		}
	uint64_t total = 0;
	w32(ntab);
	for (uint32_t i = 0; i < ntab; i++) {
		struct dtable *t = &tab[i];
		char buf[512];
		snprintf(buf, sizeof(buf), "PRAGMA table_info(\"%s\")", t->name);
		if (sqlite3_prepare_v2(db, buf, -1, &s, NULL) != SQLITE_OK)
			die("%s", sqlite3_errmsg(db));
		while (sqlite3_step(s) == SQLITE_ROW) {
			t->cols = realloc(t->cols, (size_t)(t->ncols + 1) * sizeof(char *));
			t->types = realloc(t->types, (size_t)(t->ncols + 1) * sizeof(char *));
			t->cols[t->ncols] = xstrdup((const char *)sqlite3_column_text(s, 1));
			t->types[t->ncols] = xstrdup((const char *)sqlite3_column_text(s, 2));
			const char *c = t->cols[t->ncols];
			if (!strcmp(c, "sample") || (!t->sample_col && !strcmp(c, "first_sample")) ||
			    (!strcmp(t->name, "sample") && !strcmp(c, "id")))
				t->sample_col = t->cols[t->ncols];
			t->ncols++;
		}
		sqlite3_finalize(s);
		snprintf(buf, sizeof(buf), "SELECT count(*) FROM \"%s\"", t->name);
		if (sqlite3_prepare_v2(db, buf, -1, &s, NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW)
			die("%s", sqlite3_errmsg(db));
		t->rows = (uint64_t)sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
		total += t->rows;
		wstr(t->name, strlen(t->name));
		w32((uint32_t)t->ncols);
		for (int c = 0; c < t->ncols; c++) {
			wstr(t->cols[c], strlen(t->cols[c]));
			wstr(t->types[c], strlen(t->types[c]));
		}
		w64(t->rows);
		/* cursor: every column, then the sample column; in sample order,
		 * then in the table's key order (rowid: insertion order) */
		size_t n = 0;
		char *sel = malloc(65536);
		n += (size_t)snprintf(sel + n, 65536 - n, "SELECT ");
		for (int c = 0; c < t->ncols; c++)
			n += (size_t)snprintf(sel + n, 65536 - n, "%s\"%s\"", c ? ", " : "", t->cols[c]);
		if (t->sample_col)
			n += (size_t)snprintf(sel + n, 65536 - n, ", \"%s\" FROM \"%s\" ORDER BY \"%s\"",
					      t->sample_col, t->name, t->sample_col);
		else
			n += (size_t)snprintf(sel + n, 65536 - n, " FROM \"%s\"", t->name);
		if (sqlite3_prepare_v2(db, sel, -1, &t->cur, NULL) != SQLITE_OK)
			die("%s: %s", sel, sqlite3_errmsg(db));
		free(sel);
		step_table(t);
	}
	/* rows without a sample first (header, cgroup ...), then sample by
	 * sample */
	for (uint32_t i = 0; i < ntab; i++)
		if (!tab[i].sample_col)
			while (tab[i].has_row) {
				write_row(&tab[i], i);
				step_table(&tab[i]);
			}
	for (;;) {
		int64_t next = INT64_MAX;
		for (uint32_t i = 0; i < ntab; i++)
			if (tab[i].has_row && tab[i].row_sample < next)
				next = tab[i].row_sample;
		if (next == INT64_MAX)
			break;
		for (uint32_t i = 0; i < ntab; i++)
			while (tab[i].has_row && tab[i].row_sample <= next) {
				write_row(&tab[i], i);
				step_table(&tab[i]);
			}
	}
	if (fclose(out) != 0)
		die("%s: write error", dst);
	for (uint32_t i = 0; i < ntab; i++)
		sqlite3_finalize(tab[i].cur);
	sqlite3_close(db);
	printf("tables %u rows %" PRIu64 "\n", ntab, total);
	for (uint32_t i = 0; i < ntab; i++)
		printf("  %-16s %" PRIu64 "\n", tab[i].name, tab[i].rows);
	return 0;
}

/* ---- insert ---- */

struct rd {
	const unsigned char *p, *end;
};

static uint32_t r32(struct rd *r)
{
	uint32_t v;
	if (r->p + 4 > r->end)
		die("row file: truncated");
	memcpy(&v, r->p, 4);
	r->p += 4;
	return v;
}

static uint64_t r64(struct rd *r)
{
	uint64_t v;
	if (r->p + 8 > r->end)
		die("row file: truncated");
	memcpy(&v, r->p, 8);
	r->p += 8;
	return v;
}

static const char *rstr(struct rd *r, uint32_t *len)
{
	*len = r32(r);
	if (r->p + *len > r->end)
		die("row file: truncated");
	const char *s = (const char *)r->p;
	r->p += *len;
	return s;
}

struct itable {
	char name[256];
	int ncols;
	uint64_t rows;
	sqlite3_stmt *ins;
};

struct insert_opts {
	int nokeys, upd, transient, clear, nomutex;
	long cache_kib;
};

static int insert(const char *rows, const char *dst, const struct insert_opts *o)
{
	int nokeys = o->nokeys, upd = o->upd, transient = o->transient;
	double t0 = now();
	int fd = open(rows, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		die("%s: %s", rows, strerror(errno));
	const unsigned char *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	madvise((void *)map, (size_t)st.st_size, MADV_SEQUENTIAL);
	struct rd r = { map, map + st.st_size };
	if (st.st_size < 8 || memcmp(map, "MSFLOOR1", 8))
		die("%s: not a row file", rows);
	r.p += 8;

	unlink(dst);
	sqlite3 *db;
	if (sqlite3_open_v2(dst, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				     (o->nomutex ? SQLITE_OPEN_NOMUTEX : 0), NULL) != SQLITE_OK)
		die("%s: %s", dst, sqlite3_errmsg(db));
	char pragmas[256];
	snprintf(pragmas, sizeof(pragmas),
		 "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE; "
		 "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-%ld; PRAGMA foreign_keys=OFF",
		 o->cache_kib);
	exec(db, pragmas);
	uint32_t nsql = r32(&r);
	char *buf = malloc(1 << 20);
	for (uint32_t i = 0; i < nsql; i++) {
		uint32_t n;
		const char *s = rstr(&r, &n);
		if (!nokeys) {
			snprintf(buf, 1 << 20, "%.*s", (int)n, s);
			exec(db, buf);
		}
	}
	uint32_t ntab = r32(&r);
	struct itable *tab = calloc(ntab, sizeof(*tab));
	uint64_t total = 0;
	for (uint32_t i = 0; i < ntab; i++) {
		struct itable *t = &tab[i];
		uint32_t n;
		const char *s = rstr(&r, &n);
		snprintf(t->name, sizeof(t->name), "%.*s", (int)n, s);
		t->ncols = (int)r32(&r);
		size_t cl = 0, il = 0;
		char *create = malloc(65536), *ins = malloc(65536);
		cl += (size_t)snprintf(create + cl, 65536 - cl, "CREATE TABLE \"%s\" (", t->name);
		il += (size_t)snprintf(ins + il, 65536 - il, "INSERT INTO \"%s\" (", t->name);
		for (int c = 0; c < t->ncols; c++) {
			uint32_t nl, tl;
			const char *cn = rstr(&r, &nl);
			const char *ct = rstr(&r, &tl);
			cl += (size_t)snprintf(create + cl, 65536 - cl, "%s\"%.*s\" %.*s", c ? ", " : "",
					       (int)nl, cn, (int)tl, ct);
			il += (size_t)snprintf(ins + il, 65536 - il, "%s\"%.*s\"", c ? ", " : "", (int)nl, cn);
		}
		snprintf(create + cl, 65536 - cl, ")");
		il += (size_t)snprintf(ins + il, 65536 - il, ") VALUES (");
		for (int c = 0; c < t->ncols; c++)
			il += (size_t)snprintf(ins + il, 65536 - il, "%s?", c ? "," : "");
		snprintf(ins + il, 65536 - il, ")");
		t->rows = r64(&r);
		total += t->rows;
		if (nokeys)
			exec(db, create);
		if (sqlite3_prepare_v3(db, ins, -1, SQLITE_PREPARE_PERSISTENT, &t->ins, NULL) != SQLITE_OK)
			die("%s: %s", ins, sqlite3_errmsg(db));
		free(create);
		free(ins);
	}
	sqlite3_stmt *ust = NULL;
	int ps_tab = -1, ps_pid = -1, ps_sample = -1;
	if (upd) {
		if (sqlite3_prepare_v3(db, "UPDATE process SET last_sample = ?2, uid = coalesce(?3, uid) "
				       "WHERE id = ?1", -1, SQLITE_PREPARE_PERSISTENT, &ust, NULL) != SQLITE_OK)
			die("update: %s", sqlite3_errmsg(db));
		for (uint32_t i = 0; i < ntab; i++)
			if (!strcmp(tab[i].name, "proc_sample"))
				ps_tab = (int)i;
		/* the schema's proc_sample starts (process_id, sample, ...) */
		ps_pid = 0;
		ps_sample = 1;
		if (ps_tab >= 0) {
			const char *sql = sqlite3_sql(tab[ps_tab].ins);
			if (!strstr(sql, "(\"process_id\", \"sample\""))
				die("proc_sample does not start with (process_id, sample): %s", sql);
		}
	}
	void (*text_dtor)(void *) = transient ? SQLITE_TRANSIENT : SQLITE_STATIC;
	exec(db, "BEGIN");
	double t1 = now();
	uint64_t done = 0;
	while (r.p < r.end) {
		uint32_t ti = r32(&r);
		if (ti >= ntab)
			die("row file: bad table index %u", ti);
		struct itable *t = &tab[ti];
		int64_t ival[2] = { 0, 0 };
		for (int c = 0; c < t->ncols; c++) {
			if (r.p >= r.end)
				die("row file: truncated");
			unsigned char type = *r.p++;
			switch (type) {
			case 0:
				sqlite3_bind_null(t->ins, c + 1);
				break;
			case 1: {
				int64_t v = (int64_t)r64(&r);
				if (c < 2)
					ival[c] = v;
				sqlite3_bind_int64(t->ins, c + 1, v);
				break;
			}
			case 2: {
				uint64_t u = r64(&r);
				double d;
				memcpy(&d, &u, 8);
				sqlite3_bind_double(t->ins, c + 1, d);
				break;
			}
			case 3:
			case 4: {
				uint32_t n;
				const char *s = rstr(&r, &n);
				if (type == 3)
					sqlite3_bind_text(t->ins, c + 1, s, (int)n, text_dtor);
				else
					sqlite3_bind_blob(t->ins, c + 1, s, (int)n, text_dtor);
				break;
			}
			default:
				die("row file: bad value type %u", type);
			}
		}
		if (sqlite3_step(t->ins) != SQLITE_DONE)
			die("%s: %s", t->name, sqlite3_errmsg(db));
		sqlite3_reset(t->ins);
		if (o->clear)
			sqlite3_clear_bindings(t->ins);
		done++;
		if (ust && (int)ti == ps_tab) {
			sqlite3_bind_int64(ust, 1, ival[ps_pid]);
			sqlite3_bind_int64(ust, 2, ival[ps_sample]);
			sqlite3_bind_int64(ust, 3, 0);
			if (sqlite3_step(ust) != SQLITE_DONE)
				die("update: %s", sqlite3_errmsg(db));
			sqlite3_reset(ust);
			if (o->clear)
				sqlite3_clear_bindings(ust);
		}
	}
	exec(db, "COMMIT");
	sqlite3_finalize(ust);
	for (uint32_t i = 0; i < ntab; i++)
		sqlite3_finalize(tab[i].ins);
	if (sqlite3_close(db) != SQLITE_OK)
		die("close: %s", sqlite3_errmsg(db));
	double t2 = now();
	if (done != total)
		die("inserted %" PRIu64 " rows, the header says %" PRIu64, done, total);
	printf("rows %" PRIu64 " tables %u keys %s%s%s%s%s insert_seconds %.3f total_seconds %.3f "
	       "rows_per_second %.0f\n",
	       done, ntab, nokeys ? "none" : "schema", upd ? " +update" : "",
	       transient ? " +transient" : "", o->clear ? " +clear_bindings" : "",
	       o->nomutex ? " +nomutex" : "", t2 - t1, t2 - t0, (double)done / (t2 - t1));
	munmap((void *)map, (size_t)st.st_size);
	close(fd);
	free(buf);
	free(tab);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "dump"))
		return dump(argv[2], argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "insert")) {
		struct insert_opts o = { 0, 0, 0, 0, 0, 65536 };
		int i = 2;
		for (; i < argc - 2; i++) {
			if (!strcmp(argv[i], "-k"))
				o.nokeys = 1;
			else if (!strcmp(argv[i], "-u"))
				o.upd = 1;
			else if (!strcmp(argv[i], "-t"))
				o.transient = 1;
			else if (!strcmp(argv[i], "-b"))
				o.clear = 1;
			else if (!strcmp(argv[i], "-m"))
				o.nomutex = 1;
			else if (!strcmp(argv[i], "-c") && i + 1 < argc - 2)
				o.cache_kib = strtol(argv[++i], NULL, 10);
			else
				break;
		}
		if (i == argc - 2)
			return insert(argv[argc - 2], argv[argc - 1], &o);
	}
	fprintf(stderr, "usage: sqlfloor dump LOADED.db ROWS\n"
			"       sqlfloor insert [-k] [-u] [-t] [-b] [-m] [-c CACHE_KIB] ROWS OUT.db\n");
	return 2;
}
