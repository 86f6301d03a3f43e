/*
 * numa_hog: create a real, deliberate NUMA imbalance inside the test VM.
 *
 * Pins itself to one CPU, then allocates and touches anonymous memory bound
 * (MPOL_BIND) to one node, optionally followed by a "spill" region with
 * MPOL_PREFERRED on the same node: once that node is full the spill lands on
 * the other node.  Raw syscalls (mbind, move_pages, sched_setaffinity), no
 * libnuma, so it links statically.  Holds the memory until killed.
 *
 *   numa_hog [-s MB] [-n NODE] [-c CPU] [-S SPILL_MB] [-r READY_FILE]
 *
 *   -s MB       size of the bound region (default 300)
 *   -n NODE     node both regions are bound to / prefer (default 0)
 *   -c CPU      CPU to pin to (default 1; -1 = don't pin)
 *   -S MB       spill region with MPOL_PREFERRED on NODE (default 0 = none)
 *   -r FILE     write "pid\n" to FILE once everything is touched
 *
 * Prints one line per region with the pages found on each node (move_pages),
 * for comparison with what /proc/PID/numa_maps (and memsnap) report.
 * Build: gcc -O2 -static -o numa_hog numa_hog.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MAXNODES 64

static long page_size;

static void *alloc_region(size_t len, int mode, int node)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned long mask = 1UL << node;

    if (p == MAP_FAILED) {
        perror("numa_hog: mmap");
        exit(1);
    }
    if (syscall(SYS_mbind, p, len, mode, &mask, MAXNODES + 1, 0) != 0) {
        perror("numa_hog: mbind");
        exit(1);
    }
    /* touch every page (write, so real pages get allocated) */
    for (size_t off = 0; off < len; off += (size_t)page_size)
        ((volatile char *)p)[off] = (char)(off / page_size);
    return p;
}

static void report(const char *name, void *p, size_t len)
{
    unsigned long n = len / page_size;
    void **pages = malloc(n * sizeof(void *));
    int *status = malloc(n * sizeof(int));
    long per_node[MAXNODES] = {0};
    long bad = 0;

    if (!pages || !status) {
        perror("numa_hog: malloc");
        exit(1);
    }
    for (unsigned long i = 0; i < n; i++)
        pages[i] = (char *)p + i * page_size;
    if (syscall(SYS_move_pages, 0, n, pages, NULL, status, 0) != 0) {
        perror("numa_hog: move_pages(query)");
    } else {
        for (unsigned long i = 0; i < n; i++) {
            if (status[i] >= 0 && status[i] < MAXNODES)
                per_node[status[i]]++;
            else
                bad++;
        }
    }
    printf("numa_hog: region=%s addr=%p bytes=%zu pages=%lu", name, p, len, n);
    for (int i = 0; i < MAXNODES; i++)
        if (per_node[i])
            printf(" N%d=%ld", i, per_node[i]);
    if (bad)
        printf(" unmapped_or_err=%ld", bad);
    printf("\n");
    fflush(stdout);
    free(pages);
    free(status);
}

static long num_arg(const char *s, int opt, long min, long max)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) {
        fprintf(stderr, "numa_hog: bad value for -%c: %s\n", opt, s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    long size_mb = 300, spill_mb = 0;
    int node = 0, cpu = 1, opt;
    const char *ready = NULL;

    page_size = sysconf(_SC_PAGESIZE);
    while ((opt = getopt(argc, argv, "s:n:c:S:r:")) != -1) {
        switch (opt) {
        case 's': size_mb = num_arg(optarg, opt, 0, 1L << 20); break;
        case 'n': node = (int)num_arg(optarg, opt, 0, MAXNODES - 1); break;
        case 'c': cpu = (int)num_arg(optarg, opt, -1, 4095); break;
        case 'S': spill_mb = num_arg(optarg, opt, 0, 1L << 20); break;
        case 'r': ready = optarg; break;
        default:
            fprintf(stderr, "usage: %s [-s MB] [-n NODE] [-c CPU] [-S SPILL_MB] "
                    "[-r READY_FILE]\n", argv[0]);
            return 2;
        }
    }
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        if (sched_setaffinity(0, sizeof(set), &set) != 0) {
            perror("numa_hog: sched_setaffinity");
            return 1;
        }
    }
    printf("numa_hog: pid=%d cpu=%d (now on cpu %d) node=%d size=%ldMB spill=%ldMB\n",
           getpid(), cpu, sched_getcpu(), node, size_mb, spill_mb);
    fflush(stdout);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t len = (size_t)size_mb << 20;
    void *main_region = len ? alloc_region(len, MPOL_BIND, node) : NULL;
    size_t spill_len = (size_t)spill_mb << 20;
    void *spill_region = spill_len ? alloc_region(spill_len, MPOL_PREFERRED, node) : NULL;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("numa_hog: touched in %.2fs\n",
           (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    if (main_region)
        report("main", main_region, len);
    if (spill_region)
        report("spill", spill_region, spill_len);

    if (ready) {
        FILE *f = fopen(ready, "w");
        if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f) != 0) {
            perror(ready);
            return 1;
        }
    }
    for (;;)
        pause();   /* SIGTERM's default action ends it */
}
