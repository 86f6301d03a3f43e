/*
 * test_trigger.c - collect/trigger.c: the recorder's triggers on the texts
 * of recorded bundles (samples/bundles: a cgroup v1 OOM kill, a swap storm,
 * a cgroup v2 OOM kill in a child cgroup, a global OOM kill with low
 * memory), replayed sample by sample as the sampler would feed them; and
 * the option's parser.  Outcomes are exact: which trigger, at which
 * sample, with which values.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_format.h"
#include "bundle_reader.h"
#include "record.h"
#include "test.h"
#include "trigger.h"

struct replay {
	struct triggers t;
	unsigned sample;         /* the sample being fed */
	int open;                /* a reading is open */
	struct ms_buf out;       /* "SAMPLE LINE" per event */
	struct ms_buf path;
	double last_wall;
};

/* kind of a record path, as the sampler names it; NULL: not watched */
static const char *watched_kind(const char *path)
{
	if (!strncmp(path, "/proc/", 6) && !(path[6] >= '0' && path[6] <= '9'))
		return path + 6;
	const char *b = strrchr(path, '/');
	if (b && !strncmp(b + 1, "memory.", 7) && !strncmp(path, "/sys/", 5))
		return b + 1;
	return NULL;
}

static double meta_wall(const char *d, size_t n)
{
	const char *p = memmem(d, n, "\nwall ", 6);
	return p ? strtod(p + 6, NULL) : NAN;
}

static int on_member(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	(void)err;
	struct replay *r = ctx;
	const char *slash = strchr(m->name, '/');
	if (!slash)
		return 0;
	unsigned num = (unsigned)strtoul(m->name, NULL, 10);
	if (!strcmp(slash + 1, "meta")) {
		/* the sample's wall time is in its meta: the reading ends there */
		r->t.now = meta_wall(m->data, m->len);
		int n = triggers_end(&r->t);
		REQUIRE(n >= 0);
		for (size_t i = 0; i < r->t.nev; i++)
			ms_buf_addf(&r->out, "%u %.*s", num, (int)r->t.ev[i].line_len - 1,
				    r->t.lines.data + r->t.ev[i].line), ms_buf_add(&r->out, "\n", 1);
		r->open = 0;
		return 0;
	}
	if (strncmp(slash + 1, "t0", 2))
		return 0;
	if (!r->open) {
		triggers_begin(&r->t, 1, 0);
		r->open = 1;
		r->sample = num;
	}
	size_t pos = 0;
	struct ms_record rec;
	struct ms_err e = MS_ERR_INIT;
	while (record_next(m->data, m->len, &pos, &rec, m->name, &e) > 0) {
		REQUIRE(record_path(&rec, &r->path) == 0);
		const char *kind = watched_kind(r->path.data);
		if (!kind)
			continue;
		int ok = record_status_is(&rec, "ok");
		triggers_file(&r->t, kind, r->path.data, ok ? rec.data : NULL, ok ? rec.len : 0);
	}
	ms_err_release(&e);
	return 0;
}

/* The events of BUNDLE (under samples/bundles) with CFG, one line each:
 * "SAMPLE KIND WALL FIELDS"; WALL is replaced by the sample's offset from
 * the first event so that the expected text is readable.  Freed by caller. */
static char *replay(const char *bundle, const struct trigger_config *cfg)
{
	const char *fx = getenv("MEMSNAP_FIXTURES");
	REQUIRE(fx != NULL);
	char path[4096];
	snprintf(path, sizeof(path), "%s/../../samples/bundles/%s", fx, bundle);
	struct replay r;
	memset(&r, 0, sizeof(r));
	REQUIRE(triggers_init(&r.t, cfg) == 0);
	REQUIRE(ms_buf_init(&r.out, 1024) == 0 && ms_buf_init(&r.path, 256) == 0);
	struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
	struct bundle_read_result res;
	struct ms_err err = MS_ERR_INIT;
	CHECK(bundle_read(path, &lim, on_member, &r, &res, &err) == 0);
	bundle_read_result_release(&res);
	ms_err_release(&err);
	triggers_release(&r.t);
	ms_buf_release(&r.path);
	if (getenv("TRIGGER_DEBUG"))
		fprintf(stderr, "%s", r.out.data);
	return r.out.data;
}

/* the v1 cgroup directories of the VM the bundles were recorded on (oom.tar.zst
 * was recorded again later, under another one) */
