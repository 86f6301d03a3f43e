/*
 * test_load_kinds.c - the loader's kinds table (analyze/load/load_kinds.c):
 * every path of every record in the recorded bundles (samples/bundles)
 * has a kind, every parser the table names exists, and paths are matched
 * to their place (PID, node, cgroup directory) the way the collector
 * writes them.  A kind the collector starts to write without a row in the
 * table fails kinds_cover_recorded_bundles with its path.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_reader.h"
#include "db.h"
#include "load_kinds.h"
#include "record.h"
#include "test.h"

/* $MEMSNAP_FIXTURES/../../REL, malloc'd */
static char *source_path(const char *rel)
{
	const char *fx = getenv("MEMSNAP_FIXTURES");
	REQUIRE(fx != NULL);
	size_t n = strlen(fx) + strlen(rel) + 8;
	char *p = malloc(n);
	REQUIRE(p != NULL);
	snprintf(p, n, "%s/../../%s", fx, rel);
	return p;
}

struct scan {
	char *cg[2];          /* the header's cgroup_v1_memory and cgroup_v2 */
	size_t records, unknown;
	size_t seen[64];      /* records per kind, in table order */
	struct ms_buf path;
};

/* The value of the header line "KEY VALUE", malloc'd, or NULL. */
static char *header_value(const struct bundle_member *m, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = m->data; p && p < m->data + m->len;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		if (n > kl && !memcmp(p, key, kl) && p[kl] == ' ')
			return strndup(p + kl + 1, n - kl - 1);
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

static void scan_records(struct scan *s, const struct bundle_member *m)
{
	size_t kn, pos = 0;
	const struct load_kind *kinds = load_kinds(&kn);
	struct ms_record r;
	struct ms_err e = MS_ERR_INIT;
	while (record_next(m->data, m->len, &pos, &r, m->name, &e) > 0) {
		if (!record_status_is(&r, "ok") && !record_status_is(&r, "trunc"))
			continue; /* a gap: read_gap, not a kind */
		REQUIRE(record_path(&r, &s->path) == 0);
		struct load_match lm;
		const struct load_kind *k =
			load_kind_match(s->path.data, s->path.len, s->cg[0], s->cg[1], &lm);
		s->records++;
		if (!k) {
			if (s->unknown++ < 10)
				CHECK_STR(s->path.data, "(a path the kinds table knows)");
			continue;
		}
		s->seen[k - kinds]++;
	}
	CHECK_STR(e.msg, NULL);
	ms_err_release(&e);
}

static int on_member(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	struct scan *s = ctx;
	(void)err;
	if (!strcmp(m->name, "memsnap.header")) {
		s->cg[0] = header_value(m, "cgroup_v1_memory");
		s->cg[1] = header_value(m, "cgroup_v2");
		return 0;
	}
	const char *slash = strchr(m->name, '/');
	if (slash && slash[1] == 't' && slash[2] >= '0' && slash[2] <= '9')
		scan_records(s, m);
	return 0;
}

TEST(kinds_cover_recorded_bundles)
{
	char *dir = source_path("samples/bundles");
	DIR *d = opendir(dir);
	REQUIRE(d != NULL);
	size_t kn, bundles = 0, records = 0, seen[64] = { 0 };
	const struct load_kind *kinds = load_kinds(&kn);
	REQUIRE(kn <= 64);
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n < 9 || strcmp(de->d_name + n - 8, ".tar.zst"))
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		struct scan s;
		memset(&s, 0, sizeof(s));
		REQUIRE(ms_buf_init(&s.path, 256) == 0);
		struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
		struct bundle_read_result rr;
		struct ms_err e = MS_ERR_INIT;
		if (!CHECK_EQ_I64(bundle_read(path, &lim, on_member, &s, &rr, &e), 0))
			fprintf(stderr, "  %s: %s\n", path, ms_err_msg(&e));
		if (!CHECK_EQ_U64(s.unknown, 0))
			fprintf(stderr, "  %s: %zu records of no kind\n", de->d_name, s.unknown);
		for (size_t i = 0; i < kn; i++)
			seen[i] += s.seen[i];
		records += s.records;
		bundles++;
		bundle_read_result_release(&rr);
		ms_err_release(&e);
		ms_buf_release(&s.path);
		free(s.cg[0]);
		free(s.cg[1]);
	}
	closedir(d);
	free(dir);
	CHECK(bundles >= 11);
	CHECK(records > 100000);
	/* the recordings hold v1 and v2 cgroups, two nodes and every tier:
	 * all kinds but those no recording has (v2's memory.swap.events is
	 * not collected; no recording has v1 cgroups on two nodes) */
	for (size_t i = 0; i < kn; i++) {
		int never = !strcmp(kinds[i].name, "memory.swap.events");
		if (!CHECK_EQ_I64(seen[i] == 0, never))
			fprintf(stderr, "  kind %s: %zu records\n", kinds[i].name, seen[i]);
	}
}

