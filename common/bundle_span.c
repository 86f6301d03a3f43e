/*
 * bundle_span.c - a bundle's first and last sample, read from its first
 * bytes and its last zstd frame (see bundle_span.h).
 */
#include "bundle_span.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_format.h"
#include "bundle_text.h"

#define SCAN_CHUNK (1u << 20)   /* bytes read at a time, from the end, for a frame magic */

static const unsigned char zstd_magic[4] = { 0x28, 0xB5, 0x2F, 0xFD };

/* The wall time of a complete sample's meta (as the loader takes one: wall
 * and mono present), or 0 when M is not one */
static int sample_meta(const struct bundle_member *m, unsigned *num, double *wall)
{
	const char *kind;
	double mono;
	return bundle_member_sample(m->name, num, &kind) && !strcmp(kind, "meta") &&
	       bt_get_double(m->data, m->len, BK_WALL, wall) == BT_FOUND &&
	       bt_get_double(m->data, m->len, BK_MONO, &mono) == BT_FOUND;
}

/* *OUT: an owned, NUL-terminated copy of M's text (freeing the one it had) */
static int keep_text(const struct bundle_member *m, char **out, size_t *len, struct ms_err *err)
{
	free(*out);
	if (!(*out = malloc(m->len + 1)))
		return ms_err_set(err, ENOMEM, "out of memory");
	memcpy(*out, m->data, m->len);
	(*out)[m->len] = '\0';
	*len = m->len;
	return 0;
}

struct head {
	struct bundle_span *span;
	int header;
};

/* The header, then members up to the first complete sample's meta */
static int on_head(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	struct head *h = ctx;
	unsigned num;
	double v;
	if (!h->header) {
		if (strcmp(m->name, MS_MEMBER_HEADER))
			return ms_err_set(err, EINVAL, "first member is '%s', not '%s': not a memsnap bundle",
					  m->name, MS_MEMBER_HEADER);
		h->header = 1;
		if (bt_get_double(m->data, m->len, BK_WALL_START, &v) == BT_FOUND)
			h->span->wall_start = v;
		return keep_text(m, &h->span->header, &h->span->header_len, err);
	}
	if (!sample_meta(m, &num, &v))
		return 0;
	h->span->first = v;
	h->span->first_sample = num;
	return 1;
}

struct tail {
	uint64_t members;
	double last;
	unsigned last_sample;
	int trailer;
	char *text;                /* the trailer's, owned */
	size_t len;
};

static int on_tail(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	struct tail *t = ctx;
	unsigned num;
	double v;
	t->members++;
	if (sample_meta(m, &num, &v) && num > t->last_sample) {
		t->last = v;
		t->last_sample = num;
	} else if (!strcmp(m->name, MS_MEMBER_TRAILER)) {
		t->trailer = 1;
		return keep_text(m, &t->text, &t->len, err);
	}
	return 0;
}

/* The last offset below BEFORE where a zstd frame magic starts: 0 and *AT,
 * 1 when there is none, -1 on a read error (ERR set) */
static int prev_magic(int fd, uint64_t before, unsigned char *buf, uint64_t *at, struct ms_err *err)
{
	while (before > 0) {
		uint64_t lo = before > SCAN_CHUNK ? before - SCAN_CHUNK : 0;
		/* 3 bytes past BEFORE: a magic that starts just below it */
		ssize_t r = pread(fd, buf, (size_t)(before - lo) + 3, (off_t)lo);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return ms_err_set(err, errno, "%s", strerror(errno));
		for (uint64_t i = before; i-- > lo;)
			if (i - lo + 4 <= (uint64_t)r && !memcmp(buf + (i - lo), zstd_magic, 4)) {
				*at = i;
				return 0;
			}
		before = lo;
	}
	return 1;
}

/* The end from the frame at OFF: 1 when it holds the end (the last complete
 * sample, or at OFF 0 whatever there is), 0 to try the frame before, -1 on
 * an error of a real frame */