#define CG_V1 "/sys/fs/cgroup/memory/process_api/fd118acce76c04ccd799bcbdd76a4e90/"
#define CG_V1_SWAP "/sys/fs/cgroup/memory/process_api/1bd08824e53474833bc66cbbf89dfb98/"

/* oom.tar.zst: ms-oomer leaks in a 64 MiB v1 cgroup until it is killed;
 * ms-nearlimit sits at 95 % of its own 64 MiB (the recording since main's
 * b84d9dc: 95.3 % of working set, at the default threshold from the first
 * sample on) */
TEST(cgroup_v1_oom_kill)
{
	struct trigger_config c;
	trigger_config_default(&c);
	char *got = replay("oom.tar.zst", &c);
	CHECK_STR(got,
		  "1 cgroup-limit 1796578423.678035259 cgroup=" CG_V1 "ms-nearlimit working_set=63987712 "
		  "limit=67108864 pct=95.3 threshold=95\n"
		  "44 cgroup-limit 1796578466.723288298 cgroup=" CG_V1 "ms-oomer working_set=65449984 "
		  "limit=67108864 pct=97.5 threshold=95\n"
		  "45 oom-kill 1796578467.678123236 source=cgroup cgroup=" CG_V1 "ms-oomer oom_kill=1 "
		  "delta=1\n");
	free(got);
}

/* the thresholds move the outcome: 99 % misses ms-oomer's 97.5 % and
 * ms-nearlimit's 95.3 %, 90 % catches ms-oomer earlier; psi=16 is above
 * anything seen; oom-kill=off */
TEST(thresholds_and_off)
{
	struct trigger_config c;
	struct ms_err err = MS_ERR_INIT;
	trigger_config_default(&c);
	REQUIRE(trigger_config_parse(&c, "cgroup-limit=99,psi=16,oom-kill=off", &err) == 0);
	char *got = replay("oom.tar.zst", &c);
	CHECK_STR(got, "");
	free(got);
	trigger_config_default(&c);
	REQUIRE(trigger_config_parse(&c, "cgroup-limit=90%,psi=off", &err) == 0);
	got = replay("oom.tar.zst", &c);
	CHECK_STR(got,
		  "1 cgroup-limit 1796578423.678035259 cgroup=" CG_V1 "ms-nearlimit working_set=63987712 "
		  "limit=67108864 pct=95.3 threshold=90\n"
		  "42 cgroup-limit 1796578464.678153276 cgroup=" CG_V1 "ms-oomer working_set=61485056 "
		  "limit=67108864 pct=91.6 threshold=90\n"
		  "45 oom-kill 1796578467.678123236 source=cgroup cgroup=" CG_V1 "ms-oomer oom_kill=1 "
		  "delta=1\n");
	free(got);
}

/* swap.tar.zst: the swap storm fires once it has lasted 10 s (12 s: the
 * sample after), then PSI full crosses 10 %; the cgroup filling first */
TEST(swap_storm)
{
	struct trigger_config c;
	trigger_config_default(&c);
	char *got = replay("swap.tar.zst", &c);
	CHECK_STR(got,
		  "9 cgroup-limit 1796110038.681207657 cgroup=" CG_V1_SWAP "ms-swapper working_set=66969600 "
		  "limit=67108864 pct=99.8 threshold=95\n"
		  "14 swap-storm 1796110048.686499596 pages_per_s=30630 for_s=12.0 threshold=5000\n"
		  "17 psi 1796110054.680177927 source=avg10 full_avg10=10.52 threshold=10\n");
	free(got);
}

/* frag-cgroup2.tar.zst (a v2 VM): the kill in /ms-jobs/ms-oomer counts in
 * /ms-jobs' hierarchical memory.events too; only the child is named.  (In
 * the recording since main's b84d9dc no sample caught ms-oomer at 95 % of
 * its limit before the kill: no cgroup-limit line.) */
TEST(cgroup_v2_oom_kill_names_the_child)
{
	struct trigger_config c;
	trigger_config_default(&c);
	char *got = replay("frag-cgroup2.tar.zst", &c);
	CHECK_STR(got,
		  "47 oom-kill 1796578178.230395317 source=cgroup cgroup=/sys/fs/cgroup/ms-jobs/ms-oomer "
		  "oom_kill=1 delta=1\n");
	free(got);
}

/* frag-oom.tar.zst: the kernel's global OOM killer, after MemAvailable fell
 * below 5 % of MemTotal; frag-lowmem.tar.zst stops before the kill */
