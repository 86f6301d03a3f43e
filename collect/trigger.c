/*
 * trigger.c - the recorder's triggers (see trigger.h).
 *
 * The texts are the kernel's, read by the sampler: only the few keys the
 * triggers need are looked up here (MemTotal, MemAvailable; oom_kill,
 * pswpin, pswpout; "full avg10"; a cgroup's usage, limit, inactive file
 * pages and oom_kill).  The analyzer's parsers own the full formats.
 */
#include "trigger.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms_hash.h"
#include "parse_num.h"

struct trig_cgroup {
	char *path;                  /* owned; NULL: an empty slot */
	uint64_t hash;
	uint64_t gen;                /* the last reading that saw it */
	uint64_t oom_kill;
	int has_oom;
	int limit_active;
};

/* what a cgroup did in this reading, reported when it ends: its oom_kill
 * went up (A the count, B the increase), or its working set reached the
 * limit (A the working set, B the limit) */
struct cg_rise {
	int kind;                    /* MS_TRIG_OOM_KILL or MS_TRIG_CGROUP_LIMIT */
	size_t path, path_len;       /* in t->tmp */
	uint64_t a, b;
};

#define MAX_RISES 64

static const double default_threshold[MS_TRIG_KINDS] = { 0, 10, 5, 95, 5000, 0 };

enum { CG_USAGE = 1, CG_LIMIT = 2, CG_INACTIVE = 4, CG_OOM = 8 };

void trigger_config_default(struct trigger_config *c)
{
	c->enabled = (1u << MS_TRIG_KINDS) - 1;
	for (int k = 0; k < MS_TRIG_KINDS; k++)
		c->threshold[k] = default_threshold[k];
}

static int has_threshold(int k)
{
	return k != MS_TRIG_OOM_KILL && k != MS_TRIG_MANUAL;
}

/* One item of a --trigger list: NAME, NAME=VALUE, NAME=off, none */
static int config_item(struct trigger_config *c, const char *p, size_t n, struct ms_err *err)
{
	if (n == 4 && !memcmp(p, "none", 4)) {
		c->enabled = 1u << MS_TRIG_MANUAL;
		return 0;
	}
	const char *eq = memchr(p, '=', n);
	size_t nl = eq ? (size_t)(eq - p) : n;
	int k = ms_trigger_kind(p, nl);
	if (k < 0)
		return ms_err_set(err, EINVAL, "invalid --trigger '%.*s': unknown trigger (one of oom-kill, "
				  "psi, low-memory, cgroup-limit, swap-storm, manual, none)", (int)n, p);
	c->enabled |= 1u << k;
	if (!eq)
		return 0;
	const char *v = eq + 1;
	size_t vl = n - nl - 1;
	if (vl == 3 && !memcmp(v, "off", 3)) {
		c->enabled &= ~(1u << k);
		return 0;
	}
	char num[32];
	char *end;
	if (!has_threshold(k))
		return ms_err_set(err, EINVAL, "invalid --trigger '%.*s': %s takes no threshold (only =off)",
				  (int)n, p, ms_trigger_names[k]);
	if (vl && v[vl - 1] == '%')
		vl--;
	double d = 0;
	if (vl && vl < sizeof(num)) {
		memcpy(num, v, vl);
		num[vl] = '\0';
		d = strtod(num, &end);
	}
	double max = k == MS_TRIG_SWAP_STORM ? 1e9 : 100;
	if (!vl || vl >= sizeof(num) || *end || !(d > 0) || d > max)
		return ms_err_set(err, EINVAL, "invalid --trigger '%.*s': expected %s=NUMBER (more than 0, "
				  "at most %g%s) or %s=off", (int)n, p, ms_trigger_names[k], max,
				  k == MS_TRIG_SWAP_STORM ? " pages/s" : " %", ms_trigger_names[k]);
	c->threshold[k] = d;
	return 0;
}

