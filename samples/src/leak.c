/*
 * leak.c - a process that leaks heap memory at a steady rate.
 *
 * usage: leak [-n COMM] [-b BASE] [-c CHUNK] [-p PERIOD] [-t] [-m MAX] [-w WAIT]
 *
 *   -n COMM    comm to run under (default ms-leak)
 *   -b BASE    allocate and touch BASE bytes at start and hold them (default 0)
 *   -c CHUNK   then calloc CHUNK bytes every PERIOD and never free them
 *              (default 1m; 0 = only hold BASE)
 *   -p PERIOD  time between leaked chunks (default 1s)
 *   -t         leak from a second thread (the main thread just waits), as a
 *              leak in a worker thread of a service would
 *   -m MAX     stop leaking once MAX bytes have been leaked (default: never)
 *   -w WAIT    do nothing for WAIT first (default 0): the scenario scripts
 *              start every process before the collector, so that its first
 *              sample already sees the process under its final comm and
 *              command line, and let it begin later with -w
 *
 * Design: every leaked chunk is written page by page through a volatile
 * pointer (ms_touch), because calloc'd memory can be untouched zero pages
 * and an -O2 build may drop stores that are never read: RSS would then not
 * move. The chunks' pointers are kept in a list that is never used, like a
 * cache nobody evicts. Chunks are allocated on absolute deadlines, so the
 * rate does not drift. Used in the scenarios as
 *   ms-leak8k   -t -c 8k -p 1s          (tiny, slow, in a thread)
 *   ms-leak1m   -b 200m -c 1m -p 60s    (large, slow)
 *   ms-oomer    -c 2m -p 1s -w 15s      (until its cgroup's OOM killer kills it)
 *   ms-nearlimit -b 57.5m -c 0          (sits at ~90 % of its cgroup limit)
 */
#include "ms.h"

#include <pthread.h>

struct cfg {
	size_t chunk, max;
	double period;
};

struct node {
	struct node *next;
};

static struct node *leaked; /* never freed */

static void *leaker(void *arg)
{
	const struct cfg *c = arg;
	size_t total = 0;
	double next = ms_now();
	unsigned char val = 1;
	if (c->chunk == 0)
		for (;;)
			pause();
	for (;;) {
		if (c->max == 0 || total + c->chunk <= c->max) {
			struct node *p = calloc(1, c->chunk < sizeof(*p) ? sizeof(*p) : c->chunk);
			if (!p)
				ms_die("calloc: out of memory after %zu bytes", total);
			ms_touch(p, c->chunk, val++ | 1);
			p->next = leaked;
			leaked = p;
			total += c->chunk;
		}
		next += c->period;
		ms_sleep_until(next);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *name = "ms-leak";
	struct cfg c = { .chunk = MS_MIB, .max = 0, .period = 1.0 };
	size_t base = 0;
	int thread = 0, opt;
	double wait_s = 0;
	while ((opt = getopt(argc, argv, "n:b:c:p:tm:w:")) != -1) {
		switch (opt) {
		case 'n': name = optarg; break;
		case 'b': base = ms_size(optarg); break;
		case 'c': c.chunk = ms_size(optarg); break;
		case 'p': c.period = ms_dur(optarg); break;
		case 't': thread = 1; break;
		case 'm': c.max = ms_size(optarg); break;
		case 'w': wait_s = ms_dur(optarg); break;
		default:
			fprintf(stderr, "usage: leak [-n COMM] [-b BASE] [-c CHUNK] [-p PERIOD] [-t] [-m MAX] [-w WAIT]\n");
			return 2;
		}
	}
	if (c.period <= 0)
		ms_die("period must be > 0");
	ms_name(name);
	if (wait_s > 0)
		ms_sleep(wait_s);
	if (base) {
		void *b = malloc(base);
		if (!b)
			ms_die("malloc(%zu) failed", base);
		ms_touch(b, base, 0x5a);
	}
	if (thread) {
		pthread_t th;
		int rc = pthread_create(&th, NULL, leaker, &c);
		if (rc)
			ms_die("pthread_create: %s", strerror(rc));
		pthread_join(th, NULL);
	} else {
		leaker(&c);
	}
	return 0;
}
