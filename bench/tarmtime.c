/*
 * tarmtime.c - a ustar stream from stdin to stdout with every header's
 * modification time set to SECONDS (its checksum made again): a bundle
 * whose tar times the loader cannot trust, for bench/window-load
 * (`zstd -dc b.tar.zst | tarmtime 0 | zstd -3 > zero.tar.zst`).
 *
 * Only what memsnap writes: ustar headers, regular members, no pax or GNU
 * extensions (a member with another type flag is refused).
 *
 * Build (see bench/window-load): gcc -O2 bench/tarmtime.c -o tarmtime
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int block(unsigned char *b)
{
	return fread(b, 1, 512, stdin) == 512;
}

static unsigned long long octal(const unsigned char *p, size_t n)
{
	unsigned long long v = 0;
	for (size_t i = 0; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (p[i] - '0');
	return v;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: tarmtime SECONDS < in.tar > out.tar\n");
		return 2;
	}
	unsigned long long mtime = strtoull(argv[1], NULL, 10);
	unsigned char b[512];
	static const unsigned char zero[512];
	while (block(b)) {
		if (!memcmp(b, zero, 512)) {
			fwrite(b, 1, 512, stdout);
			continue; /* the end-of-archive blocks */
		}
		if (b[156] != '0' && b[156] != '\0') {
			fprintf(stderr, "tarmtime: member '%.100s': type '%c' is not a regular file\n",
				(const char *)b, b[156]);
			return 1;
		}
		unsigned long long size = octal(b + 124, 12);
		snprintf((char *)b + 136, 12, "%011llo", mtime);
		memset(b + 148, ' ', 8);
		unsigned sum = 0;
		for (int i = 0; i < 512; i++)
			sum += b[i];
		snprintf((char *)b + 148, 8, "%06o", sum);
		fwrite(b, 1, 512, stdout);
		for (unsigned long long left = (size + 511) / 512; left; left--) {
			if (!block(b)) {
				fprintf(stderr, "tarmtime: the stream ends inside a member\n");
				return 1;
			}
			fwrite(b, 1, 512, stdout);
		}
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
