/*
 * bundle_writer.h - write a bundle: a tar stream inside a zstd stream.
 *
 * Usage: open, then per sample add() its members and commit(); close() at
 * the end.  After commit() returns 0, everything added so far is in the
 * file (one write() per sample), so a SIGKILL loses at most the sample in
 * flight.  The writer owns its buffers; the caller owns FD.
 */
#ifndef BUNDLE_WRITER_H
#define BUNDLE_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ms_err.h"

struct bundle_writer;
struct redactor;

/* What the collector writes: a 2 MiB zstd window, frames ended at a sample
 * boundary after 64 MiB of input (docs/bundle-format.md) */
#define BUNDLE_WINDOW_LOG 21
#define BUNDLE_FRAME_BYTES (64ull << 20)

/* zstd's match-finder tables (hashLog, chainLog) at most 2^17 entries: the
 * defaults of level 4 and above (level 9, the recorder's: 2^22 and 2^21)
 * are tens of MiB that each tick's few hundred KiB of /proc text sweep
 * through with a cache miss per position.  Capped, level 9 costs half the
 * CPU for the same bytes (+0.2 % on a recorder's segment: docs/performance.md,
 * "memsnap record"); levels 1-3 use smaller tables and keep theirs. */
#define BUNDLE_TABLE_LOG 17
#define BUNDLE_TABLE_LEVEL 4     /* the first level whose tables are larger */

struct bundle_writer_opts {
	int level;               /* zstd level */
	int window_log;          /* zstd window (log2 bytes); 0 = level default */
	uint64_t frame_bytes;    /* end the zstd frame after this much input */
	int fsync;               /* fdatasync() after every commit */
};

/* Start a bundle on FD (already open for writing). *OUT is owned by the
 * caller and freed with bundle_writer_free(). */
int bundle_writer_open(struct bundle_writer **out, int fd,
		       const struct bundle_writer_opts *opts, struct ms_err *err);

/* Add one member of LEN bytes (LEN known up front, as tar requires). */
int bundle_writer_add(struct bundle_writer *w, const char *name,
		      const void *data, size_t len, time_t mtime,
		      struct ms_err *err);

/* From now on every member passes through R (common/redact.h, borrowed)
 * before it is written: redaction at the source. */
void bundle_writer_redact(struct bundle_writer *w, struct redactor *r);

/* Compress and write everything added since the last commit: a zstd flush
 * point (or the end of a frame) and one write() to the file. */
int bundle_writer_commit(struct bundle_writer *w, struct ms_err *err);

/* Compressed bytes written to the file so far. */
uint64_t bundle_writer_bytes(const struct bundle_writer *w);
/* Uncompressed (tar) bytes produced so far. */
uint64_t bundle_writer_raw_bytes(const struct bundle_writer *w);

/* End the tar archive and the zstd frame, and write them. */
int bundle_writer_close(struct bundle_writer *w, struct ms_err *err);

/* End the zstd frame after the members written so far (at a sample
 * boundary: after a commit), so that what follows starts a frame of its
 * own (the trailer: a reader finds it without decompressing the samples). */
int bundle_writer_end_frame(struct bundle_writer *w, struct ms_err *err);

void bundle_writer_free(struct bundle_writer *w);

#endif
