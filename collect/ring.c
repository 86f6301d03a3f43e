/*
 * ring.c - the recorder's directory (see ring.h).
 */
#include "ring.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "ms_hash.h"
#include "parse_num.h"
#include "private_file.h"
#include "recording_format.h"

static int open_subdir(int dirfd, const char *name, const char *dir, struct ms_err *err)
{
	if (mkdirat(dirfd, name, MS_DIR_MODE) < 0 && errno != EEXIST)
		return ms_err_set(err, errno, "'%s/%s': %s", dir, name, strerror(errno));
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ms_err_set(err, errno, "'%s/%s': %s", dir, name, strerror(errno));
	return fd;
}

/* The lock file's PID, when it has one */
static int read_pid(int fd, int64_t *pid)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	uint64_t v = 0;
	const char *p = buf;
	if (ms_scan_u64(&p, buf + n, &v) < 0 || v == 0 || v > INT32_MAX)
		return 0;
	*pid = (int64_t)v;
	return 1;
}

static int take_lock(struct ring *r, struct ms_err *err)
{
	r->lockfd = openat(r->dirfd, MS_LOCK_FILE, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
			   MS_FILE_MODE);
	if (r->lockfd < 0)
		return ms_err_set(err, errno, "'%s/%s': %s", r->dir, MS_LOCK_FILE, strerror(errno));
	if (flock(r->lockfd, LOCK_EX | LOCK_NB) < 0) {
		int64_t pid = 0;
		if (errno != EWOULDBLOCK)
			return ms_err_set(err, errno, "'%s/%s': %s", r->dir, MS_LOCK_FILE, strerror(errno));
		if (read_pid(r->lockfd, &pid))
			return ms_err_set(err, EBUSY, "'%s' is in use by another recorder (pid %lld); "
					  "stop it first, or give this one another -D", r->dir, (long long)pid);
		return ms_err_set(err, EBUSY, "'%s' is in use by another recorder; stop it first, "
				  "or give this one another -D", r->dir);
	}
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%lld\n", (long long)getpid());
	if (ftruncate(r->lockfd, 0) < 0 || pwrite(r->lockfd, buf, (size_t)n, 0) != n)
		return ms_err_set(err, errno, "'%s/%s': %s", r->dir, MS_LOCK_FILE, strerror(errno));
	return 0;
}

/* DIR/ring-id: made once, kept across restarts (segments of one ring say
 * so in their headers) */
static int ring_identity(struct ring *r, struct ms_err *err)
{
	int fd = openat(r->dirfd, MS_RING_ID_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, r->ring_id, 16);
		close(fd);
		r->ring_id[n == 16 ? 16 : 0] = '\0';
		if (n == 16 && strspn(r->ring_id, "0123456789abcdef") == 16)
			return 0;
	}
	snprintf(r->ring_id, sizeof(r->ring_id), "%016llx", (unsigned long long)ms_hash_seed());
	unlinkat(r->dirfd, MS_RING_ID_FILE, 0); /* unreadable or not an identity: made again */
	fd = private_create(r->dirfd, MS_RING_ID_FILE);
	if (fd < 0 || write(fd, r->ring_id, 16) != 16 || write(fd, "\n", 1) != 1) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return ms_err_set(err, e, "'%s/%s': %s", r->dir, MS_RING_ID_FILE, strerror(e));
	}
	close(fd);
	return 0;
}

int ring_open(struct ring *r, const char *dir, struct ms_buf *removed, struct ms_err *err)
{
	memset(r, 0, sizeof(*r));
	r->dirfd = r->ringfd = r->incfd = r->lockfd = -1;
	r->dir = strdup(dir);
	if (!r->dir)
		return ms_err_set(err, ENOMEM, "out of memory");
	if (private_mkdirs(dir, err) < 0)
		return -1;
	r->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->dirfd < 0)
		return ms_err_set(err, errno, "'%s': %s", dir, strerror(errno));
	if (take_lock(r, err) < 0 || ring_identity(r, err) < 0)
		return -1;
	if ((r->ringfd = open_subdir(r->dirfd, MS_RING_DIR, dir, err)) < 0 ||
	    (r->incfd = open_subdir(r->dirfd, MS_INCIDENT_DIR, dir, err)) < 0)
		return -1;
	struct ring_files l = { 0 };
	if (ring_list(r, 0, &l, err) < 0)
		return -1;
	for (size_t i = 0; i < l.n; i++) {
		if (l.f[i].seq >= r->next_seq)
			r->next_seq = l.f[i].seq + 1;
		if (l.f[i].size == 0 && unlinkat(r->ringfd, l.f[i].name, 0) == 0 && removed)
			ms_buf_addf(removed, "%s\n", l.f[i].name);
	}
	ring_files_release(&l);
	if (!r->next_seq)
		r->next_seq = 1;
	return 0;
}