int trigger_config_parse(struct trigger_config *c, const char *list, struct ms_err *err)
{
	const char *p = list;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (!n)
			return ms_err_set(err, EINVAL, "invalid --trigger '%s': an empty item", list);
		if (config_item(c, p, n, err) < 0)
			return -1;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

int trigger_config_format(const struct trigger_config *c, struct ms_buf *b)
{
	int rc = 0, first = 1;
	for (int k = 0; k < MS_TRIG_KINDS; k++) {
		if (!(c->enabled & (1u << k)))
			continue;
		rc |= ms_buf_addf(b, "%s%s", first ? "" : ",", ms_trigger_names[k]);
		if (has_threshold(k))
			rc |= ms_buf_addf(b, "=%g", c->threshold[k]);
		first = 0;
	}
	if (first)
		rc |= ms_buf_addstr(b, "none");
	return rc;
}

int triggers_init(struct triggers *t, const struct trigger_config *cfg)
{
	memset(t, 0, sizeof(*t));
	t->cfg = *cfg;
	t->swap_since = -1;
	t->psi_kernel_t = -1;
	t->seed = ms_hash_seed();
	if (ms_buf_init(&t->lines, 1024) < 0 || ms_buf_init(&t->tmp, 256) < 0 ||
	    ms_buf_init(&t->cgs, 256) < 0 || ms_buf_init(&t->rises, 256) < 0 ||
	    ms_buf_init(&t->rd.path, 256) < 0)
		return -1;
	return 0;
}

static void cg_free_table(struct trig_cgroup *cg, size_t cap)
{
	for (size_t i = 0; i < cap; i++)
		free(cg[i].path);
	free(cg);
}

void triggers_release(struct triggers *t)
{
	cg_free_table(t->cg, t->cg_cap);
	ms_buf_release(&t->lines);
	ms_buf_release(&t->tmp);
	ms_buf_release(&t->cgs);
	ms_buf_release(&t->rises);
	ms_buf_release(&t->rd.path);
	memset(t, 0, sizeof(*t));
}

/* ---- reading the texts ---- */

/* The number after KEY at the start of a line of TEXT ("KEY: N" or "KEY N") */
static int kv_u64(const char *text, size_t len, const char *key, uint64_t *v)
{
	size_t kl = strlen(key);
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > kl && !memcmp(p, key, kl) && (p[kl] == ':' || p[kl] == ' ')) {
			const char *q = p + kl + 1;
			while (q < eol && *q == ' ')
				q++;
			return ms_scan_u64(&q, eol, v) == 0 ? 0 : -1;
		}
		p = eol + 1;
	}
	return -1;
}

/* A file holding one number, or "max" (*UNLIMITED) */
static int single_u64(const char *text, size_t len, uint64_t *v, int *unlimited)
{
	*unlimited = len >= 3 && !memcmp(text, "max", 3);
	if (*unlimited)
		return 0;
	const char *q = text;
	return ms_scan_u64(&q, text + len, v);
}

/* "full avg10=12.34 ..." of a pressure file */
static int psi_full_avg10(const char *text, size_t len, double *v)
{
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (eol - p > 11 && !memcmp(p, "full avg10=", 11)) {
			char num[32];
			size_t n = 0;
			for (const char *q = p + 11; q < eol && *q != ' ' && n < sizeof(num) - 1; q++)
				num[n++] = *q;
			num[n] = '\0';
			char *e;
			*v = strtod(num, &e);
			return n && !*e && isfinite(*v) ? 0 : -1;
		}
		p = eol + 1;
	}
	return -1;
}

static void read_system(struct triggers *t, const char *kind, const char *d, size_t n)
{
	struct trig_sys *c = &t->cur;
	if (!strcmp(kind, "meminfo")) {
		if (kv_u64(d, n, "MemTotal", &c->mem_total) == 0 &&
		    kv_u64(d, n, "MemAvailable", &c->mem_avail) == 0 && c->mem_total) {
			c->mem_total *= 1024;
			c->mem_avail *= 1024;
			c->have |= TRIG_HAVE_MEM;
		}
	} else if (!strcmp(kind, "vmstat")) {
		if (kv_u64(d, n, "oom_kill", &c->oom_kill) == 0)
			c->have |= TRIG_HAVE_OOM;
		if (kv_u64(d, n, "pswpin", &c->pswpin) == 0 && kv_u64(d, n, "pswpout", &c->pswpout) == 0)
			c->have |= TRIG_HAVE_SWAP;
	} else if (!strcmp(kind, "pressure/memory")) {
		if (psi_full_avg10(d, n, &c->full_avg10) == 0)
			c->have |= TRIG_HAVE_PSI;
	}
}

/* ---- events ---- */

static int event_begin(struct triggers *t, int kind, double now)
{
	if (t->nev == TRIG_MAX_EVENTS) {
		t->dropped++;
		return 0;
	}
	struct trig_event *e = &t->ev[t->nev];
	e->kind = kind;
	e->t = now;
	e->line = t->lines.len;
	e->cg_len = 0;
	if (ms_trigger_line(&t->lines, kind, now) < 0)
		t->nomem = 1;
	return 1;
}

