/*
 * swapper.c - a process whose anonymous working set is bigger than the
 * memory it is allowed: it writes every page of SIZE bytes, over and over.
 * Inside a memory cgroup smaller than SIZE, with swap on, every pass swaps
 * out what the next pass swaps back in: a swap storm (pswpin and pswpout
 * together, VmSwap high, memory PSI full).
 *
 * usage: swapper [-n COMM] [-s SIZE] [-p PAUSE] [-w WAIT]
 *
 *   -n COMM   comm (default ms-swapper)
 *   -s SIZE   anonymous working set (default 160m)
 *   -p PAUSE  sleep between passes (default 0)
 *   -w WAIT   do nothing for WAIT first (default 0): the scenario scripts
 *             start every process before the collector, so that its first
 *             sample already sees the process under its final comm and
 *             command line, and let it begin later with -w
 *
 * Design: one private anonymous mmap with MADV_NOHUGEPAGE (4 KiB pages, as
 * swap works on them); each pass writes one byte per page through a volatile
 * pointer, in order, so LRU reclaim always evicts what is needed soonest.
 */
#include "ms.h"

#include <sys/mman.h>

int main(int argc, char **argv)
{
	const char *name = "ms-swapper";
	size_t size = 160 * MS_MIB;
	double pause_s = 0, wait_s = 0;
	int opt;
	while ((opt = getopt(argc, argv, "n:s:p:w:")) != -1) {
		switch (opt) {
		case 'n': name = optarg; break;
		case 's': size = ms_size(optarg); break;
		case 'p': pause_s = ms_dur(optarg); break;
		case 'w': wait_s = ms_dur(optarg); break;
		default:
			fprintf(stderr, "usage: swapper [-n COMM] [-s SIZE] [-p PAUSE] [-w WAIT]\n");
			return 2;
		}
	}
	if (size == 0)
		ms_die("SIZE must be > 0");
	ms_name(name);
	if (wait_s > 0)
		ms_sleep(wait_s);
	unsigned char *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		ms_die("mmap: %s", strerror(errno));
	madvise(m, size, MADV_NOHUGEPAGE);
	for (unsigned char val = 1;; val = (unsigned char)(val + 2)) {
		ms_touch(m, size, val);
		if (pause_s > 0)
			ms_sleep(pause_s);
	}
}
