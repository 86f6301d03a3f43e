/*
 * reader.c - reads a file from start to end, over and over, with pread(2):
 * a batch job or a scanning service whose working set is one file. Inside a
 * memory cgroup smaller than the file this is page-cache thrash (every pass
 * evicts the pages the next pass needs: workingset refaults, major-fault
 * like IO waits, memory PSI); with a file that fits, every pass after the
 * first is served from the page cache (the control).
 *
 * usage: reader [-n COMM] [-b BUFSIZE] [-s PAUSE] [-w WAIT] FILE
 *
 *   -n COMM     comm (default ms-reader)
 *   -b BUFSIZE  pread(2) size (default 128k)
 *   -s PAUSE    sleep between passes (default 0; the control uses a pause so
 *               that a cached file does not burn a CPU)
 *   -w WAIT     do nothing for WAIT first (default 0): the scenario scripts
 *               start every process before the collector, so that its first
 *               sample already sees the process under its final comm and
 *               command line, and let it begin later with -w
 *
 * Design: plain buffered reads (no O_DIRECT, no fadvise), so it goes through
 * the page cache and readahead like cat or a scanner would; the pages are
 * charged to the reader's memory cgroup. Every 60 s it prints the passes
 * so far and the throughput to stderr.
 */
#include "ms.h"

#include <fcntl.h>

int main(int argc, char **argv)
{
	const char *name = "ms-reader";
	size_t bs = 128 * 1024;
	double pause_s = 0, wait_s = 0;
	int opt;
	while ((opt = getopt(argc, argv, "n:b:s:w:")) != -1) {
		switch (opt) {
		case 'n': name = optarg; break;
		case 'b': bs = ms_size(optarg); break;
		case 's': pause_s = ms_dur(optarg); break;
		case 'w': wait_s = ms_dur(optarg); break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || bs == 0)
		goto usage;
	ms_name(name);
	char *buf = malloc(bs);
	if (!buf)
		ms_die("malloc failed");
	int fd = open(argv[optind], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		ms_die("%s: %s", argv[optind], strerror(errno));
	if (wait_s > 0)
		ms_sleep(wait_s);
	double t0 = ms_now();
	unsigned long long bytes = 0;
	unsigned long last = 0;
	for (unsigned long pass = 1;; pass++) {
		ssize_t n;
		off_t off = 0;
		while ((n = pread(fd, buf, bs, off)) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				ms_die("read: %s", strerror(errno));
			off += n;
			bytes += (unsigned long long)n;
		}
		double t = ms_now();
		if (t - t0 >= 60.0) {
			fprintf(stderr, "%s: %lu passes (%lu in %.0f s), %.1f MiB/s\n", name, pass,
				pass - last, t - t0, (double)bytes / (double)MS_MIB / (t - t0));
			t0 = t;
			bytes = 0;
			last = pass;
		}
		if (pause_s > 0)
			ms_sleep(pause_s);
	}
usage:
	fprintf(stderr, "usage: reader [-n COMM] [-b BUFSIZE] [-s PAUSE] [-w WAIT] FILE\n");
	return 2;
}