/* a field of the event being written: a number, or a word */
static void event_fieldf(struct triggers *t, const char *key, const char *fmt, double v)
{
	if (ms_trigger_fieldf(&t->lines, key, fmt, v) < 0)
		t->nomem = 1;
}

static void event_word(struct triggers *t, const char *key, const char *word)
{
	if (ms_trigger_field(&t->lines, key, word, strlen(word)) < 0)
		t->nomem = 1;
}

static void event_cgroup(struct triggers *t, const char *path, size_t n)
{
	struct trig_event *e = &t->ev[t->nev];
	e->cg = t->cgs.len;
	e->cg_len = n;
	if (ms_trigger_field(&t->lines, "cgroup", path, n) < 0 || ms_buf_add(&t->cgs, path, n) < 0)
		t->nomem = 1;
}

static void event_end(struct triggers *t)
{
	struct trig_event *e = &t->ev[t->nev];
	if (ms_buf_add(&t->lines, "\n", 1) < 0)
		t->nomem = 1;
	e->line_len = t->lines.len - e->line;
	t->nev++;
}

/* ---- cgroups ---- */

static struct trig_cgroup *cg_slot(struct trig_cgroup *cg, size_t cap, uint64_t h,
				   const char *path, size_t n)
{
	for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1))
		if (!cg[i].path || (cg[i].hash == h && strlen(cg[i].path) == n &&
				    !memcmp(cg[i].path, path, n)))
			return &cg[i];
}

/* A table with room for twice NEED; SWEEP: keep only the cgroups of the
 * last reading.  -1 on ENOMEM (the old table stays). */
static int cg_rebuild(struct triggers *t, size_t need, int sweep)
{
	size_t cap = 64;
	while (cap < 2 * need)
		cap *= 2;
	struct trig_cgroup *nc = calloc(cap, sizeof(*nc));
	if (!nc)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < t->cg_cap; i++) {
		struct trig_cgroup *o = &t->cg[i];
		if (!o->path)
			continue;
		if (sweep && o->gen != t->gen) {
			free(o->path);
			continue;
		}
		*cg_slot(nc, cap, o->hash, o->path, strlen(o->path)) = *o;
		n++;
	}
	free(t->cg);
	t->cg = nc;
	t->cg_cap = cap;
	t->ncg = n;
	return 0;
}

/* The remembered state of the cgroup being read, added if new (NULL when
 * TRIG_MAX_CGROUPS are remembered already, or on ENOMEM) */
static struct trig_cgroup *cg_find(struct triggers *t, int *fresh)
{
	const char *path = t->rd.path.data;
	size_t n = t->rd.path.len;
	uint64_t h = ms_hash_bytes(path, n, t->seed);
	*fresh = 0;
	if (t->cg_cap) {
		struct trig_cgroup *c = cg_slot(t->cg, t->cg_cap, h, path, n);
		if (c->path)
			return c;
	}
	if (t->ncg >= TRIG_MAX_CGROUPS)
		return NULL;
	if ((t->ncg + 1) * 2 > t->cg_cap && cg_rebuild(t, t->ncg + 1, 0) < 0) {
		t->nomem = 1;
		return NULL;
	}
	struct trig_cgroup *c = cg_slot(t->cg, t->cg_cap, h, path, n);
	c->path = strndup(path, n);
	if (!c->path) {
		t->nomem = 1;
		return NULL;
	}
	c->hash = h;
	c->gen = t->gen;
	t->ncg++;
	*fresh = 1;
	return c;
}

static void cg_rise(struct triggers *t, int kind, uint64_t a, uint64_t b)
{
	const struct trig_cgread *r = &t->rd;
	if (t->rises.len / sizeof(struct cg_rise) >= MAX_RISES) {
		t->dropped++;
		return;
	}
	struct cg_rise z = { kind, t->tmp.len, r->path.len, a, b };
	if (ms_buf_add(&t->tmp, r->path.data, r->path.len) < 0 ||
	    ms_buf_add(&t->rises, &z, sizeof(z)) < 0)
		t->nomem = 1;
}

static void cg_oom(struct triggers *t, struct trig_cgroup *c, int fresh)
{
	const struct trig_cgread *r = &t->rd;
	if (!(r->have & CG_OOM))
		return;
	if (!fresh && c->has_oom && r->oom_kill > c->oom_kill &&
	    (t->cfg.enabled & (1u << MS_TRIG_OOM_KILL)))
		cg_rise(t, MS_TRIG_OOM_KILL, r->oom_kill, r->oom_kill - c->oom_kill);
	c->oom_kill = r->oom_kill;
	c->has_oom = 1;
}

