/*
 * recompress.c - write a bundle's complete samples again at another zstd
 * level (and window), sample by sample with a flush after each as the
 * collector writes them: an exact comparison of levels on the same data.
 *
 *   recompress IN OUT LEVEL [WINDOW_LOG]
 *
 * Prints "LEVEL WINDOW bytes CPU_ms".  Build: gcc -D_GNU_SOURCE -O2 -I common
 * -I collect -I build/gen bench/recompress.c build/libms_collect.a
 * build/libms_common.a -larchive -lzstd
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "bundle_format.h"
#include "bundle_reader.h"
#include "bundle_writer.h"
#include "sample_copy.h"

static int on_header(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	struct bundle_writer *w = ctx;
	if (bundle_writer_add(w, MS_MEMBER_HEADER, m->data, m->len, (time_t)m->mtime, err) < 0)
		return -1;
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: recompress IN OUT LEVEL [WINDOW_LOG]\n");
		return 2;
	}
	int level = atoi(argv[3]), wlog = argc > 4 ? atoi(argv[4]) : 21;
	int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	struct bundle_writer *w;
	struct bundle_writer_opts wo = { level, wlog, 64ull << 20, 0 };
	struct ms_err err = MS_ERR_INIT;
	struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
	struct bundle_read_result rr;
	if (fd < 0 || bundle_writer_open(&w, fd, &wo, &err) < 0 ||
	    bundle_read(argv[1], &lim, on_header, w, &rr, &err) < 0) {
		fprintf(stderr, "recompress: %s\n", ms_err_msg(&err));
		return 1;
	}
	struct timespec a, b;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	struct copy_window all = { 0, 1e18, 0 };
	struct copy_state st = { 1, 0, 0, 0, 0 };
	if (sample_copy(argv[1], argv[1], &all, w, &st, &err) < 0 || bundle_writer_close(w, &err) < 0) {
		fprintf(stderr, "recompress: %s\n", ms_err_msg(&err));
		return 1;
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	printf("%d %d %llu %.0f\n", level, wlog, (unsigned long long)bundle_writer_bytes(w),
	       ((double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6));
	bundle_writer_free(w);
	close(fd);
	return 0;
}
