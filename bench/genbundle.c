/*
 * genbundle.c - write a large synthetic bundle by replicating a real one.
 *
 * bench/load-throughput's generator: it reads a short bundle recorded by
 * the real collector on this machine (the seed) and writes a bundle of
 * SAMPLES samples of PROCS processes with the project's own bundle writer
 * (collect/bundle_writer.c: same tar + zstd stream, level, window and
 * frames as `memsnap collect`), as a collection at INTERVAL with the
 * default tier cadence would have:
 *
 *   memsnap.header          the seed's, with the interval, count, duration,
 *                           cadences and command of the synthetic run
 *   000001/host             the seed's sample-1 host member, verbatim
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
 * seed processes than PROCS an evenly spaced subset is kept; with fewer,
 * processes are replicated (round robin) under new PIDs above the
 * largest seed PID: /proc/NEW/... paths, and the PID rewritten in stat
 * (field 1) and in status (Pid, Tgid).  Start times are kept: identity is
 * (pid, starttime), so every replica is a distinct process.
 *
 * Variation, so that the samples are not byte-identical (and the zstd
 * window cannot simply repeat the previous sample): per sample and
 * process, deterministic functions of (sample, pid) move minflt, utime,
 * stime (counters: growing), rss, processor (stat), resident (statm),
 * VmRSS, RssAnon, VmHWM (status), Rss, Pss, Pss_Anon, Anonymous,
 * Private_Dirty (smaps_rollup), and the system counters (meminfo MemFree,
 * MemAvailable, Cached; vmstat nr_free_pages, pgfault, pgalloc_normal,
 * pgfree; uptime; PSI totals; cgroup usage and memory.stat rss/cache).
 *
 * Not modelled: process churn (the same processes live for the whole
 * run), missed ticks, deferred tiers.
 *
 * Build (see bench/load-throughput): gcc -O2 -I common -I collect
 *   bench/genbundle.c build/libms_collect.a build/libms_common.a -larchive -lzstd
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_format.h"
#include "bundle_text.h"
#include "bundle_reader.h"
#include "bundle_writer.h"
#include "ms_buf.h"
#include "ms_err.h"
#include "record.h"

#define MEMBER_CHUNK (1u << 20) /* as collect/sampler.c */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "genbundle: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* ---- the seed, in memory ---- */

struct member {
	char *name;
	char *data;
	size_t len;
};

struct seed {
	struct member *m;
	size_t n, cap;
};

static int on_seed_member(void *ctx, const struct bundle_member *bm, struct ms_err *err)
{
	(void)err;
	struct seed *s = ctx;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->m = xrealloc(s->m, s->cap * sizeof(*s->m));
	}
	s->m[s->n].name = xstrndup(bm->name, strlen(bm->name));
	s->m[s->n].data = xstrndup(bm->data, bm->len);
	s->m[s->n].len = bm->len;
	s->n++;
	return 0;
}

static unsigned member_sample(const char *name, const char **kind)
{
	char *end;
	*kind = "";
	if (*name < '0' || *name > '9')
		return 0;
	unsigned long v = strtoul(name, &end, 10);
	if (end == name || *end != '/')
		return 0;
	*kind = end + 1;
	return (unsigned)v;
}

/* KEY of a key-value member (bundle_text.h), or DFLT when absent or not a number */
static double kv_double(const struct member *m, enum bt_key key, double dflt)
{
	double d;
	return m && bt_get_double(m->data, m->len, key, &d) == BT_FOUND ? d : dflt;
}

/* the tiers a sample's meta says ran (bit T: tier T), or 0 */
static unsigned meta_tiers(const struct member *m)
{
	struct bt_span v;
	return m && bt_get(m->data, m->len, BK_TIERS, &v) == BT_FOUND ? bt_tiers_mask(v) : 0;
}

/* the concatenated parts of one sample's tier (t0, t0.1 ...) */
static void sample_tier(const struct seed *s, unsigned sample, int tier, struct ms_buf *out)
{
	ms_buf_reset(out);
	char base[8];
	snprintf(base, sizeof(base), "t%d", tier);
	for (size_t i = 0; i < s->n; i++) {
		const char *kind;
		if (member_sample(s->m[i].name, &kind) != sample)
			continue;
		if (strncmp(kind, base, 2) || (kind[2] && kind[2] != '.'))
			continue;
		if (ms_buf_add(out, s->m[i].data, s->m[i].len) < 0)
			die("out of memory");
	}
}

static const struct member *find_member(const struct seed *s, unsigned sample, const char *kind)
{
	for (size_t i = 0; i < s->n; i++) {
		const char *k;
		if (member_sample(s->m[i].name, &k) == sample && !strcmp(k, kind))
			return &s->m[i];
	}
	return NULL;
}

/* ---- records ---- */

struct rec {
	char *status;
	char *path;      /* decoded */
	const char *file; /* for /proc/PID/FILE: points into path; else NULL */
	int64_t pid;     /* -1 when not a process file */
	char *data;
	size_t len;
	int64_t usec;
};

struct recs {
	struct rec *r;
	size_t n, cap;
};

