/*
 * test_fleet.c - many hosts: inputs grouped by host (common/host_group.c)
 * on the recorded sample bundles, findings grouped across hosts and the
 * entity identity (analyze/rule/fleet.c), the fleet database
 * (analyze/load/fleet_db.c) against the single-host databases it copies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "fleet.h"
#include "fleet_db.h"
#include "host_group.h"
#include "loader.h"
#include "rule_run.h"
#include "test.h"

static char *bundle(const char *name)
{
	char rel[128];
	snprintf(rel, sizeof(rel), "samples/bundles/%s.tar.zst", name);
	return test_source_path(rel);
}

/* leak and swap were recorded in one boot of the host "vm"; frag-lowmem and
 * frag-oom in one boot of a host named "(none)"; frag and numa-remote each
 * in a boot of another "(none)" host. */
TEST(groups_by_host_and_boot)
{
	char *in[] = { bundle("leak"), bundle("frag"), bundle("swap"), bundle("frag-lowmem"),
		       bundle("numa-remote"), bundle("frag-oom"), "/nonexistent.tar.zst" };
	struct host_groups hg;
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(host_groups_open(&hg, (const char *const *)in, 7, &err) == 0);
	if (CHECK_EQ_U64(hg.n, 5)) {
		CHECK_STR(hg.g[0].label, "vm");
		CHECK_EQ_U64(hg.g[0].n, 2);
		CHECK_STR(hg.g[0].paths[1], in[2]);
		CHECK_STR(hg.g[0].boot_id, "62d93b51-e860-481c-8d31-9f1a74bef86d");
		CHECK_STR(hg.g[1].label, "(none)/caadaa11");
		CHECK_EQ_U64(hg.g[1].n, 1);
		CHECK_STR(hg.g[2].label, "(none)/9ecee2a4");
		CHECK_EQ_U64(hg.g[2].n, 2);
		CHECK_STR(hg.g[2].paths[1], in[5]);
		CHECK_STR(hg.g[3].label, "(none)/d7e714eb");
		CHECK_STR(hg.g[3].hostname, "(none)");
		CHECK(hg.g[4].error != NULL && !strncmp(hg.g[4].error, "/nonexistent.tar.zst: ", 22));
		CHECK_STR(hg.g[4].label, "/nonexistent.tar.zst");
		CHECK(hg.g[0].error == NULL && hg.g[3].error == NULL);
	}
	host_groups_release(&hg);
	ms_err_release(&err);
	for (int i = 0; i < 6; i++)
		free(in[i]);
}

/* A directory of bundles: every *.tar.zst in it, by host. */
TEST(groups_a_directory)
{
	char *dir = test_source_path("samples/bundles");
	struct host_groups hg;
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(host_groups_open(&hg, (const char *const *)&dir, 1, &err) == 0);
	size_t bundles = 0;
	for (size_t i = 0; i < hg.n; i++)
		bundles += hg.g[i].n;
	/* oom.tar.zst was recorded in another boot of "vm" */
	CHECK_EQ_U64(hg.n, 7);
	CHECK_EQ_U64(bundles, 11);
	if (hg.n == 7) {
		CHECK_STR(hg.g[0].label, "(none)/fc3f6612"); /* frag-cgroup2: the first by name */
		CHECK_STR(hg.g[3].label, "vm/62d93b51");      /* leak, then slab, swap, thrash */
		CHECK_EQ_U64(hg.g[3].n, 4);
		CHECK_STR(hg.g[6].label, "vm/cb1a02f2");      /* oom */
	}
	host_groups_release(&hg);
	/* a directory without a bundle is an error naming it */
	char *none = test_source_path("tests/fixtures");
	CHECK(host_groups_open(&hg, (const char *const *)&none, 1, &err) < 0);
	CHECK(strstr(ms_err_msg(&err), "no bundle in it") != NULL);
	host_groups_release(&hg);
	ms_err_release(&err);
	free(dir);
	free(none);
}

static struct finding mk(struct rule *r, const char *kind, const char *entity, enum rule_severity s, double t)
{
	struct finding f;
	memset(&f, 0, sizeof(f));
	f.rule = r;
	f.severity = s;
	f.entity_kind = (char *)kind;
	f.entity = (char *)entity;
	f.t_start = t;
	f.t_end = t + 60;
	return f;
}

static void check_identity(const char *kind, const char *entity, const char *want)
{
	struct rule r = { 0 };
	r.id = "x/y";
	struct finding f = mk(&r, kind, entity, RULE_INFO, 0);
	char *got = finding_identity(&f);
	CHECK_STR(got, want);
	free(got);
}

