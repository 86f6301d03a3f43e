/*
 * fuzz_input.h - hand a fuzz input to a function that reads a file.
 *
 * The bundle reader opens a path (it must: bundles are streamed, never
 * held in memory).  fuzz_input_path() writes the input to one memfd kept
 * for the process and returns "/proc/self/fd/N", which opens a fresh file
 * description at offset 0 each time.
 *
 * Bundles: mutating compressed bytes mostly breaks the zstd frame, so the
 * first input byte picks the form: even, the rest is a tar stream that the
 * harness compresses (one zstd frame with a checksum, as the collector
 * writes: the tar and member layers get fuzzed); odd, the rest is the file
 * as is (the zstd layer gets fuzzed).
 */
#ifndef MS_FUZZ_INPUT_H
#define MS_FUZZ_INPUT_H

#include <sys/mman.h>
#include <unistd.h>
#include <zstd.h>

#include "fuzz.h"

static inline const char *fuzz_input_path(const void *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	if (fd < 0) {
		fd = memfd_create("memsnap-fuzz", MFD_CLOEXEC);
		FUZZ_CHECK(fd >= 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	FUZZ_CHECK(ftruncate(fd, 0) == 0);
	FUZZ_CHECK(size == 0 || pwrite(fd, data, size, 0) == (ssize_t)size);
	return path;
}

/* The bundle file for input DATA (see above); returns the path. */
static inline const char *fuzz_bundle_path(const uint8_t *data, size_t size)
{
	if (size == 0 || (data[0] & 1))
		return fuzz_input_path(size ? data + 1 : data, size ? size - 1 : 0);
	static ZSTD_CCtx *cc;
	static void *out;
	static size_t cap;
	if (!cc) {
		cc = ZSTD_createCCtx();
		FUZZ_CHECK(cc != NULL);
		ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 1);
		ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
	}
	size_t need = ZSTD_compressBound(size - 1);
	if (need > cap) {
		free(out);
		out = malloc(need);
		FUZZ_CHECK(out != NULL);
		cap = need;
	}
	size_t n = ZSTD_compress2(cc, out, cap, data + 1, size - 1);
	FUZZ_CHECK(!ZSTD_isError(n));
	return fuzz_input_path(out, n);
}

#endif