TEST(global_oom_and_low_memory)
{
	struct trigger_config c;
	trigger_config_default(&c);
	char *got = replay("frag-oom.tar.zst", &c);
	CHECK_STR(got,
		  "205 low-memory 1796109475.379407167 available_pct=4.99 available=23941120 "
		  "total=479997952 threshold=5\n"
		  "264 oom-kill 1796109593.379200459 source=vmstat oom_kill=1 delta=1\n");
	free(got);
	got = replay("frag-lowmem.tar.zst", &c);
	CHECK_STR(got, "205 low-memory 1796109475.385739088 available_pct=4.99 available=23941120 "
		       "total=479997952 threshold=5\n");
	free(got);
	/* thrash.tar.zst: refaults, no memory shortage: nothing */
	got = replay("thrash.tar.zst", &c);
	CHECK_STR(got, "");
	free(got);
}

/* A reading of the system files only (the recorder's one-second watch) */
static int watch_reading(struct triggers *t, double now, const char *meminfo, const char *vmstat,
			 const char *pressure)
{
	triggers_begin(t, 0, now);
	if (meminfo)
		triggers_file(t, "meminfo", "/proc/meminfo", meminfo, strlen(meminfo));
	if (vmstat)
		triggers_file(t, "vmstat", "/proc/vmstat", vmstat, strlen(vmstat));
	if (pressure)
		triggers_file(t, "pressure/memory", "/proc/pressure/memory", pressure, strlen(pressure));
	return triggers_end(t);
}

static const char *event_line(const struct triggers *t, size_t i, char *buf, size_t n)
{
	snprintf(buf, n, "%.*s", (int)t->ev[i].line_len - 1, t->lines.data + t->ev[i].line);
	return buf;
}

/* swap-storm: above the rate for 10 s, measured from the start of the
 * first interval above it; a dip below restarts the count */
TEST(swap_storm_lasts_ten_seconds)
{
	struct trigger_config c;
	struct triggers t;
	char vm[128], line[256];
	trigger_config_default(&c);
	REQUIRE(triggers_init(&t, &c) == 0);
	/* 6000 pages/s from t=100, a dip in the second ending at 105 */
	uint64_t pages = 0;
	for (int s = 100; s <= 116; s++) {
		if (s == 105)
			pages += 100;
		else if (s > 100)
			pages += 6000;
		snprintf(vm, sizeof(vm), "pswpin %llu\npswpout 0\noom_kill 0\n", (unsigned long long)pages);
		int n = watch_reading(&t, s, NULL, vm, NULL);
		/* above again from 105 (the start of the next second): 10 s at 115 */
		CHECK_EQ_I64(n, s == 115);
		CHECK_EQ_I64(triggers_holding(&t), s >= 115);
		if (n == 1)
			CHECK_STR(event_line(&t, 0, line, sizeof(line)),
				  "swap-storm 115.000000000 pages_per_s=6000 for_s=10.0 threshold=5000");
	}
	triggers_release(&t);
}

/* counters fire on every increase; levels once while they hold, again
 * after they stopped */