static void recs_push(struct recs *v, const struct rec *r)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->r = xrealloc(v->r, v->cap * sizeof(*v->r));
	}
	v->r[v->n++] = *r;
}

static void parse_records(const char *text, size_t len, const char *what, struct recs *out)
{
	size_t pos = 0;
	struct ms_record r;
	struct ms_err err = MS_ERR_INIT;
	struct ms_buf path;
	if (ms_buf_init(&path, 256) < 0)
		die("out of memory");
	int rc;
	while ((rc = record_next(text, len, &pos, &r, what, &err)) > 0) {
		if (record_path(&r, &path) < 0)
			die("out of memory");
		struct rec x;
		x.status = xstrndup(r.status, r.status_len);
		x.path = xstrndup(path.data, path.len);
		x.data = xstrndup(r.data, r.len);
		x.len = r.len;
		x.usec = r.usec;
		x.pid = -1;
		x.file = NULL;
		if (!strncmp(x.path, "/proc/", 6) && x.path[6] >= '1' && x.path[6] <= '9') {
			char *end;
			long long pid = strtoll(x.path + 6, &end, 10);
			if (*end == '/') {
				x.pid = pid;
				x.file = end + 1;
			} else if (!*end) {
				x.pid = pid;
				x.file = end; /* "/proc/PID" gap: empty file name */
			}
		}
		recs_push(out, &x);
	}
	if (rc < 0)
		die("%s: %s", what, ms_err_msg(&err));
	ms_buf_release(&path);
}

/* ---- processes ---- */

struct proc {
	int64_t pid;         /* in the generated bundle */
	int64_t src;         /* in the seed */
	uint32_t h;          /* per-process variation seed */
	const struct rec **t0;
	size_t nt0;
	const struct rec *first[2]; /* cmdline, comm (sample 1) */
	const struct rec *rollup;
	int has_mm;          /* statm size > 0 (not a kernel thread) */
};

static uint32_t mix32(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return (uint32_t)x;
}

/* a deterministic jitter in [-span, span] for (sample, pid, salt) */
static int64_t jitter(unsigned sample, uint32_t h, unsigned salt, int64_t span)
{
	if (span <= 0)
		return 0;
	uint32_t v = mix32(((uint64_t)sample << 32) ^ h ^ ((uint64_t)salt << 20));
	return (int64_t)(v % (uint32_t)(2 * span + 1)) - span;
}

/* ---- text editing ---- */

enum { ED_ADD, ED_SET };

struct edit {
	const char *key;   /* line prefix up to the separator */
	int64_t v;         /* delta (ED_ADD) or value (ED_SET) */
	int mode;
};

static void add_num(struct ms_buf *o, int64_t v)
{
	if (ms_buf_addf(o, "%" PRId64, v) < 0)
		die("out of memory");
}

static void addb(struct ms_buf *o, const char *p, size_t n)
{
	if (ms_buf_add(o, p, n) < 0)
		die("out of memory");
}

/* Copy TEXT to OUT, applying EDITS to the first number of each line whose
 * key (the text before ':' or ' ') matches. */
static void edit_lines(const char *text, size_t len, const struct edit *ed, size_t ned,
		       struct ms_buf *out)
{
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol + 1 : end;
		const struct edit *hit = NULL;
		for (size_t i = 0; i < ned && !hit; i++) {
			size_t kl = strlen(ed[i].key);
			if ((size_t)(le - p) > kl && !memcmp(p, ed[i].key, kl) &&
			    (p[kl] == ':' || p[kl] == ' ' || p[kl] == '\t'))
				hit = &ed[i];
		}
		const char *d = NULL;
		if (hit) {
			d = p + strlen(hit->key);
			while (d < le && (*d < '0' || *d > '9'))
				d++;
			if (d == le)
				d = NULL;
		}
		if (!d) {
			addb(out, p, (size_t)(le - p));
		} else {
			const char *de = d;
			int64_t v = 0;
			while (de < le && *de >= '0' && *de <= '9')
				v = v * 10 + (*de++ - '0');
			v = hit->mode == ED_SET ? hit->v : v + hit->v;
			if (v < 0)
				v = 0;
			addb(out, p, (size_t)(d - p));
			add_num(out, v);
			addb(out, de, (size_t)(le - de));
		}
		p = le;
	}
}

/* Space-separated fields; field 1 is the first.  Fields in EDIT get a
 * delta; FIELD_SET (if > 0) is set to SET_V. */
struct field_edit {
	int field;
	int64_t v;
	int mode;
};

static void edit_fields(const char *text, size_t len, int first_field,
			const struct field_edit *fe, size_t nfe, struct ms_buf *out)
{
	const char *p = text, *end = text + len;
	int f = first_field;
	while (p < end) {
		const char *s = p;
		while (p < end && *p != ' ' && *p != '\n')
			p++;
		const struct field_edit *hit = NULL;
		for (size_t i = 0; i < nfe; i++)
			if (fe[i].field == f)
				hit = &fe[i];
		int numeric = p > s;
		int64_t v = 0;
		for (const char *q = s; q < p && numeric; q++) {
			if (*q < '0' || *q > '9')
				numeric = 0;
			else
				v = v * 10 + (*q - '0');
		}
		if (hit && numeric) {
			v = hit->mode == ED_SET ? hit->v : v + hit->v;
			add_num(out, v < 0 ? 0 : v);
		} else {
			addb(out, s, (size_t)(p - s));
		}
		if (p < end) {
			addb(out, p, 1); /* the separator */
			if (*p == ' ')
				f++;
			p++;
		}
	}
}

