/*
 * bundle_reader.c - zstd (ours) -> tar (libarchive, format tar only) -> FN.
 *
 * The zstd layer is ours so that the end of the data is classified
 * precisely: a stream that stops inside a frame is "truncated" (what a
 * killed collector or a full disk leaves); an undecodable byte is
 * "corrupt".  libarchive only ever sees the decompressed tar stream through
 * read_cb(), which reports those conditions as an archive error that we
 * then recognise by the flags we set.
 *
 * Bounds: a member's declared size is checked against max_member before a
 * byte is read, and the decompressed total against max_total as it flows,
 * so a decompression bomb stops with an error instead of exhausting memory.
 */
#include "bundle_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "ms_buf.h"
#include "parse_num.h"

enum { Z_OK, Z_TRUNCATED, Z_CORRUPT, Z_IOERR, Z_LIMIT };

#define SLICE 2048   /* input per call while zstd gives no hint */

struct zsrc {
	int fd;
	ZSTD_DCtx *dctx;
	char *ibuf, *obuf;
	size_t isize, osize;
	ZSTD_inBuffer in;
	int eof;
	int ended;            /* read_cb() reported the end of the data */
	int state;            /* Z_* */
	size_t frame_left;    /* last ZSTD_decompressStream hint: 0 = frame done */
	int in_frame;         /* inside a frame (some of it consumed) */
	int pending_error;    /* Z_CORRUPT found after data still to hand over */
	uint64_t tail_zeros;  /* zero bytes at the end of the output so far */
	size_t hint;          /* input zstd wants next (0: unknown) */
	uint64_t bytes_in, bytes_out, max_total;
	char msg[256];
};

/* Refill the input when it is used up: 0, or -1 with the error set on A */
static int refill(struct archive *a, struct zsrc *z)
{
	while (z->in.pos == z->in.size && !z->eof) {
		ssize_t r = read(z->fd, z->ibuf, z->isize);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			z->state = Z_IOERR;
			snprintf(z->msg, sizeof(z->msg), "read error: %s", strerror(errno));
			archive_set_error(a, EIO, "%s", z->msg);
			return -1;
		}
		z->in.src = z->ibuf;
		z->in.size = (size_t)r;
		z->in.pos = 0;
		z->bytes_in += (uint64_t)r;
		if (r == 0)
			z->eof = 1;
	}
	return 0;
}

/* The output of one ZSTD_decompressStream call that failed with R: the
 * blocks decoded before the damage are handed over first. */
static la_ssize_t undecodable(struct archive *a, struct zsrc *z, size_t r, size_t got,
			      const void **buf)
{
	z->state = Z_CORRUPT;
	snprintf(z->msg, sizeof(z->msg), "undecodable zstd data near compressed byte %llu: %s",
		 (unsigned long long)(z->bytes_in - (z->in.size - z->in.pos)), ZSTD_getErrorName(r));
	if (got) {
		z->pending_error = 1;
		z->bytes_out += got;
		*buf = z->obuf;
		return (la_ssize_t)got;
	}
	archive_set_error(a, EIO, "%s", z->msg);
	return -1;
}

/* One call of zstd on what is left of the input: the bytes decoded (0:
 * none yet, call again), or -1 with the error set on A. */