TEST(counters_and_levels)
{
	struct trigger_config c;
	struct triggers t;
	char line[256];
	trigger_config_default(&c);
	REQUIRE(triggers_init(&t, &c) == 0);
	const char *mem_ok = "MemTotal:       1000 kB\nMemAvailable:     100 kB\n";
	const char *mem_low = "MemTotal:       1000 kB\nMemAvailable:      49 kB\n";
	const char *psi_lo = "some avg10=30.00 avg60=1.00 avg300=0.00 total=1\n"
			     "full avg10=9.99 avg60=0.00 avg300=0.00 total=1\n";
	const char *psi_hi = "some avg10=30.00 avg60=1.00 avg300=0.00 total=1\n"
			     "full avg10=10.00 avg60=0.00 avg300=0.00 total=1\n";
	CHECK_EQ_I64(watch_reading(&t, 1, mem_ok, "oom_kill 7\n", psi_lo), 0);
	CHECK_EQ_I64(watch_reading(&t, 2, mem_low, "oom_kill 7\n", psi_hi), 2);
	CHECK_STR(event_line(&t, 0, line, sizeof(line)),
		  "psi 2.000000000 source=avg10 full_avg10=10.00 threshold=10");
	CHECK_STR(event_line(&t, 1, line, sizeof(line)),
		  "low-memory 2.000000000 available_pct=4.90 available=50176 total=1024000 threshold=5");
	CHECK_EQ_I64(watch_reading(&t, 3, mem_low, "oom_kill 9\n", psi_hi), 1);
	CHECK_STR(event_line(&t, 0, line, sizeof(line)),
		  "oom-kill 3.000000000 source=vmstat oom_kill=9 delta=2");
	CHECK_EQ_I64(triggers_holding(&t), 1);
	CHECK_EQ_I64(watch_reading(&t, 4, mem_ok, "oom_kill 9\n", psi_lo), 0);
	CHECK_EQ_I64(triggers_holding(&t), 0);
	CHECK_EQ_I64(watch_reading(&t, 5, mem_ok, "oom_kill 9\n", psi_hi), 1);
	/* the kernel's PSI trigger: fires at once, holds for its window */
	CHECK_EQ_I64(watch_reading(&t, 6, mem_ok, "oom_kill 9\n", psi_lo), 0);
	triggers_begin(&t, 0, 7);
	CHECK_EQ_I64(triggers_psi_kernel(&t, 7), 0);
	REQUIRE(t.nev == 1);
	CHECK_STR(event_line(&t, 0, line, sizeof(line)), "psi 7.000000000 source=kernel threshold=10");
	CHECK_EQ_I64(watch_reading(&t, 16.5, mem_ok, "oom_kill 9\n", psi_lo), 0);
	CHECK_EQ_I64(triggers_holding(&t), 1);
	CHECK_EQ_I64(watch_reading(&t, 17, mem_ok, "oom_kill 9\n", psi_lo), 0);
	CHECK_EQ_I64(triggers_holding(&t), 0);
	/* manual */
	triggers_begin(&t, 0, 20);
	CHECK_EQ_I64(triggers_manual(&t, 20, "SIGUSR1", 4242), 0);
	REQUIRE(t.nev == 1);
	CHECK_STR(event_line(&t, 0, line, sizeof(line)), "manual 20.000000000 source=SIGUSR1 pid=4242");
	triggers_release(&t);
}

static void cg_file(struct triggers *t, const char *dir, const char *kind, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, kind);
	triggers_file(t, kind, path, text, strlen(text));
}

/* a cgroup with a space in its name stays one word; the event carries
 * the path as read; a cgroup that is gone is forgotten */
TEST(cgroup_path_escaped_and_forgotten)
{
	struct trigger_config c;
	struct triggers t;
	char line[512];
	trigger_config_default(&c);
	REQUIRE(triggers_init(&t, &c) == 0);
	const char *dir = "/sys/fs/cgroup/a b";
	for (int s = 0; s < 2; s++) {
		triggers_begin(&t, 1, 10 + s);
		cg_file(&t, dir, "memory.current", "990\n");
		cg_file(&t, dir, "memory.max", "1000\n");
		cg_file(&t, dir, "memory.stat", s ? "inactive_file 0\n" : "inactive_file 100\n");
		cg_file(&t, dir, "memory.events", "oom_kill 0\n");
		cg_file(&t, "/sys/fs/cgroup/c", "memory.current", "5\n");
		cg_file(&t, "/sys/fs/cgroup/c", "memory.max", "max\n");
		CHECK_EQ_I64(triggers_end(&t), s);
	}
	REQUIRE(t.nev == 1);
	CHECK_STR(event_line(&t, 0, line, sizeof(line)),
		  "cgroup-limit 11.000000000 cgroup=/sys/fs/cgroup/a%20b working_set=990 limit=1000 "
		  "pct=99.0 threshold=95");
	CHECK_MEM(t.cgs.data + t.ev[0].cg, t.ev[0].cg_len, dir, strlen(dir));
	CHECK_EQ_I64(triggers_holding(&t), 1);
	CHECK_EQ_I64(t.ncg, 2);
	triggers_begin(&t, 1, 12);
	CHECK_EQ_I64(triggers_end(&t), 0);
	CHECK_EQ_I64(t.ncg, 0);
	CHECK_EQ_I64(triggers_holding(&t), 0);
	triggers_release(&t);
}

#define CONFIG_BAD(list, msg)                                                        \
	do {                                                                         \
		struct trigger_config c_;                                            \
		struct ms_err e_ = MS_ERR_INIT;                                      \
		trigger_config_default(&c_);                                         \
		CHECK_EQ_I64(trigger_config_parse(&c_, list, &e_), -1);              \
		CHECK_STR(ms_err_msg(&e_), msg);                                     \
		ms_err_release(&e_);                                                 \
	} while (0)