static void cg_limit(struct triggers *t, struct trig_cgroup *c)
{
	const struct trig_cgread *r = &t->rd;
	int on = (t->cfg.enabled & (1u << MS_TRIG_CGROUP_LIMIT)) &&
		 (r->have & (CG_USAGE | CG_LIMIT)) == (CG_USAGE | CG_LIMIT) && !r->unlimited &&
		 r->limit > 0 && r->limit < (1ull << 62);
	double pct = 0;
	uint64_t ws = 0;
	if (on) {
		uint64_t inactive = (r->have & CG_INACTIVE) ? r->inactive : 0;
		ws = r->usage > inactive ? r->usage - inactive : 0;
		pct = (double)ws * 100.0 / (double)r->limit;
	}
	int cond = on && pct >= t->cfg.threshold[MS_TRIG_CGROUP_LIMIT];
	if (cond && !c->limit_active)
		cg_rise(t, MS_TRIG_CGROUP_LIMIT, ws, r->limit);
	c->limit_active = cond;
}

/* The cgroup read so far is complete: evaluate it. */
static void cg_finish(struct triggers *t)
{
	if (!t->rd.path.len)
		return;
	int fresh;
	struct trig_cgroup *c = cg_find(t, &fresh);
	if (c) {
		c->gen = t->gen;
		cg_oom(t, c, fresh);
		cg_limit(t, c);
	}
	ms_buf_reset(&t->rd.path);
	t->rd.have = 0;
}

static void read_cgroup(struct triggers *t, const char *kind, const char *path, const char *d,
			size_t n)
{
	size_t pl = strlen(path), kl = strlen(kind);
	if (pl <= kl + 1 || path[pl - kl - 1] != '/')
		return;
	size_t dl = pl - kl - 1;
	struct trig_cgread *r = &t->rd;
	if (r->path.len != dl || memcmp(r->path.data, path, dl)) {
		cg_finish(t);
		if (ms_buf_add(&r->path, path, dl) < 0) {
			t->nomem = 1;
			return;
		}
	}
	if (!d)
		return;
	int unl = 0;
	if (!strcmp(kind, "memory.usage_in_bytes") || !strcmp(kind, "memory.current")) {
		if (single_u64(d, n, &r->usage, &unl) == 0 && !unl)
			r->have |= CG_USAGE;
	} else if (!strcmp(kind, "memory.limit_in_bytes") || !strcmp(kind, "memory.max")) {
		if (single_u64(d, n, &r->limit, &unl) == 0) {
			r->have |= CG_LIMIT;
			r->unlimited = unl;
		}
	} else if (!strcmp(kind, "memory.stat")) {
		/* v1: the hierarchical total when there is one (kubelet's working set) */
		if (kv_u64(d, n, "total_inactive_file", &r->inactive) == 0 ||
		    kv_u64(d, n, "inactive_file", &r->inactive) == 0)
			r->have |= CG_INACTIVE;
	} else if (!strcmp(kind, "memory.events") || !strcmp(kind, "memory.oom_control")) {
		if (kv_u64(d, n, "oom_kill", &r->oom_kill) == 0)
			r->have |= CG_OOM;
	}
}

void triggers_file(void *ctx, const char *kind, const char *path, const char *data, size_t len)
{
	struct triggers *t = ctx;
	if (!strncmp(kind, "memory.", 7)) {
		if (t->full)
			read_cgroup(t, kind, path, data, len);
	} else if (data) {
		read_system(t, kind, data, len);
	}
}

void triggers_begin(struct triggers *t, int full, double now)
{
	t->now = now;
	memset(&t->cur, 0, sizeof(t->cur));
	t->full = full;
	t->nev = 0;
	t->dropped = 0;
	t->nomem = 0;
	ms_buf_reset(&t->lines);
	ms_buf_reset(&t->cgs);
	ms_buf_reset(&t->tmp);
	ms_buf_reset(&t->rises);
	ms_buf_reset(&t->rd.path);
	t->rd.have = 0;
	if (full)
		t->gen++;
}


