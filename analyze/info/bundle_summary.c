/*
 * bundle_summary.c - one pass over a bundle for `memsnap info`.
 *
 * A sample counts as complete only when its meta member was read (the
 * collector writes meta last).  Members of a sample whose meta never came
 * are counted as incomplete: the sample in flight when the collector died.
 * Process identities (pid, start time) come from the stat records of tier
 * 0, parsed with the shared stat parser, and are kept in an open-addressing
 * hash set, the only structure that grows with the bundle (with distinct
 * processes, not with samples).
 */
#include "bundle_summary.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle_span.h"
#include "bundle_text.h"
#include "host_facts.h"
#include "ms_hash.h"
#include "parse_num.h"
#include "parse_stat.h"
#include "record.h"
#include "recording_format.h"
#include "text_clean.h"

/* distinct "STATUS KIND" gap keys kept; the rest are counted under
 * "other other" (the collector writes at most 64: a bundle with more is
 * hostile, and a longer list would be scanned for every gap line) */
#define MAX_GAP_KEYS 64

struct idset {
	uint64_t *k;       /* 0 = empty slot; keys are made nonzero */
	size_t n, cap;
};

static int idset_add(struct idset *s, uint64_t key)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 1024;
		uint64_t *nk = calloc(nc, sizeof(*nk));
		if (!nk)
			return -1;
		for (size_t i = 0; i < s->cap; i++)
			if (s->k[i])
				for (size_t j = s->k[i] & (nc - 1);; j = (j + 1) & (nc - 1))
					if (!nk[j]) {
						nk[j] = s->k[i];
						break;
					}
		free(s->k);
		s->k = nk;
		s->cap = nc;
	}
	for (size_t j = key & (s->cap - 1);; j = (j + 1) & (s->cap - 1)) {
		if (s->k[j] == key)
			return 0;
		if (!s->k[j]) {
			s->k[j] = key;
			s->n++;
			return 0;
		}
	}
}

struct ctx {
	struct bundle_summary *s;
	struct idset ids;
	uint64_t seed;               /* of the idset's hash (ms_hash.h) */
	unsigned open_sample;        /* sample whose members are being read */
	int open_has_meta;
	unsigned last_complete;      /* highest sample whose meta was read */
};

/* KEY's value as a new string made printable, in *OUT (NULL when absent):
 * it comes from the bundle and goes to a terminal (an escape sequence is
 * shown, never obeyed).  -1 on ENOMEM. */
static int get_str(const char *text, size_t len, enum bt_key key, char **out)
{
	free(*out);
	if (bt_get_str(text, len, key, out) < 0)
		return -1;
	text_clean(*out, 0);
	return 0;
}

/* KEY's value; 0 (unknown) unless a finite number */
static double get_double(const char *text, size_t len, enum bt_key key)
{
	double d;
	return bt_get_double(text, len, key, &d) == BT_FOUND ? d : 0;
}

/* KEY's value; 0 (unknown) unless a whole number */
static uint64_t get_u64(const char *text, size_t len, enum bt_key key)
{
	uint64_t n;
	return bt_get_u64(text, len, key, &n) == BT_FOUND ? n : 0;
}

static int add_gap(struct bundle_summary *s, const char *key, size_t klen, uint64_t n)
{
	for (size_t i = 0; i < s->ngaps; i++)
		if (strlen(s->gaps[i].key) == klen && !memcmp(s->gaps[i].key, key, klen)) {
			s->gaps[i].n += n;
			s->gaps[i].samples += s->gaps[i].last != s->samples;
			s->gaps[i].last = s->samples;
			return 0;
		}
	if (s->ngaps >= MAX_GAP_KEYS - 1 && (klen != 11 || memcmp(key, "other other", 11)))
		return add_gap(s, "other other", 11, n);
	struct gap_total *g = realloc(s->gaps, (s->ngaps + 1) * sizeof(*g));
	if (!g)
		return -1;
	s->gaps = g;
	g[s->ngaps].key = strndup(key, klen);
	if (!g[s->ngaps].key)
		return -1;
	text_clean(g[s->ngaps].key, 0);
	g[s->ngaps].n = n;
	g[s->ngaps].last = s->samples;
	g[s->ngaps++].samples = 1;
	return 0;
}