static int try_tail(const char *path, uint64_t off, const struct bundle_limits *limits,
		    struct bundle_span *span, struct ms_err *err)
{
	struct tail t = { 0, NAN, 0, 0, NULL, 0 };
	struct bundle_read_result rr;
	struct ms_err e = MS_ERR_INIT;
	int rc = bundle_read_at(path, off, limits, on_tail, &t, &rr, &e);
	int ok = 0;
	/* a trailer alone in its frame says where the samples end */
	uint64_t n = 0;
	double w = NAN;
	int says = !t.last_sample && t.trailer && bt_get_u64(t.text, t.len, BK_SAMPLES, &n) == BT_FOUND &&
		   n && n <= UINT32_MAX && bt_get_double(t.text, t.len, BK_LAST_WALL, &w) == BT_FOUND &&
		   isfinite(w);
	if (says) {
		t.last = w;
		t.last_sample = (unsigned)n;
	}
	if (rc < 0 && (t.members || off == 0)) {
		/* a real frame that failed: a limit, an I/O error */
		ms_err_set(err, e.code, "%s", ms_err_msg(&e));
		ok = -1;
	} else if (rc == 0 && t.members && (t.last_sample || off == 0)) {
		span->last = t.last;
		span->last_sample = t.last_sample;
		span->clean_end = t.trailer;
		span->truncated = rr.truncated;
		span->corrupt = rr.corrupt;
		span->tail_offset = off;
		span->trailer = t.text;
		span->trailer_len = t.len;
		t.text = NULL;
		ok = 1;
		if (span->trailer &&
		    bt_get_str(span->trailer, span->trailer_len, BK_END_REASON, &span->end_reason) < 0)
			ok = ms_err_set(err, ENOMEM, "out of memory");
	}
	free(t.text);
	ms_err_release(&e);
	bundle_read_result_release(&rr);
	return ok;
}

/* The last sample and the trailer, from the last frame that holds them */
static int span_end(const char *path, const struct bundle_limits *limits,
		    struct bundle_span *span, struct ms_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ms_err_set(err, errno, "%s", strerror(errno));
	struct stat st;
	unsigned char *buf = malloc(SCAN_CHUNK + 3);
	uint64_t before = 0;
	int rc = -1;
	if (!buf)
		ms_err_set(err, ENOMEM, "out of memory");
	else if (fstat(fd, &st) < 0)
		ms_err_set(err, errno, "%s", strerror(errno));
	else
		rc = 0, before = (uint64_t)st.st_size;
	while (rc == 0) {
		uint64_t off = 0;
		int m = prev_magic(fd, before, buf, &off, err);
		if (m != 0) {
			rc = m < 0 ? -1 : ms_err_set(err, EINVAL, "not a memsnap bundle (no zstd frame)");
			break;
		}
		int t = try_tail(path, off, limits, span, err);
		if (t != 0) {
			rc = t < 0 ? -1 : 0;
			break;
		}
		before = off;
	}
	free(buf);
	close(fd);
	return rc;
}

int bundle_span(const char *path, const struct bundle_limits *limits, struct bundle_span *span,
		struct ms_err *err)
{
	memset(span, 0, sizeof(*span));
	span->wall_start = span->first = span->last = NAN;
	struct head h = { span, 0 };
	struct bundle_read_result rr;
	int rc = bundle_read(path, limits, on_head, &h, &rr, err);
	bundle_read_result_release(&rr);
	if (rc < 0 || !h.header) {
		bundle_span_release(span);
		return rc < 0 ? -1 : ms_err_set(err, EINVAL, "no '%s' member: not a memsnap bundle",
						MS_MEMBER_HEADER);
	}
	if (span_end(path, limits, span, err) < 0) {
		bundle_span_release(span);
		return -1;
	}
	return 0;
}

void bundle_span_release(struct bundle_span *span)
{
	free(span->end_reason);
	free(span->header);
	free(span->trailer);
	span->end_reason = span->header = span->trailer = NULL;
}
