/*
 * plateau.c - a control that must NOT be called a leak: a service that warms
 * up (JIT, caches, connection pools, lazy init), then stays flat.
 *
 * usage: plateau [-n COMM] [-s SIZE] [-w WARMUP] [-b BASE]
 *
 *   -n COMM    comm (default ms-plateau)
 *   -b BASE    touched at start (default 8m)
 *   -s SIZE    grown during the warm-up (default 60m)
 *   -w WARMUP  length of the warm-up (default 150s)
 *
 * Design: during the warm-up it allocates and touches 1 MiB blocks, fast at
 * first and slower towards the end (block k is due at WARMUP * (1 - sqrt(1 -
 * k/K)), so the RSS curve is concave like a real warm-up: half of SIZE in the
 * first ~30 % of the time). Afterwards it allocates nothing; every 5 s it
 * rereads and rewrites a few pages of its blocks, as a service serving from
 * its warm state does, which changes nothing in RSS.
 */
#include "ms.h"

#include <math.h>

int main(int argc, char **argv)
{
	const char *name = "ms-plateau";
	size_t base = 8 * MS_MIB, size = 60 * MS_MIB;
	double warm = 150.0;
	int opt;
	while ((opt = getopt(argc, argv, "n:b:s:w:")) != -1) {
		switch (opt) {
		case 'n': name = optarg; break;
		case 'b': base = ms_size(optarg); break;
		case 's': size = ms_size(optarg); break;
		case 'w': warm = ms_dur(optarg); break;
		default:
			fprintf(stderr, "usage: plateau [-n COMM] [-s SIZE] [-w WARMUP] [-b BASE]\n");
			return 2;
		}
	}
	ms_name(name);
	if (base) {
		void *b = malloc(base);
		if (!b)
			ms_die("malloc failed");
		ms_touch(b, base, 1);
	}
	size_t nblk = size / MS_MIB;
	unsigned char **blk = calloc(nblk ? nblk : 1, sizeof(*blk));
	if (!blk)
		ms_die("calloc failed");
	double t0 = ms_now();
	for (size_t k = 0; k < nblk; k++) {
		double due = warm * (1.0 - sqrt(1.0 - (double)k / (double)nblk));
		ms_sleep_until(t0 + due);
		blk[k] = malloc(MS_MIB);
		if (!blk[k])
			ms_die("malloc failed");
		ms_touch(blk[k], MS_MIB, (unsigned char)(k | 1));
	}
	unsigned long sum = 0;
	double next = ms_now();
	for (size_t i = 0;; i++) {
		next += 5.0;
		ms_sleep_until(next);
		if (nblk) {
			unsigned char *p = blk[i % nblk];
			sum += ms_read_pages(p, 64 * 1024);
			ms_touch(p, 64 * 1024, (unsigned char)(sum | 1));
		}
	}
}