static la_ssize_t decode(struct archive *a, struct zsrc *z, const void **buf)
{
	/* zstd reports an error without the output it decoded earlier in
	 * the same call, so each call gets only the input zstd asked for
	 * (its hint: the next block, or the 4-byte checksum): an error
	 * then loses nothing decoded before the damage */
	ZSTD_outBuffer out = { z->obuf, z->osize, 0 };
	size_t end = z->in.size, slice = z->hint ? z->hint : SLICE;
	if (end - z->in.pos > slice)
		z->in.size = z->in.pos + slice;
	size_t r = ZSTD_decompressStream(z->dctx, &out, &z->in);
	z->in.size = end;
	if (ZSTD_isError(r))
		return undecodable(a, z, r, out.pos, buf);
	z->hint = r;
	z->in_frame = r != 0;
	z->bytes_out += out.pos;
	if (z->bytes_out > z->max_total) {
		z->state = Z_LIMIT;
		snprintf(z->msg, sizeof(z->msg), "decompressed size exceeds the limit of %llu bytes",
			 (unsigned long long)z->max_total);
		archive_set_error(a, EFBIG, "%s", z->msg);
		return -1;
	}
	if (out.pos) {
		/* a tar stream ends with two zero blocks: count trailing
		 * zeros to tell that end from a cut at a member boundary */
		size_t k = out.pos;
		while (k && z->obuf[k - 1] == 0)
			k--;
		z->tail_zeros = k ? out.pos - k : z->tail_zeros + out.pos;
		*buf = z->obuf;
	}
	return (la_ssize_t)out.pos;
}

static la_ssize_t read_cb(struct archive *a, void *ctx, const void **buf)
{
	struct zsrc *z = ctx;
	for (;;) {
		if (refill(a, z) < 0)
			return -1;
		if (z->in.pos == z->in.size && z->eof) {
			if (z->in_frame) {
				z->state = Z_TRUNCATED;
				snprintf(z->msg, sizeof(z->msg),
					 "compressed stream ends inside a zstd frame at byte %llu",
					 (unsigned long long)z->bytes_in);
				archive_set_error(a, EIO, "%s", z->msg);
				return -1;
			}
			z->ended = 1;
			return 0;
		}
		if (z->pending_error) {
			archive_set_error(a, EIO, "%s", z->msg);
			return -1;
		}
		la_ssize_t n = decode(a, z, buf);
		if (n != 0)
			return n;
	}
}

