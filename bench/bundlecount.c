/*
 * bundlecount.c - the read floor of `memsnap load`: decompress a bundle
 * and walk its tar stream with the loader's own reader
 * (common/bundle_reader.c: zstd -> libarchive -> one callback per member
 * with the member in memory), and do nothing with the members but count
 * them.  With -r, also walk each member's record framing (record_next(),
 * no path decoding, no parsing): the cost of finding the records.
 *
 * Prints one line: members, records, tar bytes, compressed bytes, seconds.
 *
 * With -s, reads only the bundle's span instead (common/bundle_span.c: its
 * first bytes and its last zstd frame, as --from/--to do before a load) and
 * prints the first and last sample, where the end was read from, seconds.
 *
 * Build (see bench/load-throughput): gcc -O2 -I common bench/bundlecount.c
 *   build/libms_common.a -larchive -lzstd
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle_reader.h"
#include "bundle_span.h"
#include "ms_err.h"
#include "record.h"

struct counts {
	int records;
	unsigned long long members, recs, bytes;
};

static int on_member(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	struct counts *c = ctx;
	c->members++;
	c->bytes += m->len;
	if (!c->records)
		return 0;
	const char *slash = strchr(m->name, '/');
	if (!slash || slash[1] != 't')
		return 0; /* header, host, meta, trailer: not counted as records */
	size_t pos = 0;
	struct ms_record r;
	int rc;
	while ((rc = record_next(m->data, m->len, &pos, &r, m->name, err)) > 0)
		c->recs++;
	return rc < 0 ? -1 : 0;
}

static double since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* -s: the span alone */
static int span(const char *path, const struct bundle_limits *lim)
{
	struct timespec t0;
	struct bundle_span sp;
	struct ms_err err = MS_ERR_INIT;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (bundle_span(path, lim, &sp, &err) < 0) {
		fprintf(stderr, "bundlecount: %s: %s\n", path, ms_err_msg(&err));
		return 1;
	}
	printf("first %.3f sample %u last %.3f sample %u tail_offset %llu seconds %.3f\n", sp.first,
	       sp.first_sample, sp.last, sp.last_sample, (unsigned long long)sp.tail_offset,
	       since(&t0));
	bundle_span_release(&sp);
	return 0;
}

int main(int argc, char **argv)
{
	struct counts c = { 0, 0, 0, 0 };
	int i = 1, only_span = 0;
	if (i < argc && !strcmp(argv[i], "-r")) {
		c.records = 1;
		i++;
	} else if (i < argc && !strcmp(argv[i], "-s")) {
		only_span = 1;
		i++;
	}
	if (i + 1 != argc) {
		fprintf(stderr, "usage: bundlecount [-r | -s] BUNDLE\n");
		return 2;
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
	if (only_span)
		return span(argv[i], &lim);
	struct bundle_read_result rr;
	struct ms_err err = MS_ERR_INIT;
	memset(&rr, 0, sizeof(rr));
	if (bundle_read(argv[i], &lim, on_member, &c, &rr, &err) < 0) {
		fprintf(stderr, "bundlecount: %s: %s\n", argv[i], ms_err_msg(&err));
		return 1;
	}
	printf("members %llu records %llu tar_bytes %llu compressed_bytes %llu seconds %.3f%s%s\n",
	       c.members, c.recs, (unsigned long long)rr.bytes_out,
	       (unsigned long long)rr.bytes_in, since(&t0),
	       rr.damage ? " damage: " : "", rr.damage ? rr.damage : "");
	bundle_read_result_release(&rr);
	return 0;
}
