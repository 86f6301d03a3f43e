/*
 * condwatch.c - when a trigger's condition appears in /proc, for
 * bench/trigger-latency: an independent witness, not the recorder.
 *
 *   condwatch oom          poll /proc/vmstat every millisecond; print the
 *                          wall time (UTC seconds) when oom_kill rises
 *   condwatch psi PCT      open the kernel's PSI trigger on
 *                          /proc/pressure/memory, "full" PCT % of a 10 s
 *                          window (the recorder's psi trigger); print the
 *                          wall time when it fires
 *
 * Prints "ready" first (the caller starts the condition after it), then the
 * time, and exits.  Build: gcc -O2 -o condwatch bench/condwatch.c
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long oom_kill(void)
{
	char buf[65536];
	int fd = open("/proc/vmstat", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strstr(buf, "\noom_kill ");
	return p ? atoll(p + 10) : -1;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "oom")) {
		long long first = oom_kill();
		printf("ready\n");
		fflush(stdout);
		struct timespec ms = { 0, 1000000 };
		for (;;) {
			double t = now();
			if (oom_kill() > first) {
				printf("%.6f\n", t);
				return 0;
			}
			nanosleep(&ms, NULL);
		}
	}
	if (argc >= 3 && !strcmp(argv[1], "psi")) {
		char trig[64];
		int n = snprintf(trig, sizeof(trig), "full %lld 10000000", (long long)(atof(argv[2]) * 1e5));
		int fd = open("/proc/pressure/memory", O_RDWR | O_NONBLOCK);
		if (fd < 0 || write(fd, trig, (size_t)n + 1) < 0) {
			perror("condwatch: /proc/pressure/memory");
			return 1;
		}
		printf("ready\n");
		fflush(stdout);
		struct pollfd p = { fd, POLLPRI, 0 };
		if (poll(&p, 1, -1) == 1 && (p.revents & POLLPRI)) {
			printf("%.6f\n", now());
			return 0;
		}
		return 1;
	}
	fprintf(stderr, "usage: condwatch oom | condwatch psi PCT\n");
	return 2;
}
