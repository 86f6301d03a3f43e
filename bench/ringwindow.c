/*
 * ringwindow.c - which bundles of a recording hold a time window: the
 * selection `--from`/`--to` will make (common/recording.c,
 * recording_select()), through its internal interface, for
 * bench/ring-window until those options exist.
 *
 *   ringwindow DIR OFFSET_S LENGTH_S
 *
 * The window starts OFFSET_S after the recording's first bundle starts.
 * Prints the selected bundles' paths, one a line; on stderr the bundles
 * in all, the selected ones, and the time the selection took (reading
 * every bundle's header included).
 *
 * Build: gcc -D_GNU_SOURCE -O2 -I common -I build/gen bench/ringwindow.c
 *        build/libms_common.a -larchive -lzstd
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "recording.h"

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: ringwindow DIR OFFSET_S LENGTH_S\n");
		return 2;
	}
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	struct recording rec;
	struct ms_err err = MS_ERR_INIT;
	const char *in[1] = { argv[1] };
	if (recording_open(&rec, in, 1, &err) < 0) {
		fprintf(stderr, "ringwindow: %s\n", ms_err_msg(&err));
		return 1;
	}
	size_t all = rec.n;
	double from = rec.p[0].start + atof(argv[2]), to = from + atof(argv[3]);
	size_t k = recording_select(&rec, from, to);
	clock_gettime(CLOCK_MONOTONIC, &b);
	for (size_t i = 0; i < k; i++)
		printf("%s\n", rec.p[i].path);
	fprintf(stderr, "ringwindow: %zu of %zu bundles hold [%.0f, %.0f]; selected in %.3f s\n", k, all,
		from, to, (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	recording_release(&rec);
	return 0;
}
