/*
 * readproc.c - the physical floor of a /proc memory recorder: per sample it
 * only enumerates /proc, then open()s, read()s into one buffer and close()s
 * each file.  No parsing, no allocation per file, no output.
 *
 * Copied from /work/shared/tools/bench/readproc.c (reference harness) for
 * memsnap's bench/collect-overhead; changes: samples sit on absolute
 * monotonic deadlines (start + k * interval, like memsnap's ticks, so an
 * external 1 s CPU poll sees exactly one sample per interval), -D opens each
 * /proc/PID directory once and openat()s its files (memsnap's access
 * pattern), -f reads the fixed paths from a file, -T writes one line per
 * timed sample, -g/-L/-G/-Q walk memory cgroup directories as memsnap does,
 * -l lists the paths of one sample.
 *
 *   readproc [-n SAMPLES] [-w WARMUP] [-i INTERVAL_MS] [-p PIDFILE] [-D] [-l]
 *            [-o | -d DIR] [-P name,...] [-T FILE] [-f LISTFILE]
 *            [-g CGROOT [-L DEPTH] -G name,... [-Q name,...]] [-F PATH...]
 *
 *   -P names  per-process files read for every numeric /proc entry
 *             (e.g. -P status,stat,statm or -P smaps_rollup)
 *   -F paths  fixed files read once per sample (remaining arguments)
 *   -p file   use the PIDs listed in file instead of enumerating /proc
 *   -D        per process: open /proc/PID once (O_DIRECTORY), openat() the
 *             -P files relative to it, close it (what memsnap does)
 *   -f file   fixed files, one path per line (added to any -F paths)
 *   -T file   per timed sample: "index cpu_us wall_us pids files bytes"
 *   -g root   walk the cgroup directory tree under root (may be repeated, up
 *             to 4) each sample, down to -L levels below it (default 4), and
 *             read the -G files (comma-separated names) in every directory;
 *             -Q names replaces -G for the root directories themselves
 *   -l        list mode: print the path of every file one sample would read
 *             (one per line, no data) and exit
 *   -n / -w   timed samples (default 20) / untimed warm-up samples (default 2);
 *             warm-up samples take the first deadlines of the schedule
 *   -i ms     interval between sample starts (default 1000, like a 1 s
 *             recorder); sample k starts at start + k * interval
 *   -o        write what was read to stdout (one sample; for byte counts)
 *   -d DIR    write each file to DIR/<pid>/<name> or DIR/sys/<path> (one sample)
 *
 * Timing mode prints one line of key=value on stdout:
 *   samples, pids, files (opened, last sample), gone (ESRCH/ENOENT in the last
 *   sample: kernel threads have no mm, or the process exited), errors (any
 *   other failure, all samples), bytes (per sample, last sample), cpu_ms
 *   min/median/max per sample (CLOCK_PROCESS_CPUTIME_ID, exact), wall_ms
 *   median, and user_ms / sys_ms per sample (getrusage over all samples).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BUFSZ (1 << 20)
static char buf[BUFSZ];

static int mode_out;        /* -o */
static const char *dumpdir; /* -d */
static long nfiles, nerrors, ngone; /* ngone: ESRCH/ENOENT (no mm, exited) */
static long long nbytes;

static double ts_ms(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            perror("write");
            exit(1);
        }
        p += w;
        n -= (size_t)w;
    }
}

/* open/read/close one file; in dump modes also copy it out */
static void read_one_at(int dirfd, const char *path, const char *dumppath)
{
    int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ESRCH || errno == ENOENT)
            ngone++;
        else
            nerrors++;
        return;
    }
    int out = -1;
    if (mode_out)
        out = 1;
    else if (dumppath) {
        out = open(dumppath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (out < 0) {
            perror(dumppath);
            exit(1);
        }
    }
    nfiles++;
    for (;;) {
        ssize_t r = read(fd, buf, BUFSZ);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (errno == ESRCH || errno == ENOENT)
                ngone++;
            else
                nerrors++;
            break;
        }
        if (r == 0)
            break;
        nbytes += r;
        if (out >= 0)
            write_all(out, buf, (size_t)r);
    }
    close(fd);
    if (out > 1)
        close(out);
}