TEST(kinds_name_existing_parsers_and_tables)
{
	size_t kn;
	const struct load_kind *kinds = load_kinds(&kn);
	sqlite3 *db;
	struct ms_err e = MS_ERR_INIT;
	REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
	REQUIRE(db_create_schema(db, &e) == 0);
	CHECK(kn > 30);
	for (size_t i = 0; i < kn; i++) {
		const struct load_kind *k = &kinds[i];
		char *p = source_path(k->parser);
		if (!CHECK(access(p, R_OK) == 0))
			fprintf(stderr, "  kind %s: no parser %s\n", k->name, p);
		free(p);
		CHECK(k->load != NULL);
		/* its table exists; its own INSERT is into that table, which
		 * has rows per sample (what load_drop.c deletes by) */
		char *q = sqlite3_mprintf("SELECT sample FROM %s", k->table);
		sqlite3_stmt *st = NULL;
		int has_sample = sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK;
		sqlite3_finalize(st);
		sqlite3_free(q);
		q = sqlite3_mprintf("SELECT 1 FROM %s", k->table);
		if (!CHECK(sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK))
			fprintf(stderr, "  kind %s: no table %s\n", k->name, k->table);
		sqlite3_finalize(st);
		sqlite3_free(q);
		if (k->sql) {
			char into[64];
			snprintf(into, sizeof(into), " INTO %s(", k->table);
			if (!CHECK(strstr(k->sql, into) != NULL) || !CHECK(has_sample))
				fprintf(stderr, "  kind %s: %s\n", k->name, k->sql);
		}
		/* one row per place and name */
		for (size_t j = 0; j < i; j++)
			CHECK(kinds[j].where != k->where || strcmp(kinds[j].name, k->name));
	}
	sqlite3_close(db);
	ms_err_release(&e);
}

/* the kind of PATH, or "-" */
static const char *kind_of(const char *path, size_t len, struct load_match *m)
{
	const struct load_kind *k =
		load_kind_match(path, len, "/sys/fs/cgroup/memory", "/sys/fs/cgroup", m);
	return k ? k->name : "-";
}

#define KIND(path, m) kind_of((path), sizeof(path) - 1, (m))

TEST(kinds_match_places)
{
	struct load_match m;
	CHECK_STR(KIND("/proc/4242/stat", &m), "stat");
	CHECK_EQ_I64(m.pid, 4242);
	CHECK_EQ_I64(m.kind->where, LOAD_PROCESS);
	CHECK_STR(KIND("/proc/1/smaps_rollup", &m), "smaps_rollup");
	CHECK_STR(KIND("/proc/meminfo", &m), "meminfo");
	CHECK_EQ_I64(m.kind->where, LOAD_SYSTEM);
	CHECK_STR(KIND("/proc/pressure/memory", &m), "pressure/memory");
	CHECK_STR(KIND("/sys/devices/system/node/node1/numastat", &m), "numastat");
	CHECK_EQ_I64(m.node, 1);
	CHECK_STR(KIND("/sys/devices/system/node/node0/meminfo", &m), "meminfo");
	CHECK_EQ_I64(m.kind->where, LOAD_NODE);
	CHECK_EQ_I64(m.node, 0);
	/* v2 root, v2 child, v1 child: the directory and the mount */
	CHECK_STR(KIND("/sys/fs/cgroup/memory.stat", &m), "memory.stat");
	CHECK_EQ_I64(m.cgroup_version, 2);
	CHECK_EQ_U64(m.dir_len, 14);
	CHECK_EQ_U64(m.mount_len, 14);
	CHECK_STR(KIND("/sys/fs/cgroup/a/b/memory.max", &m), "memory.max");
	CHECK_EQ_U64(m.dir_len, strlen("/sys/fs/cgroup/a/b"));
	CHECK_STR(KIND("/sys/fs/cgroup/memory/x/memory.limit_in_bytes", &m),
		  "memory.limit_in_bytes");
	CHECK_EQ_I64(m.cgroup_version, 1);
	CHECK_EQ_U64(m.mount_len, strlen("/sys/fs/cgroup/memory"));
	CHECK_EQ_U64(m.dir_len, strlen("/sys/fs/cgroup/memory/x"));
}

TEST(kinds_refuse_other_paths)
{
	struct load_match m;
	CHECK_STR(KIND("/proc/4242/environ", &m), "-");    /* never collected */
	CHECK_STR(KIND("/proc/0/stat", &m), "-");
	CHECK_STR(KIND("/proc/0042/stat", &m), "-");
	CHECK_STR(KIND("/proc/self/stat", &m), "-");
	CHECK_STR(KIND("/proc/4242", &m), "-");            /* a process's gap */
	CHECK_STR(KIND("/proc/4242/task/1/stat", &m), "-");
	CHECK_STR(KIND("/proc/99999999999999999999/stat", &m), "-");
	CHECK_STR(KIND("/proc/stat", &m), "-");
	CHECK_STR(KIND("/sys/devices/system/node/node01/meminfo", &m), "-");
	CHECK_STR(KIND("/sys/devices/system/node/nodeX/meminfo", &m), "-");
	CHECK_STR(KIND("/sys/devices/system/node/node1/vmstat", &m), "-");
	CHECK_STR(KIND("/sys/fs/cgroupX/memory.stat", &m), "-");  /* not below the mount */
	CHECK_STR(KIND("/sys/fs/cgroup", &m), "-");               /* the mount itself */
	CHECK_STR(KIND("/sys/fs/cgroup/x/cgroup.procs", &m), "-");
	CHECK_STR(KIND("/elsewhere/memory.stat", &m), "-");
	/* a decoded path may hold a NUL (%00): the whole name must match */
	CHECK_STR(KIND("/proc/1/stat\0x", &m), "-");
	CHECK_STR(KIND("/proc/meminfo\0", &m), "-");
	/* no mounts in the header: no cgroup kind */
	CHECK(load_kind_match("/sys/fs/cgroup/memory.stat", 26, NULL, NULL, &m) == NULL);
	CHECK(load_kind_match("/sys/fs/cgroup/memory.stat", 26, "-", "", &m) == NULL);
}
