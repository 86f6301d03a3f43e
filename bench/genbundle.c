/*
 * genbundle.c - write a synthetic bundle from a real one, short or long,
 * with behaviours planted in it.
 *
 * It reads a short bundle recorded by the real collector (the seed: one of
 * samples/bundles/NAME.tar.zst, or one bench/load-throughput records) and
 * writes a bundle of SAMPLES samples of PROCS processes with the project's
 * own bundle writer (collect/bundle_writer.c: same tar + zstd stream,
 * level, window and frames as `memsnap collect`), as a collection at
 * INTERVAL with the collector's tier cadences would have:
 *
 *   memsnap.header          the seed's, with the interval, count, duration,
 *                           cadences and command of the synthetic run
 *   000001/host             the seed's sample-1 host member, verbatim (with -H:
 *                           that host name, and a boot id derived from it)
 *   NNNNNN/t0[.K]           every sample: the seed's system and cgroup
 *                           records, then per process (ascending PID) stat,
 *                           statm, status, oom_score, oom_score_adj, cgroup,
 *                           plus cmdline and comm in sample 1
 *   NNNNNN/t1[.K]           every ROLLUP_EVERY-th tick and the last sample:
 *                           smaps_rollup of every process that had one, and
 *                           /proc/zoneinfo
 *   NNNNNN/t2[.K]           every SMAPS_EVERY-th tick and the last sample:
 *                           smaps and numa_maps of the seed's tier-2 picks
 *   NNNNNN/meta             every key the collector writes
 *   memsnap.trailer         end_reason duration
 *
 * Members are split into 1 MiB parts exactly as the sampler splits them
 * (a tier's part is written after the lower tiers' pending records).
 *
 * Processes: the seed's tier-0 template sample (default: the middle
 * tier-0-only sample) gives each process's records; smaps_rollup and the
 * tier-2 records come from the seed's last tier-1/tier-2 sample, cmdline
 * and comm from the sample where the process first appears.  With more
 * seed processes than PROCS, the processes a plan names are kept and an
 * evenly spaced subset of the others; with fewer, processes are replicated
 * (round robin) under new PIDs above the largest seed PID: /proc/NEW/...
 * paths, and the PID rewritten in stat (field 1) and in status (Pid,
 * Tgid).  Start times are kept: identity is (pid, starttime), so every
 * replica is a distinct process.
 *
 * Jitter, so that the samples are not byte-identical (and the zstd window
 * cannot simply repeat the previous sample): per sample and process,
 * deterministic functions of (sample, pid) move minflt, utime, stime
 * (counters: growing), rss, processor (stat), resident (statm), VmRSS,
 * RssAnon (up to +-512 KiB), VmHWM (status), Rss, Pss, Pss_Anon,
 * Anonymous, Private_Dirty (smaps_rollup), and the system counters
 * (meminfo MemFree, MemAvailable, Cached, +-64 MiB; vmstat nr_free_pages,
 * pgfault, pgalloc_normal, pgfree; uptime; PSI totals; cgroup usage and
 * memory.stat rss/cache, +-4 MiB).
 *
 * The plan (-P, format in gen_plan.c) plants behaviours on top: a leak
 * that starts late or stops, a step, a garbage collector's sawtooth, a
 * warm-up, a cache filling to its bound, a daily wave in a process's
 * anonymous memory (and one of its mappings), and counters and gauges of
 * any system or cgroup file in a window (a swap storm, thrash, a cgroup
 * near its limit, a full NUMA node).  bench/plans/ holds the plans the
 * tests and the benchmark use.
 *
 * Not modelled: process churn (the same processes live for the whole
 * run), missed ticks, deferred tiers.
 *
 * Built by CMake (target genbundle, for the tests) and by
 * bench/load-throughput.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bundle_format.h"
#include "bundle_writer.h"
#include "gen.h"
#include "ms_err.h"
#include "record.h"

#define MEMBER_CHUNK (1u << 20) /* as collect/sampler.c */
#define ROLLUP_S 60             /* the collector's default --rollup-interval */
#define SMAPS_S 300             /* ... and --smaps-interval */

struct opts {
	const char *seed, *out, *plan;
	const char *hostname;       /* -H: the host this bundle says it is, or NULL */
	unsigned samples, procs, interval_s, every1, every2, template_sample;
	unsigned ring;       /* -R: OUT is a recorder's directory, segments of RING samples */
	int level;
};

/* a process of the generated bundle */
struct proc {
	int64_t pid;         /* in the generated bundle */
	int64_t src;         /* in the seed */
	uint32_t h;          /* per-process variation seed */
	const struct rec **t0;
	size_t nt0;
	const struct rec *first[2]; /* cmdline, comm (sample 1) */
	const struct rec *rollup;
	int has_mm;          /* statm size > 0 (not a kernel thread) */
	const struct plan_line **terms; /* the plan's lines for its memory */
	size_t nterms;
};

/* a system or cgroup record, and the plan's lines for it */
struct sysrec {
	const struct rec *r;
	const struct plan_line **pl;
	size_t npl;
};

struct gen {
	struct opts o;
	struct plan plan;
	struct bundle_writer *w;
	struct ms_buf buf[MS_TIERS];
	unsigned part[MS_TIERS];
	unsigned sample;
	double t;            /* seconds since the first sample */
	time_t mtime;
	struct ms_buf scratch, path;
	uint64_t records, read_bytes;
	/* gaps: STATUS KIND -> count, this sample and the run */
	char **gk;
	uint64_t *gn, *gall;
	size_t ngaps;
};

/* what the seed gives the writer */
struct tmpl {
	const struct member *header, *host, *tmeta, *t1meta;
	struct proc *procs;
	size_t nprocs;
	struct sysrec *sys;
	size_t nsys;
	struct recs deep;               /* tier-2 records of processes in the population */
	const struct rec *zoneinfo;
	double wall0, mono0, boot0;
	double cpu0, wallus0, cpu1, wall1, cpu2, wall2, cgroups;
};

static void gap_count(struct gen *g, const char *status, const char *kind)
{
	char key[128];
	snprintf(key, sizeof(key), "%s %s", status, kind);
	size_t i;
	for (i = 0; i < g->ngaps; i++)
		if (!strcmp(g->gk[i], key))
			break;
	if (i == g->ngaps) {
		g->gk = xrealloc(g->gk, (g->ngaps + 1) * sizeof(*g->gk));
		g->gn = xrealloc(g->gn, (g->ngaps + 1) * sizeof(*g->gn));
		g->gall = xrealloc(g->gall, (g->ngaps + 1) * sizeof(*g->gall));
		g->gk[i] = xstrndup(key, strlen(key));
		g->gn[i] = g->gall[i] = 0;
		g->ngaps++;
	}
	g->gn[i]++;
	g->gall[i]++;
}

