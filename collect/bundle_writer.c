/*
 * bundle_writer.c - tar (libarchive) over our own zstd stream.
 *
 * Why not libarchive's zstd filter: it cannot flush on demand, and the
 * flush-per-sample guarantee is the point of the format.  libarchive writes
 * the tar stream into tar_cb() with internal blocking disabled
 * (bytes_per_block 0), so every byte of a member reaches us as soon as the
 * member is added.  tar_cb() compresses into W->OUT; commit() flushes zstd
 * and hands W->OUT to the file in one write().
 *
 * State machine: OPEN --add*--> OPEN --commit--> OPEN ... --close--> CLOSED.
 * A failed write leaves the writer FAILED: later calls return the error
 * again without touching the file, so what is on disk stays a readable
 * prefix (complete samples plus at most one torn one).
 *
 * Frames: after opts.frame_bytes of input the frame is ended at a commit,
 * so a frame always ends at a sample boundary; a reader that meets damage
 * can resume at the next frame.
 */
#include "bundle_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "ms_buf.h"
#include "redact.h"

enum { W_OPEN, W_FAILED, W_CLOSED };

struct bundle_writer {
	int fd;
	int state;
	int fsync;
	struct archive *ar;
	struct archive_entry *entry;
	ZSTD_CCtx *cctx;
	struct ms_buf out;        /* compressed bytes not yet written */
	uint64_t frame_bytes;     /* end a frame after this much input */
	uint64_t in_frame;        /* input bytes in the current frame */
	uint64_t written;         /* compressed bytes in the file */
	uint64_t raw;             /* tar bytes produced */
	int zerr;                 /* nonzero when compression failed */
	char zmsg[128];
	struct redactor *red;     /* borrowed; NULL: members as given */
	struct ms_buf redacted;   /* a member as the redactor made it */
};

static int compress_into(struct bundle_writer *w, const void *src, size_t len,
			 ZSTD_EndDirective mode)
{
	ZSTD_inBuffer in = { src, len, 0 };
	for (;;) {
		if (ms_buf_grow(&w->out, ZSTD_CStreamOutSize()) < 0) {
			w->zerr = ENOMEM;
			snprintf(w->zmsg, sizeof(w->zmsg), "out of memory for compressed output");
			return -1;
		}
		ZSTD_outBuffer o = { w->out.data + w->out.len, w->out.alloc - w->out.len - 1, 0 };
		size_t r = ZSTD_compressStream2(w->cctx, &o, &in, mode);
		w->out.len += o.pos;
		if (ZSTD_isError(r)) {
			w->zerr = EIO;
			snprintf(w->zmsg, sizeof(w->zmsg), "zstd: %s", ZSTD_getErrorName(r));
			return -1;
		}
		if (mode == ZSTD_e_continue ? in.pos == in.size : r == 0)
			return 0;
	}
}

static la_ssize_t tar_cb(struct archive *a, void *ctx, const void *buf, size_t len)
{
	struct bundle_writer *w = ctx;
	if (compress_into(w, buf, len, ZSTD_e_continue) < 0) {
		archive_set_error(a, w->zerr, "%s", w->zmsg);
		return -1;
	}
	w->in_frame += len;
	w->raw += len;
	return (la_ssize_t)len;
}

static int fail(struct bundle_writer *w, struct ms_err *err, int code, const char *what)
{
	w->state = W_FAILED;
	return ms_err_set(err, code, "%s", what);
}

int bundle_writer_open(struct bundle_writer **out, int fd,
		       const struct bundle_writer_opts *opts, struct ms_err *err)
{
	struct bundle_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return ms_err_set(err, ENOMEM, "out of memory");
	w->fd = fd;
	w->fsync = opts->fsync;
	w->frame_bytes = opts->frame_bytes ? opts->frame_bytes : UINT64_MAX;
	*out = w;
	if (ms_buf_init(&w->out, 64 * 1024) < 0 || ms_buf_init(&w->redacted, 4096) < 0)
		return fail(w, err, ENOMEM, "out of memory");
	w->cctx = ZSTD_createCCtx();
	if (!w->cctx)
		return fail(w, err, ENOMEM, "out of memory for the zstd compressor");
	ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel, opts->level);
	ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_checksumFlag, 1);
	if (opts->window_log)
		ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_windowLog, opts->window_log);
	if (opts->level >= BUNDLE_TABLE_LEVEL) {
		ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_hashLog, BUNDLE_TABLE_LOG);
		ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_chainLog, BUNDLE_TABLE_LOG);
	}
	w->ar = archive_write_new();
	w->entry = archive_entry_new();
	if (!w->ar || !w->entry)
		return fail(w, err, ENOMEM, "out of memory for the tar writer");
	if (archive_write_set_format_pax_restricted(w->ar) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(w->ar, 0) != ARCHIVE_OK ||
	    archive_write_open(w->ar, w, NULL, tar_cb, NULL) != ARCHIVE_OK)
		return fail(w, err, EIO, archive_error_string(w->ar));
	w->state = W_OPEN;
	return 0;
}