static int set_damage(struct bundle_read_result *res, const char *msg)
{
	free(res->damage);
	res->damage = strdup(msg);
	/* libarchive's messages may quote the archive: no control characters */
	for (char *p = res->damage; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return 0;
}

static int read_member(struct archive *ar, struct ms_buf *b, size_t size)
{
	ms_buf_reset(b);
	if (ms_buf_grow(b, size) < 0)
		return -2;
	while (b->len < size) {
		la_ssize_t r = archive_read_data(ar, b->data + b->len, size - b->len);
		if (r < 0)
			return -1;
		if (r == 0)
			return -1;
		b->len += (size_t)r;
	}
	b->data[b->len] = '\0';
	return 0;
}

/* Open PATH's zstd stream at byte OFFSET (a frame's start) into Z: 0, or
 * -1 with ERR set (Z is then safe to close) */
static int zsrc_open(struct zsrc *z, const char *path, uint64_t offset, uint64_t max_total,
		     struct ms_err *err)
{
	z->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (z->fd < 0)
		return ms_err_set(err, errno, "%s", strerror(errno));
	unsigned char magic[4];
	ssize_t m = pread(z->fd, magic, 4, (off_t)offset);
	if (m < 4 || magic[0] != 0x28 || magic[1] != 0xB5 || magic[2] != 0x2F || magic[3] != 0xFD) {
		if (offset)
			return ms_err_set(err, EINVAL, "no zstd frame at byte %llu",
					  (unsigned long long)offset);
		return ms_err_set(err, EINVAL, m < 4 && m >= 0 ? "empty or too short to be a bundle"
					      : "not a memsnap bundle (no zstd frame at the start)");
	}
	if (lseek(z->fd, (off_t)offset, SEEK_SET) < 0)
		return ms_err_set(err, errno, "%s", strerror(errno));
	z->bytes_in = offset;
	z->dctx = ZSTD_createDCtx();
	z->isize = ZSTD_DStreamInSize();
	z->osize = ZSTD_DStreamOutSize();
	z->ibuf = malloc(z->isize);
	z->obuf = malloc(z->osize);
	z->max_total = max_total;
	if (!z->dctx || !z->ibuf || !z->obuf)
		return ms_err_set(err, ENOMEM, "out of memory");
	/* refuse absurd windows: a 2 GiB window is a memory bomb */
	ZSTD_DCtx_setParameter(z->dctx, ZSTD_d_windowLogMax, 27);
	return 0;
}

static void zsrc_close(struct zsrc *z)
{
	ZSTD_freeDCtx(z->dctx);
	free(z->ibuf);
	free(z->obuf);
	if (z->fd >= 0)
		close(z->fd);
}

/* libarchive read the end-of-archive blocks: the rest of the zstd stream
 * (the frame checksum) is still to be verified, and what follows must be
 * nothing.  0, or -1 when the reading failed (damage to classify). */
static int at_end(struct archive *ar, struct zsrc *z, struct bundle_read_result *res)
{
	const void *rest;
	la_ssize_t n;
	int trailing = 0;  /* non-zero bytes after the end: a second bundle appended? */
	while ((n = read_cb(ar, z, &rest)) > 0)
		for (la_ssize_t i = 0; i < n && !trailing; i++)
			trailing = ((const char *)rest)[i] != 0;
	if (n < 0 && z->state == Z_CORRUPT) {
		res->corrupt = 1;
		set_damage(res, z->msg);
	} else if (n < 0) {
		return -1;
	} else if (trailing) {
		res->corrupt = 1;
		set_damage(res, "data after the end of the tar archive (not read)");
	} else if (z->tail_zeros >= 1024) {
		res->clean_end = 1;
	} else {
		/* libarchive also ends quietly at a cut between members (a
		 * collector killed right after a frame ended) */
		res->truncated = 1;
		set_damage(res, "the tar stream ends without its end-of-archive blocks");
	}
	return 0;
}

enum { MEMBER_NEXT, MEMBER_STOP, MEMBER_FAIL, MEMBER_DAMAGED };

/* Check and read the member of header E into B and hand it to FN. */
static int one_member(struct archive *ar, struct archive_entry *e, const struct zsrc *z,
		      struct ms_buf *b, const struct bundle_limits *limits, bundle_member_fn fn,
		      void *ctx, struct ms_err *err)
{
	const char *name = archive_entry_pathname(e);
	if (!name)
		name = "";
	if (archive_entry_filetype(e) != AE_IFREG) {
		ms_err_set(err, EINVAL, "member '%s' is not a regular file (links, devices and directories never occur in a bundle)", name);
		return MEMBER_FAIL;
	}
	if (!archive_entry_size_is_set(e) || archive_entry_size(e) < 0 ||
	    (uint64_t)archive_entry_size(e) > limits->max_member) {
		ms_err_set(err, EFBIG, "member '%s' claims %lld bytes, over the limit of %llu", name,
			   (long long)archive_entry_size(e), (unsigned long long)limits->max_member);
		return MEMBER_FAIL;
	}
	char *nm = strdup(name);
	if (!nm) {
		ms_err_set(err, ENOMEM, "out of memory");
		return MEMBER_FAIL;
	}
	int64_t mtime = archive_entry_mtime(e);
	int rr = read_member(ar, b, (size_t)archive_entry_size(e));
	int fr = 0;
	if (rr == -2)
		ms_err_set(err, ENOMEM, "out of memory reading member '%s'", nm);
	if (rr == 0) {
		struct bundle_member mem = { nm, b->data, b->len, mtime,
					      z->bytes_in - (z->in.size - z->in.pos) };
		fr = fn(ctx, &mem, err);
	}
	free(nm);
	return rr == -2 || fr < 0 ? MEMBER_FAIL : rr < 0 ? MEMBER_DAMAGED : fr > 0 ? MEMBER_STOP
										  : MEMBER_NEXT;
}

/* The reading stopped at damage: truncated or corrupt, said in RES; or, for
 * a limit or an I/O error, -1 with ERR set. */
static int damaged(struct archive *ar, const struct zsrc *z, int bad_header,
		   struct bundle_read_result *res, struct ms_err *err)
{
	if (z->state == Z_LIMIT || z->state == Z_IOERR)
		return ms_err_set(err, z->state == Z_LIMIT ? EFBIG : EIO, "%s", z->msg);
	if (z->state == Z_TRUNCATED || z->state == Z_CORRUPT) {
		*(z->state == Z_TRUNCATED ? &res->truncated : &res->corrupt) = 1;
		set_damage(res, z->msg);
	} else if (z->ended && !bad_header) {
		/* the zstd layer was fine: the tar stream inside is cut */
		res->truncated = 1;
		set_damage(res, "the tar stream ends in the middle of a member");
	} else {
		const char *as = archive_error_string(ar);
		char msg[300];
		res->corrupt = 1;
		snprintf(msg, sizeof(msg), "damaged tar data: %s", as ? as : "unknown");
		set_damage(res, msg);
	}
	return 0;
}

/* Every member of AR to FN until the end, FN's stop, or damage */
static int members(struct archive *ar, struct zsrc *z, struct ms_buf *b,
		   const struct bundle_limits *limits, bundle_member_fn fn, void *ctx,
		   struct bundle_read_result *res, struct ms_err *err)
{
	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(ar, &e);
		if (r == ARCHIVE_EOF)
			return at_end(ar, z, res) < 0 ? damaged(ar, z, 0, res, err) : 0;
		/* ARCHIVE_RETRY is a damaged header (libarchive would skip to the
		 * next one): damage too, and the entry is not to be used */
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return damaged(ar, z, r == ARCHIVE_RETRY, res, err);
		switch (one_member(ar, e, z, b, limits, fn, ctx, err)) {
		case MEMBER_FAIL: return -1;
		case MEMBER_DAMAGED: return damaged(ar, z, 0, res, err);
		case MEMBER_STOP: res->members++; return 0;
		default: res->members++;
		}
	}
}