static void limit_event(struct triggers *t, const struct cg_rise *z)
{
	if (!event_begin(t, MS_TRIG_CGROUP_LIMIT, t->now))
		return;
	event_cgroup(t, t->tmp.data + z->path, z->path_len);
	event_fieldf(t, "working_set", "%.0f", (double)z->a);
	event_fieldf(t, "limit", "%.0f", (double)z->b);
	event_fieldf(t, "pct", "%.1f", (double)z->a * 100.0 / (double)z->b);
	event_fieldf(t, "threshold", "%g", t->cfg.threshold[MS_TRIG_CGROUP_LIMIT]);
	event_end(t);
}

/* Is rise I's cgroup an ancestor of another one whose oom_kill went up?
 * (v2 counts a kill in every ancestor too: only the cgroup below is named) */
static int oom_ancestor(const struct triggers *t, const struct cg_rise *z, size_t n, size_t i)
{
	for (size_t j = 0; j < n; j++)
		if (j != i && z[j].kind == MS_TRIG_OOM_KILL && z[j].path_len > z[i].path_len &&
		    !memcmp(t->tmp.data + z[j].path, t->tmp.data + z[i].path, z[i].path_len) &&
		    t->tmp.data[z[j].path + z[i].path_len] == '/')
			return 1;
	return 0;
}

/* The cgroups' events, in the order they were read (a cgroup nearing its
 * limit before its kill); returns the kills the cgroups account for. */
static uint64_t cgroup_events(struct triggers *t)
{
	const struct cg_rise *z = (const struct cg_rise *)(void *)t->rises.data;
	size_t n = t->rises.len / sizeof(*z);
	uint64_t kills = 0;
	for (size_t i = 0; i < n; i++) {
		if (z[i].kind == MS_TRIG_CGROUP_LIMIT) {
			limit_event(t, &z[i]);
			continue;
		}
		if (oom_ancestor(t, z, n, i))
			continue;
		kills += z[i].b;
		if (!event_begin(t, MS_TRIG_OOM_KILL, t->now))
			continue;
		event_word(t, "source", "cgroup");
		event_cgroup(t, t->tmp.data + z[i].path, z[i].path_len);
		event_fieldf(t, "oom_kill", "%.0f", (double)z[i].a);
		event_fieldf(t, "delta", "%.0f", (double)z[i].b);
		event_end(t);
	}
	return kills;
}

/* vmstat's oom_kill: the kills no cgroup line named.  A sample reads
 * vmstat before the cgroups, so a kill between the two is seen in a
 * cgroup first and in vmstat at the next reading: the cgroups' kills are
 * a credit that vmstat's later increases are matched against. */
static void oom_system(struct triggers *t, uint64_t by_cgroups)
{
	const struct trig_sys *c = &t->cur, *p = &t->prev;
	t->oom_credit += by_cgroups;
	if (!(t->cfg.enabled & (1u << MS_TRIG_OOM_KILL)) || !(c->have & TRIG_HAVE_OOM) ||
	    !(p->have & TRIG_HAVE_OOM) || c->oom_kill <= p->oom_kill)
		return;
	uint64_t delta = c->oom_kill - p->oom_kill;
	uint64_t named = delta < t->oom_credit ? delta : t->oom_credit;
	t->oom_credit -= named;
	if (delta == named || !event_begin(t, MS_TRIG_OOM_KILL, t->now))
		return;
	event_word(t, "source", "vmstat");
	event_fieldf(t, "oom_kill", "%.0f", (double)c->oom_kill);
	event_fieldf(t, "delta", "%.0f", (double)(delta - named));
	event_end(t);
}

/* A level trigger: an event when COND starts to hold; the caller writes
 * its fields when this returns 1 and then calls event_end(). */
static int level(struct triggers *t, int kind, int cond)
{
	cond = cond && (t->cfg.enabled & (1u << kind));
	int rise = cond && !t->holding[kind];
	t->holding[kind] = cond;
	return rise && event_begin(t, kind, t->now);
}

static void eval_psi(struct triggers *t)
{
	const struct trig_sys *c = &t->cur;
	double th = t->cfg.threshold[MS_TRIG_PSI];
	int kernel = t->psi_kernel_t >= 0 && t->now - t->psi_kernel_t < TRIG_PSI_WINDOW_S;
	int avg = (c->have & TRIG_HAVE_PSI) && c->full_avg10 >= th;
	if (!(c->have & TRIG_HAVE_PSI) && !kernel)
		return; /* not read this time: the state stands */
	if (level(t, MS_TRIG_PSI, avg || kernel)) {
		event_word(t, "source", avg ? "avg10" : "kernel");
		if (c->have & TRIG_HAVE_PSI)
			event_fieldf(t, "full_avg10", "%.2f", c->full_avg10);
		event_fieldf(t, "threshold", "%g", th);
		event_end(t);
	}
}

