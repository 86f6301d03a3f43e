/*
 * ms_frag: make real memory fragmentation, low memory, overcommit pressure
 * and a global OOM kill inside the small test VM (samples/frag/README.md).
 * Static (glibc, no other library), one program with four modes; each sets
 * its comm (ms-frag, ms-thp, ms-commit, ms-eater) so bundles name it.
 *
 *   ms_frag frag [-r RESERVE_MIB] [-w MIN_FREE_KB] [-R READY_FILE]
 *       Fill free memory with pipe buffers, one 4 KiB page per write(),
 *       round-robin over many 1 MiB pipes, until MemFree drops to RESERVE
 *       (default 6 MiB); then close every other pipe.  During the fill
 *       vm.min_free_kbytes is lowered to MIN_FREE_KB (default 1024; 0 leaves
 *       it) and restored afterwards: the pages the watermarks keep free are
 *       the last large blocks (the allocator splits the smallest first), so
 *       without this they would survive the fill.  Pipe pages are
 *       unmovable kernel pages (GFP_HIGHUSER, not __GFP_MOVABLE), so the
 *       half left behind pins every pageblock: about half of the memory is
 *       free again, in single pages that compaction cannot merge.  Writes
 *       READY_FILE and holds until SIGTERM.
 *
 *   ms_frag thp [-m MIB] [-p PERIOD_MS]
 *       Forever: mmap MIB (default 32) of anonymous memory aligned to 2 MiB,
 *       madvise(MADV_HUGEPAGE), touch every 4 KiB page, munmap, sleep
 *       PERIOD_MS (default 500).  Each 2 MiB range's first fault asks for a
 *       huge page: with THP defrag "madvise" that is direct compaction
 *       (compact_stall), which fails on the pinned pageblocks (compact_fail)
 *       and falls back to 4 KiB pages (thp_fault_fallback).
 *
 *   ms_frag commit -f FRACTION [-R READY_FILE]
 *       mmap (without touching) enough private writable memory to bring
 *       Committed_AS to FRACTION of CommitLimit (/proc/meminfo), then hold
 *       until SIGTERM.  Under vm.overcommit_memory=2 that is commit charge
 *       without memory use.
 *
 *   ms_frag eat [-s FAST_MIB_S] [-S SLOW_MIB_S] [-b BELOW_PCT]
 *       [-t STOP_PCT -P PID] [-M MAX_MIB] [-n COMM]
 *       Allocate and touch anonymous memory every 250 ms: FAST MiB/s
 *       (default 2) while MemAvailable is above BELOW % of MemTotal (default
 *       12), SLOW MiB/s (default 0.25) below it, until the OOM killer kills
 *       it, or until MAX_MIB are eaten (a fraction is fine: the steps are
 *       a quarter of a second's MiB; then hold until SIGTERM).  With
 *       -t/-P: once MemAvailable is below STOP % of MemTotal, send SIGTERM
 *       to PID once (ends a collector's bundle before the kill).  -n sets
 *       the comm (default ms-eater).
 *
 * Every mode prints one line per phase to stdout with /proc/meminfo and
 * /proc/buddyinfo figures.
 * Build: gcc -O2 -Wall -Wextra -static -o ms_frag ms_frag.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024L * 1024L)
#define HUGE (2L * MIB)
#define MIN_FREE "/proc/sys/vm/min_free_kbytes"

static volatile sig_atomic_t stop;
static void on_term(int sig) { (void)sig; stop = 1; }

static void die(const char *what)
{
	fprintf(stderr, "ms_frag: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* a /proc/meminfo field in kB, -1 when absent */
static long meminfo_kb(const char *key)
{
	char line[256];
	size_t n = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");
	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, key, n) && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

static void show(const char *phase)
{
	char line[512];
	FILE *f = fopen("/proc/buddyinfo", "r");
	printf("%s: MemFree %ld kB, MemAvailable %ld kB, Committed_AS %ld kB, CommitLimit %ld kB\n",
	       phase, meminfo_kb("MemFree"), meminfo_kb("MemAvailable"), meminfo_kb("Committed_AS"),
	       meminfo_kb("CommitLimit"));
	while (f && fgets(line, sizeof line, f))
		printf("%s: %s", phase, line);
	if (f)
		fclose(f);
	fflush(stdout);
}

static void ready(const char *file)
{
	FILE *f;
	if (!file)
		return;
	f = fopen(file, "w");
	if (!f)
		die(file);
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
}

static void hold(void)
{
	while (!stop)
		pause();
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) && errno == EINTR && !stop)
		;
}