/* stat: "PID (COMM) STATE F4 ...": PID rewritten, fields after the comm
 * edited (field numbers as in proc(5)) */
static void edit_stat(const char *text, size_t len, int64_t pid, const struct field_edit *fe,
		      size_t nfe, struct ms_buf *out)
{
	const char *rp = NULL;
	for (size_t i = len; i > 0; i--)
		if (text[i - 1] == ')') {
			rp = text + i - 1;
			break;
		}
	const char *sp = memchr(text, ' ', len);
	if (!rp || !sp || sp > rp || rp + 2 > text + len) {
		addb(out, text, len);
		return;
	}
	add_num(out, pid);
	addb(out, sp, (size_t)(rp + 2 - sp)); /* " (comm) " */
	edit_fields(rp + 2, (size_t)(text + len - rp - 2), 3, fe, nfe, out);
}

/* ---- the generated bundle ---- */

struct opts {
	const char *seed, *out;
	unsigned samples, procs, interval_s, every1, every2, template_sample;
	unsigned ring;            /* -R: a recorder's ring of segments of RING samples in OUT/ring/ */
	int level;
};

struct gen {
	struct opts o;
	struct bundle_writer *w;
	struct ms_buf buf[MS_TIERS];
	unsigned part[MS_TIERS];
	int fd;
	unsigned sample;          /* the member's sample number (in its segment, with -R) */
	unsigned k;               /* the run's sample number: what the numbers move with */
	time_t mtime;
	struct ms_buf scratch, path, name;
	uint64_t records, read_bytes;
	/* gaps: STATUS KIND -> count, this sample and the run */
	char **gk;
	uint64_t *gn, *gall;
	size_t ngaps;
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
		snprintf(name, sizeof(name), MS_SAMPLE_NAME_FMT, g->sample, tier == 0 ? "t0" : tier == 1 ? "t1" : "t2");
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
	if (record_append(&g->buf[tier], r->status, path, ok || !strcmp(r->status, "trunc") ? data : NULL,
			  ok || !strcmp(r->status, "trunc") ? len : 0, r->usec) < 0)
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

/* one process record, varied for this sample */
static void emit_proc(struct gen *g, int tier, const struct proc *p, const struct rec *r)
{
	unsigned k = g->k;
	const char *path = proc_path(g, p->pid, r->file);
	int ok = !strcmp(r->status, "ok") || !strcmp(r->status, "trunc");
	if (!ok) {
		emit(g, tier, r, path, NULL, 0);
		return;
	}
	/* RSS moves by up to +-512 KiB (128 pages) around the seed value */
	int64_t dpages = p->has_mm ? jitter(k, p->h, 1, 128) : 0;
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
			{ "VmRSS", dpages * 4, ED_ADD }, { "RssAnon", dpages * 4, ED_ADD },
			{ "VmHWM", 512, ED_ADD },        { "Pid", p->pid, ED_SET },
			{ "Tgid", p->pid, ED_SET },
		};
		edit_lines(r->data, r->len, ed, sizeof(ed) / sizeof(*ed), o);
	} else if (!strcmp(r->file, "smaps_rollup")) {
		int64_t kb = jitter(k, p->h, 2, 128) * 4;
		struct edit ed[] = {
			{ "Rss", kb, ED_ADD },      { "Pss", kb, ED_ADD },
			{ "Pss_Anon", kb, ED_ADD }, { "Anonymous", kb, ED_ADD },
			{ "Private_Dirty", kb, ED_ADD },
		};
		edit_lines(r->data, r->len, ed, sizeof(ed) / sizeof(*ed), o);
	} else {
		addb(o, r->data, r->len);
	}
	emit(g, tier, r, path, o->data, o->len);
}

