/*
 * bundle_reader.h - stream the members of a bundle, never extracting.
 *
 * bundle_read() decompresses the zstd stream itself and feeds the tar
 * stream to libarchive, calling FN once per member with the member's bytes
 * in memory (bounded by the limits).  Member names are data: nothing here
 * opens a path derived from them.
 *
 * Outcomes, graded like libarchive:
 *   0 and res->damage NULL   the whole bundle was read
 *   0 and res->damage set    a prefix was read; the rest is truncated
 *                            (res->truncated) or corrupt; res->damage says how
 *   -1                       nothing usable (not a bundle, limit exceeded,
 *                            I/O error, or FN failed): ERR says why
 */
#ifndef BUNDLE_READER_H
#define BUNDLE_READER_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"

struct bundle_member {
	const char *name;   /* borrowed, NUL-terminated */
	const char *data;   /* borrowed, NUL-terminated at data[len] */
	size_t len;
	int64_t mtime;
	uint64_t offset;    /* compressed bytes of the file consumed so far */
};

/* Return 0 to go on, 1 to stop reading early, -1 on error (fill ERR). */
typedef int (*bundle_member_fn)(void *ctx, const struct bundle_member *m,
				struct ms_err *err);

struct bundle_limits {
	uint64_t max_member;  /* bytes in one member */
	uint64_t max_total;   /* decompressed bytes in all */
};

#define MS_DEFAULT_MAX_MEMBER (256ull << 20)
#define MS_DEFAULT_MAX_TOTAL (64ull << 30)

struct bundle_read_result {
	uint64_t members;      /* members delivered to FN */
	uint64_t bytes_in;     /* compressed bytes consumed */
	uint64_t bytes_out;    /* decompressed bytes produced */
	int truncated;         /* stream ended early (collector killed, disk full) */
	int corrupt;           /* undecodable data after a readable prefix */
	int clean_end;         /* tar end-of-archive marker seen */
	char *damage;          /* owned: what went wrong after the prefix */
};

int bundle_read(const char *path, const struct bundle_limits *limits,
		bundle_member_fn fn, void *ctx, struct bundle_read_result *res,
		struct ms_err *err);

/* The same from byte OFFSET of the file, which must start a zstd frame
 * whose data starts a tar member (the collector ends its frames at sample
 * boundaries: common/bundle_span.c finds them); res->bytes_in and each
 * member's offset count from the file's start. */
int bundle_read_at(const char *path, uint64_t offset, const struct bundle_limits *limits,
		   bundle_member_fn fn, void *ctx, struct bundle_read_result *res,
		   struct ms_err *err);

void bundle_read_result_release(struct bundle_read_result *res);

/* 1 when NAME is a sample's member "NNNNNN/KIND" (N from 1 to UINT32_MAX,
 * any number of digits), with *NUM and *KIND (borrowed from NAME); 0 for
 * any other name (the header, the trailer, a later format's member). */
int bundle_member_sample(const char *name, unsigned *num, const char **kind);

#endif