static long sysctl_get(const char *path)
{
	long v = -1;
	FILE *f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static void sysctl_set(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	if (!f || fprintf(f, "%ld\n", v) < 0 || fclose(f))
		die(path);
	printf("%s = %ld\n", path, v);
}

static int mode_frag(long reserve_mib, long min_free, const char *ready_file)
{
	static char page[4096];
	struct rlimit rl = { 1 << 16, 1 << 16 };
	long avail = meminfo_kb("MemFree") / 1024;
	long npipes = avail, i, round, done = 0;   /* more than fit: MemFree decides */
	long old_min_free = -1;
	int (*fds)[2];

	prctl(PR_SET_NAME, "ms-frag");
	if (npipes < reserve_mib + 8) {
		fprintf(stderr, "ms_frag: only %ld MiB available\n", avail);
		return 1;
	}
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit");
	fds = calloc((size_t)npipes, sizeof *fds);
	if (!fds)
		die("calloc");
	memset(page, 0x5a, sizeof page);
	show("frag-start");
	if (min_free > 0) {
		old_min_free = sysctl_get(MIN_FREE);
		sysctl_set(MIN_FREE, min_free);
	}
	for (i = 0; i < npipes; i++) {
		if (pipe(fds[i]))
			die("pipe");
		if (fcntl(fds[i][1], F_SETPIPE_SZ, (int)MIB) < 0)
			die("F_SETPIPE_SZ");
		fcntl(fds[i][1], F_SETFL, O_NONBLOCK);
	}
	/* one page per write, round-robin: neighbouring pages go to
	 * neighbouring pipes, so closing the odd pipes frees every other page */
	for (round = 0; round < 256 && !done; round++) {
		for (i = 0; i < npipes && !done; i++) {
			if (write(fds[i][1], page, sizeof page) != (ssize_t)sizeof page &&
			    errno != EAGAIN)
				die("write");
			if (i % 64 == 63 && meminfo_kb("MemFree") / 1024 <= reserve_mib)
				done = 1;
		}
	}
	printf("frag: %ld pipes, %ld rounds of one page each\n", npipes, round);
	show("frag-full");
	for (i = 1; i < npipes; i += 2) {
		close(fds[i][0]);
		close(fds[i][1]);
	}
	if (old_min_free > 0)
		sysctl_set(MIN_FREE, old_min_free);
	show("frag-holes");
	ready(ready_file);
	hold();
	show("frag-end");
	return 0;
}

static int mode_thp(long mib, long period_ms)
{
	long rounds = 0;
	prctl(PR_SET_NAME, "ms-thp");
	show("thp-start");
	while (!stop) {
		size_t len = (size_t)mib * MIB;
		char *raw = mmap(NULL, len + HUGE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *p;
		if (raw == MAP_FAILED)
			die("mmap");
		p = (char *)(((unsigned long)raw + HUGE - 1) & ~(HUGE - 1));
		if (madvise(p, len, MADV_HUGEPAGE))
			die("madvise(MADV_HUGEPAGE)");
		for (size_t off = 0; off < len; off += 4096)
			((volatile char *)p)[off] = 1;
		munmap(raw, len + HUGE);
		if (++rounds % 60 == 0)
			show("thp");
		sleep_ms(period_ms);
	}
	show("thp-end");
	return 0;
}

static int mode_commit(double fraction, const char *ready_file)
{
	long limit = meminfo_kb("CommitLimit"), committed = meminfo_kb("Committed_AS");
	long want = (long)(fraction * (double)limit) - committed;
	void *p;
	prctl(PR_SET_NAME, "ms-commit");
	show("commit-start");
	if (want <= 0) {
		fprintf(stderr, "ms_frag: already at %ld of %ld kB\n", committed, limit);
		return 1;
	}
	p = mmap(NULL, (size_t)want * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	show("commit-held");
	ready(ready_file);
	hold();
	munmap(p, (size_t)want * 1024);
	show("commit-end");
	return 0;
}

static int mode_eat(double fast, double slow, double below_pct, double stop_pct, long pid,
		    double max_mib, const char *comm)
{
	long total = meminfo_kb("MemTotal"), eaten = 0, step;
	int signalled = 0, slow_now = 0;
	prctl(PR_SET_NAME, comm);
	show("eat-start");
	while (!stop) {
		long avail = meminfo_kb("MemAvailable");
		char *p;
		if (!slow_now && avail * 100.0 < below_pct * (double)total) {
			slow_now = 1;
			show("eat-slow");
		}
		if (pid > 0 && !signalled && avail * 100.0 < stop_pct * (double)total) {
			kill((pid_t)pid, SIGTERM);
			signalled = 1;
			show("eat-stop-sent");
		}
		step = (long)((slow_now ? slow : fast) * MIB / 4) & ~4095L;
		p = malloc((size_t)step);
		if (!p)
			die("malloc");
		for (long off = 0; off < step; off += 4096)
			((volatile char *)p)[off] = 1;
		eaten += step;
		if (eaten % (16 * MIB) < step) {
			printf("eat: %ld MiB\n", eaten / MIB);
			fflush(stdout);
		}
		if (max_mib > 0 && (double)eaten >= max_mib * MIB) {
			show("eat-hold");
			hold();
			break;
		}
		sleep_ms(250);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "", *ready_file = NULL, *comm = "ms-eater";
	long reserve = 6, min_free = 1024, mib = 32, period = 500, pid = 0;
	double fraction = 0.95, fast = 2, slow = 0.25, below = 12, stop_pct = 0, max_mib = 0;
	int c;
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	optind = 2;
	while ((c = getopt(argc, argv, "r:w:R:m:p:f:s:S:b:t:P:M:n:")) != -1) {
		switch (c) {
		case 'r': reserve = atol(optarg); break;
		case 'w': min_free = atol(optarg); break;
		case 'R': ready_file = optarg; break;
		case 'm': mib = atol(optarg); break;
		case 'p': period = atol(optarg); break;
		case 'f': fraction = atof(optarg); break;
		case 's': fast = atof(optarg); break;
		case 'S': slow = atof(optarg); break;
		case 'b': below = atof(optarg); break;
		case 't': stop_pct = atof(optarg); break;
		case 'P': pid = atol(optarg); break;
		case 'M': max_mib = atof(optarg); break;
		case 'n': comm = optarg; break;
		default: return 2;
		}
	}
	if (!strcmp(mode, "frag"))
		return mode_frag(reserve, min_free, ready_file);
	if (!strcmp(mode, "thp"))
		return mode_thp(mib, period);
	if (!strcmp(mode, "commit"))
		return mode_commit(fraction, ready_file);
	if (!strcmp(mode, "eat"))
		return mode_eat(fast, slow, below, stop_pct, pid, max_mib, comm);
	fprintf(stderr, "usage: ms_frag frag|thp|commit|eat [options] (see the source)\n");
	return 2;
}
