/*
 * mapfile.c - a control that must NOT be called a leak: a process that maps a
 * data file read-only (an index, a model, a database file), reads it through
 * once, then serves from it. Its RssFile rises to the file's size and stays;
 * its anonymous memory does not move.
 *
 * usage: mapfile [-n COMM] [-t READTIME] FILE
 *
 *   -n COMM      comm (default ms-mapfile)
 *   -t READTIME  spread the one pass over READTIME (default 120s), so RssFile
 *                rises over several samples instead of in one step
 *
 * Design: mmap(PROT_READ, MAP_SHARED) of the whole file, one load per page
 * (volatile, so the loads are kept), in 1 MiB steps on absolute deadlines.
 * Then it idles (pause): the pages stay mapped; they stay resident unless
 * the host reclaims page cache.
 */
#include "ms.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	const char *name = "ms-mapfile";
	double readtime = 120.0;
	int opt;
	while ((opt = getopt(argc, argv, "n:t:")) != -1) {
		switch (opt) {
		case 'n': name = optarg; break;
		case 't': readtime = ms_dur(optarg); break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	ms_name(name);
	int fd = open(argv[optind], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		ms_die("%s: %s", argv[optind], strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_size == 0)
		ms_die("%s: empty or unreadable", argv[optind]);
	size_t len = (size_t)st.st_size;
	const unsigned char *m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		ms_die("mmap: %s", strerror(errno));
	close(fd);
	size_t steps = (len + MS_MIB - 1) / MS_MIB;
	double t0 = ms_now();
	unsigned long sum = 0;
	for (size_t i = 0; i < steps; i++) {
		size_t off = i * MS_MIB, n = len - off < MS_MIB ? len - off : MS_MIB;
		sum += ms_read_pages(m + off, n);
		ms_sleep_until(t0 + readtime * (double)(i + 1) / (double)steps);
	}
	fprintf(stderr, "%s: read %zu bytes (sum %lu), idling\n", name, len, sum);
	for (;;)
		pause();
usage:
	fprintf(stderr, "usage: mapfile [-n COMM] [-t READTIME] FILE\n");
	return 2;
}
