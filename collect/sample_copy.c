/*
 * sample_copy.c - complete samples from a bundle into another (see
 * sample_copy.h).
 */
#include "sample_copy.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_format.h"
#include "bundle_reader.h"
#include "bundle_text.h"
#include "ms_buf.h"
#include "parse_num.h"
#include "recording_format.h"

struct pick {
	unsigned num;             /* in the source */
	double wall;
	uint64_t bytes;           /* its compressed size in the source (an estimate) */
};

struct scan {
	const struct copy_window *win;
	struct pick *p;           /* a lead-in, then the window's samples */
	size_t n, alloc;
	size_t in_window;         /* picks in the window itself */
	unsigned last_host;       /* the last host member seen */
	unsigned host_num;        /* the last host member at or before the first pick */
	uint64_t last_offset;
};

/* pass 2 */
struct copy {
	const struct scan *sc;
	const char *name;
	struct bundle_writer *w;
	struct copy_state *st;
	size_t at;                /* the next pick */
	struct ms_buf host;       /* the host member carried into the first sample */
	struct ms_buf meta;
	int have_host;
	unsigned cur;             /* source sample being copied (0: none) */
	int cur_host;             /* it had its own host member */
	uint64_t offset;
};

static unsigned member_sample(const char *name, const char **kind)
{
	const char *slash = strchr(name, '/');
	const char *p = name;
	uint64_t num = 0;
	if (!slash || ms_scan_u64(&p, slash, &num) < 0 || p != slash || !num || num > UINT32_MAX)
		return 0;
	*kind = slash + 1;
	return (unsigned)num;
}


static int on_scan(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	struct scan *sc = ctx;
	const char *kind;
	unsigned num = member_sample(m->name, &kind);
	if (!num)
		return 0;
	if (!strcmp(kind, "host"))
		sc->last_host = num;
	if (strcmp(kind, "meta"))
		return 0;
	double wall = NAN, off = NAN;
	bt_get_double(m->data, m->len, BK_WALL, &wall);
	bt_get_double(m->data, m->len, BK_OFFSET, &off);
	if (sc->n && isfinite(off) && off >= (double)sc->last_offset)
		sc->p[sc->n - 1].bytes = (uint64_t)off - sc->last_offset;
	if (!isfinite(wall) || wall > sc->win->to)
		return 0;
	if (wall < sc->win->from) {
		/* the lead-in: from the last full read before the window, so
		 * that the copy has every process's sparse files from its first
		 * sample on (bundle-format.md); an older collector's samples
		 * (no full_read) are all full */
		uint64_t full = 1;
		bt_get_u64(m->data, m->len, BK_FULL_READ, &full);
		if (full)
			sc->n = 0;
		else if (!sc->n)
			return 0;
	} else {
		sc->in_window++;
	}
	if (sc->n && num <= sc->p[sc->n - 1].num)
		return 0; /* out of order: a damaged bundle */
	if (sc->n == sc->alloc) {
		size_t na = sc->alloc ? sc->alloc * 2 : 128;
		struct pick *np = realloc(sc->p, na * sizeof(*np));
		if (!np)
			return ms_err_set(err, ENOMEM, "out of memory");
		sc->p = np;
		sc->alloc = na;
	}
	if (!sc->n)
		sc->host_num = sc->last_host; /* before the first pick, or its own */
	sc->p[sc->n++] = (struct pick){ num, wall, 0 };
	if (isfinite(off))
		sc->last_offset = (uint64_t)off;
	return 0;
}

/* Leave out the oldest picks while the window is larger than MAX */
static size_t trim_front(const struct scan *sc, uint64_t max)
{
	if (!max || !sc->n)
		return 0;
	uint64_t typical = 0, total = 0;
	for (size_t i = 0; i + 1 < sc->n; i++)
		typical = sc->p[i].bytes > typical ? sc->p[i].bytes : typical;
	for (size_t i = 0; i < sc->n; i++)
		total += sc->p[i].bytes ? sc->p[i].bytes : typical;
	size_t skip = 0;
	while (skip < sc->n && total > max) {
		total -= sc->p[skip].bytes ? sc->p[skip].bytes : typical;
		skip++;
	}
	return skip;
}

static int key_is(struct bt_span k, enum bt_key key)
{
	const char *name = bt_key_name(key);
	return k.n == strlen(name) && !memcmp(k.p, name, k.n);
}

/* The meta of the copied sample: "sample" and "offset" are the
 * destination's, and it says where it came from */