static void read_one(const char *path, const char *dumppath)
{
    read_one_at(AT_FDCWD, path, dumppath);
}

static int dirmode; /* -D */
static int listmode; /* -l */
static const char *cgroots[4];
static int ncgroots, cgdepth = 4;
static char **cgnames, **cgrootnames;
static int ncgnames, ncgrootnames = -1;

static char **split_names(char *arg, int *n)
{
    char *save = NULL;
    char **v = calloc(64, sizeof(char *));
    if (!v) {
        perror("calloc");
        exit(1);
    }
    *n = 0;
    for (char *t = strtok_r(arg, ",", &save); t && *n < 64; t = strtok_r(NULL, ",", &save))
        v[(*n)++] = t;
    return v;
}

static void walk_cg(int dirfd, char *path, size_t plen, int depth)
{
    char **names = cgnames;
    int nnames = ncgnames;
    if (depth == 0 && ncgrootnames >= 0) {
        names = cgrootnames;
        nnames = ncgrootnames;
    }
    for (int k = 0; k < nnames; k++) {
        if (listmode) {
            printf("%.*s/%s\n", (int)plen, path, names[k]);
            continue;
        }
        read_one_at(dirfd, names[k], NULL);
    }
    if (depth >= cgdepth)
        return;
    int lfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;
    if (!d) {
        if (lfd >= 0)
            close(lfd);
        nerrors++;
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_type != DT_DIR || e->d_name[0] == '.')
            continue;
        int cfd = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (cfd < 0)
            continue;
        size_t n = strlen(e->d_name);
        if (plen + n + 2 < 4096) {
            path[plen] = '/';
            memcpy(path + plen + 1, e->d_name, n + 1);
            walk_cg(cfd, path, plen + 1 + n, depth + 1);
            path[plen] = '\0';
        }
        close(cfd);
    }
    closedir(d);
}

static void read_cgroups(void)
{
    char path[4096];
    for (int i = 0; i < ncgroots; i++) {
        int fd = open(cgroots[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            nerrors++;
            continue;
        }
        size_t n = strlen(cgroots[i]);
        while (n > 1 && cgroots[i][n - 1] == '/')
            n--;
        if (n >= sizeof path)
            n = sizeof path - 1;
        memcpy(path, cgroots[i], n);
        path[n] = '\0';
        walk_cg(fd, path, n, 0);
        close(fd);
    }
}
static char **pernames;
static int npernames;
static char **fixed;
static int nfixed;
static int *pidlist;
static int npidlist;
static long last_pids;

static void read_pid(const char *pid)
{
    char path[128], dpath[4096];
    if (dumpdir) {
        snprintf(dpath, sizeof dpath, "%s/%s", dumpdir, pid);
        mkdir(dpath, 0755);
    }
    if (listmode) {
        for (int k = 0; k < npernames; k++)
            printf("/proc/%s/%s\n", pid, pernames[k]);
        return;
    }
    int pfd = -1;
    if (dirmode) {
        snprintf(path, sizeof path, "/proc/%s", pid);
        pfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (pfd < 0) {
            if (errno == ESRCH || errno == ENOENT)
                ngone++;
            else
                nerrors++;
            return;
        }
    }
    for (int k = 0; k < npernames; k++) {
        if (dirmode)
            snprintf(path, sizeof path, "%s", pernames[k]);
        else
            snprintf(path, sizeof path, "/proc/%s/%s", pid, pernames[k]);
        if (dumpdir)
            snprintf(dpath, sizeof dpath, "%s/%s/%s", dumpdir, pid, pernames[k]);
        read_one_at(dirmode ? pfd : AT_FDCWD, path, dumpdir ? dpath : NULL);
    }
    if (pfd >= 0)
        close(pfd);
}

static void one_sample(void)
{
    char dpath[4096];
    for (int k = 0; k < nfixed; k++) {
        if (listmode) {
            printf("%s\n", fixed[k]);
            continue;
        }
        if (dumpdir) {
            char flat[1024];
            snprintf(flat, sizeof flat, "%s", fixed[k] + (fixed[k][0] == '/'));
            for (char *c = flat; *c; c++)
                if (*c == '/')
                    *c = '_';
            snprintf(dpath, sizeof dpath, "%s/sys/%s", dumpdir, flat);
        }
        read_one(fixed[k], dumpdir ? dpath : NULL);
    }
    read_cgroups();
    if (npernames == 0)
        return;
    long pids = 0;
    if (pidlist) {
        char s[16];
        for (int i = 0; i < npidlist; i++) {
            snprintf(s, sizeof s, "%d", pidlist[i]);
            read_pid(s);
            pids++;
        }
    } else {
        DIR *d = opendir("/proc");
        if (!d) {
            perror("/proc");
            exit(1);
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] < '1' || e->d_name[0] > '9')
                continue;
            read_pid(e->d_name);
            pids++;
        }
        closedir(d);
    }
    last_pids = pids;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void load_pids(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        perror(file);
        exit(1);
    }
    int cap = 64, pid;
    pidlist = malloc(sizeof(int) * (size_t)cap);
    while (fscanf(f, "%d", &pid) == 1) {
        if (npidlist == cap) {
            cap *= 2;
            pidlist = realloc(pidlist, sizeof(int) * (size_t)cap);
        }
        if (!pidlist) {
            perror("realloc");
            exit(1);
        }
        pidlist[npidlist++] = pid;
    }
    fclose(f);
}

