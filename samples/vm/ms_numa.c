/*
 * ms_numa: place a process's memory on one NUMA node and its CPU on another
 * (or on the same one, for the control), then keep allocating, so that a
 * memsnap bundle recorded alongside shows the placement and the kernel's
 * NUMA counters moving.  Runs inside the two-node test VM (samples/vm/
 * numa-record.sh); links statically and uses raw syscalls (no libnuma).
 *
 *   ms_numa [-N NAME] [-c CPU] [-n NODE] [-F CPU] [-D MB] [-u PCT] [-B MB]
 *           [-P MB] [-R MB/s] [-k MB/s] [-r READY] [-g GO] [-v SEC]
 *
 * Phases:
 *  1. Pin to CPU -F (default: -c) and first-touch -D MB of anonymous memory
 *     with the default policy, so that it lands on -F's node ("default"
 *     region).  Then pin to CPU -c for the rest of the run, and never touch
 *     the default region again (NUMA balancing only moves pages on access).
 *     Write "PID\n" to READY.  Wait until the file GO exists.
 *  2. Fill: grow the "bind" region (mbind MPOL_BIND to -n NODE) in 1 MiB
 *     chunks at -R MB/s until NODE's MemFree is at most -u PCT % of its
 *     MemTotal (or the region reaches -B MB).  Then grow the "prefer" region
 *     (MPOL_PREFERRED NODE) to -P MB at the same rate: once NODE is down to
 *     its low watermark these pages fall back to the other node (numa_miss
 *     there, numa_foreign on NODE).
 *  3. Churn until SIGTERM/SIGINT: every step (200 ms) unmap the oldest
 *     chunks of both regions and map and touch new ones, -k MB/s each, so the
 *     allocation counters keep rising at a steady rate while the footprint
 *     stays put.  Unmap comes before map, so a bind chunk always finds the
 *     room its predecessor left.
 * On SIGTERM/SIGINT it reports each region's pages per node (move_pages) and
 * exits 0.  Every -v SEC (default 5) it prints one status line with the
 * region sizes and each node's MemFree.
 *
 * All regions are madvise(MADV_NOHUGEPAGE): numastat counts allocations, not
 * pages, and a THP is one allocation of 512 pages; 4 KiB pages keep the
 * numastat rates comparable with the page counts.
 *
 * Build: gcc -O2 -static -o ms_numa ms_numa.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MPOL_DEFAULT 0
#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MAXNODES 64
#define CHUNK ((size_t)1 << 20)
#define MAXCHUNKS 8192          /* 8 GiB per region: far more than the VM has */
#define STEP_NS 200000000L

static long page_size;
static volatile sig_atomic_t stop;

struct region {
    const char *name;
    int mode;                   /* MPOL_* */
    int node;
    void *chunk[MAXCHUNKS];     /* a ring: oldest at head */
    int head, count;
    long created;               /* chunks mapped over the run */
};

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void die(const char *what)
{
    fprintf(stderr, "ms_numa: %s: %s\n", what, strerror(errno));
    exit(1);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) != 0)
        die("sched_setaffinity");
    sched_yield();              /* get moved now, not at the next tick */
}

/* MemTotal and MemFree of a node in kB, from its sysfs meminfo */
static int node_mem(int node, long *total_kb, long *free_kb)
{
    char path[96], line[256];
    FILE *f;
    int got = 0;

    snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo", node);
    f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        int n;
        long v;
        char key[64];
        if (sscanf(line, "Node %d %63s %ld", &n, key, &v) != 3)
            continue;
        if (strcmp(key, "MemTotal:") == 0) { *total_kb = v; got |= 1; }
        if (strcmp(key, "MemFree:") == 0) { *free_kb = v; got |= 2; }
    }
    fclose(f);
    return got == 3 ? 0 : -1;
}

static void *map_chunk(int mode, int node)
{
    void *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned long mask = 1UL << node;

    if (p == MAP_FAILED)
        die("mmap");
    if (madvise(p, CHUNK, MADV_NOHUGEPAGE) != 0)
        die("madvise(MADV_NOHUGEPAGE)");
    if (mode != MPOL_DEFAULT &&
        syscall(SYS_mbind, p, CHUNK, mode, &mask, MAXNODES + 1, 0) != 0)
        die("mbind");
    for (size_t off = 0; off < CHUNK; off += (size_t)page_size)
        ((volatile char *)p)[off] = (char)(off / page_size + 1);
    return p;
}