static void flush_member(struct gen *g, int tier)
{
	struct ms_err err = MS_ERR_INIT;
	for (int lower = 0; lower < tier; lower++)
		if (g->buf[lower].len)
			flush_member(g, lower);
	char name[64];
	if (g->part[tier] == 0)
		snprintf(name, sizeof(name), "%06u/t%d", g->sample, tier);
	else
		snprintf(name, sizeof(name), "%06u/t%d.%u", g->sample, tier, g->part[tier]);
	if (bundle_writer_add(g->w, name, g->buf[tier].data, g->buf[tier].len, g->mtime, &err) < 0)
		die("%s: %s", name, ms_err_msg(&err));
	g->part[tier]++;
	ms_buf_reset(&g->buf[tier]);
}

/* Append a record: DATA/LEN for the given PATH (already rewritten). */
static void emit(struct gen *g, int tier, const struct rec *r, const char *path,
		 const char *data, size_t len)
{
	int ok = !strcmp(r->status, "ok");
	if (!ok && strcmp(r->status, "skip:single-node")) {
		const char *kind = r->file && *r->file ? r->file : strrchr(path, '/') + 1;
		gap_count(g, r->status, kind);
	}
	int has_data = ok || !strcmp(r->status, "trunc");
	if (record_append(&g->buf[tier], r->status, path, has_data ? data : NULL,
			  has_data ? len : 0, r->usec) < 0)
		die("out of memory");
	g->records++;
	g->read_bytes += len;
	if (g->buf[tier].len >= MEMBER_CHUNK)
		flush_member(g, tier);
}

static const char *proc_path(struct gen *g, int64_t pid, const char *file)
{
	ms_buf_reset(&g->path);
	if (*file)
		ms_buf_addf(&g->path, "/proc/%" PRId64 "/%s", pid, file);
	else
		ms_buf_addf(&g->path, "/proc/%" PRId64, pid);
	return g->path.data;
}

/* the plan's change to P's anonymous memory now, in bytes: every term, or
 * (MAP_ONLY) those of its mapping MAP */
static int64_t planned_bytes(const struct gen *g, const struct proc *p, int map_only, uint64_t map)
{
	double b = 0;
	for (size_t i = 0; i < p->nterms; i++)
		if (!map_only || p->terms[i]->map == map)
			b += plan_value(p->terms[i], g->t, g->sample);
	return (int64_t)llround(b);
}

/* smaps of a process with planted mappings: each one's lines moved */
static void edit_planted_smaps(const struct gen *g, const struct proc *p, const struct rec *r,
			       struct ms_buf *o)
{
	struct ms_buf tmp;
	ms_buf_init(&tmp, r->len + 4096);
	if (ms_buf_add(&tmp, r->data, r->len) < 0)
		die("out of memory");
	for (size_t i = 0; i < p->nterms; i++) {
		uint64_t map = p->terms[i]->map;
		int seen = 0;
		for (size_t j = 0; j < i; j++)
			seen |= p->terms[j]->map == map;
		if (!map || seen)
			continue;
		int64_t kb = planned_bytes(g, p, 1, map) / 1024;
		struct edit ed[] = { { "Rss", kb, ED_ADD, 0 }, { "Pss", kb, ED_ADD, 0 },
				     { "Anonymous", kb, ED_ADD, 0 }, { "Private_Dirty", kb, ED_ADD, 0 } };
		ms_buf_reset(o);
		edit_smaps_mapping(tmp.data, tmp.len, map, ed, sizeof(ed) / sizeof(*ed), o);
		ms_buf_reset(&tmp);
		if (ms_buf_add(&tmp, o->data, o->len) < 0)
			die("out of memory");
	}
	ms_buf_reset(o);
	if (ms_buf_add(o, tmp.data, tmp.len) < 0)
		die("out of memory");
	ms_buf_release(&tmp);
}

/* one process record, varied for this sample */
static void emit_proc(struct gen *g, int tier, const struct proc *p, const struct rec *r)
{
	unsigned k = g->sample;
	const char *path = proc_path(g, p->pid, r->file);
	int ok = !strcmp(r->status, "ok") || !strcmp(r->status, "trunc");
	if (!ok) {
		emit(g, tier, r, path, NULL, 0);
		return;
	}
	/* RSS moves by up to +-512 KiB (128 pages) around the seed value, plus
	 * what the plan adds */
	int64_t planned = p->has_mm ? planned_bytes(g, p, 0, 0) : 0;
	int64_t dpages = (p->has_mm ? jitter(k, p->h, 1, 128) : 0) + planned / 4096;
	struct ms_buf *o = &g->scratch;
	ms_buf_reset(o);
	if (!strcmp(r->file, "stat")) {
		struct field_edit fe[] = {
			{ 10, (int64_t)k * (p->h % 7 + 1), ED_ADD },           /* minflt */
			{ 14, (int64_t)k * (p->h % 4) / 3, ED_ADD },           /* utime */
			{ 15, (int64_t)k * (p->h % 3) / 4, ED_ADD },           /* stime */
			{ 24, dpages, ED_ADD },                                /* rss */
			{ 39, (int64_t)((k + p->h) & 1), ED_SET },             /* processor */
		};
		edit_stat(r->data, r->len, p->pid, fe, sizeof(fe) / sizeof(*fe), o);
	} else if (!strcmp(r->file, "statm")) {
		struct field_edit fe[] = { { 2, dpages, ED_ADD } };
		edit_fields(r->data, r->len, 1, fe, 1, o);
	} else if (!strcmp(r->file, "status")) {
		struct edit ed[] = {
			{ "VmRSS", dpages * 4, ED_ADD, 0 }, { "RssAnon", dpages * 4, ED_ADD, 0 },
			{ "VmHWM", 512, ED_ADD, 0 },        { "Pid", p->pid, ED_SET, 0 },
			{ "Tgid", p->pid, ED_SET, 0 },
		};
		edit_lines(r->data, r->len, ed, sizeof(ed) / sizeof(*ed), o);
	} else if (!strcmp(r->file, "smaps_rollup")) {
		int64_t kb = jitter(k, p->h, 2, 128) * 4 + planned / 1024;
		struct edit ed[] = {
			{ "Rss", kb, ED_ADD, 0 },      { "Pss", kb, ED_ADD, 0 },
			{ "Pss_Anon", kb, ED_ADD, 0 }, { "Anonymous", kb, ED_ADD, 0 },
			{ "Private_Dirty", kb, ED_ADD, 0 },
		};
		edit_lines(r->data, r->len, ed, sizeof(ed) / sizeof(*ed), o);
	} else if (!strcmp(r->file, "smaps") && p->nterms) {
		edit_planted_smaps(g, p, r, o);
	} else if (ms_buf_add(o, r->data, r->len) < 0) {
		die("out of memory");
	}
	emit(g, tier, r, path, o->data, o->len);
}