/* the meta's "gap STATUS KIND N" lines, and how many tier runs were deferred */
static int meta_lines(struct bundle_summary *s, const char *t, size_t n)
{
	size_t pos = 0;
	struct bt_span v, key;
	unsigned tier;
	uint64_t cnt;
	while (bt_next(t, n, &pos, BK_DEFERRED, &v))
		s->deferred += bt_parse_deferred(v, &tier) == BT_FOUND;
	pos = 0;
	while (bt_next(t, n, &pos, BK_GAP, &v))
		if (bt_parse_gap(v, &key, &cnt) == BT_FOUND && add_gap(s, key.p, key.n, cnt) < 0)
			return -1;
	return 0;
}

static int on_meta(struct ctx *c, const struct bundle_member *m)
{
	struct bundle_summary *s = c->s;
	const char *t = m->data;
	size_t n = m->len;
	s->samples++;
	struct bt_span tiers = { "", 0 };
	bt_get(t, n, BK_TIERS, &tiers);
	unsigned ran = bt_tiers_mask(tiers);
	for (int i = 0; i < MS_TIERS; i++)
		s->tier_samples[i] += (ran >> i) & 1;
	double w = get_double(t, n, BK_WALL);
	double we = get_double(t, n, BK_WALL_END);
	if (w && (!s->wall_first || w < s->wall_first))
		s->wall_first = w;
	if (we > s->wall_last)
		s->wall_last = we;
	uint64_t missed = get_u64(t, n, BK_MISSED_TICKS);
	s->missed_ticks += missed;
	s->late_ticks += missed > 0;
	uint64_t cpu = get_u64(t, n, BK_CPU_US), wall = get_u64(t, n, BK_WALL_US);
	s->cpu_total_us += cpu;
	if (wall > s->wall_max_us)
		s->wall_max_us = wall;
	if (s->ncpu == s->acpu) {
		size_t na = s->acpu ? s->acpu * 2 : 256;
		uint64_t *p = realloc(s->cpu_us, na * sizeof(*p));
		if (!p)
			return -1;
		s->cpu_us = p;
		s->acpu = na;
	}
	s->cpu_us[s->ncpu++] = cpu;
	uint64_t procs = get_u64(t, n, BK_PROCESSES), cg = get_u64(t, n, BK_CGROUPS);
	s->process_samples += procs;
	if (procs > s->max_processes)
		s->max_processes = procs;
	if (cg > s->max_cgroups)
		s->max_cgroups = cg;
	return meta_lines(s, t, n);
}

static int on_records(struct ctx *c, const struct bundle_member *m, int tier0)
{
	size_t pos = 0;
	struct ms_record r;
	struct ms_err e = MS_ERR_INIT;
	int rc;
	while ((rc = record_next(m->data, m->len, &pos, &r, m->name, &e)) > 0) {
		if (!tier0 || !record_status_is(&r, "ok") || r.path_len < 11 ||
		    memcmp(r.path + r.path_len - 5, "/stat", 5) || memcmp(r.path, "/proc/", 6))
			continue;
		struct proc_stat st;
		struct ms_err pe = MS_ERR_INIT;
		if (parse_stat(r.data, r.len, &st, NULL, &pe) == 0 &&
		    idset_add(&c->ids, ms_hash_u64x2((uint64_t)st.pid, st.starttime, c->seed) | 1) < 0) {
			ms_err_release(&pe);
			ms_err_release(&e);
			return -1;
		}
		ms_err_release(&pe);
	}
	if (rc < 0) {
		c->s->bad_records++;
		if (!c->s->first_error)
			c->s->first_error = strdup(ms_err_msg(&e));
	}
	ms_err_release(&e);
	return 0;
}

