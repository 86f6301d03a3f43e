/*
 * shmgrow.c - "orphaned" shared memory: a file on tmpfs (/dev/shm) that keeps
 * growing while no process maps it. /proc/meminfo Shmem rises; no process's
 * RssShmem does, and no process's RSS explains it.
 *
 * usage: shmgrow [-n COMM] [-c CHUNK] [-p PERIOD] [-m MAX] FILE
 *
 *   -n COMM    comm of this driver (default ms-shmgrow); each write is done
 *              by a short-lived child named ms-shmwrite
 *   -c CHUNK   bytes appended per write (default 1m)
 *   -p PERIOD  time between writes (default 5s)
 *   -m MAX     stop appending at MAX bytes (default: never)
 *
 * Design: the driver holds neither the file open nor mapped. Every PERIOD it
 * forks a child that opens FILE with O_APPEND, write()s CHUNK bytes and
 * exits (a job dropping spool or session files into /dev/shm, a crashed
 * program's leftover segment). The pages are charged to the memory cgroup
 * of the writer and stay in tmpfs until the file is removed: the caller
 * removes FILE (the scenario scripts do, in their cleanup trap).
 */
#include "ms.h"

#include <fcntl.h>
#include <sys/wait.h>

static void write_chunk(const char *path, size_t chunk)
{
	static unsigned char buf[64 * 1024];
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		ms_die("%s: %s", path, strerror(errno));
	memset(buf, 0xa5, sizeof(buf));
	size_t done = 0;
	while (done < chunk) {
		size_t n = chunk - done < sizeof(buf) ? chunk - done : sizeof(buf);
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			ms_die("%s: write: %s", path, w < 0 ? strerror(errno) : "short");
		done += (size_t)w;
	}
	if (close(fd) < 0)
		ms_die("%s: close: %s", path, strerror(errno));
}

int main(int argc, char **argv)
{
	const char *name = "ms-shmgrow";
	size_t chunk = MS_MIB, max = 0;
	double period = 5.0;
	int opt;
	while ((opt = getopt(argc, argv, "n:c:p:m:")) != -1) {
		switch (opt) {
		case 'n': name = optarg; break;
		case 'c': chunk = ms_size(optarg); break;
		case 'p': period = ms_dur(optarg); break;
		case 'm': max = ms_size(optarg); break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || period <= 0)
		goto usage;
	const char *path = argv[optind];
	ms_name(name);
	size_t total = 0;
	double next = ms_now();
	for (;;) {
		if (max == 0 || total + chunk <= max) {
			pid_t pid = fork();
			if (pid < 0)
				ms_die("fork: %s", strerror(errno));
			if (pid == 0) {
				ms_name("ms-shmwrite");
				write_chunk(path, chunk);
				_exit(0);
			}
			int st;
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
				ms_die("writer failed");
			total += chunk;
		}
		next += period;
		ms_sleep_until(next);
	}
usage:
	fprintf(stderr, "usage: shmgrow [-n COMM] [-c CHUNK] [-p PERIOD] [-m MAX] FILE\n");
	return 2;
}