/* a file of one number (memory.usage_in_bytes, memory.current ...) */
static int single_number(const struct rec *r)
{
	const char *nl = memchr(r->data, '\n', r->len);
	return r->len && r->data[0] >= '0' && r->data[0] <= '9' && (!nl || nl + 1 == r->data + r->len);
}

/* a system or cgroup record, varied for this sample and changed by the plan */
static void emit_sys(struct gen *g, int tier, const struct sysrec *sr, double uptime0)
{
	const struct rec *r = sr->r;
	unsigned k = g->sample;
	if (strcmp(r->status, "ok") && strcmp(r->status, "trunc")) {
		emit(g, tier, r, r->path, NULL, 0);
		return;
	}
	struct ms_buf *o = &g->scratch;
	ms_buf_reset(o);
	const char *base = strrchr(r->path, '/');
	base = base ? base + 1 : r->path;
	int64_t kb = jitter(k, 7, 3, 65536); /* +-64 MiB */
	int cg = !strncmp(r->path, "/sys/fs/cgroup", 14);
	if (cg)
		kb /= 16; /* cgroups: +-4 MiB */
	struct edit ed[40];
	size_t ned = 0;
	if (!strcmp(base, "meminfo")) {
		const struct edit m[] = { { "MemFree", kb, ED_ADD, 0 }, { "MemAvailable", kb, ED_ADD, 0 },
					  { "Cached", -kb / 2, ED_ADD, 0 },
					  { "Node 0 MemFree", kb, ED_ADD, 0 } };
		memcpy(ed, m, sizeof(m));
		ned = sizeof(m) / sizeof(*m);
	} else if (!strcmp(r->path, "/proc/vmstat")) {
		const struct edit v[] = { { "nr_free_pages", kb / 4, ED_ADD, 0 },
					  { "pgfault", (int64_t)k * 20011, ED_ADD, 0 },
					  { "pgalloc_normal", (int64_t)k * 15013, ED_ADD, 0 },
					  { "pgfree", (int64_t)k * 15101, ED_ADD, 0 } };
		memcpy(ed, v, sizeof(v));
		ned = sizeof(v) / sizeof(*v);
	} else if (!strcmp(base, "memory") && strstr(r->path, "/pressure")) {
		const struct edit v[] = { { "some", (int64_t)k * 37, ED_ADD, 0 },
					  { "full", (int64_t)k * 37, ED_ADD, 0 } };
		memcpy(ed, v, sizeof(v));
		ned = sizeof(v) / sizeof(*v);
	} else if (!strcmp(base, "memory.stat")) {
		const struct edit v[] = { { "rss", kb * 1024, ED_ADD, 0 }, { "total_rss", kb * 1024, ED_ADD, 0 },
					  { "cache", -kb * 512, ED_ADD, 0 }, { "anon", kb * 1024, ED_ADD, 0 } };
		memcpy(ed, v, sizeof(v));
		ned = sizeof(v) / sizeof(*v);
	}
	/* the first number of a one-number file */
	int usage = !strcmp(base, "memory.usage_in_bytes") || !strcmp(base, "memory.current") ||
		    !strcmp(base, "memory.memsw.usage_in_bytes");
	struct field_edit first = { 1, usage ? kb * 1024 : 0, ED_ADD };
	for (size_t i = 0; i < sr->npl; i++) {
		const struct plan_line *l = sr->pl[i];
		if (!plan_active(l, g->t))
			continue;
		int64_t v = (int64_t)llround(plan_value(l, g->t, k));
		int mode = l->shape == SH_SET ? ED_SET : ED_ADD;
		if (!strcmp(l->key, "-")) {
			first.v = mode == ED_SET ? v : first.v + v;
			first.mode = mode == ED_SET ? ED_SET : first.mode;
		} else if (ned < sizeof(ed) / sizeof(*ed)) {
			ed[ned++] = (struct edit){ l->key, v, mode, l->bytes };
		} else {
			die("%s: more than %zu edits of one record", r->path, sizeof(ed) / sizeof(*ed));
		}
	}
	if (!strcmp(r->path, "/proc/uptime")) {
		double up = uptime0 + g->t;
		ms_buf_addf(o, "%.2f %.2f\n", up, up * 1.9);
	} else if (single_number(r)) {
		edit_fields(r->data, r->len, 1, &first, 1, o);
	} else {
		edit_lines(r->data, r->len, ed, ned, o);
	}
	emit(g, tier, r, r->path, o->data, o->len);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: genbundle -s SEED -o OUT [-n SAMPLES] [-p PROCS] [-i INTERVAL_S] [-P PLAN]\n"
		"                 [-1 ROLLUP_EVERY] [-2 SMAPS_EVERY] [-t TEMPLATE_SAMPLE] [-l LEVEL]\n"
		"                 [-H HOSTNAME] [-R SEGMENT_SAMPLES]  (OUT: a recorder's directory,\n"
		"                 its ring/ of segments of SEGMENT_SAMPLES samples, as memsnap record\n"
		"                 writes them)\n"
		"defaults: -n 8640 -p 500 -i 10 -l 3 (a 24 h collection at 10 s); -1 and -2\n"
		"as the collector's default 60 s rollup and 5 min smaps cadences at that interval\n");
	exit(2);
}

static void fmt_ts(char *buf, size_t n, double base, double add)
{
	/* seconds with nanoseconds, as the collector writes them */
	long long s = (long long)base;
	double frac = base - (double)s + add;
	long long whole = (long long)frac;
	s += whole;
	frac -= (double)whole;
	if (frac < 0) {
		frac += 1;
		s--;
	}
	snprintf(buf, n, "%lld.%09ld", s, (long)(frac * 1e9));
}

