/*
 * sawtooth.c - a control that must NOT be called a leak: a garbage-collected
 * heap. It allocates up to +AMPL over RAMP, then "collects": frees everything
 * back to its baseline and returns it to the kernel; repeat. The peaks are
 * high, the troughs stay flat.
 *
 * usage: sawtooth [-n COMM] [-b BASE] [-a AMPL] [-r RAMP] [-c CHUNK] [-g GCPAUSE]
 *
 *   -n COMM     comm (default ms-sawtooth)
 *   -b BASE     live set, touched once and kept (default 16m)
 *   -a AMPL     garbage allocated per cycle (default 80m)
 *   -r RAMP     time over which AMPL is allocated (default 40s)
 *   -c CHUNK    allocation unit (default 2m)
 *   -g GCPAUSE  time spent at the trough after a collection (default 3s)
 *
 * Design: garbage chunks are mmap'd and munmap'd directly (never malloc'd),
 * so a collection really returns the memory and RSS drops to BASE at once
 * (a malloc'd heap could keep freed memory; that retention is a different
 * shape, a plateau at the high-water mark). The chunks are mapped with
 * MADV_NOHUGEPAGE, so RSS moves in 4 KiB steps as they are touched.
 */
#include "ms.h"

#include <sys/mman.h>

int main(int argc, char **argv)
{
	const char *name = "ms-sawtooth";
	size_t base = 16 * MS_MIB, ampl = 80 * MS_MIB, chunk = 2 * MS_MIB;
	double ramp = 40.0, gcpause = 3.0;
	int opt;
	while ((opt = getopt(argc, argv, "n:b:a:r:c:g:")) != -1) {
		switch (opt) {
		case 'n': name = optarg; break;
		case 'b': base = ms_size(optarg); break;
		case 'a': ampl = ms_size(optarg); break;
		case 'r': ramp = ms_dur(optarg); break;
		case 'c': chunk = ms_size(optarg); break;
		case 'g': gcpause = ms_dur(optarg); break;
		default:
			fprintf(stderr, "usage: sawtooth [-n COMM] [-b BASE] [-a AMPL] [-r RAMP] [-c CHUNK] [-g GCPAUSE]\n");
			return 2;
		}
	}
	if (chunk == 0 || ampl < chunk)
		ms_die("need 0 < CHUNK <= AMPL");
	ms_name(name);
	if (base) {
		void *b = malloc(base);
		if (!b)
			ms_die("malloc failed");
		ms_touch(b, base, 1);
	}
	size_t n = ampl / chunk;
	void **g = calloc(n, sizeof(*g));
	if (!g)
		ms_die("calloc failed");
	double step = ramp / (double)n;
	double next = ms_now();
	unsigned char val = 1;
	for (;;) {
		for (size_t i = 0; i < n; i++) {
			g[i] = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (g[i] == MAP_FAILED)
				ms_die("mmap: %s", strerror(errno));
			madvise(g[i], chunk, MADV_NOHUGEPAGE);
			ms_touch(g[i], chunk, val);
			next += step;
			ms_sleep_until(next);
		}
		for (size_t i = 0; i < n; i++)
			munmap(g[i], chunk);
		val = (unsigned char)(val + 2) | 1;
		next += gcpause;
		ms_sleep_until(next);
	}
}