int bundle_read(const char *path, const struct bundle_limits *limits,
		bundle_member_fn fn, void *ctx, struct bundle_read_result *res,
		struct ms_err *err)
{
	return bundle_read_at(path, 0, limits, fn, ctx, res, err);
}

int bundle_read_at(const char *path, uint64_t offset, const struct bundle_limits *limits,
		   bundle_member_fn fn, void *ctx, struct bundle_read_result *res,
		   struct ms_err *err)
{
	struct zsrc z = { .fd = -1 };
	struct archive *ar = NULL;
	struct ms_buf b = { 0 };
	int ret = -1;

	memset(res, 0, sizeof(*res));
	if (zsrc_open(&z, path, offset, limits->max_total, err) < 0)
		goto out;
	ar = archive_read_new();
	if (!ar || ms_buf_init(&b, 64 * 1024) < 0) {
		ms_err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	archive_read_support_format_tar(ar);
	if (archive_read_open(ar, &z, NULL, read_cb, NULL) != ARCHIVE_OK) {
		if (z.state == Z_LIMIT || z.state == Z_IOERR)
			ms_err_set(err, z.state == Z_LIMIT ? EFBIG : EIO, "%s", z.msg);
		else if (z.state != Z_OK)
			ms_err_set(err, EINVAL, "not a readable bundle: %s", z.msg);
		else
			ms_err_set(err, EINVAL, "not a memsnap bundle (%s)", archive_error_string(ar));
		goto out;
	}
	ret = members(ar, &z, &b, limits, fn, ctx, res, err);
out:
	res->bytes_in = z.bytes_in;
	res->bytes_out = z.bytes_out;
	if (ar)
		archive_read_free(ar);
	ms_buf_release(&b);
	zsrc_close(&z);
	return ret;
}

int bundle_member_sample(const char *name, unsigned *num, const char **kind)
{
	const char *slash = strchr(name, '/'), *p = name;
	uint64_t n = 0;
	if (!slash || ms_scan_u64(&p, slash, &n) < 0 || p != slash || !n || n > UINT32_MAX)
		return 0;
	*num = (unsigned)n;
	*kind = slash + 1;
	return 1;
}

void bundle_read_result_release(struct bundle_read_result *res)
{
	free(res->damage);
	res->damage = NULL;
}