static unsigned opt_uint(const char *s, char opt)
{
	char *e;
	errno = 0;
	unsigned long v = strtoul(s, &e, 10);
	if (e == s || *e || errno || v > 100000000)
		die("-%c: not a number: %s", opt, s);
	return (unsigned)v;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	o->samples = 8640;
	o->procs = 500;
	o->interval_s = 10;
	o->level = 3;
	int c;
	while ((c = getopt(argc, argv, "s:o:n:p:i:1:2:t:l:P:H:R:h")) != -1) {
		switch (c) {
		case 's': o->seed = optarg; break;
		case 'o': o->out = optarg; break;
		case 'P': o->plan = optarg; break;
		case 'H': o->hostname = optarg; break;
		case 'n': o->samples = opt_uint(optarg, 'n'); break;
		case 'p': o->procs = opt_uint(optarg, 'p'); break;
		case 'i': o->interval_s = opt_uint(optarg, 'i'); break;
		case '1': o->every1 = opt_uint(optarg, '1'); break;
		case '2': o->every2 = opt_uint(optarg, '2'); break;
		case 't': o->template_sample = opt_uint(optarg, 't'); break;
		case 'l': o->level = (int)opt_uint(optarg, 'l'); break;
		case 'R': o->ring = opt_uint(optarg, 'R'); break;
		default: usage();
		}
	}
	if (!o->seed || !o->out || !o->samples || !o->procs || !o->interval_s || optind != argc)
		usage();
	/* the cadence the collector would have at this interval */
	if (!o->every1)
		o->every1 = o->interval_s >= ROLLUP_S ? 1 : (ROLLUP_S + o->interval_s / 2) / o->interval_s;
	if (!o->every2)
		o->every2 = o->interval_s >= SMAPS_S ? 1 : (SMAPS_S + o->interval_s / 2) / o->interval_s;
}

/* the comm of a seed process (its sample-1 comm record, newline dropped) */
static int comm_is(const struct proc *p, const char *comm)
{
	const struct rec *r = p->first[1];
	if (!r)
		return 0;
	size_t n = r->len;
	while (n && (r->data[n - 1] == '\n' || r->data[n - 1] == '\0'))
		n--;
	return n == strlen(comm) && !memcmp(r->data, comm, n);
}

/* the plan's process lines for each seed process; every line must name one */
static void attach_terms(const struct plan *plan, struct proc *sp, size_t nsp)
{
	for (size_t j = 0; j < plan->n; j++) {
		const struct plan_line *l = &plan->l[j];
		if (l->kind != PL_PROC)
			continue;
		int found = 0;
		for (size_t i = 0; i < nsp; i++)
			if (comm_is(&sp[i], l->target)) {
				sp[i].terms = xrealloc(sp[i].terms, (sp[i].nterms + 1) * sizeof(*sp[i].terms));
				sp[i].terms[sp[i].nterms++] = l;
				found = 1;
			}
		if (!found)
			die("%s:%d: no process '%s' in the seed's template sample", plan->path,
			    l->lineno, l->target);
	}
}

/* The seed's processes of the template sample, with their records. */
static struct proc *seed_procs(const struct recs *t0, const struct recs *t1,
			       const struct recs *firsts, size_t *n)
{
	struct proc *sp = NULL;
	size_t nsp = 0;
	for (size_t i = 0; i < t0->n; i++) {
		const struct rec *r = &t0->r[i];
		if (r->pid < 0)
			continue;
		if (!strcmp(r->file, "stat") && !strcmp(r->status, "ok")) {
			sp = xrealloc(sp, (nsp + 1) * sizeof(*sp));
			struct proc *p = &sp[nsp++];
			memset(p, 0, sizeof(*p));
			p->src = p->pid = r->pid;
			p->t0 = xmalloc(16 * sizeof(*p->t0));
		}
		if (!nsp || sp[nsp - 1].src != r->pid)
			continue; /* a PID without a readable stat: not a sampled process */
		struct proc *p = &sp[nsp - 1];
		if (!strcmp(r->file, "cmdline") || !strcmp(r->file, "comm"))
			continue; /* sample 1 only, from FIRSTS */
		if (p->nt0 < 16)
			p->t0[p->nt0++] = r;
		if (!strcmp(r->file, "statm") && !strcmp(r->status, "ok"))
			p->has_mm = strtoull(r->data, NULL, 10) > 0;
	}
	for (size_t i = 0; i < nsp; i++) {
		for (size_t j = 0; j < t1->n; j++)
			if (t1->r[j].pid == sp[i].src && !strcmp(t1->r[j].file, "smaps_rollup"))
				sp[i].rollup = &t1->r[j];
		for (size_t j = 0; j < firsts->n; j++)
			if (firsts->r[j].pid == sp[i].src)
				sp[i].first[firsts->r[j].file[1] == 'o' ? 1 : 0] = &firsts->r[j];
	}
	*n = nsp;
	return sp;
}

/* PROCS processes from the NSP of the seed (see the top of the file). */
static struct proc *population(const struct proc *sp, size_t nsp, unsigned procs, size_t *replicas)
{
	struct proc *out = xmalloc(procs * sizeof(*out));
	*replicas = 0;
	if (nsp >= procs) {
		/* the planted ones, then an evenly spaced subset of the rest, in PID order */
		size_t planted = 0, j = 0;
		for (size_t i = 0; i < nsp; i++)
			planted += sp[i].nterms > 0;
		if (planted > procs)
			die("the plan names %zu processes, more than -p %u", planted, procs);
		size_t others = nsp - planted, want = procs - planted, seen = 0, next = 0;
		for (size_t i = 0; i < nsp; i++) {
			if (sp[i].nterms) {
				out[j++] = sp[i];
				continue;
			}
			if (next < want && seen == next * others / want) {
				out[j++] = sp[i];
				next++;
			}
			seen++;
		}
		return out;
	}
	int64_t maxpid = 0;
	for (size_t i = 0; i < nsp; i++)
		maxpid = sp[i].src > maxpid ? sp[i].src : maxpid;
	/* replicas evenly spaced over the seed's list (PID order), so that the
	 * mix (kernel threads, small and large processes) is kept; a replica
	 * of a planted process is steady */
	size_t extra = procs - nsp;
	for (unsigned i = 0; i < procs; i++) {
		out[i] = i < nsp ? sp[i] : sp[((size_t)(i - nsp) * nsp / extra) % nsp];
		if (i >= nsp) {
			/* above every seed PID, ascending, like a later fork */
			out[i].pid = (maxpid / 1000 + 1) * 1000 + (int64_t)(i - nsp) * 3 + 1;
			out[i].nterms = 0;
			(*replicas)++;
		}
	}
	return out;
}

/* the middle tier-0-only sample of the seed */
static unsigned middle_sample(const struct seed *seed, unsigned nseed)
{
	unsigned *cand = xmalloc(nseed * sizeof(*cand)), nc = 0;
	for (unsigned sn = 1; sn <= nseed; sn++)
		if (meta_tiers(find_member(seed, sn, "meta")) == 1)
			cand[nc++] = sn;
	unsigned t = nc ? cand[nc / 2] : nseed;
	free(cand);
	return t;
}

