/*
 * cpupoll.c - sample the CPU time and memory of a few processes at a fixed
 * cadence, to get a recorder's CPU per interval (and so per sample).
 *
 *   cpupoll [-i MS] [-p PHASE_MS] [-f WATCHED] -o FILE PID [PID...]
 *
 * Copied from /work/shared/tools/bench/cpupoll.c (reference harness) for
 * memsnap's bench/collect-overhead; changes: three more memory columns
 * (RssAnon, RssFile, VmLck) and -f, which adds the size of the file (or the
 * total size of the regular files in the directory) WATCHED to every line,
 * so that bytes written per interval come from the same polls as the CPU.
 *
 * Every MS milliseconds (first poll PHASE_MS after start, so that a 1 s
 * recorder's work is not cut in two by a poll) it writes one line per PID:
 *
 *   t_ms pid cpu_ns utime_ticks stime_ticks vmhwm_kb vmrss_kb threads
 *        rssanon_kb rssfile_kb vmlck_kb watched_bytes
 *
 * cpu_ns is the sum of se.sum_exec_runtime (first field of schedstat) over
 * the live threads of the process: exact, unlike utime/stime which are
 * tick-sampled (they are printed too; /proc/PID/stat's utime/stime include
 * exited threads).  It stops when the first PID has exited (or is a zombie).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int slurp(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, len - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    return (int)n;
}

static const char *watched;

static long long watched_bytes(void)
{
    struct stat st;
    if (!watched || stat(watched, &st) < 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return (long long)st.st_size;
    long long sum = 0;
    DIR *d = opendir(watched);
    if (!d)
        return -1;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        snprintf(path, sizeof path, "%s/%s", watched, e->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            sum += (long long)st.st_size;
    }
    closedir(d);
    return sum;
}

static long status_kb(const char *buf, const char *key)
{
    const char *p = strstr(buf, key);
    return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* returns 0 if the process is gone or a zombie */
static int poll_one(FILE *out, long t_ms, int pid)
{
    char path[256], buf[4096];
    unsigned long long utime = 0, stime = 0;
    char state = '?';

    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    if (slurp(path, buf, sizeof buf) < 0)
        return 0;
    char *rp = strrchr(buf, ')'); /* comm may contain spaces */
    if (!rp || sscanf(rp + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                      &state, &utime, &stime) != 3)
        return 0;
    if (state == 'Z' || state == 'X')
        return 0;

    unsigned long long cpu_ns = 0;
    int threads = 0;
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        char tpath[512];
        snprintf(tpath, sizeof tpath, "/proc/%d/task/%s/schedstat", pid, e->d_name);
        unsigned long long ns;
        if (slurp(tpath, buf, sizeof buf) > 0 && sscanf(buf, "%llu", &ns) == 1) {
            cpu_ns += ns;
            threads++;
        }
    }
    closedir(d);

    long hwm = -1, rss = -1, ranon = -1, rfile = -1, lck = -1;
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    if (slurp(path, buf, sizeof buf) > 0) {
        hwm = status_kb(buf, "VmHWM:");
        rss = status_kb(buf, "VmRSS:");
        ranon = status_kb(buf, "RssAnon:");
        rfile = status_kb(buf, "RssFile:");
        lck = status_kb(buf, "VmLck:");
    }
    fprintf(out, "%ld %d %llu %llu %llu %ld %ld %d %ld %ld %ld %lld\n", t_ms, pid, cpu_ns, utime,
            stime, hwm, rss, threads, ranon, rfile, lck, watched_bytes());
    return 1;
}

int main(int argc, char **argv)
{
    int interval_ms = 1000, phase_ms = 500, opt;
    const char *outpath = NULL;
    while ((opt = getopt(argc, argv, "i:p:o:f:")) != -1) {
        switch (opt) {
        case 'i': interval_ms = atoi(optarg); break;
        case 'p': phase_ms = atoi(optarg); break;
        case 'o': outpath = optarg; break;
        case 'f': watched = optarg; break;
        default: goto usage;
        }
    }
    if (!outpath || optind >= argc)
        goto usage;
    int npids = argc - optind;
    int *pids = calloc((size_t)npids, sizeof(int));
    if (!pids)
        return 1;
    for (int i = 0; i < npids; i++)
        pids[i] = atoi(argv[optind + i]);
    FILE *out = fopen(outpath, "w");
    if (!out) {
        perror(outpath);
        return 1;
    }
    fprintf(out, "# t_ms pid cpu_ns utime_ticks stime_ticks vmhwm_kb vmrss_kb threads"
                 " rssanon_kb rssfile_kb vmlck_kb watched_bytes\n");

    struct timespec start, next;
    clock_gettime(CLOCK_MONOTONIC, &start);
    /* poll at t = 0 too, to have the starting point */
    for (int i = 0; i < npids; i++)
        poll_one(out, 0, pids[i]);
    fflush(out);
    next = start;
    long add_ms = phase_ms;
    for (;;) {
        next.tv_sec += add_ms / 1000;
        next.tv_nsec += (add_ms % 1000) * 1000000L;
        if (next.tv_nsec >= 1000000000L) {
            next.tv_sec++;
            next.tv_nsec -= 1000000000L;
        }
        add_ms = interval_ms;
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
            ;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long t_ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        int main_alive = poll_one(out, t_ms, pids[0]);
        for (int i = 1; i < npids; i++)
            poll_one(out, t_ms, pids[i]);
        fflush(out);
        if (!main_alive)
            break;
    }
    fclose(out);
    free(pids);
    return 0;
usage:
    fprintf(stderr, "usage: %s [-i MS] [-p PHASE_MS] [-f WATCHED] -o FILE PID [PID...]\n", argv[0]);
    return 2;
}