/* a system or cgroup record, varied for this sample */
static void emit_sys(struct gen *g, int tier, const struct rec *r, double uptime0)
{
	unsigned k = g->k;
	int ok = !strcmp(r->status, "ok") || !strcmp(r->status, "trunc");
	if (!ok) {
		emit(g, tier, r, r->path, NULL, 0);
		return;
	}
	struct ms_buf *o = &g->scratch;
	ms_buf_reset(o);
	const char *base = strrchr(r->path, '/');
	base = base ? base + 1 : r->path;
	int64_t kb = jitter(k, 7, 3, 65536); /* +-64 MiB */
	if (!strncmp(r->path, "/sys/fs/cgroup", 14))
		kb /= 16; /* cgroups: +-4 MiB */
	if (!strcmp(r->path, "/proc/meminfo") || !strcmp(base, "meminfo")) {
		struct edit ed[] = { { "MemFree", kb, ED_ADD }, { "MemAvailable", kb, ED_ADD },
				     { "Cached", -kb / 2, ED_ADD },
				     { "Node 0 MemFree", kb, ED_ADD } };
		edit_lines(r->data, r->len, ed, sizeof(ed) / sizeof(*ed), o);
	} else if (!strcmp(r->path, "/proc/vmstat")) {
		struct edit ed[] = { { "nr_free_pages", kb / 4, ED_ADD },
				     { "pgfault", (int64_t)k * 20011, ED_ADD },
				     { "pgalloc_normal", (int64_t)k * 15013, ED_ADD },
				     { "pgfree", (int64_t)k * 15101, ED_ADD } };
		edit_lines(r->data, r->len, ed, sizeof(ed) / sizeof(*ed), o);
	} else if (!strcmp(r->path, "/proc/uptime")) {
		double up = uptime0 + (double)(k - 1) * g->o.interval_s;
		ms_buf_addf(o, "%.2f %.2f\n", up, up * 1.9);
	} else if (!strcmp(base, "memory") && strstr(r->path, "/pressure")) {
		/* "some avg10=0.00 avg60=0.00 avg300=0.00 total=N": grow total */
		const char *p = r->data, *end = r->data + r->len;
		while (p < end) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));
			const char *le = eol ? eol + 1 : end;
			const char *t = memmem(p, (size_t)(le - p), "total=", 6);
			if (t) {
				const char *d = t + 6, *de = d;
				int64_t v = 0;
				while (de < le && *de >= '0' && *de <= '9')
					v = v * 10 + (*de++ - '0');
				addb(o, p, (size_t)(d - p));
				add_num(o, v + (int64_t)k * 37);
				addb(o, de, (size_t)(le - de));
			} else {
				addb(o, p, (size_t)(le - p));
			}
			p = le;
		}
	} else if (!strcmp(base, "memory.usage_in_bytes") || !strcmp(base, "memory.current") ||
		   !strcmp(base, "memory.memsw.usage_in_bytes")) {
		struct field_edit fe[] = { { 1, kb * 1024, ED_ADD } };
		edit_fields(r->data, r->len, 1, fe, 1, o);
	} else if (!strcmp(base, "memory.stat")) {
		struct edit ed[] = { { "rss", kb * 1024, ED_ADD }, { "total_rss", kb * 1024, ED_ADD },
				     { "cache", -kb * 512, ED_ADD }, { "anon", kb * 1024, ED_ADD } };
		edit_lines(r->data, r->len, ed, sizeof(ed) / sizeof(*ed), o);
	} else {
		addb(o, r->data, r->len);
	}
	emit(g, tier, r, r->path, o->data, o->len);
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

/* The header of a bundle of this run: the seed's, with the run's settings;
 * a segment of a ring (SEQ > 0) says so, and starts at WALL */
static void header_text(struct ms_buf *meta, const struct member *header, const struct opts *o,
			double wall, unsigned seq)
{
	static const enum bt_key replaced[] = { BK_COMMAND, BK_INTERVAL_MS, BK_DURATION_MS, BK_COUNT,
						BK_TIER1_EVERY, BK_TIER2_EVERY, BK_WALL_START };
	size_t pos = 0;
	struct bt_span k, v;
	ms_buf_reset(meta);
	while (bt_next_line(header->data, header->len, &pos, &k, &v)) {
		int skip = 0;
		for (size_t i = 0; i < sizeof(replaced) / sizeof(*replaced); i++)
			skip |= k.n == strlen(bt_key_name(replaced[i])) &&
				!memcmp(k.p, bt_key_name(replaced[i]), k.n);
		if (!skip)
			ms_buf_addf(meta, "%.*s %.*s\n", (int)k.n, k.p, (int)v.n, v.p);
	}
	char w[40];
	fmt_ts(w, sizeof(w), wall, 0);
	bt_put(meta, BK_COMMAND, "%s -i %us -d %us (synthetic: bench/genbundle -n %u -p %u from %s)",
	       o->ring ? "record" : "collect", o->interval_s, o->samples * o->interval_s, o->samples,
	       o->procs, o->seed);
	bt_put(meta, BK_INTERVAL_MS, "%u", o->interval_s * 1000);
	bt_put_u64(meta, BK_DURATION_MS, (uint64_t)o->samples * o->interval_s * 1000ull);
	bt_put_u64(meta, BK_COUNT, 0);
	bt_put(meta, BK_TIER1_EVERY, "%u", o->every1);
	bt_put(meta, BK_TIER2_EVERY, "%u", o->every2);
	bt_put(meta, BK_WALL_START, "%s", w);
	if (seq) {
		bt_put(meta, BK_BUNDLE_KIND, "segment");
		bt_put(meta, BK_RING_ID, "00000000genbundle");
		bt_put(meta, BK_RING_SEQ, "%u", seq);
	}
}