/* the system records of the template with the plan's lines for each */
static struct sysrec *sys_records(const struct recs *t0, const struct plan *plan, size_t *n)
{
	struct sysrec *s = NULL;
	size_t ns = 0;
	for (size_t i = 0; i < t0->n; i++) {
		if (t0->r[i].pid >= 0)
			continue;
		s = xrealloc(s, (ns + 1) * sizeof(*s));
		struct sysrec *x = &s[ns++];
		x->r = &t0->r[i];
		x->pl = NULL;
		x->npl = 0;
		for (size_t j = 0; j < plan->n; j++)
			if (plan_matches_path(&plan->l[j], x->r->path)) {
				x->pl = xrealloc(x->pl, (x->npl + 1) * sizeof(*x->pl));
				x->pl[x->npl++] = &plan->l[j];
			}
	}
	*n = ns;
	return s;
}

/* a plan's gauge or counter line that matches no record is a mistake (only
 * the records of tier 0 are planted: zoneinfo stays the seed's) */
static void check_plan_paths(const struct plan *plan, const struct sysrec *s, size_t ns)
{
	for (size_t j = 0; j < plan->n; j++) {
		const struct plan_line *l = &plan->l[j];
		int hit = l->kind == PL_PROC;
		for (size_t i = 0; i < ns && !hit; i++)
			for (size_t k = 0; k < s[i].npl && !hit; k++)
				hit = s[i].pl[k] == l;
		if (!hit)
			die("%s:%d: no tier-0 record of the seed's template sample matches '%s'", plan->path,
			    l->lineno, l->target);
	}
}

/* Everything the writer needs from the seed (see the top of the file).
 * Over 80 lines: one pass of reading whose steps share their locals. */
static void load_template(struct gen *g, struct tmpl *tp)
{
	struct opts *o = &g->o;
	static struct seed seed;
	seed_read(o->seed, &seed);
	unsigned nseed = 0, last_t1 = 0, last_t2 = 0;
	for (size_t i = 0; i < seed.n; i++) {
		const char *kind;
		unsigned sn = member_sample(seed.m[i].name, &kind);
		if (!strcmp(seed.m[i].name, MS_MEMBER_HEADER))
			tp->header = &seed.m[i];
		if (sn && !strcmp(kind, "meta")) {
			nseed = sn > nseed ? sn : nseed;
			unsigned tiers = meta_tiers(&seed.m[i]);
			if (tiers & 2)
				last_t1 = sn;
			if (tiers & 4)
				last_t2 = sn;
		}
	}
	if (!tp->header || !nseed)
		die("%s: no header or no complete sample", o->seed);
	if (!o->template_sample)
		o->template_sample = middle_sample(&seed, nseed);
	tp->tmeta = find_member(&seed, o->template_sample, "meta");
	tp->t1meta = last_t1 ? find_member(&seed, last_t1, "meta") : NULL;
	tp->host = find_member(&seed, 1, "host");
	if (!tp->tmeta)
		die("seed sample %u: no meta", o->template_sample);

	struct ms_buf text;
	ms_buf_init(&text, 1 << 20);
	static struct recs t0, t1, t2, firsts;
	sample_tier(&seed, o->template_sample, 0, &text);
	parse_records(text.data, text.len, "template t0", &t0);
	if (last_t1) {
		sample_tier(&seed, last_t1, 1, &text);
		parse_records(text.data, text.len, "template t1", &t1);
	}
	if (last_t2) {
		sample_tier(&seed, last_t2, 2, &text);
		parse_records(text.data, text.len, "template t2", &t2);
	}
	/* cmdline / comm of every process, from the sample where it appears */
	for (unsigned sn = 1; sn <= nseed; sn++) {
		sample_tier(&seed, sn, 0, &text);
		struct recs all = { 0 };
		parse_records(text.data, text.len, "seed t0", &all);
		for (size_t i = 0; i < all.n; i++)
			if (all.r[i].pid > 0 &&
			    (!strcmp(all.r[i].file, "cmdline") || !strcmp(all.r[i].file, "comm")))
				recs_push(&firsts, &all.r[i]);
		free(all.r); /* the strings are kept: FIRSTS may point at them */
	}
	ms_buf_release(&text);

	size_t nsp;
	struct proc *sp = seed_procs(&t0, &t1, &firsts, &nsp);
	if (!nsp)
		die("seed sample %u has no process", o->template_sample);
	attach_terms(&g->plan, sp, nsp);
	size_t replicas;
	tp->procs = population(sp, nsp, o->procs, &replicas);
	tp->nprocs = o->procs;
	for (size_t i = 0; i < tp->nprocs; i++)
		tp->procs[i].h = mix32((uint64_t)tp->procs[i].pid * 0x9e3779b97f4a7c15ull);
	tp->sys = sys_records(&t0, &g->plan, &tp->nsys);
	check_plan_paths(&g->plan, tp->sys, tp->nsys);
	/* tier 2: the seed's picks that are in the population */
	for (size_t j = 0; j < t2.n; j++)
		for (size_t i = 0; i < tp->nprocs; i++)
			if (tp->procs[i].pid == t2.r[j].pid) {
				recs_push(&tp->deep, &t2.r[j]);
				break;
			}
	for (size_t j = 0; j < t1.n; j++)
		if (!strcmp(t1.r[j].path, "/proc/zoneinfo"))
			tp->zoneinfo = &t1.r[j];

	fprintf(stderr,
		"genbundle: seed %s: %u samples; template sample %u (%zu processes, %zu system "
		"records), tier-1 sample %u, tier-2 sample %u (%zu records kept)\n"
		"genbundle: writing %u samples x %u processes (%zu replicated) at %u s to %s\n",
		o->seed, nseed, o->template_sample, nsp, tp->nsys, last_t1, last_t2, tp->deep.n,
		o->samples, o->procs, replicas, o->interval_s, o->out);

	/* clocks and per-sample costs from the seed */
	tp->wall0 = kv_double(tp->header, BK_WALL_START, 0);
	tp->mono0 = kv_double(tp->header, BK_MONO_START, 0);
	tp->boot0 = kv_double(tp->header, BK_BOOT_START, tp->mono0);
	double scale = (double)o->procs / (double)nsp;
	tp->cpu0 = kv_double(tp->tmeta, BK_CPU_US, 30000) * scale;
	tp->wallus0 = kv_double(tp->tmeta, BK_WALL_US, 35000) * scale;
	tp->cpu1 = kv_double(tp->t1meta, BK_TIER1_CPU_US, 0) * scale;
	tp->wall1 = kv_double(tp->t1meta, BK_TIER1_WALL_US, 0) * scale;
	tp->cpu2 = kv_double(tp->t1meta, BK_TIER2_CPU_US, 0);
	tp->wall2 = kv_double(tp->t1meta, BK_TIER2_WALL_US, 0);
	tp->cgroups = kv_double(tp->tmeta, BK_CGROUPS, 0);
}

