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
 * Build (see bench/load-throughput): gcc -O2 -I common bench/bundlecount.c
 *   build/libms_common.a -larchive -lzstd
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle_reader.h"
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

int main(int argc, char **argv)
{
	struct counts c = { 0, 0, 0, 0 };
	int i = 1;
	if (i < argc && !strcmp(argv[i], "-r")) {
		c.records = 1;
		i++;
	}
	if (i + 1 != argc) {
		fprintf(stderr, "usage: bundlecount [-r] BUNDLE\n");
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
	struct bundle_read_result rr;
	struct ms_err err = MS_ERR_INIT;
	memset(&rr, 0, sizeof(rr));
	if (bundle_read(argv[i], &lim, on_member, &c, &rr, &err) < 0) {
		fprintf(stderr, "bundlecount: %s: %s\n", argv[i], ms_err_msg(&err));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("members %llu records %llu tar_bytes %llu compressed_bytes %llu seconds %.3f%s%s\n",
	       c.members, c.recs, (unsigned long long)rr.bytes_out,
	       (unsigned long long)rr.bytes_in,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       rr.damage ? " damage: " : "", rr.damage ? rr.damage : "");
	bundle_read_result_release(&rr);
	return 0;
}