/* trigger lines (TEXT, LEN bytes): the first SUMMARY_TRIGGERS kept */
static int add_triggers(struct bundle_summary *s, const char *text, size_t len)
{
	size_t pos = 0;
	struct ms_trigger_rec r;
	while (ms_trigger_next(text, len, &pos, &r, NULL)) {
		s->triggers++;
		if (s->ntrig == SUMMARY_TRIGGERS)
			continue;
		if (!s->trig && !(s->trig = calloc(SUMMARY_TRIGGERS, sizeof(*s->trig))))
			return -1;
		struct summary_trigger *t = &s->trig[s->ntrig];
		t->t = r.t;
		t->kind = strndup(r.name, r.name_len);
		t->fields = strndup(r.fields, r.fields_len);
		if (!t->kind || !t->fields) {
			free(t->kind);
			free(t->fields);
			return -1;
		}
		text_clean(t->kind, 0);
		text_clean(t->fields, 0);
		s->ntrig++;
	}
	return 0;
}

/* memsnap.header: the format (refused when newer than this memsnap), the
 * host and the options; a recorder's incident and bundle kind */
static int on_header(struct bundle_summary *s, const struct bundle_member *m,
		     struct ms_err *err)
{
	s->has_header = 1;
	if (bt_header_format(m->data, m->len, &s->format, err) < 0)
		return -1;
	char *nodes = NULL;
	if (get_str(m->data, m->len, BK_COLLECTOR, &s->collector) < 0 ||
	    get_str(m->data, m->len, BK_HOSTNAME, &s->hostname) < 0 ||
	    get_str(m->data, m->len, BK_KERNEL, &s->kernel) < 0 ||
	    get_str(m->data, m->len, BK_COMMAND, &s->command) < 0 ||
	    get_str(m->data, m->len, BK_REDACTED, &s->redacted) < 0 ||
	    get_str(m->data, m->len, BK_NODES, &nodes) < 0 ||
	    get_str(m->data, m->len, BK_BUNDLE_KIND, &s->bundle_kind) < 0 ||
	    get_str(m->data, m->len, BK_INCIDENT_TRIGGER, &s->incident_trigger) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	s->interval_ms = get_u64(m->data, m->len, BK_INTERVAL_MS);
	s->incident_time = get_double(m->data, m->len, BK_INCIDENT_TIME);
	s->nodes = 0;
	if (nodes && strcmp(nodes, "-"))
		for (char *p = nodes, *q; p; p = q ? q + 1 : NULL, s->nodes++)
			q = strchr(p, ',');
	free(nodes);
	return 0;
}

/* *DST takes V's text, made printable, when V was found */
static void take_text(char **dst, struct host_value *v)
{
	if (v->got != BT_FOUND)
		return;
	free(*dst);
	*dst = v->text;
	v->text = NULL;
	text_clean(*dst, 0);
}

/* the host member: what its records say about the host */
static int on_host(struct bundle_summary *s, const struct bundle_member *m)
{
	struct host_facts h;
	size_t pos = 0;
	struct ms_record r;
	struct ms_err e = MS_ERR_INIT;
	int rc = 0;
	s->host_members++;
	host_facts_init(&h);
	while (rc == 0 && record_next(m->data, m->len, &pos, &r, m->name, &e) > 0)
		rc = host_facts_add(&h, &r);
	ms_err_release(&e);
	if (h.f[HF_PAGE_SIZE].got == BT_FOUND)
		s->page_size = (long)h.f[HF_PAGE_SIZE].num;
	if (h.f[HF_CPUS_ONLINE].got == BT_FOUND)
		s->cpus = (long)h.f[HF_CPUS_ONLINE].num;
	take_text(&s->machine, &h.f[HF_MACHINE]);
	take_text(&s->tz, &h.f[HF_ZONE]);
	host_facts_release(&h);
	return rc;
}

static int on_member(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	struct ctx *c = ctx;
	struct bundle_summary *s = c->s;
	if (!strcmp(m->name, MS_MEMBER_HEADER) && s->has_header) {
		s->out_of_order++; /* a second header: the first one counts */
		return 0;
	}
	if (!strcmp(m->name, MS_MEMBER_HEADER))
		return on_header(s, m, err);
	if (!s->has_header)
		return ms_err_set(err, EINVAL, "first member is '%s', not '%s': not a memsnap bundle",
				  m->name, MS_MEMBER_HEADER);
	if (!strcmp(m->name, MS_MEMBER_TRAILER)) {
		s->has_trailer = 1;
		return get_str(m->data, m->len, BK_END_REASON, &s->end_reason) < 0
			       ? ms_err_set(err, ENOMEM, "out of memory") : 0;
	}
	/* NNNNNN/kind */
	const char *slash = strchr(m->name, '/');
	const char *p = m->name;
	uint64_t num = 0;
	if (!slash || ms_scan_u64(&p, slash, &num) < 0 || p != slash || num == 0 || num > UINT32_MAX)
		return 0; /* unknown member: a later format's addition, ignored */
	const char *kind = slash + 1;
	if ((unsigned)num <= c->last_complete) {
		/* a sample again after its meta, or an older one: not counted twice */
		s->out_of_order++;
		return 0;
	}
	if ((unsigned)num != c->open_sample) {
		if (c->open_sample && !c->open_has_meta)
			s->incomplete++;
		c->open_sample = (unsigned)num;
		c->open_has_meta = 0;
	}
	if (!strcmp(kind, "meta")) {
		c->open_has_meta = 1;
		c->last_complete = (unsigned)num;
		return on_meta(c, m) < 0 ? ms_err_set(err, ENOMEM, "out of memory") : 0;
	}
	if (!strcmp(kind, "host"))
		return on_host(s, m) < 0 ? ms_err_set(err, ENOMEM, "out of memory") : 0;
	if (kind[0] == 't' && kind[1] >= '0' && kind[1] < '0' + MS_TIERS)
		return on_records(c, m, kind[1] == '0') < 0 ? ms_err_set(err, ENOMEM, "out of memory")
							    : 0;
	if (!strcmp(kind, MS_KIND_TRIGGER))
		return add_triggers(s, m->data, m->len) < 0 ? ms_err_set(err, ENOMEM, "out of memory") : 0;
	return 0;
}

int bundle_summarize(const char *path, const struct bundle_limits *limits,
		     struct bundle_summary *out, struct ms_err *err)
{
	memset(out, 0, sizeof(*out));
	struct stat st;
	if (stat(path, &st) == 0)
		out->file_size = (uint64_t)st.st_size;
	struct ctx c = { out, { NULL, 0, 0 }, ms_hash_seed(), 0, 0, 0 };
	int rc = bundle_read(path, limits, on_member, &c, &out->read, err);
	if (c.open_sample && !c.open_has_meta)
		out->incomplete++;
	out->processes_seen = c.ids.n;
	free(c.ids.k);
	if (rc == 0 && !out->has_header)
		rc = ms_err_set(err, EINVAL, "no '%s' member: not a memsnap bundle", MS_MEMBER_HEADER);
	return rc;
}

/* The quick summary from SP's header and trailer (see the .h): 1 done, 0
 * not possible, -1 ENOMEM */
static int quick_from(struct bundle_summary *s, const struct bundle_span *sp)
{
	const char *h = sp->header, *t = sp->trailer;
	size_t hl = sp->header_len, tl = sp->trailer_len;
	long format;
	struct ms_err e = MS_ERR_INIT;
	uint64_t samples = 0, lines = 0;
	struct bt_span v;
	double last;
	int recorder = bt_get(h, hl, BK_TRIGGERS, &v) == BT_FOUND;
	int ok = bt_header_format(h, hl, &format, &e) == 0 &&
		 bt_get_u64(t, tl, BK_SAMPLES, &samples) == BT_FOUND && samples <= UINT32_MAX &&
		 bt_get_double(t, tl, BK_LAST_WALL, &last) == BT_FOUND &&
		 (!recorder || bt_get_u64(t, tl, BK_TRIGGER_LINES, &lines) == BT_FOUND);
	ms_err_release(&e);
	if (!ok)
		return 0;
	s->has_header = s->has_trailer = 1;
	s->format = format;
	s->samples = (unsigned)samples;
	s->wall_first = sp->first;
	s->wall_last = sp->last;
	s->interval_ms = get_u64(h, hl, BK_INTERVAL_MS);
	if (get_str(h, hl, BK_HOSTNAME, &s->hostname) < 0 ||
	    get_str(h, hl, BK_BUNDLE_KIND, &s->bundle_kind) < 0 ||
	    get_str(t, tl, BK_END_REASON, &s->end_reason) < 0)
		return -1;
	struct ms_buf b;
	if (ms_buf_init(&b, 256) < 0)
		return -1;
	size_t pos = 0;
	int rc = 0;
	while (rc == 0 && bt_next(t, tl, &pos, BK_TRIGGER, &v))
		rc = ms_buf_add(&b, v.p, v.n) | ms_buf_add(&b, "\n", 1);
	if (rc == 0)
		rc = add_triggers(s, b.data, b.len);
	ms_buf_release(&b);
	s->triggers = lines > s->triggers ? lines : s->triggers;
	return rc < 0 ? -1 : 1;
}

int bundle_summary_quick(const char *path, const struct bundle_limits *limits,
			 struct bundle_summary *out, struct ms_err *err)
{
	memset(out, 0, sizeof(*out));
	struct bundle_span sp;
	struct ms_err e = MS_ERR_INIT;
	int rc = 0;
	if (bundle_span(path, limits, &sp, &e) == 0) {
		struct stat st;
		if (sp.clean_end && !sp.truncated && !sp.corrupt && sp.header && sp.trailer &&
		    sp.first_sample && stat(path, &st) == 0) {
			out->file_size = (uint64_t)st.st_size;
			rc = quick_from(out, &sp);
		}
		bundle_span_release(&sp);
	}
	ms_err_release(&e);
	if (rc <= 0) {
		bundle_summary_release(out);
		memset(out, 0, sizeof(*out));
	}
	return rc < 0 ? ms_err_set(err, ENOMEM, "out of memory") : rc;
}

void bundle_summary_release(struct bundle_summary *s)
{
	free(s->collector);
	free(s->hostname);
	free(s->kernel);
	free(s->command);
	free(s->redacted);
	free(s->machine);
	free(s->tz);
	free(s->cpu_us);
	for (size_t i = 0; i < s->ngaps; i++)
		free(s->gaps[i].key);
	free(s->gaps);
	free(s->end_reason);
	free(s->bundle_kind);
	free(s->incident_trigger);
	for (size_t i = 0; i < s->ntrig; i++) {
		free(s->trig[i].kind);
		free(s->trig[i].fields);
	}
	free(s->trig);
	free(s->first_error);
	bundle_read_result_release(&s->read);
	memset(s, 0, sizeof(*s));
}

void summary_time(char *buf, size_t n, double t)
{
	struct tm tm;
	/* a bundle's number: only years 1970 to 9999 are converted */
	time_t s = t > 0 && t < 253402300800.0 ? (time_t)t : 0;
	if (s <= 0 || !gmtime_r(&s, &tm)) {
		snprintf(buf, n, "unknown");
		return;
	}
	strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

void bundle_summary_triggers(FILE *out, const struct bundle_summary *s)
{
	char t[40];
	for (size_t i = 0; i < s->ntrig; i++) {
		summary_time(t, sizeof(t), s->trig[i].t);
		fprintf(out, "  %s  %-12s %s\n", t, s->trig[i].kind, s->trig[i].fields);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

void bundle_summary_print(FILE *out, const char *path, struct bundle_summary *s)
{
	char a[40], b[40];
	fprintf(out, "bundle:      %s (%llu bytes)\n", path, (unsigned long long)s->file_size);
	fprintf(out, "format:      %ld (%s)\n", s->format, s->collector ? s->collector : "unknown collector");
	fprintf(out, "host:        %s, Linux %s %s, %ld CPUs, %zu NUMA node%s, page size %ld\n",
	       s->hostname ? s->hostname : "?", s->kernel ? s->kernel : "?",
	       s->machine ? s->machine : "?", s->cpus, s->nodes ? s->nodes : 1,
	       s->nodes > 1 ? "s" : "", s->page_size);
	fprintf(out, "command:     %s\n", s->command ? s->command : "?");
	if (s->redacted)
		fprintf(out, "redacted:    %s\n", s->redacted);
	summary_time(a, sizeof(a), s->wall_first);
	summary_time(b, sizeof(b), s->wall_last);
	double span = s->wall_last > s->wall_first ? s->wall_last - s->wall_first : 0;
	fprintf(out, "span:        %s to %s (%.0f s; host time zone %s)\n", a, b, span,
	       s->tz ? s->tz : "unknown");
	fprintf(out, "samples:     %u complete (tier 0: %u, tier 1: %u, tier 2: %u); interval %llu ms\n",
	       s->samples, s->tier_samples[0], s->tier_samples[1], s->tier_samples[2],
	       (unsigned long long)s->interval_ms);
	fprintf(out, "overruns:    %llu late ticks, %llu missed ticks, %llu tier runs deferred by the budget\n",
	       (unsigned long long)s->late_ticks, (unsigned long long)s->missed_ticks,
	       (unsigned long long)s->deferred);
	fprintf(out, "processes:   %zu seen (at most %llu in one sample), %llu process-samples; "
	       "cgroups: at most %llu\n",
	       s->processes_seen, (unsigned long long)s->max_processes,
	       (unsigned long long)s->process_samples, (unsigned long long)s->max_cgroups);
	uint64_t med = 0, max = 0;
	if (s->ncpu) {
		qsort(s->cpu_us, s->ncpu, sizeof(*s->cpu_us), cmp_u64);
		med = s->cpu_us[s->ncpu / 2];
		max = s->cpu_us[s->ncpu - 1];
	}
	fprintf(out, "cost:        CPU %.3f s in all, per sample median %.1f ms, max %.1f ms; "
	       "wall max %.1f ms\n",
	       (double)s->cpu_total_us / 1e6, (double)med / 1e3, (double)max / 1e3,
	       (double)s->wall_max_us / 1e3);
	if (s->samples)
		fprintf(out, "size:        %.0f bytes per sample, %.1f per process-sample\n",
		       (double)s->file_size / s->samples,
		       s->process_samples ? (double)s->file_size / (double)s->process_samples : 0);
	if (!s->ngaps) {
		fprintf(out, "read errors: none\n");
	} else {
		fprintf(out, "read errors: (status, file kind: records, samples with any)\n");
		for (size_t i = 0; i < s->ngaps; i++)
			fprintf(out, "  %-40s %llu in %llu samples\n", s->gaps[i].key,
			       (unsigned long long)s->gaps[i].n,
			       (unsigned long long)s->gaps[i].samples);
	}
	if (s->out_of_order)
		fprintf(out, "out of order: %llu members skipped (a sample again after its meta, an older sample, a second header)\n",
		       (unsigned long long)s->out_of_order);
	if (s->bad_records)
		fprintf(out, "damaged:     %llu members with bad record framing (first: %s)\n",
		       (unsigned long long)s->bad_records, s->first_error);
	if (s->incident_trigger) {
		summary_time(a, sizeof(a), s->incident_time);
		fprintf(out, "incident:    %s at %s\n", s->incident_trigger, a);
	} else if (s->bundle_kind) {
		fprintf(out, "recorder:    a %s of a recorder's ring\n", s->bundle_kind);
	}
	if (s->triggers) {
		fprintf(out, "triggers:    %llu%s\n", (unsigned long long)s->triggers,
			s->triggers > s->ntrig ? " (the first ones:)" : "");
		bundle_summary_triggers(out, s);
	}
	if (s->has_trailer && !s->read.damage)
		fprintf(out, "end:         complete (%s)\n", s->end_reason ? s->end_reason : "?");
	else if (s->read.corrupt)
		fprintf(out, "end:         CORRUPT: %s; %u complete samples before the damage\n",
		       s->read.damage, s->samples);
	else
		fprintf(out, "end:         TRUNCATED (%s); %u complete samples recovered%s\n",
		       s->read.damage ? s->read.damage : "no trailer", s->samples,
		       s->incomplete ? ", 1 incomplete sample discarded" : "");
}