/* A boot id of its own for HOST (UUID-shaped, from FNV-1a of the name),
 * so that bundles given distinct names are distinct hosts to the analyzer. */
static void boot_id_for(const char *host, char *out, size_t n)
{
	uint64_t a = 1469598103934665603ull, b;
	for (const char *c = host; *c; c++)
		a = (a ^ (unsigned char)*c) * 1099511628211ull;
	b = (a ^ 0x9e3779b97f4a7c15ull) * 1099511628211ull;
	snprintf(out, n, "%08x-%04x-%04x-%04x-%012llx\n", (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
		 (unsigned)a & 0xffff, (unsigned)(b >> 48), (unsigned long long)(b & 0xffffffffffffull));
}

/* record R's text with HOST as the host name (hostname, uname's nodename)
 * and BOOT as the boot id, into TEXT */
static void renamed_record(const struct ms_record *r, const char *path, const char *host,
			   const char *boot, struct ms_buf *text)
{
	if (!strcmp(path, "/proc/sys/kernel/hostname")) {
		ms_buf_addf(text, "%s\n", host);
	} else if (!strcmp(path, "/proc/sys/kernel/random/boot_id")) {
		ms_buf_addstr(text, boot);
	} else if (!strcmp(path, "memsnap:uname")) {
		size_t p = 0;
		struct bt_span k, v;
		while (bt_next_line(r->data, r->len, &p, &k, &v)) {
			int node = k.n == 8 && !memcmp(k.p, "nodename", 8);
			ms_buf_addf(text, "%.*s %.*s\n", (int)k.n, k.p, node ? (int)strlen(host) : (int)v.n,
				    node ? host : v.p);
		}
	} else {
		ms_buf_add(text, r->data, r->len);
	}
}

/* sample 1's host member: the seed's, renamed with -H */
static void write_host(struct gen *g, const struct member *m)
{
	struct ms_err err = MS_ERR_INIT;
	struct ms_buf out, path, text;
	if (ms_buf_init(&out, m->len + 256) < 0 || ms_buf_init(&path, 256) < 0 ||
	    ms_buf_init(&text, 256) < 0)
		die("out of memory");
	char boot[64];
	struct ms_record r;
	size_t pos = 0;
	if (g->o.hostname)
		boot_id_for(g->o.hostname, boot, sizeof(boot));
	while (g->o.hostname && record_next(m->data, m->len, &pos, &r, m->name, &err) > 0) {
		if (record_path(&r, &path) < 0)
			die("out of memory");
		ms_buf_reset(&text);
		renamed_record(&r, path.data, g->o.hostname, boot, &text);
		char *status = strndup(r.status, r.status_len);
		int ok = record_status_is(&r, "ok");
		if (!status || record_append(&out, status, path.data, ok ? text.data : NULL,
					     ok ? text.len : 0, r.usec) < 0)
			die("out of memory");
		free(status);
	}
	if (!g->o.hostname && ms_buf_add(&out, m->data, m->len) < 0)
		die("out of memory");
	if (bundle_writer_add(g->w, "000001/host", out.data, out.len, g->mtime, &err) < 0)
		die("%s", ms_err_msg(&err));
	ms_buf_release(&out);
	ms_buf_release(&path);
	ms_buf_release(&text);
}

/* the header: the seed's, with this run's settings */
/* The header: the seed's, with this run's settings; a ring's segment (SEQ
 * > 0) says so, and starts at WALL */
static void write_header(struct gen *g, const struct tmpl *tp, unsigned seq, double wall,
			 struct ms_buf *meta)
{
	static const enum bt_key replaced[] = { BK_COMMAND, BK_INTERVAL_MS, BK_DURATION_MS, BK_COUNT,
						BK_TIER1_EVERY, BK_TIER2_EVERY, BK_WALL_START };
	const struct opts *o = &g->o;
	struct ms_err err = MS_ERR_INIT;
	size_t pos = 0;
	struct bt_span k, v;
	ms_buf_reset(meta);
	while (bt_next_line(tp->header->data, tp->header->len, &pos, &k, &v)) {
		int skip = 0;
		for (size_t i = 0; i < sizeof(replaced) / sizeof(*replaced); i++)
			skip |= k.n == strlen(bt_key_name(replaced[i])) &&
				!memcmp(k.p, bt_key_name(replaced[i]), k.n);
		skip |= o->hostname && k.n == strlen(bt_key_name(BK_HOSTNAME)) &&
			!memcmp(k.p, bt_key_name(BK_HOSTNAME), k.n);
		if (!skip)
			ms_buf_addf(meta, "%.*s %.*s\n", (int)k.n, k.p, (int)v.n, v.p);
	}
	bt_put(meta, BK_COMMAND, "%s -i %us -d %us (synthetic: bench/genbundle -n %u -p %u from %s%s%s)",
	       o->ring ? "record" : "collect", o->interval_s, o->samples * o->interval_s, o->samples, o->procs, o->seed,
	       o->plan ? " with " : "", o->plan ? o->plan : "");
	bt_put(meta, BK_INTERVAL_MS, "%u", o->interval_s * 1000);
	bt_put_u64(meta, BK_DURATION_MS, (uint64_t)o->samples * o->interval_s * 1000ull);
	bt_put_u64(meta, BK_COUNT, 0);
	bt_put(meta, BK_TIER1_EVERY, "%u", o->every1);
	bt_put(meta, BK_TIER2_EVERY, "%u", o->every2);
	if (o->hostname)
		bt_put(meta, BK_HOSTNAME, "%s", o->hostname);
	char w[40];
	fmt_ts(w, sizeof(w), wall, 0);
	bt_put(meta, BK_WALL_START, "%s", w);
	if (seq) {
		bt_put(meta, BK_BUNDLE_KIND, "segment");
		bt_put(meta, BK_RING_ID, "00000000genbundle");
		bt_put(meta, BK_RING_SEQ, "%u", seq);
	}
	if (bundle_writer_add(g->w, MS_MEMBER_HEADER, meta->data, meta->len, (time_t)wall, &err) < 0)
		die("%s", ms_err_msg(&err));
}

/* the records of sample G->sample, for TIERS */
static void write_records(struct gen *g, const struct tmpl *tp, unsigned tiers, double late)
{
	for (size_t i = 0; i < tp->nsys; i++)
		emit_sys(g, 0, &tp->sys[i], tp->boot0 + late);
	for (size_t i = 0; i < tp->nprocs; i++) {
		const struct proc *p = &tp->procs[i];
		for (size_t j = 0; j < p->nt0; j++)
			emit_proc(g, 0, p, p->t0[j]);
		if (g->sample == 1)
			for (int f = 0; f < 2; f++)
				if (p->first[f])
					emit_proc(g, 0, p, p->first[f]);
		if ((tiers & 2) && p->rollup)
			emit_proc(g, 1, p, p->rollup);
	}
	if ((tiers & 2) && tp->zoneinfo) {
		struct sysrec z = { tp->zoneinfo, NULL, 0 };
		emit_sys(g, 1, &z, 0);
	}
	if (tiers & 4)
		for (size_t j = 0; j < tp->deep.n; j++)
			for (size_t i = 0; i < tp->nprocs; i++)
				if (tp->procs[i].pid == tp->deep.r[j].pid) {
					emit_proc(g, 2, &tp->procs[i], &tp->deep.r[j]);
					break;
				}
	for (int t = 0; t < MS_TIERS; t++)
		if ((tiers & (1u << t)) && (g->buf[t].len || g->part[t] == 0))
			flush_member(g, t);
}

/* the meta member of sample K; returns its CPU microseconds, sets *END */
static uint64_t write_meta(struct gen *g, const struct tmpl *tp, unsigned tiers, double start,
			   double late, uint64_t offset, double *end, struct ms_buf *meta)
{
	unsigned k = g->sample;
	struct ms_err err = MS_ERR_INIT;
	double f = 1.0 + (double)jitter(k, 11, 4, 50) / 1000.0; /* +-5 % */
	uint64_t c0 = (uint64_t)(tp->cpu0 * f), w0 = (uint64_t)(tp->wallus0 * f);
	uint64_t c1 = (tiers & 2) ? (uint64_t)(tp->cpu1 * f) : 0, w1 = (tiers & 2) ? (uint64_t)(tp->wall1 * f) : 0;
	uint64_t c2 = (tiers & 4) ? (uint64_t)(tp->cpu2 * f) : 0, w2 = (tiers & 4) ? (uint64_t)(tp->wall2 * f) : 0;
	uint64_t cpu = c0 + c1 + c2, wall = w0 + w1 + w2;
	char wbuf[40], mbuf[40], bbuf[40], webuf[40], mebuf[40];
	fmt_ts(wbuf, sizeof(wbuf), tp->wall0, start);
	fmt_ts(mbuf, sizeof(mbuf), tp->mono0, start);
	fmt_ts(bbuf, sizeof(bbuf), tp->boot0, start);
	fmt_ts(webuf, sizeof(webuf), tp->wall0, start + (double)wall / 1e6);
	fmt_ts(mebuf, sizeof(mebuf), tp->mono0, start + (double)wall / 1e6);
	*end = start + (double)wall / 1e6;
	ms_buf_reset(meta);
	bt_put(meta, BK_SAMPLE, "%u", k);
	bt_put(meta, BK_TIERS, "0%s%s", (tiers & 2) ? " 1" : "", (tiers & 4) ? " 2" : "");
	bt_put(meta, BK_WALL, "%s", wbuf);
	bt_put(meta, BK_MONO, "%s", mbuf);
	bt_put(meta, BK_BOOT, "%s", bbuf);
	bt_put(meta, BK_WALL_END, "%s", webuf);
	bt_put(meta, BK_MONO_END, "%s", mebuf);
	bt_put_u64(meta, BK_LATE_US, (uint64_t)(late * 1e6));
	bt_put_u64(meta, BK_MISSED_TICKS, 0);
	bt_put_u64(meta, BK_CPU_US, cpu);
	bt_put_u64(meta, BK_WALL_US, wall);
	const uint64_t tier_cpu[MS_TIERS] = { c0, c1, c2 }, tier_wall[MS_TIERS] = { w0, w1, w2 };
	for (int t = 0; t < MS_TIERS; t++)
		if (tiers & (1u << t)) {
			bt_put_u64(meta, (enum bt_key)(BK_TIER0_CPU_US + t), tier_cpu[t]);
			bt_put_u64(meta, (enum bt_key)(BK_TIER0_WALL_US + t), tier_wall[t]);
		}
	uint64_t gaps = 0;
	for (size_t i = 0; i < g->ngaps; i++)
		gaps += g->gn[i];
	bt_put(meta, BK_PROCESSES, "%u", g->o.procs);
	bt_put_u64(meta, BK_CGROUPS, (uint64_t)tp->cgroups);
	bt_put_u64(meta, BK_RECORDS, g->records);
	bt_put_u64(meta, BK_READ_BYTES, g->read_bytes);
	bt_put_u64(meta, BK_OFFSET, offset);
	bt_put_u64(meta, BK_GAPS, gaps);
	for (size_t i = 0; i < g->ngaps; i++)
		if (g->gn[i])
			bt_put(meta, BK_GAP, "%s %llu", g->gk[i], (unsigned long long)g->gn[i]);
	char name[64];
	snprintf(name, sizeof(name), MS_SAMPLE_NAME_FMT, k, "meta");
	if (bundle_writer_add(g->w, name, meta->data, meta->len, g->mtime, &err) < 0 ||
	    bundle_writer_commit(g->w, &err) < 0)
		die("sample %u: %s", k, ms_err_msg(&err));
	return cpu;
}

/* the trailer in a frame of its own, as the collector writes it */
static void write_trailer(struct gen *g, const struct tmpl *tp, unsigned samples, const char *reason,
			  double last_start, double last_end, uint64_t cpu_total, struct ms_buf *meta)
{
	struct ms_err err = MS_ERR_INIT;
	char lwbuf[40], webuf[40], mebuf[40];
	if (bundle_writer_end_frame(g->w, &err) < 0)
		die("trailer: %s", ms_err_msg(&err));
	fmt_ts(lwbuf, sizeof(lwbuf), tp->wall0, last_start);
	fmt_ts(webuf, sizeof(webuf), tp->wall0, last_end + 0.001);
	fmt_ts(mebuf, sizeof(mebuf), tp->mono0, last_end + 0.001);
	uint64_t gaps = 0;
	for (size_t i = 0; i < g->ngaps; i++)
		gaps += g->gall[i];
	ms_buf_reset(meta);
	bt_put(meta, BK_SAMPLES, "%u", samples);
	bt_put(meta, BK_END_REASON, "%s", reason);
	bt_put(meta, BK_LAST_WALL, "%s", lwbuf);
	bt_put(meta, BK_WALL_END, "%s", webuf);
	bt_put(meta, BK_MONO_END, "%s", mebuf);
	bt_put_u64(meta, BK_CPU_US, cpu_total);
	bt_put_u64(meta, BK_BYTES_BEFORE_TRAILER, bundle_writer_bytes(g->w));
	bt_put_u64(meta, BK_GAPS, gaps);
	for (size_t i = 0; i < g->ngaps; i++)
		bt_put(meta, BK_GAP, "%s %llu", g->gk[i], (unsigned long long)g->gall[i]);
	bt_put(meta, BK_TRIGGER_LINES, "0"); /* it writes no trigger */
	if (bundle_writer_add(g->w, MS_MEMBER_TRAILER, meta->data, meta->len, g->mtime, &err) < 0 ||
	    bundle_writer_close(g->w, &err) < 0)
		die("trailer: %s", ms_err_msg(&err));
}

/* A new bundle at PATH (a segment SEQ of a ring starting at WALL, or the
 * bundle: SEQ 0): its writer, header and this bundle's gap totals */
static int open_bundle(struct gen *g, const struct tmpl *tp, const char *path, unsigned seq,
		       double wall, struct ms_buf *meta)
{
	struct ms_err err = MS_ERR_INIT;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	struct bundle_writer_opts wo = { g->o.level, 21, 64ull << 20, 0 }; /* as collector.c */
	if (bundle_writer_open(&g->w, fd, &wo, &err) < 0)
		die("%s", ms_err_msg(&err));
	for (size_t i = 0; i < g->ngaps; i++)
		g->gall[i] = 0;
	write_header(g, tp, seq, wall, meta);
	return fd;
}

static void close_bundle(struct gen *g, int fd)
{
	bundle_writer_free(g->w);
	g->w = NULL;
	if (fsync(fd) < 0 && errno != EINVAL)
		die("fsync: %s", strerror(errno));
	close(fd);
}

/* OUT/ring/seg-SEQ-TIME.tar.zst, as memsnap record names them */
static void segment_path(const struct opts *o, unsigned seq, double wall, char *path, size_t n)
{
	time_t ts = (time_t)wall;
	struct tm tm;
	char stamp[32];
	gmtime_r(&ts, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	if (snprintf(path, n, "%s/ring/seg-%010u-%s.tar.zst", o->out, seq, stamp) >= (int)n)
		die("%s: name too long", o->out);
}

static void progress(const struct gen *g, unsigned k, const struct timespec *ts0)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double el = (double)(ts.tv_sec - ts0->tv_sec) + (double)(ts.tv_nsec - ts0->tv_nsec) / 1e9;
	fprintf(stderr, "genbundle: %u/%u samples, %.1f MiB tar -> %.1f MiB, %.1f s\n", k,
		g->o.samples, (double)bundle_writer_raw_bytes(g->w) / 1048576.0,
		(double)bundle_writer_bytes(g->w) / 1048576.0, el);
}

int main(int argc, char **argv)
{
	static struct gen g;
	static struct tmpl tp;
	struct opts *o = &g.o;
	parse_opts(argc, argv, o);
	if (o->plan)
		plan_load(o->plan, &g.plan);
	load_template(&g, &tp);

	for (int t = 0; t < MS_TIERS; t++)
		ms_buf_init(&g.buf[t], 2 * MEMBER_CHUNK);
	ms_buf_init(&g.scratch, 1 << 16);
	ms_buf_init(&g.path, 256);
	struct ms_buf meta;
	ms_buf_init(&meta, 4096);
	int fd = -1;
	if (o->ring) {
		char d[4096];
		snprintf(d, sizeof(d), "%s/ring", o->out);
		if ((mkdir(o->out, 0755) < 0 && errno != EEXIST) || (mkdir(d, 0755) < 0 && errno != EEXIST))
			die("%s: %s", d, strerror(errno));
	} else {
		fd = open_bundle(&g, &tp, o->out, 0, tp.wall0, &meta);
	}

	uint64_t cpu_total = 0;
	double last_start = 0, last_end = 0;
	struct timespec ts0;
	clock_gettime(CLOCK_MONOTONIC, &ts0);
	unsigned seg_first = 1;
	for (unsigned k = 1; k <= o->samples; k++) {
		unsigned tick = k - 1;
		int final = k == o->samples;
		unsigned tiers = 1u | ((tick % o->every1 == 0 || final) ? 2u : 0) |
				 ((tick % o->every2 == 0 || final) ? 4u : 0);
		if (o->ring && tick % o->ring == 0) {
			if (k > 1) {
				write_trailer(&g, &tp, k - seg_first, "rotation", last_start, last_end,
					      cpu_total, &meta);
				close_bundle(&g, fd);
			}
			char path[4096];
			double wall = tp.wall0 + (double)tick * o->interval_s;
			segment_path(o, tick / o->ring + 1, wall, path, sizeof(path));
			fd = open_bundle(&g, &tp, path, tick / o->ring + 1, wall, &meta);
			seg_first = k;
			cpu_total = 0;
		}
		g.sample = k - seg_first + 1;
		g.t = (double)tick * o->interval_s;
		g.records = g.read_bytes = 0;
		for (size_t i = 0; i < g.ngaps; i++)
			g.gn[i] = 0;
		for (int t = 0; t < MS_TIERS; t++) {
			ms_buf_reset(&g.buf[t]);
			g.part[t] = 0;
		}
		double late = (double)(200 + (mix32(k) % 900)) / 1e6; /* s */
		double start = g.t + late;
		g.mtime = (time_t)(tp.wall0 + start);
		uint64_t offset = bundle_writer_bytes(g.w);
		if (g.sample == 1 && tp.host)
			write_host(&g, tp.host);
		write_records(&g, &tp, tiers, late);
		cpu_total += write_meta(&g, &tp, tiers, start, late, offset, &last_end, &meta);
		last_start = start;
		if (k % 1000 == 0 || final)
			progress(&g, k, &ts0);
	}
	uint64_t bytes = bundle_writer_bytes(g.w), raw = bundle_writer_raw_bytes(g.w);
	write_trailer(&g, &tp, o->samples - seg_first + 1, "duration", last_start, last_end, cpu_total,
		      &meta);
	close_bundle(&g, fd);
	fprintf(stderr, "genbundle: wrote %s: %.1f MiB (%.1f MiB of tar)%s\n", o->out,
		(double)bytes / 1048576.0, (double)raw / 1048576.0, o->ring ? " in its last segment" : "");
	return 0;
}