static int rewrite_meta(struct copy *c, const struct bundle_member *m, unsigned dest,
			struct ms_err *err)
{
	struct ms_buf *b = &c->meta;
	ms_buf_reset(b);
	int rc = 0;
	size_t pos = 0;
	struct bt_span k, v;
	while (bt_next_line(m->data, m->len, &pos, &k, &v)) {
		if (key_is(k, BK_SAMPLE))
			rc |= bt_put_u64(b, BK_SAMPLE, dest);
		else if (key_is(k, BK_OFFSET))
			rc |= bt_put_u64(b, BK_OFFSET, c->offset);
		else
			rc |= ms_buf_addf(b, "%.*s %.*s\n", (int)k.n, k.p, (int)v.n, v.p);
	}
	rc |= bt_put(b, BK_COPIED_FROM, "%s %u", c->name, c->cur);
	if (rc)
		return ms_err_set(err, ENOMEM, "out of memory");
	char name[64];
	snprintf(name, sizeof(name), MS_SAMPLE_NAME_FMT, dest, "meta");
	return bundle_writer_add(c->w, name, b->data, b->len, (time_t)m->mtime, err);
}

static int add_as(struct copy *c, unsigned dest, const char *kind, const char *data, size_t len,
		  int64_t mtime, struct ms_err *err)
{
	char name[96];
	if (snprintf(name, sizeof(name), "%06u/%s", dest, kind) >= (int)sizeof(name))
		return 0; /* not a name memsnap writes: left out */
	return bundle_writer_add(c->w, name, data, len, (time_t)mtime, err);
}

static int on_copy(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	struct copy *c = ctx;
	const char *kind;
	unsigned num = member_sample(m->name, &kind);
	if (!num)
		return 0;
	if (!strcmp(kind, "host") && num <= c->sc->host_num) {
		if (ms_buf_add((ms_buf_reset(&c->host), &c->host), m->data, m->len) < 0)
			return ms_err_set(err, ENOMEM, "out of memory");
		c->have_host = 1;
	}
	if (c->at == c->sc->n)
		return 1; /* the window is copied */
	const struct pick *p = &c->sc->p[c->at];
	if (num != p->num)
		return 0;
	unsigned dest = c->st->next;
	if (c->cur != num) {
		c->cur = num;
		c->offset = bundle_writer_bytes(c->w);
		c->cur_host = 0;
	}
	if (!strcmp(kind, "host"))
		c->cur_host = 1;
	/* the destination's first sample must describe the host */
	if (!c->st->host_written && !c->cur_host && strcmp(kind, "host") && c->have_host) {
		if (add_as(c, dest, "host", c->host.data, c->host.len, m->mtime, err) < 0)
			return -1;
		c->cur_host = 1;
	}
	if (c->cur_host)
		c->st->host_written = 1;
	if (!strcmp(kind, MS_KIND_TRIGGER))
		for (const char *q = m->data; (q = memchr(q, '\n', (size_t)(m->data + m->len - q))); q++)
			c->st->trigger_lines++;
	if (strcmp(kind, "meta"))
		return add_as(c, dest, kind, m->data, m->len, m->mtime, err);
	if (rewrite_meta(c, m, dest, err) < 0 || bundle_writer_commit(c->w, err) < 0)
		return -1;
	c->st->next++;
	c->st->copied++;
	c->st->last_wall = p->wall;
	c->at++;
	return 0;
}

int sample_copy(const char *src, const char *name, const struct copy_window *win,
		struct bundle_writer *w, struct copy_state *st, struct ms_err *err)
{
	struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
	struct bundle_read_result rr;
	struct scan sc = { win, NULL, 0, 0, 0, 0, 0, 0 };
	struct ms_err rerr = MS_ERR_INIT;
	st->copied = 0;
	/* a source that cannot be read at all has nothing to give: not an error */
	int rc = bundle_read(src, &lim, on_scan, &sc, &rr, &rerr);
	bundle_read_result_release(&rr);
	rc = rc < 0 && rerr.code == ENOMEM ? ms_err_set(err, ENOMEM, "out of memory") : 0;
	ms_err_release(&rerr);
	if (!sc.in_window)
		sc.n = 0; /* a lead-in to nothing */
	struct copy c = { &sc, name, w, st, trim_front(&sc, win->max_bytes), { 0 }, { 0 }, 0, 0, 0, 0 };
	if (rc == 0 && c.at < sc.n) {
		if (ms_buf_init(&c.host, 4096) < 0 || ms_buf_init(&c.meta, 4096) < 0) {
			rc = ms_err_set(err, ENOMEM, "out of memory");
		} else {
			/* the destination's failures are errors; the source's damage
			 * after the picks was seen in the first pass */
			rc = bundle_read(src, &lim, on_copy, &c, &rr, err);
			bundle_read_result_release(&rr);
		}
	}
	ms_buf_release(&c.host);
	ms_buf_release(&c.meta);
	free(sc.p);
	return rc < 0 ? -1 : 0;
}