static void push(struct region *r)
{
    if (r->count >= MAXCHUNKS) {
        fprintf(stderr, "ms_numa: region %s: more than %d chunks\n", r->name, MAXCHUNKS);
        exit(1);
    }
    r->chunk[(r->head + r->count) % MAXCHUNKS] = map_chunk(r->mode, r->node);
    r->count++;
    r->created++;
}

static void pop(struct region *r)
{
    if (r->count == 0)
        return;
    if (munmap(r->chunk[r->head], CHUNK) != 0)
        die("munmap");
    r->head = (r->head + 1) % MAXCHUNKS;
    r->count--;
}

/* pages per node of a region, from move_pages with nodes == NULL (a query) */
static void report(const struct region *r)
{
    long per_node[MAXNODES] = {0}, absent = 0, bad = 0;
    unsigned long per = CHUNK / page_size, n = (unsigned long)r->count * per;
    void **pages;
    int *status;

    printf("ms_numa: region=%s policy=%s node=%d chunks=%d MiB=%d created=%ld",
           r->name, r->mode == MPOL_BIND ? "bind" : r->mode == MPOL_PREFERRED ? "prefer" : "default",
           r->node, r->count, r->count, r->created);
    if (n) {
        pages = malloc(n * sizeof(void *));
        status = malloc(n * sizeof(int));
        if (!pages || !status)
            die("malloc");
        for (int c = 0; c < r->count; c++)
            for (unsigned long i = 0; i < per; i++)
                pages[c * per + i] = (char *)r->chunk[(r->head + c) % MAXCHUNKS] + i * page_size;
        if (syscall(SYS_move_pages, 0, n, pages, NULL, status, 0) != 0) {
            printf(" move_pages_error=%d", errno);
        } else {
            for (unsigned long i = 0; i < n; i++) {
                if (status[i] >= 0 && status[i] < MAXNODES)
                    per_node[status[i]]++;
                else if (status[i] == -ENOENT)
                    absent++;
                else
                    bad++;
            }
        }
        free(pages);
        free(status);
    }
    for (int i = 0; i < MAXNODES; i++)
        if (per_node[i])
            printf(" N%d=%ld", i, per_node[i]);
    /* -ENOENT: no page the query can follow; NUMA balancing's PROT_NONE
     * hinting PTEs on an untouched default-policy region look like this,
     * although the pages are still there (numa_maps counts them) */
    if (absent)
        printf(" not_followed=%ld", absent);
    if (bad)
        printf(" error=%ld", bad);
    printf("\n");
    fflush(stdout);
}

static void status_line(double t, const char *phase, const struct region *d,
                        const struct region *b, const struct region *p)
{
    printf("ms_numa: t=%.1f phase=%s cpu=%d default=%dMiB bind=%dMiB prefer=%dMiB",
           t, phase, sched_getcpu(), d->count, b->count, p->count);
    for (int i = 0; i < MAXNODES; i++) {
        long tot, fr;
        if (node_mem(i, &tot, &fr) != 0)
            break;
        printf(" node%d_free=%ld/%ldkB", i, fr, tot);
    }
    printf("\n");
    fflush(stdout);
}

static long num_arg(const char *s, int opt, long min, long max)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) {
        fprintf(stderr, "ms_numa: bad value for -%c: %s\n", opt, s);
        exit(2);
    }
    return v;
}

static struct region def_r, bind_r, pref_r;

