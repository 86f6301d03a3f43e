/*
 * ms.h - helpers shared by the scenario programs in samples/src/.
 *
 * Each program is one .c file plus this header, built on its own with
 *     cc -O2 -Wall -Wextra -Werror -pthread -o PROG PROG.c
 * (the scenario scripts do that into a temporary directory).
 *
 * What matters for the reproductions:
 * - ms_touch() writes every page through a volatile pointer: with -O2 the
 *   compiler may drop stores to memory that is never read, and memory that
 *   is allocated but never written stays unbacked (calloc'd pages may be the
 *   shared zero page), so RSS would not move.
 * - ms_name() sets the comm (/proc/PID/comm, 15 characters) with
 *   PR_SET_NAME, so that the analyzer's findings can be asserted by comm.
 *   Threads created afterwards inherit it.
 * - Sizes take k/m/g suffixes (powers of 1024), durations ms/s/m/h.
 */
#ifndef MS_SAMPLES_H
#define MS_SAMPLES_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define MS_MIB (1024UL * 1024UL)

static inline void ms_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static inline void ms_name(const char *name)
{
	if (prctl(PR_SET_NAME, name, 0, 0, 0) != 0)
		ms_die("prctl(PR_SET_NAME): %s", strerror(errno));
}

/* "8k", "1m", "200M", "1g", "4096" -> bytes */
static inline size_t ms_size(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || v < 0)
		ms_die("bad size: %s", s);
	switch (*end) {
	case 'k': case 'K': v *= 1024.0; end++; break;
	case 'm': case 'M': v *= 1024.0 * 1024.0; end++; break;
	case 'g': case 'G': v *= 1024.0 * 1024.0 * 1024.0; end++; break;
	default: break;
	}
	if (*end == 'i' || *end == 'B')
		end++;
	if (*end == 'B')
		end++;
	if (*end)
		ms_die("bad size: %s", s);
	return (size_t)v;
}

/* "500ms", "1s", "20", "3m", "1h" -> seconds */
static inline double ms_dur(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || v < 0)
		ms_die("bad duration: %s", s);
	if (!strcmp(end, "ms"))
		v /= 1000.0;
	else if (!strcmp(end, "m"))
		v *= 60.0;
	else if (!strcmp(end, "h"))
		v *= 3600.0;
	else if (*end && strcmp(end, "s"))
		ms_die("bad duration: %s", s);
	return v;
}

static inline double ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* sleep until the monotonic time t (absolute: periodic loops do not drift) */
static inline void ms_sleep_until(double t)
{
	struct timespec ts;
	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static inline void ms_sleep(double s)
{
	ms_sleep_until(ms_now() + s);
}

static inline size_t ms_page(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* write every page of [p, p+n): the pages become resident and dirty */
static inline void ms_touch(void *p, size_t n, unsigned char val)
{
	volatile unsigned char *c = p;
	size_t pg = ms_page();
	for (size_t i = 0; i < n; i += pg)
		c[i] = val;
	if (n)
		c[n - 1] = val;
}

/* read every page of [p, p+n): returns a sum so the loads are kept */
static inline unsigned long ms_read_pages(const void *p, size_t n)
{
	const volatile unsigned char *c = p;
	size_t pg = ms_page();
	unsigned long sum = 0;
	for (size_t i = 0; i < n; i += pg)
		sum += c[i];
	return sum;
}

#endif