void ring_close(struct ring *r)
{
	if (r->lockfd >= 0)
		close(r->lockfd); /* releases the lock */
	if (r->incfd >= 0)
		close(r->incfd);
	if (r->ringfd >= 0)
		close(r->ringfd);
	if (r->dirfd >= 0)
		close(r->dirfd);
	free(r->dir);
	memset(r, 0, sizeof(*r));
	r->dirfd = r->ringfd = r->incfd = r->lockfd = -1;
}

int ring_holder(const char *dir, int64_t *pid, struct ms_err *err)
{
	char path[4096];
	if (snprintf(path, sizeof(path), "%s/%s", dir, MS_LOCK_FILE) >= (int)sizeof(path))
		return ms_err_set(err, ENAMETOOLONG, "'%s': name too long", dir);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return ms_err_set(err, errno, "'%s': %s", path, strerror(errno));
	}
	int held = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	int rc = held && read_pid(fd, pid);
	close(fd);
	return rc;
}

/* segments by number; incidents (number 0) by when they were sealed */
static int cmp_file(const void *a, const void *b)
{
	const struct ring_file *x = a, *y = b;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	if (x->mtime_ns != y->mtime_ns)
		return x->mtime_ns < y->mtime_ns ? -1 : 1;
	return strcmp(x->name, y->name);
}

int ring_list(const struct ring *r, int incidents, struct ring_files *out, struct ms_err *err)
{
	memset(out, 0, sizeof(*out));
	int fd = openat(incidents ? r->incfd : r->ringfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return ms_err_set(err, errno, "'%s/%s': %s", r->dir,
				  incidents ? MS_INCIDENT_DIR : MS_RING_DIR, strerror(errno));
	}
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && (de = readdir(d))) {
		unsigned long long seq = 0;
		struct stat st;
		if (incidents ? !ms_incident_is(de->d_name, 0) : !ms_segment_parse(de->d_name, &seq))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (out->n == out->alloc) {
			size_t na = out->alloc ? out->alloc * 2 : 64;
			struct ring_file *nf = realloc(out->f, na * sizeof(*nf));
			if (!nf) {
				rc = ms_err_set(err, ENOMEM, "out of memory");
				break;
			}
			out->f = nf;
			out->alloc = na;
		}
		struct ring_file *f = &out->f[out->n];
		f->name = strdup(de->d_name);
		f->seq = seq;
		f->size = (uint64_t)st.st_size;
		f->mtime = st.st_mtim.tv_sec;
		f->mtime_ns = st.st_mtim.tv_nsec;
		if (!f->name)
			rc = ms_err_set(err, ENOMEM, "out of memory");
		else
			out->n++;
	}
	closedir(d);
	if (rc == 0 && out->n)
		qsort(out->f, out->n, sizeof(*out->f), cmp_file);
	return rc;
}

void ring_files_release(struct ring_files *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->f[i].name);
	free(l->f);
	memset(l, 0, sizeof(*l));
}

size_t ring_plan(const struct ring_files *l, uint64_t max_disk, uint64_t reserve,
		 uint64_t max_age_s, time_t now, unsigned char *del)
{
	uint64_t total = 0;
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++) {
		del[i] = 0;
		total += l->f[i].size;
	}
	uint64_t budget = max_disk > reserve ? max_disk - reserve : 0;
	for (size_t i = 0; i < l->n; i++) {
		int old = max_age_s && l->f[i].mtime + (time_t)max_age_s < now;
		if (!old && total <= budget)
			continue;
		del[i] = 1;
		total -= l->f[i].size;
		n++;
	}
	return n;
}

int ring_create_segment(struct ring *r, long long wall, struct ms_buf *name, struct ms_err *err)
{
	ms_buf_reset(name);
	if (ms_segment_name(name, r->next_seq, wall) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	int fd = private_create(r->ringfd, name->data);
	if (fd < 0)
		return ms_err_set(err, errno, "'%s/%s/%s': %s", r->dir, MS_RING_DIR, name->data,
				  strerror(errno));
	r->next_seq++;
	return fd;
}

uint64_t ring_free_bytes(const struct ring *r)
{
	struct statvfs sv;
	if (fstatvfs(r->dirfd, &sv) < 0)
		return UINT64_MAX;
	return (uint64_t)sv.f_bavail * (uint64_t)sv.f_frsize;
}