TEST(entity_identity)
{
	check_identity("process", "4242 (orders-svc)", "orders-svc");
	check_identity("process", "17 (a) b)", "a) b");            /* comm with ") " in it */
	check_identity("process", "worker", "worker");             /* not "PID (COMM)": as is */
	check_identity("mapping", "24148 (ms-mapleak) 7f26c4000000-7f26c8000000 anon", "ms-mapleak anon");
	check_identity("mapping", "9 (x) y) 00400000-00401000 /usr/lib/a b.so", "x) y /usr/lib/a b.so");
	check_identity("mapping", "9 (x) [heap]", "9 (x) [heap]"); /* no address range: as is */
	check_identity("cgroup", "/system.slice/orders.service", "/system.slice/orders.service");
	check_identity("node", "node 1", "node 1");
	check_identity("system", "system", "system");
	/* the subject, when the rule gave one, wins over the text */
	struct rule r = { 0 };
	r.id = "x/y";
	struct finding f = mk(&r, "process", "4242 (orders-svc)", RULE_INFO, 0);
	f.subject.has_process = 1;
	f.subject.comm = "orders svc";
	char *got = finding_identity(&f);
	CHECK_STR(got, "orders svc");
	free(got);
	f.entity_kind = "mapping";
	f.entity = "4242 (orders-svc) 00400000-00401000 /srv/a.so";
	CHECK_STR((got = finding_identity(&f)), "orders svc /srv/a.so");
	free(got);
	f.entity_kind = "cgroup";
	f.entity = "/kubepods/x";
	f.subject.has_cgroup = 1;
	f.subject.cgroup = "/system.slice/orders.service";
	CHECK_STR((got = finding_identity(&f)), "/system.slice/orders.service");
	free(got);
}

static void host_with(struct fleet_host *h, const char *label, struct finding *f, size_t n)
{
	memset(h, 0, sizeof(*h));
	h->label = strdup(label);
	h->ran = 1;
	h->a.findings.f = calloc(n ? n : 1, sizeof(*f));
	REQUIRE(h->label && h->a.findings.f);
	for (size_t i = 0; i < n; i++) {
		h->a.findings.f[i] = f[i];
		h->a.findings.f[i].entity_kind = strdup(f[i].entity_kind);
		h->a.findings.f[i].entity = strdup(f[i].entity);
	}
	h->a.findings.n = h->a.findings.alloc = n;
}

/* The same program on two hosts is one group with both, its worst
 * severity and its onset range; a host that did not run counts in "of". */
TEST(groups_findings_across_hosts)
{
	struct rule leak = { 0 }, kill = { 0 };
	leak.id = "leak/process";
	kill.id = "oom/kill";
	struct finding h0[] = { mk(&leak, "process", "1 (orders)", RULE_WARNING, 100),
				mk(&leak, "process", "2 (batch)", RULE_CRITICAL, 50),
				mk(&leak, "process", "3 (orders)", RULE_WARNING, 90) };
	struct finding h1[] = { mk(&leak, "process", "7 (orders)", RULE_CRITICAL, 200),
				mk(&kill, "system", "system", RULE_INFO, 10) };
	struct fleet f = { calloc(3, sizeof(struct fleet_host)), 3, NULL, 0 };
	REQUIRE(f.h != NULL);
	host_with(&f.h[0], "a", h0, 3);
	host_with(&f.h[1], "b", h1, 2);
	f.h[2].label = strdup("c");
	f.h[2].error = strdup("c: not a bundle");
	f.h[2].failed = 1;
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(fleet_group(&f, &err) == 0);
	if (CHECK_EQ_U64(f.ng, 3)) {
		const struct fleet_group *g = &f.g[0];
		CHECK_STR(g->identity, "orders");
		CHECK_EQ_U64(g->nhosts, 2);
		CHECK_EQ_U64(g->findings, 3);
		CHECK_EQ_U64(g->worst, RULE_CRITICAL);
		CHECK(g->onset_first == 90 && g->onset_last == 200);
		CHECK(g->hosts[0] == 0 && g->hosts[1] == 1);
		CHECK(g->worst_on[0] == RULE_WARNING && g->worst_on[1] == RULE_CRITICAL);
		CHECK_STR(f.g[1].identity, "batch");   /* critical, one host */
		CHECK_STR(f.g[2].rule->id, "oom/kill"); /* info last */
	}
	CHECK_EQ_U64(fleet_ran(&f), 2);
	CHECK_EQ_U64(fleet_findings(&f, -1), 5);
	CHECK_EQ_U64(fleet_findings(&f, RULE_CRITICAL), 2);
	fleet_release(&f);
	ms_err_release(&err);
}

static char *load(const char *name, const char *dir)
{
	struct load_opts o;
	struct load_result res;
	struct ms_err err = MS_ERR_INIT;
	char *b = bundle(name);
	size_t n = strlen(dir) + strlen(name) + 8;
	char *db = malloc(n);
	REQUIRE(db != NULL);
	snprintf(db, n, "%s/%s.db", dir, name);
	memset(&o, 0, sizeof(o));
	o.bundle = b;
	o.db_path = db;
	o.limits.max_member = MS_DEFAULT_MAX_MEMBER;
	o.limits.max_total = MS_DEFAULT_MAX_TOTAL;
	if (!CHECK(loader_load(&o, &res, &err) == 0))
		fprintf(stderr, "%s\n", ms_err_msg(&err));
	load_result_release(&res);
	ms_err_release(&err);
	free(b);
	return db;
}

static long long count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return n;
}

/* Every table and view of host H in the fleet database has exactly the
 * rows of its own database, and the same sum of a column. */
