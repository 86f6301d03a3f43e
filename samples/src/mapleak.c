/*
 * mapleak.c - a steady process whose growth is confined to ONE anonymous
 * mapping (a "mapping leak": an arena, a ring that is never recycled).
 *
 * usage: mapleak [-n COMM] [-h HEAP] [-r REGION] [-i INITIAL] [-c CHUNK] [-p PERIOD]
 *
 *   -n COMM     comm (default ms-mapleak)
 *   -h HEAP     steady heap working set, malloc'd and touched once (default 4m);
 *               a small block of it is rewritten every period, so the process
 *               is alive but its heap does not grow
 *   -r REGION   size of the one anonymous mapping, mmap'd once with
 *               MAP_NORESERVE (default 512m)
 *   -i INITIAL  bytes of the region touched at start (default 256m: it makes the
 *               process one of the largest on the host, so the collector's
 *               tier 2, which walks the largest and the fastest-growing, reads
 *               its smaps)
 *   -c CHUNK    bytes of the region touched more every PERIOD (default 1m)
 *   -p PERIOD   (default 10s)
 *
 * Design: the heap is kept in [heap] (brk: the mmap threshold is raised above
 * HEAP), and the region is mapped once and never remapped; its flags
 * (MAP_NORESERVE, MADV_NOHUGEPAGE) differ from any neighbour's, so it cannot
 * merge with another VMA. smaps then shows one anonymous mapping whose Rss
 * grows by CHUNK/PERIOD while [heap] and everything else stay flat. No THP,
 * so it grows in 4 KiB pages as touched. Touching stops when the region is
 * full; the process then idles.
 */
#include "ms.h"

#include <malloc.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	const char *name = "ms-mapleak";
	size_t heap = 4 * MS_MIB, region = 512 * MS_MIB, initial = 256 * MS_MIB, chunk = MS_MIB;
	double period = 10.0;
	int opt;
	while ((opt = getopt(argc, argv, "n:h:r:i:c:p:")) != -1) {
		switch (opt) {
		case 'n': name = optarg; break;
		case 'h': heap = ms_size(optarg); break;
		case 'r': region = ms_size(optarg); break;
		case 'i': initial = ms_size(optarg); break;
		case 'c': chunk = ms_size(optarg); break;
		case 'p': period = ms_dur(optarg); break;
		default:
			fprintf(stderr, "usage: mapleak [-n COMM] [-h HEAP] [-r REGION] [-i INITIAL] [-c CHUNK] [-p PERIOD]\n");
			return 2;
		}
	}
	if (period <= 0 || initial > region)
		ms_die("need PERIOD > 0 and INITIAL <= REGION");
	ms_name(name);

	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	unsigned char *h = malloc(heap ? heap : 1);
	if (!h)
		ms_die("malloc(%zu) failed", heap);
	ms_touch(h, heap, 1);

	unsigned char *r = mmap(NULL, region, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r == MAP_FAILED)
		ms_die("mmap(%zu): %s", region, strerror(errno));
	madvise(r, region, MADV_NOHUGEPAGE);
	ms_touch(r, initial, 2);
	size_t used = initial;

	double next = ms_now();
	unsigned char val = 3;
	for (;;) {
		next += period;
		ms_sleep_until(next);
		if (heap)
			ms_touch(h, heap < 64 * 1024 ? heap : 64 * 1024, val);
		if (used < region) {
			size_t n = region - used < chunk ? region - used : chunk;
			ms_touch(r + used, n, val);
			used += n;
		}
		val = (unsigned char)(val + 1) | 1;
	}
}