static void eval_low_memory(struct triggers *t)
{
	const struct trig_sys *c = &t->cur;
	if (!(c->have & TRIG_HAVE_MEM))
		return;
	double th = t->cfg.threshold[MS_TRIG_LOW_MEMORY];
	double pct = (double)c->mem_avail * 100.0 / (double)c->mem_total;
	if (level(t, MS_TRIG_LOW_MEMORY, pct < th)) {
		event_fieldf(t, "available_pct", "%.2f", pct);
		event_fieldf(t, "available", "%.0f", (double)c->mem_avail);
		event_fieldf(t, "total", "%.0f", (double)c->mem_total);
		event_fieldf(t, "threshold", "%g", th);
		event_end(t);
	}
}

static void eval_swap(struct triggers *t)
{
	const struct trig_sys *c = &t->cur, *p = &t->prev;
	if (!(c->have & TRIG_HAVE_SWAP) || !(p->have & TRIG_HAVE_SWAP) || !(t->now > t->prev_t))
		return;
	uint64_t in = c->pswpin >= p->pswpin ? c->pswpin - p->pswpin : 0;
	uint64_t out = c->pswpout >= p->pswpout ? c->pswpout - p->pswpout : 0;
	double rate = (double)(in + out) / (t->now - t->prev_t);
	double th = t->cfg.threshold[MS_TRIG_SWAP_STORM];
	if (rate <= th)
		t->swap_since = -1;
	else if (t->swap_since < 0)
		t->swap_since = t->prev_t;
	int cond = t->swap_since >= 0 && t->now - t->swap_since >= TRIG_SWAP_FOR_S;
	if (level(t, MS_TRIG_SWAP_STORM, cond)) {
		event_fieldf(t, "pages_per_s", "%.0f", rate);
		event_fieldf(t, "for_s", "%.1f", t->now - t->swap_since);
		event_fieldf(t, "threshold", "%g", th);
		event_end(t);
	}
}

/* Keep what this reading read as the previous reading (fields it did not
 * read stay as they were). */
static void remember(struct triggers *t)
{
	const struct trig_sys *c = &t->cur;
	struct trig_sys *p = &t->prev;
	if (c->have & TRIG_HAVE_MEM) {
		p->mem_total = c->mem_total;
		p->mem_avail = c->mem_avail;
	}
	if (c->have & TRIG_HAVE_OOM)
		p->oom_kill = c->oom_kill;
	if (c->have & TRIG_HAVE_SWAP) {
		p->pswpin = c->pswpin;
		p->pswpout = c->pswpout;
	}
	if (c->have & TRIG_HAVE_PSI)
		p->full_avg10 = c->full_avg10;
	p->have |= c->have;
	t->prev_t = t->now;
}

int triggers_end(struct triggers *t)
{
	uint64_t by_cgroups = 0;
	if (t->full) {
		cg_finish(t);
		by_cgroups = cgroup_events(t);
	}
	oom_system(t, by_cgroups);
	eval_psi(t);
	eval_low_memory(t);
	eval_swap(t);
	remember(t);
	if (t->full) {
		size_t active = 0;
		if (t->ncg && cg_rebuild(t, t->ncg, 1) < 0)
			t->nomem = 1;
		for (size_t i = 0; i < t->cg_cap; i++)
			active += t->cg[i].path && t->cg[i].limit_active;
		t->holding[MS_TRIG_CGROUP_LIMIT] = active > 0;
	}
	return t->nomem ? -1 : (int)t->nev;
}

int triggers_manual(struct triggers *t, double now, const char *source, int64_t pid)
{
	if (!(t->cfg.enabled & (1u << MS_TRIG_MANUAL)))
		return 0;
	if (event_begin(t, MS_TRIG_MANUAL, now)) {
		event_word(t, "source", source);
		if (pid > 0)
			event_fieldf(t, "pid", "%.0f", (double)pid);
		event_end(t);
	}
	return t->nomem ? -1 : 0;
}

int triggers_psi_kernel(struct triggers *t, double now)
{
	t->psi_kernel_t = now;
	t->now = now;
	t->cur.have = 0;
	eval_psi(t);
	return t->nomem ? -1 : 0;
}

int triggers_holding(const struct triggers *t)
{
	for (int k = 0; k < MS_TRIG_KINDS; k++)
		if (t->holding[k])
			return 1;
	return 0;
}