int bundle_writer_add(struct bundle_writer *w, const char *name,
		      const void *data, size_t len, time_t mtime,
		      struct ms_err *err)
{
	if (w->state != W_OPEN)
		return ms_err_set(err, EIO, "bundle writer is not open");
	if (w->red) {
		int rc = redactor_member(w->red, name, data, len, &w->redacted, err);
		if (rc == 2)
			return 0; /* not this format's: not written */
		if (rc != 0) {
			w->state = W_FAILED;
			return ms_err_prefix(err, "redacting %s", name);
		}
		data = w->redacted.data;
		len = w->redacted.len;
	}
	archive_entry_clear(w->entry);
	archive_entry_set_pathname(w->entry, name);
	archive_entry_set_filetype(w->entry, AE_IFREG);
	archive_entry_set_perm(w->entry, 0600);
	archive_entry_set_size(w->entry, (la_int64_t)len);
	archive_entry_set_mtime(w->entry, mtime, 0);
	if (archive_write_header(w->ar, w->entry) != ARCHIVE_OK)
		return fail(w, err, EIO, archive_error_string(w->ar));
	if (len && archive_write_data(w->ar, data, len) != (la_ssize_t)len)
		return fail(w, err, EIO, archive_error_string(w->ar));
	if (archive_write_finish_entry(w->ar) != ARCHIVE_OK)
		return fail(w, err, EIO, archive_error_string(w->ar));
	ms_buf_reset(&w->redacted);
	ms_buf_shrink(&w->redacted, 1 << 20);
	return 0;
}

void bundle_writer_redact(struct bundle_writer *w, struct redactor *r)
{
	w->red = r;
}

static int write_out(struct bundle_writer *w, struct ms_err *err)
{
	const char *p = w->out.data;
	size_t n = w->out.len;
	while (n) {
		ssize_t r = write(w->fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			w->written += (uint64_t)(p - w->out.data);
			w->state = W_FAILED;
			return ms_err_set(err, e, "%s", strerror(e));
		}
		p += r;
		n -= (size_t)r;
	}
	w->written += w->out.len;
	ms_buf_reset(&w->out);
	ms_buf_shrink(&w->out, 1 << 20);
	if (w->fsync && fdatasync(w->fd) < 0 && errno != EINVAL) {
		int e = errno;
		w->state = W_FAILED;
		return ms_err_set(err, e, "fdatasync: %s", strerror(e));
	}
	return 0;
}

int bundle_writer_commit(struct bundle_writer *w, struct ms_err *err)
{
	if (w->state != W_OPEN)
		return ms_err_set(err, EIO, "bundle writer is not open");
	ZSTD_EndDirective mode = w->in_frame >= w->frame_bytes ? ZSTD_e_end : ZSTD_e_flush;
	if (compress_into(w, NULL, 0, mode) < 0)
		return fail(w, err, w->zerr, w->zmsg);
	if (mode == ZSTD_e_end)
		w->in_frame = 0;
	return write_out(w, err);
}

int bundle_writer_end_frame(struct bundle_writer *w, struct ms_err *err)
{
	if (w->state != W_OPEN)
		return ms_err_set(err, EIO, "bundle writer is not open");
	if (compress_into(w, NULL, 0, ZSTD_e_end) < 0)
		return fail(w, err, w->zerr, w->zmsg);
	w->in_frame = 0;
	return write_out(w, err);
}

uint64_t bundle_writer_bytes(const struct bundle_writer *w)
{
	return w->written;
}

uint64_t bundle_writer_raw_bytes(const struct bundle_writer *w)
{
	return w->raw;
}

int bundle_writer_close(struct bundle_writer *w, struct ms_err *err)
{
	if (w->state != W_OPEN)
		return ms_err_set(err, EIO, "bundle writer is not open");
	if (archive_write_close(w->ar) != ARCHIVE_OK)
		return fail(w, err, EIO, archive_error_string(w->ar));
	if (compress_into(w, NULL, 0, ZSTD_e_end) < 0)
		return fail(w, err, w->zerr, w->zmsg);
	if (write_out(w, err) < 0)
		return -1;
	w->state = W_CLOSED;
	return 0;
}

void bundle_writer_free(struct bundle_writer *w)
{
	if (!w)
		return;
	if (w->ar)
		archive_write_free(w->ar); /* closes if still open: harmless, output goes to OUT */
	archive_entry_free(w->entry);
	ZSTD_freeCCtx(w->cctx);
	ms_buf_release(&w->out);
	ms_buf_release(&w->redacted);
	free(w);
}