TEST(config)
{
	struct trigger_config c;
	struct ms_err err = MS_ERR_INIT;
	struct ms_buf b;
	REQUIRE(ms_buf_init(&b, 64) == 0);
	trigger_config_default(&c);
	REQUIRE(trigger_config_format(&c, &b) == 0);
	CHECK_STR(b.data, "oom-kill,psi=10,low-memory=5,cgroup-limit=95,swap-storm=5000,manual");
	REQUIRE(trigger_config_parse(&c, "psi=20,low-memory=3", &err) == 0);
	REQUIRE(trigger_config_parse(&c, "swap-storm=off,cgroup-limit=97.5%", &err) == 0);
	ms_buf_reset(&b);
	REQUIRE(trigger_config_format(&c, &b) == 0);
	CHECK_STR(b.data, "oom-kill,psi=20,low-memory=3,cgroup-limit=97.5,manual");
	REQUIRE(trigger_config_parse(&c, "none,oom-kill", &err) == 0);
	ms_buf_reset(&b);
	REQUIRE(trigger_config_format(&c, &b) == 0);
	CHECK_STR(b.data, "oom-kill,manual");
	REQUIRE(trigger_config_parse(&c, "manual=off,oom-kill=off", &err) == 0);
	ms_buf_reset(&b);
	REQUIRE(trigger_config_format(&c, &b) == 0);
	CHECK_STR(b.data, "none");
	ms_buf_release(&b);
	CONFIG_BAD("psi=0", "invalid --trigger 'psi=0': expected psi=NUMBER (more than 0, at most 100 %) or psi=off");
	CONFIG_BAD("psi=101", "invalid --trigger 'psi=101': expected psi=NUMBER (more than 0, at most 100 %) or psi=off");
	CONFIG_BAD("psi=x", "invalid --trigger 'psi=x': expected psi=NUMBER (more than 0, at most 100 %) or psi=off");
	CONFIG_BAD("swap-storm=", "invalid --trigger 'swap-storm=': expected swap-storm=NUMBER (more than 0, at most 1e+09 pages/s) or swap-storm=off");
	CONFIG_BAD("oom-kill=3", "invalid --trigger 'oom-kill=3': oom-kill takes no threshold (only =off)");
	CONFIG_BAD("oom", "invalid --trigger 'oom': unknown trigger (one of oom-kill, psi, low-memory, cgroup-limit, swap-storm, manual, none)");
	CONFIG_BAD("psi,,oom-kill", "invalid --trigger 'psi,,oom-kill': an empty item");
	CONFIG_BAD("", "invalid --trigger '': an empty item");
}

/* one kill is one line: a kill between a sample's read of vmstat and of
 * the cgroup is named by the cgroup first, and vmstat's later increase
 * is matched against it */
TEST(oom_kill_counted_once)
{
	struct trigger_config c;
	struct triggers t;
	char line[256];
	trigger_config_default(&c);
	REQUIRE(triggers_init(&t, &c) == 0);
	const char *dir = "/sys/fs/cgroup/job";
	for (int s = 0; s < 4; s++) {
		triggers_begin(&t, 1, s);
		/* vmstat says 0, 0, 1, 2; the cgroup 0, 1, 1, 2 */
		const char *vm = s < 2 ? "oom_kill 0\n" : s == 2 ? "oom_kill 1\n" : "oom_kill 2\n";
		triggers_file(&t, "vmstat", "/proc/vmstat", vm, strlen(vm));
		cg_file(&t, dir, "memory.events", s == 0 ? "oom_kill 0\n" : s < 3 ? "oom_kill 1\n" : "oom_kill 2\n");
		CHECK_EQ_I64(triggers_end(&t), s == 1 || s == 3);
		if (t.nev)
			CHECK_STR(event_line(&t, 0, line, sizeof(line)),
				  s == 1 ? "oom-kill 1.000000000 source=cgroup cgroup=/sys/fs/cgroup/job oom_kill=1 delta=1"
					 : "oom-kill 3.000000000 source=cgroup cgroup=/sys/fs/cgroup/job oom_kill=2 delta=1");
	}
	/* a kill no cgroup names (a global OOM) is vmstat's */
	triggers_begin(&t, 1, 4);
	triggers_file(&t, "vmstat", "/proc/vmstat", "oom_kill 3\n", 11);
	cg_file(&t, dir, "memory.events", "oom_kill 2\n");
	CHECK_EQ_I64(triggers_end(&t), 1);
	CHECK_STR(event_line(&t, 0, line, sizeof(line)), "oom-kill 4.000000000 source=vmstat oom_kill=3 delta=1");
	triggers_release(&t);
}