static void same_as_single(const char *fleet, int64_t h, const char *single)
{
	static const char *const q[] = {
		"SELECT count(*) FROM sample", "SELECT count(*) FROM proc_sample", "SELECT count(*) FROM process",
		"SELECT count(*) FROM mapping", "SELECT count(*) FROM cgroup_value", "SELECT count(*) FROM meminfo",
		"SELECT count(*) FROM read_gap", "SELECT count(*) FROM host_file", "SELECT count(*) FROM load_info",
		"SELECT sum(vm_rss_bytes) FROM proc_series", "SELECT sum(per_s) FROM vmstat_rate",
		"SELECT sum(uss_bytes) FROM rollup_series", "SELECT count(*) FROM mem WHERE t_utc IS NOT NULL",
	};
	sqlite3 *a, *b;
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(db_open_readonly(fleet, &a, &err) == 0 && db_open_readonly(single, &b, &err) == 0);
	CHECK(fleet_db_select(a, h, &err) == 0);
	for (size_t i = 0; i < sizeof(q) / sizeof(*q); i++)
		if (!CHECK_EQ_I64(count(a, q[i]), count(b, q[i])))
			fprintf(stderr, "  %s\n", q[i]);
	sqlite3_close(a);
	sqlite3_close(b);
	ms_err_release(&err);
}

static int select_host(sqlite3 *db, void *ctx, struct ms_err *err)
{
	return fleet_db_select(db, *(const int64_t *)ctx, err);
}

/* A rule's connection to host H: the host views read, and the sandbox
 * refuses to make anything, a temporary object included. */
static void sandboxed(const char *fleet, int64_t h)
{
	struct rule_sandbox sb;
	struct ms_err err = MS_ERR_INIT;
	sqlite3 *db;
	REQUIRE(rule_db_open_with(fleet, select_host, &h, &sb, &db, &err) == 0);
	CHECK(count(db, "SELECT count(*) FROM sample") == 210);
	CHECK(count(db, "SELECT count(*) FROM main.sample") == 330); /* every host's */
	static const char *const denied[] = { "CREATE TEMP VIEW x AS SELECT 1", "CREATE TEMP TABLE y (a)",
					      "DROP VIEW temp.sample", "DELETE FROM main.sample" };
	for (size_t i = 0; i < sizeof(denied) / sizeof(*denied); i++) {
		sqlite3_stmt *st = NULL;
		if (!CHECK(sqlite3_prepare_v2(db, denied[i], -1, &st, NULL) != SQLITE_OK))
			fprintf(stderr, "  allowed: %s\n", denied[i]);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	ms_err_release(&err);
}

TEST(fleet_database)
{
	char *tmp = test_tmpfile("fleet");
	unlink(tmp);
	char dir[] = "/tmp/ms-fleet-XXXXXX";
	REQUIRE(mkdtemp(dir) != NULL);
	char *leak = load("leak", dir), *frag = load("frag", dir);
	sqlite3 *db;
	struct ms_err err = MS_ERR_INIT;
	REQUIRE(fleet_db_open(tmp, &db, &err) == 0);
	struct fleet_db_host h1 = { 0, "host\nvm\nb1", strdup("vm"), "vm", "b1", "leak.tar.zst", 0 };
	struct fleet_db_host h2 = { 0, "host\nvm\nb2", strdup("vm"), "vm", "b2", "frag.tar.zst", 0 };
	CHECK(fleet_db_add(db, leak, &h1, &err) == 0);
	CHECK(fleet_db_add(db, frag, &h2, &err) == 0);
	CHECK_STR(h2.label, "vm#2");      /* the label wanted was taken */
	CHECK(!h1.replaced && !h2.replaced);
	/* the same key again: replaced, not added */
	struct fleet_db_host h3 = { 0, "host\nvm\nb1", strdup("other"), "vm", "b1", "leak.tar.zst", 0 };
	CHECK(fleet_db_add(db, leak, &h3, &err) == 0);
	CHECK(h3.replaced && h3.id == h1.id);
	CHECK_STR(h3.label, "vm");
	CHECK_EQ_I64(count(db, "SELECT count(*) FROM fleet_host"), 2);
	int64_t id;
	CHECK(fleet_db_host_id(db, "vm#2", &id, &err) == 0 && id == h2.id);
	CHECK(fleet_db_host_id(db, "nope", &id, &err) < 0);
	CHECK_STR(ms_err_msg(&err), "no host 'nope' (the hosts: vm, vm#2)");
	sqlite3_close(db);
	same_as_single(tmp, h1.id, leak);
	same_as_single(tmp, h2.id, frag);
	sandboxed(tmp, h2.id);
	/* a single-host database is not a fleet database */
	CHECK(fleet_db_open(leak, &db, &err) < 0);
	CHECK(strstr(ms_err_msg(&err), "not a fleet database") != NULL);
	free(h1.label);
	free(h2.label);
	free(h3.label);
	ms_err_release(&err);
	unlink(tmp);
	unlink(leak);
	unlink(frag);
	rmdir(dir);
	free(tmp);
	free(leak);
	free(frag);
}