int main(int argc, char **argv)
{
    const char *name = NULL, *ready = NULL, *go = NULL;
    int cpu = 0, node = 1, first_cpu = -1, opt;
    long default_mb = 0, fill_pct = 5, bind_cap_mb = MAXCHUNKS, prefer_mb = 0;
    long ramp = 16, churn = 8, verbose_s = 5;

    page_size = sysconf(_SC_PAGESIZE);
    while ((opt = getopt(argc, argv, "N:c:n:F:D:u:B:P:R:k:r:g:v:")) != -1) {
        switch (opt) {
        case 'N': name = optarg; break;
        case 'c': cpu = (int)num_arg(optarg, opt, 0, 4095); break;
        case 'n': node = (int)num_arg(optarg, opt, 0, MAXNODES - 1); break;
        case 'F': first_cpu = (int)num_arg(optarg, opt, 0, 4095); break;
        case 'D': default_mb = num_arg(optarg, opt, 0, MAXCHUNKS); break;
        case 'u': fill_pct = num_arg(optarg, opt, 0, 100); break;
        case 'B': bind_cap_mb = num_arg(optarg, opt, 0, MAXCHUNKS); break;
        case 'P': prefer_mb = num_arg(optarg, opt, 0, MAXCHUNKS); break;
        case 'R': ramp = num_arg(optarg, opt, 1, 100000); break;
        case 'k': churn = num_arg(optarg, opt, 0, 100000); break;
        case 'r': ready = optarg; break;
        case 'g': go = optarg; break;
        case 'v': verbose_s = num_arg(optarg, opt, 1, 3600); break;
        default:
            fprintf(stderr, "usage: %s [-N NAME] [-c CPU] [-n NODE] [-F CPU] [-D MB] [-u PCT] "
                    "[-B MB] [-P MB] [-R MB/s] [-k MB/s] [-r READY] [-g GO] [-v SEC]\n", argv[0]);
            return 2;
        }
    }
    if (first_cpu < 0)
        first_cpu = cpu;
    if (name && prctl(PR_SET_NAME, name, 0, 0, 0) != 0)
        die("prctl(PR_SET_NAME)");
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    setvbuf(stdout, NULL, _IOLBF, 0);

    def_r = (struct region){ .name = "default", .mode = MPOL_DEFAULT, .node = -1 };
    bind_r = (struct region){ .name = "bind", .mode = MPOL_BIND, .node = node };
    pref_r = (struct region){ .name = "prefer", .mode = MPOL_PREFERRED, .node = node };

    printf("ms_numa: pid=%d name=%s cpu=%d node=%d first_touch_cpu=%d default=%ldMB "
           "fill_to=%ld%% bind_cap=%ldMB prefer=%ldMB ramp=%ldMB/s churn=%ldMB/s\n",
           getpid(), name ? name : "-", cpu, node, first_cpu, default_mb, fill_pct,
           bind_cap_mb, prefer_mb, ramp, churn);

    /* phase 1: the default region, first-touched on first_cpu's node */
    double t0 = now();
    pin(first_cpu);
    for (long i = 0; i < default_mb && !stop; i++)
        push(&def_r);
    pin(cpu);
    status_line(now() - t0, "placed", &def_r, &bind_r, &pref_r);
    report(&def_r);
    if (ready) {
        FILE *f = fopen(ready, "w");
        if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f) != 0)
            die(ready);
    }
    if (go) {
        struct stat st;
        while (!stop && stat(go, &st) != 0)
            usleep(50000);
    }

    /* phases 2 and 3, in steps of STEP_NS */
    double start = now(), next_status = 0, ramp_credit = 0, churn_credit = 0;
    int filling = 1, filled_logged = 0;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    printf("ms_numa: go at t=%.1f\n", start - t0);
    while (!stop) {
        double t = now() - start;
        if (filling) {
            ramp_credit += ramp * (STEP_NS / 1e9);
            while (ramp_credit >= 1 && filling && !stop) {
                long tot, fr;
                if (bind_r.count < bind_cap_mb && node_mem(node, &tot, &fr) == 0 &&
                    fr * 100 > fill_pct * tot && fr > 2 * (long)(CHUNK >> 10)) {
                    push(&bind_r);
                } else if (pref_r.count < prefer_mb) {
                    if (!filled_logged) {
                        status_line(t, "bind-full", &def_r, &bind_r, &pref_r);
                        filled_logged = 1;
                    }
                    push(&pref_r);
                } else {
                    filling = 0;
                    status_line(t, "filled", &def_r, &bind_r, &pref_r);
                    report(&bind_r);
                    report(&pref_r);
                }
                ramp_credit -= 1;
            }
        } else {
            churn_credit += churn * (STEP_NS / 1e9);
            while (churn_credit >= 1 && !stop) {
                if (bind_r.count) { pop(&bind_r); push(&bind_r); }
                if (pref_r.count) { pop(&pref_r); push(&pref_r); }
                churn_credit -= 1;
            }
        }
        if (t >= next_status) {
            status_line(t, filling ? "fill" : "churn", &def_r, &bind_r, &pref_r);
            next_status += verbose_s;
        }
        next.tv_nsec += STEP_NS;
        if (next.tv_nsec >= 1000000000L) { next.tv_sec++; next.tv_nsec -= 1000000000L; }
        while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
            ;
    }
    status_line(now() - start, "stop", &def_r, &bind_r, &pref_r);
    report(&def_r);
    report(&bind_r);
    report(&pref_r);
    return 0;
}