static void load_list(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        perror(file);
        exit(1);
    }
    char line[4096];
    int cap = nfixed + 64;
    char **v = malloc(sizeof(char *) * (size_t)cap);
    if (!v) {
        perror("malloc");
        exit(1);
    }
    for (int i = 0; i < nfixed; i++)
        v[i] = fixed[i];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        if (nfixed == cap) {
            cap *= 2;
            v = realloc(v, sizeof(char *) * (size_t)cap);
            if (!v) {
                perror("realloc");
                exit(1);
            }
        }
        v[nfixed++] = strdup(line);
    }
    fclose(f);
    fixed = v;
}

static void add_ms(struct timespec *t, long ms)
{
    t->tv_sec += ms / 1000;
    t->tv_nsec += (ms % 1000) * 1000000L;
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

int main(int argc, char **argv)
{
    int samples = 20, warmup = 2, interval_ms = 1000, opt;
    char *perarg = NULL, *listfile = NULL, *tracefile = NULL;
    int want_fixed = 0;
    while ((opt = getopt(argc, argv, "n:w:i:p:od:P:FDf:T:g:L:G:Q:l")) != -1) {
        switch (opt) {
        case 'n': samples = atoi(optarg); break;
        case 'w': warmup = atoi(optarg); break;
        case 'i': interval_ms = atoi(optarg); break;
        case 'p': load_pids(optarg); break;
        case 'o': mode_out = 1; break;
        case 'd': dumpdir = optarg; break;
        case 'P': perarg = optarg; break;
        case 'F': want_fixed = 1; break;
        case 'D': dirmode = 1; break;
        case 'f': listfile = optarg; break;
        case 'T': tracefile = optarg; break;
        case 'g':
            if (ncgroots < 4)
                cgroots[ncgroots++] = optarg;
            break;
        case 'L': cgdepth = atoi(optarg); break;
        case 'G': cgnames = split_names(optarg, &ncgnames); break;
        case 'Q': cgrootnames = split_names(optarg, &ncgrootnames); break;
        case 'l': listmode = 1; break;
        default:
            fprintf(stderr, "usage: %s [-n N] [-w N] [-i MS] [-p PIDFILE] [-D] [-o|-d DIR] "
                            "[-P name,...] [-T FILE] [-f LISTFILE] [-g CGROOT -L DEPTH -G name,... [-Q name,...]] [-l] "
                            "[-F PATH...]\n", argv[0]);
            return 2;
        }
    }
    if (want_fixed) {
        fixed = argv + optind;
        nfixed = argc - optind;
    }
    if (listfile)
        load_list(listfile);
    if (perarg) {
        char *save = NULL;
        pernames = calloc(64, sizeof(char *));
        for (char *t = strtok_r(perarg, ",", &save); t && npernames < 64; t = strtok_r(NULL, ",", &save))
            pernames[npernames++] = t;
    }
    if (ncgroots && !ncgnames)
        ncgroots = 0;
    if (listmode) {
        one_sample();
        return 0;
    }
    if (nfixed == 0 && npernames == 0 && ncgroots == 0) {
        fprintf(stderr, "readproc: nothing to read (give -P and/or -F)\n");
        return 2;
    }
    if (ncgroots && dumpdir) {
        fprintf(stderr, "readproc: -d does not dump cgroup files\n");
        return 2;
    }
    if (mode_out || dumpdir) {
        if (dumpdir) {
            mkdir(dumpdir, 0755);
            char s[4096];
            snprintf(s, sizeof s, "%s/sys", dumpdir);
            mkdir(s, 0755);
        }
        one_sample();
        fprintf(stderr, "readproc: dumped pids=%ld files=%ld gone=%ld errors=%ld bytes=%lld\n",
                last_pids, nfiles, ngone, nerrors, nbytes);
        return 0;
    }

    FILE *trace = NULL;
    if (tracefile && !(trace = fopen(tracefile, "w"))) {
        perror(tracefile);
        return 1;
    }
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    for (int i = 0; i < warmup; i++) {
        if (i > 0 && interval_ms > 0) {
            add_ms(&deadline, interval_ms);
            while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) == EINTR)
                ;
        }
        one_sample();
    }

    double *cpu = calloc((size_t)samples, sizeof(double));
    double *wall = calloc((size_t)samples, sizeof(double));
    if (!cpu || !wall)
        return 1;
    struct rusage ru0, ru1;
    double user = 0, sys = 0;
    long long bytes_last = 0;
    long files_last = 0, errors_total = 0, gone_last = 0;
    for (int i = 0; i < samples; i++) {
        if (interval_ms > 0 && (i > 0 || warmup > 0)) {
            add_ms(&deadline, interval_ms);
            while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) == EINTR)
                ;
        }
        struct timespec c0, c1, w0, w1;
        nfiles = nerrors = ngone = 0;
        nbytes = 0;
        getrusage(RUSAGE_SELF, &ru0);
        clock_gettime(CLOCK_MONOTONIC, &w0);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        one_sample();
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        clock_gettime(CLOCK_MONOTONIC, &w1);
        getrusage(RUSAGE_SELF, &ru1);
        cpu[i] = ts_ms(&c0, &c1);
        wall[i] = ts_ms(&w0, &w1);
        if (trace) {
            fprintf(trace, "%d %.0f %.0f %ld %ld %lld\n", i, cpu[i] * 1e3, wall[i] * 1e3,
                    last_pids, nfiles, nbytes);
            fflush(trace);
        }
        user += (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) * 1e3 +
                (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1e3;
        sys += (double)(ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) * 1e3 +
               (double)(ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e3;
        bytes_last = nbytes;
        files_last = nfiles;
        gone_last = ngone;
        errors_total += nerrors;
    }
    if (trace)
        fclose(trace);
    qsort(cpu, (size_t)samples, sizeof(double), cmp_double);
    qsort(wall, (size_t)samples, sizeof(double), cmp_double);
    printf("samples=%d pids=%ld files=%ld gone=%ld errors=%ld bytes=%lld "
           "cpu_ms_min=%.3f cpu_ms_med=%.3f cpu_ms_max=%.3f wall_ms_med=%.3f "
           "user_ms=%.3f sys_ms=%.3f\n",
           samples, last_pids, files_last, gone_last, errors_total, bytes_last,
           cpu[0], cpu[samples / 2], cpu[samples - 1], wall[samples / 2],
           user / samples, sys / samples);
    free(cpu);
    free(wall);
    return 0;
}
