/*
 * gen_seed.c - the seed bundle in memory, and the records of its members
 * (gen.h).  The seed is a short bundle recorded by the real collector: its
 * texts are what genbundle writes, varied and replicated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_format.h"
#include "bundle_reader.h"
#include "gen.h"
#include "ms_err.h"
#include "record.h"

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

void seed_read(const char *path, struct seed *s)
{
	struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
	struct bundle_read_result rr;
	struct ms_err err = MS_ERR_INIT;
	memset(&rr, 0, sizeof(rr));
	if (bundle_read(path, &lim, on_seed_member, s, &rr, &err) < 0)
		die("%s: %s", path, ms_err_msg(&err));
	if (rr.damage)
		fprintf(stderr, "genbundle: seed: %s (using the complete samples)\n", rr.damage);
}

unsigned member_sample(const char *name, const char **kind)
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

double kv_double(const struct member *m, enum bt_key key, double dflt)
{
	double d;
	return m && bt_get_double(m->data, m->len, key, &d) == BT_FOUND ? d : dflt;
}

unsigned meta_tiers(const struct member *m)
{
	struct bt_span v;
	return m && bt_get(m->data, m->len, BK_TIERS, &v) == BT_FOUND ? bt_tiers_mask(v) : 0;
}

void sample_tier(const struct seed *s, unsigned sample, int tier, struct ms_buf *out)
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

const struct member *find_member(const struct seed *s, unsigned sample, const char *kind)
{
	for (size_t i = 0; i < s->n; i++) {
		const char *k;
		if (member_sample(s->m[i].name, &k) == sample && !strcmp(k, kind))
			return &s->m[i];
	}
	return NULL;
}

void recs_push(struct recs *v, const struct rec *r)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->r = xrealloc(v->r, v->cap * sizeof(*v->r));
	}
	v->r[v->n++] = *r;
}

/* /proc/PID/FILE: the PID and FILE of X's path ("" for a "/proc/PID" gap) */
static void rec_pid(struct rec *x)
{
	x->pid = -1;
	x->file = NULL;
	if (strncmp(x->path, "/proc/", 6) || x->path[6] < '1' || x->path[6] > '9')
		return;
	char *end;
	long long pid = strtoll(x->path + 6, &end, 10);
	if (*end == '/') {
		x->pid = pid;
		x->file = end + 1;
	} else if (!*end) {
		x->pid = pid;
		x->file = end;
	}
}

void parse_records(const char *text, size_t len, const char *what, struct recs *out)
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
		rec_pid(&x);
		recs_push(out, &x);
	}
	if (rc < 0)
		die("%s: %s", what, ms_err_msg(&err));
	ms_buf_release(&path);
}