static void start_bundle(struct gen *g, const char *path, const struct member *header, double wall,
			 unsigned seq, struct ms_buf *meta)
{
	struct ms_err err = MS_ERR_INIT;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	struct bundle_writer_opts wo = { g->o.level, 21, 64ull << 20, 0 }; /* as collector.c */
	if (bundle_writer_open(&g->w, fd, &wo, &err) < 0)
		die("%s", ms_err_msg(&err));
	g->fd = fd;
	header_text(meta, header, &g->o, wall, seq);
	if (bundle_writer_add(g->w, MS_MEMBER_HEADER, meta->data, meta->len, (time_t)wall, &err) < 0)
		die("%s", ms_err_msg(&err));
	for (size_t i = 0; i < g->ngaps; i++)
		g->gall[i] = 0;
}

/* The trailer of a bundle of SAMPLES samples, and close it */
static void end_bundle(struct gen *g, unsigned samples, uint64_t cpu_total, double wall0,
		       double mono0, double last_end, const char *reason, struct ms_buf *meta)
{
	struct ms_err err = MS_ERR_INIT;
	char webuf[40], mebuf[40];
	fmt_ts(webuf, sizeof(webuf), wall0, last_end + 0.001);
	fmt_ts(mebuf, sizeof(mebuf), mono0, last_end + 0.001);
	uint64_t gaps = 0;
	for (size_t i = 0; i < g->ngaps; i++)
		gaps += g->gall[i];
	ms_buf_reset(meta);
	bt_put(meta, BK_SAMPLES, "%u", samples);
	bt_put(meta, BK_END_REASON, "%s", reason);
	bt_put(meta, BK_WALL_END, "%s", webuf);
	bt_put(meta, BK_MONO_END, "%s", mebuf);
	bt_put_u64(meta, BK_CPU_US, cpu_total);
	bt_put_u64(meta, BK_BYTES_BEFORE_TRAILER, bundle_writer_bytes(g->w));
	bt_put_u64(meta, BK_GAPS, gaps);
	for (size_t i = 0; i < g->ngaps; i++)
		bt_put(meta, BK_GAP, "%s %llu", g->gk[i], (unsigned long long)g->gall[i]);
	if (bundle_writer_add(g->w, MS_MEMBER_TRAILER, meta->data, meta->len, g->mtime, &err) < 0 ||
	    bundle_writer_close(g->w, &err) < 0)
		die("trailer: %s", ms_err_msg(&err));
	bundle_writer_free(g->w);
	g->w = NULL;
	if (fsync(g->fd) < 0 && errno != EINVAL)
		die("fsync: %s", strerror(errno));
	close(g->fd);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: genbundle -s SEED -o OUT [-n SAMPLES] [-p PROCS] [-i INTERVAL_S]\n"
		"                 [-1 ROLLUP_EVERY] [-2 SMAPS_EVERY] [-t TEMPLATE_SAMPLE] [-l LEVEL]\n"
		"                 [-R SEGMENT_SAMPLES]  (OUT: a recorder's directory; its ring/ of\n"
		"                 segments of SEGMENT_SAMPLES samples, as memsnap record writes)\n"
		"defaults: -n 8640 -p 500 -i 10 -1 6 -2 30 -l 3 (a 24 h collection at 10 s\n"
		"with the default 60 s rollup and 5 min smaps cadences)\n");
	exit(2);
}


