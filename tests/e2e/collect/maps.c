/*
 * maps.c - a process with N mappings, for the collector tests (built at
 * test time; not part of memsnap).  Maps N anonymous pages one by one,
 * alternately read-only and read-write so that no two merge into one VMA,
 * touches each, then writes READY_FILE and sleeps until killed.
 *
 *   maps N READY_FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	long n = atol(argv[1]), page = sysconf(_SC_PAGESIZE);
	/* one reservation, then each page re-mapped with its own protection */
	char *base = mmap(NULL, (size_t)(n * page), PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		base[i * page] = 1;
		if (i % 2 && mprotect(base + i * page, (size_t)page, PROT_READ) < 0) {
			perror("mprotect");
			return 1;
		}
	}
	FILE *f = fopen(argv[2], "w");
	if (!f || fclose(f) != 0)
		return 1;
	for (;;)
		pause();
}