int main(int argc, char **argv)
{
	struct gen g;
	memset(&g, 0, sizeof(g));
	struct opts *o = &g.o;
	o->samples = 8640;
	o->procs = 500;
	o->interval_s = 10;
	o->every1 = 6;
	o->every2 = 30;
	o->level = 3;
	int c;
	while ((c = getopt(argc, argv, "s:o:n:p:i:1:2:t:l:R:h")) != -1) {
		switch (c) {
		case 's': o->seed = optarg; break;
		case 'o': o->out = optarg; break;
		case 'n': o->samples = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'p': o->procs = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'i': o->interval_s = (unsigned)strtoul(optarg, NULL, 10); break;
		case '1': o->every1 = (unsigned)strtoul(optarg, NULL, 10); break;
		case '2': o->every2 = (unsigned)strtoul(optarg, NULL, 10); break;
		case 't': o->template_sample = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'l': o->level = atoi(optarg); break;
		case 'R': o->ring = (unsigned)strtoul(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (!o->seed || !o->out || !o->samples || !o->procs || !o->interval_s || !o->every1 ||
	    !o->every2)
		usage();

	/* ---- read the seed ---- */
	struct seed seed = { 0 };
	struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
	struct bundle_read_result rr;
	struct ms_err err = MS_ERR_INIT;
	memset(&rr, 0, sizeof(rr));
	if (bundle_read(o->seed, &lim, on_seed_member, &seed, &rr, &err) < 0)
		die("%s: %s", o->seed, ms_err_msg(&err));
	if (rr.damage)
		fprintf(stderr, "genbundle: seed: %s (using the complete samples)\n", rr.damage);
	const struct member *header = NULL;
	unsigned nseed = 0, last_t1 = 0, last_t2 = 0;
	for (size_t i = 0; i < seed.n; i++) {
		const char *kind;
		unsigned sn = member_sample(seed.m[i].name, &kind);
		if (!strcmp(seed.m[i].name, MS_MEMBER_HEADER))
			header = &seed.m[i];
		if (sn && !strcmp(kind, "meta")) {
			nseed = sn > nseed ? sn : nseed;
			unsigned tiers = meta_tiers(&seed.m[i]);
			if (tiers & 2)
				last_t1 = sn;
			if (tiers & 4)
				last_t2 = sn;
		}
	}
	if (!header || !nseed)
		die("%s: no header or no complete sample", o->seed);
	if (!o->template_sample) {
		/* the middle tier-0-only sample */
		unsigned cand[4096], nc = 0;
		for (unsigned sn = 1; sn <= nseed && nc < 4096; sn++) {
			if (meta_tiers(find_member(&seed, sn, "meta")) == 1)
				cand[nc++] = sn;
		}
		o->template_sample = nc ? cand[nc / 2] : nseed;
	}
	const struct member *tmeta = find_member(&seed, o->template_sample, "meta");
	const struct member *t1meta = last_t1 ? find_member(&seed, last_t1, "meta") : NULL;
	const struct member *host = find_member(&seed, 1, "host");
	if (!tmeta)
		die("seed sample %u: no meta", o->template_sample);

	struct ms_buf text;
	ms_buf_init(&text, 1 << 20);
	struct recs t0 = { 0 }, t1 = { 0 }, t2 = { 0 }, firsts = { 0 };
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

	/* ---- system records and process groups of the template ---- */
	struct recs sys = { 0 };
	struct proc *seedp = NULL;
	size_t nsp = 0;
	for (size_t i = 0; i < t0.n; i++) {
		struct rec *r = &t0.r[i];
		if (r->pid < 0) {
			recs_push(&sys, r);
			continue;
		}
		if (!strcmp(r->file, "stat") && !strcmp(r->status, "ok")) {
			seedp = xrealloc(seedp, (nsp + 1) * sizeof(*seedp));
			struct proc *p = &seedp[nsp++];
			memset(p, 0, sizeof(*p));
			p->src = p->pid = r->pid;
			p->t0 = xmalloc(16 * sizeof(*p->t0));
		}
		if (!nsp || seedp[nsp - 1].src != r->pid)
			continue; /* a PID without a readable stat: not a sampled process */
		struct proc *p = &seedp[nsp - 1];
		if (!strcmp(r->file, "cmdline") || !strcmp(r->file, "comm"))
			continue; /* sample 1 only, from FIRSTS */
		if (p->nt0 < 16)
			p->t0[p->nt0++] = r;
		if (!strcmp(r->file, "statm") && !strcmp(r->status, "ok"))
			p->has_mm = strtoull(r->data, NULL, 10) > 0;
	}
	for (size_t i = 0; i < nsp; i++) {
		for (size_t j = 0; j < t1.n; j++)
			if (t1.r[j].pid == seedp[i].src && !strcmp(t1.r[j].file, "smaps_rollup"))
				seedp[i].rollup = &t1.r[j];
		for (size_t j = 0; j < firsts.n; j++)
			if (firsts.r[j].pid == seedp[i].src)
				seedp[i].first[firsts.r[j].file[1] == 'o' ? 1 : 0] = &firsts.r[j];
	}
	if (!nsp)
		die("seed sample %u has no process", o->template_sample);
	int64_t maxpid = 0;
	for (size_t i = 0; i < nsp; i++)
		maxpid = seedp[i].src > maxpid ? seedp[i].src : maxpid;

	/* ---- the generated population ---- */
	struct proc *procs = xmalloc(o->procs * sizeof(*procs));
	size_t replicas = 0;
	if (nsp >= o->procs) {
		for (unsigned i = 0; i < o->procs; i++)
			procs[i] = seedp[(size_t)i * nsp / o->procs];
	} else {
		/* replicas evenly spaced over the seed's list (PID order), so that
		 * the mix (kernel threads, small and large processes) is kept */
		size_t extra = o->procs - nsp;
		for (unsigned i = 0; i < o->procs; i++) {
			if (i < nsp)
				procs[i] = seedp[i];
			else
				procs[i] = seedp[((size_t)(i - nsp) * nsp / extra) % nsp];
			if (i >= nsp) {
				/* above every seed PID, ascending, like a later fork */
				procs[i].pid = (maxpid / 1000 + 1) * 1000 + (int64_t)(i - nsp) * 3 + 1;
				replicas++;
			}
		}
	}
	for (unsigned i = 0; i < o->procs; i++)
		procs[i].h = mix32((uint64_t)procs[i].pid * 0x9e3779b97f4a7c15ull);
	/* tier 2: the seed's picks that are in the population */
	struct recs deep = { 0 };
	for (size_t j = 0; j < t2.n; j++)
		for (unsigned i = 0; i < o->procs; i++)
			if (procs[i].pid == t2.r[j].pid) {
				recs_push(&deep, &t2.r[j]);
				break;
			}
	const struct rec *zoneinfo = NULL;
	for (size_t j = 0; j < t1.n; j++)
		if (!strcmp(t1.r[j].path, "/proc/zoneinfo"))
			zoneinfo = &t1.r[j];

	fprintf(stderr,
		"genbundle: seed %s: %u samples; template sample %u (%zu processes, %zu system "
		"records), tier-1 sample %u, tier-2 sample %u (%zu records kept)\n"
		"genbundle: writing %u samples x %u processes (%zu replicated) at %u s to %s\n",
		o->seed, nseed, o->template_sample, nsp, sys.n, last_t1, last_t2, deep.n,
		o->samples, o->procs, replicas, o->interval_s, o->out);

	/* ---- clocks and per-sample costs from the seed ---- */
	double wall0 = kv_double(header, BK_WALL_START, 0), mono0 = kv_double(header, BK_MONO_START, 0);
	double boot0 = kv_double(header, BK_BOOT_START, mono0);
	double uptime0 = boot0;
	double scale = (double)o->procs / (double)nsp;
	double cpu0 = kv_double(tmeta, BK_CPU_US, 30000) * scale;
	double wallus0 = kv_double(tmeta, BK_WALL_US, 35000) * scale;
	double cpu1 = kv_double(t1meta, BK_TIER1_CPU_US, 0) * scale;
	double wall1 = kv_double(t1meta, BK_TIER1_WALL_US, 0) * scale;
	double cpu2 = kv_double(t1meta, BK_TIER2_CPU_US, 0);
	double wall2 = kv_double(t1meta, BK_TIER2_WALL_US, 0);
	double cgroups = kv_double(tmeta, BK_CGROUPS, 0);

	/* ---- write ---- */
	for (int t = 0; t < MS_TIERS; t++)
		ms_buf_init(&g.buf[t], 2 * MEMBER_CHUNK);
	ms_buf_init(&g.scratch, 1 << 16);
	ms_buf_init(&g.path, 256);
	struct ms_buf meta;
	ms_buf_init(&meta, 4096);
	if (o->ring) {
		char d[4096];
		snprintf(d, sizeof(d), "%s/ring", o->out);
		if ((mkdir(o->out, 0755) < 0 && errno != EEXIST) || (mkdir(d, 0755) < 0 && errno != EEXIST))
			die("%s: %s", d, strerror(errno));
	} else {
		start_bundle(&g, o->out, header, wall0, 0, &meta);
	}

	uint64_t cpu_total = 0;
	double last_end = 0;
	struct timespec ts0;
	clock_gettime(CLOCK_MONOTONIC, &ts0);
	unsigned seg_first = 1;
	for (unsigned k = 1; k <= o->samples; k++) {
		unsigned tick = k - 1;
		int final = k == o->samples;
		unsigned tiers = 1u | ((tick % o->every1 == 0 || final) ? 2u : 0) |
				 ((tick % o->every2 == 0 || final) ? 4u : 0);
		if (o->ring && tick % o->ring == 0) {
			if (k > 1)
				end_bundle(&g, k - seg_first, cpu_total, wall0, mono0, last_end, "rotation", &meta);
			char path[4096];
			time_t ts = (time_t)(wall0 + (double)tick * o->interval_s);
			struct tm tm;
			char stamp[32];
			gmtime_r(&ts, &tm);
			strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
			snprintf(path, sizeof(path), "%s/ring/seg-%010u-%s.tar.zst", o->out, tick / o->ring + 1,
				 stamp);
			start_bundle(&g, path, header, wall0 + (double)tick * o->interval_s, tick / o->ring + 1,
				     &meta);
			seg_first = k;
			cpu_total = 0;
		}
		g.k = k;
		g.sample = k - seg_first + 1;
		g.records = g.read_bytes = 0;
		for (size_t i = 0; i < g.ngaps; i++)
			g.gn[i] = 0;
		for (int t = 0; t < MS_TIERS; t++) {
			ms_buf_reset(&g.buf[t]);
			g.part[t] = 0;
		}
		double late = (double)(200 + (mix32(k) % 900)) / 1e6; /* s */
		double start = (double)tick * o->interval_s + late;
		g.mtime = (time_t)(wall0 + start);
		uint64_t offset = bundle_writer_bytes(g.w);
		if (g.sample == 1 && host &&
		    bundle_writer_add(g.w, "000001/host", host->data, host->len, g.mtime, &err) < 0)
			die("%s", ms_err_msg(&err));
		for (size_t i = 0; i < sys.n; i++)
			emit_sys(&g, 0, &sys.r[i], uptime0 + late);
		for (unsigned i = 0; i < o->procs; i++) {
			const struct proc *p = &procs[i];
			for (size_t j = 0; j < p->nt0; j++)
				emit_proc(&g, 0, p, p->t0[j]);
			if (k == 1)
				for (int f = 0; f < 2; f++)
					if (p->first[f])
						emit_proc(&g, 0, p, p->first[f]);
			if ((tiers & 2) && p->rollup)
				emit_proc(&g, 1, p, p->rollup);
		}
		if ((tiers & 2) && zoneinfo)
			emit_sys(&g, 1, zoneinfo, 0);
		if (tiers & 4)
			for (size_t j = 0; j < deep.n; j++) {
				const struct proc *p = NULL;
				for (unsigned i = 0; i < o->procs && !p; i++)
					if (procs[i].pid == deep.r[j].pid)
						p = &procs[i];
				emit_proc(&g, 2, p, &deep.r[j]);
			}
		for (int t = 0; t < MS_TIERS; t++)
			if ((tiers & (1u << t)) && (g.buf[t].len || g.part[t] == 0))
				flush_member(&g, t);

		/* meta */
		double f = 1.0 + (double)jitter(k, 11, 4, 50) / 1000.0; /* +-5 % */
		uint64_t c0 = (uint64_t)(cpu0 * f), w0 = (uint64_t)(wallus0 * f);
		uint64_t c1 = (tiers & 2) ? (uint64_t)(cpu1 * f) : 0, w1 = (tiers & 2) ? (uint64_t)(wall1 * f) : 0;
		uint64_t c2 = (tiers & 4) ? (uint64_t)(cpu2 * f) : 0, w2 = (tiers & 4) ? (uint64_t)(wall2 * f) : 0;
		uint64_t cpu = c0 + c1 + c2, wall = w0 + w1 + w2;
		cpu_total += cpu;
		char wbuf[40], mbuf[40], bbuf[40], webuf[40], mebuf[40];
		fmt_ts(wbuf, sizeof(wbuf), wall0, start);
		fmt_ts(mbuf, sizeof(mbuf), mono0, start);
		fmt_ts(bbuf, sizeof(bbuf), boot0, start);
		fmt_ts(webuf, sizeof(webuf), wall0, start + (double)wall / 1e6);
		fmt_ts(mebuf, sizeof(mebuf), mono0, start + (double)wall / 1e6);
		last_end = start + (double)wall / 1e6;
		ms_buf_reset(&meta);
		bt_put(&meta, BK_SAMPLE, "%u", g.sample);
		bt_put(&meta, BK_TIERS, "0%s%s", (tiers & 2) ? " 1" : "", (tiers & 4) ? " 2" : "");
		bt_put(&meta, BK_WALL, "%s", wbuf);
		bt_put(&meta, BK_MONO, "%s", mbuf);
		bt_put(&meta, BK_BOOT, "%s", bbuf);
		bt_put(&meta, BK_WALL_END, "%s", webuf);
		bt_put(&meta, BK_MONO_END, "%s", mebuf);
		bt_put_u64(&meta, BK_LATE_US, (uint64_t)(late * 1e6));
		bt_put_u64(&meta, BK_MISSED_TICKS, 0);
		bt_put_u64(&meta, BK_CPU_US, cpu);
		bt_put_u64(&meta, BK_WALL_US, wall);
		const uint64_t tier_cpu[MS_TIERS] = { c0, c1, c2 }, tier_wall[MS_TIERS] = { w0, w1, w2 };
		for (int t = 0; t < MS_TIERS; t++)
			if (tiers & (1u << t)) {
				bt_put_u64(&meta, (enum bt_key)(BK_TIER0_CPU_US + t), tier_cpu[t]);
				bt_put_u64(&meta, (enum bt_key)(BK_TIER0_WALL_US + t), tier_wall[t]);
			}
		uint64_t gaps = 0;
		for (size_t i = 0; i < g.ngaps; i++)
			gaps += g.gn[i];
		bt_put(&meta, BK_PROCESSES, "%u", o->procs);
		bt_put_u64(&meta, BK_CGROUPS, (uint64_t)cgroups);
		bt_put_u64(&meta, BK_RECORDS, g.records);
		bt_put_u64(&meta, BK_READ_BYTES, g.read_bytes);
		bt_put_u64(&meta, BK_OFFSET, offset);
		bt_put_u64(&meta, BK_GAPS, gaps);
		for (size_t i = 0; i < g.ngaps; i++)
			if (g.gn[i])
				bt_put(&meta, BK_GAP, "%s %llu", g.gk[i], (unsigned long long)g.gn[i]);
		char name[64];
		snprintf(name, sizeof(name), MS_SAMPLE_NAME_FMT, g.sample, "meta");
		if (bundle_writer_add(g.w, name, meta.data, meta.len, g.mtime, &err) < 0 ||
		    bundle_writer_commit(g.w, &err) < 0)
			die("sample %u: %s", k, ms_err_msg(&err));
		if (k % 1000 == 0 || final) {
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			double el = (double)(ts.tv_sec - ts0.tv_sec) + (double)(ts.tv_nsec - ts0.tv_nsec) / 1e9;
			fprintf(stderr, "genbundle: %u/%u samples, %.1f MiB tar -> %.1f MiB, %.1f s\n", k,
				o->samples, (double)bundle_writer_raw_bytes(g.w) / 1048576.0,
				(double)bundle_writer_bytes(g.w) / 1048576.0, el);
		}
	}
	uint64_t bytes = bundle_writer_bytes(g.w), raw = bundle_writer_raw_bytes(g.w);
	end_bundle(&g, o->samples - seg_first + 1, cpu_total, wall0, mono0, last_end, "duration", &meta);
	fprintf(stderr, "genbundle: wrote %s: %.1f MiB (%.1f MiB of tar)%s\n", o->out,
		(double)bytes / 1048576.0, (double)raw / 1048576.0, o->ring ? " in its last segment" : "");
	return 0;
}
