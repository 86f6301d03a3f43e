/*
 * sampler.c - one sample: system files, memory cgroups, processes.
 *
 * Tier 0 (every tick): /proc/{meminfo,vmstat,pressure/memory,buddyinfo,
 * swaps,uptime,loadavg}, nodeN/{meminfo,numastat}, the memory cgroup files
 * of every cgroup down to --cgroup-depth, and per process stat, then
 * status and oom_score unless stat is the same as at the tick before
 * (skip:unchanged); oom_score_adj and cgroup only in a full read (a
 * process's first sample, a bundle's first or one whose sample before was
 * not the tick before, a sample with tier 1, one whose focus is a cgroup,
 * one where MemTotal or SwapTotal moved: nothing is left unread as
 * unchanged there), cmdline and comm in a process's first sample.  /proc
 * is listed unless no process was forked since the last listing.  Tier 1:
 * smaps_rollup of every process that has an address space, and
 * /proc/zoneinfo.  Tier 2: smaps and numa_maps of the --smaps-top
 * processes picked from tier 0's numbers.
 *
 * Invariants: a process's files are all read through one directory fd
 * opened once per process per tick, so a PID reused during the tick cannot
 * mix two processes' files; tier 2 re-opens the directory and re-checks the
 * start time.  Nothing read is parsed except stat (start time, RSS and
 * address-space size, which planning needs; its text's hash), meminfo's
 * totals (hashed), /proc/stat's fork count and, for a focus, cgroup.
 * Every file that could not be read becomes a record with the errno name
 * as its status; nothing is dropped silently.
 */
#include "sampler.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bundle_text.h"
#include "host_info.h"
#include "ms_hash.h"
#include "parse_num.h"
#include "parse_stat.h"
#include "proc_read.h"
#include "record.h"
#include "redact.h"

#define COUNT_OF(a) (sizeof(a) / sizeof(*(a)))
#define MEMBER_CHUNK (1u << 20)   /* flush a member part beyond this */
#define MAX_CGROUPS 4096          /* per tick; beyond: one skip record */

static const char *const tier_name[MS_TIERS] = { "t0", "t1", "t2" };

static const char *const sys_tick_files[] = {
	"meminfo", "vmstat", "pressure/memory", "buddyinfo", "swaps", "uptime", "loadavg",
};

/* per process, every tick; stat first (the identity, and the RSS and
 * address-space size that planning needs).  The files after it are not
 * read when its text is the same as at the tick before, outside a full
 * read: a process that did not run has not changed them (bundle-format.md,
 * "Unchanged processes"); their records are MS_STATUS_UNCHANGED, and the
 * loader carries the last read (the header's proc_unchanged). */
static const char *const proc_tick_files[] = { "stat", "status", "oom_score" };

/* per process, only in a full read (sampler_tick(); the header's
 * proc_sparse): values that change rarely; two of a process's files a tick */
static const char *const proc_sparse_files[] = { "oom_score_adj", "cgroup" };

static int add_names(struct ms_buf *b, const char *const *names, size_t n)
{
	int rc = 0;
	for (size_t i = 0; i < n; i++)
		rc |= ms_buf_addf(b, "%s%s", i ? " " : "", names[i]);
	return rc;
}

int sampler_sparse_names(struct ms_buf *b)
{
	return add_names(b, proc_sparse_files, COUNT_OF(proc_sparse_files));
}

int sampler_unchanged_names(struct ms_buf *b)
{
	return add_names(b, proc_tick_files + 1, COUNT_OF(proc_tick_files) - 1);
}

static const char *const cg_v1_files[] = {
	"memory.usage_in_bytes", "memory.limit_in_bytes", "memory.max_usage_in_bytes",
	"memory.memsw.usage_in_bytes", "memory.memsw.limit_in_bytes", "memory.failcnt",
	"memory.stat", "memory.oom_control", "memory.numa_stat",
};

static const char *const cg_v2_files[] = {
	"memory.current", "memory.max", "memory.high", "memory.low", "memory.stat",
	"memory.events", "memory.pressure", "memory.swap.current", "memory.swap.max",
	"memory.numa_stat",
};

/* the v2 root has no limits or counters of its own: /proc has them */
static const char *const cg_v2_root_files[] = {
	"memory.stat", "memory.pressure", "memory.numa_stat",
};

static uint64_t now_us(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Count N records under KEY ("STATUS KIND") */
static void gap_count(struct gaps *g, const char *key, uint64_t n)
{
	g->total += n;
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->e[i].key, key)) {
			g->e[i].n += n;
			return;
		}
	if (g->n == GAP_KINDS - 1) { /* the last slot collects the rest */
		snprintf(g->e[g->n].key, sizeof(g->e[0].key), "other other");
		g->e[g->n].n += n;
		return;
	}
	snprintf(g->e[g->n].key, sizeof(g->e[0].key), "%s", key);
	g->e[g->n++].n = n;
}

static void gap_add(struct gaps *g, const char *status, const char *kind)
{
	char key[sizeof(g->e[0].key)];
	snprintf(key, sizeof(key), "%s %s", status, kind);
	gap_count(g, key, 1);
}

void sampler_gaps_merge(struct gaps *into, const struct gaps *from)
{
	for (size_t i = 0; i < from->n; i++)
		gap_count(into, from->e[i].key, from->e[i].n);
}

int sampler_gap_lines(const struct gaps *g, struct ms_buf *b)
{
	for (size_t i = 0; i < g->n; i++)
		if (bt_put(b, BK_GAP, "%s %llu", g->e[i].key, (unsigned long long)g->e[i].n) < 0)
			return -1;
	return 0;
}

static const char *errname(int e)
{
	const char *n = strerrorname_np(e);
	return n ? n : "EIO";
}

/*
 * Write TIER's buffer as the next part of its member.  Lower tiers' pending
 * records go first, so a process's tier-1 and tier-2 records always follow
 * its tier-0 records in the stream (a loader meets the identity first).
 */
static int flush_member(struct sampler *s, int tier, struct ms_err *err)
{
	for (int lower = 0; lower < tier; lower++)
		if (s->out[lower].buf.len && flush_member(s, lower, err) < 0)
			return -1;
	struct member_out *m = &s->out[tier];
	for (size_t k = 0; k < s->sinks->n; k++) {
		const struct sink *o = &s->sinks->k[k];
		char name[64];
		if (m->part == 0)
			snprintf(name, sizeof(name), MS_SAMPLE_NAME_FMT, o->sample, tier_name[tier]);
		else
			snprintf(name, sizeof(name), "%06u/%s.%u", o->sample, tier_name[tier], m->part);
		if (bundle_writer_add(o->w, name, m->buf.data, m->buf.len, s->mtime, err) < 0)
			return -1;
	}
	m->part++;
	ms_buf_reset(&m->buf);
	ms_buf_shrink(&m->buf, 2 * MEMBER_CHUNK);
	return 0;
}

static int add_record(struct sampler *s, int tier, const char *status, const char *path,
		      const char *data, size_t len, int64_t usec, struct ms_err *err)
{
	if (record_append(&s->out[tier].buf, status, path, data, len, usec) < 0)
		return ms_err_set(err, ENOMEM, "out of memory buffering a sample");
	s->records++;
	if (s->out[tier].buf.len >= MEMBER_CHUNK)
		return flush_member(s, tier, err);
	return 0;
}

static int add_gap(struct sampler *s, int tier, const char *status, const char *path,
		   const char *kind, struct ms_err *err)
{
	gap_add(&s->gaps, status, kind);
	return add_record(s, tier, status, path, NULL, 0, -1, err);
}

/*
 * Read DIRFD/REL and record it under the logical PATH in TIER's member.
 * KIND names the file kind in gap counts.  *READ_ERRNO (optional) gets 0 or
 * the errno of a failed read.
 */
static int emit(struct sampler *s, int tier, int dirfd, const char *rel, const char *path,
		const char *kind, int timed, int *read_errno, struct ms_err *err)
{
	int trunc;
	uint64_t t0 = timed ? now_us(CLOCK_MONOTONIC) : 0;
	int r = proc_read_at(dirfd, rel, &s->scratch, s->o->max_file, &trunc);
	int e = r < 0 ? errno : 0;
	if (read_errno)
		*read_errno = e;
	if (r < 0) {
		if (e == ENOMEM)
			return ms_err_set(err, ENOMEM, "out of memory reading %s", path);
		return add_gap(s, tier, errname(e), path, kind, err);
	}
	s->read_bytes += s->scratch.len;
	if (trunc) {
		gap_add(&s->gaps, "trunc", kind);
	}
	int64_t us = timed ? (int64_t)(now_us(CLOCK_MONOTONIC) - t0) : -1;
	if (timed)
		s->timed_us[tier] += (uint64_t)us;
	int rc = add_record(s, tier, trunc ? "trunc" : "ok", path, s->scratch.data,
			    s->scratch.len, us, err);
	ms_buf_shrink(&s->scratch, 4 * MEMBER_CHUNK);
	return rc;
}

static int emit_fmt(struct sampler *s, int tier, int dirfd, const char *rel,
		    const char *kind, int timed, int *read_errno, struct ms_err *err,
		    const char *fmt, ...) __attribute__((format(printf, 9, 10)));

static int emit_fmt(struct sampler *s, int tier, int dirfd, const char *rel,
		    const char *kind, int timed, int *read_errno, struct ms_err *err,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ms_buf_reset(&s->path);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || ms_buf_grow(&s->path, (size_t)n) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	va_start(ap, fmt);
	vsnprintf(s->path.data, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->path.len = (size_t)n;
	return emit(s, tier, dirfd, rel, s->path.data, kind, timed, read_errno, err);
}

/* Tell the watcher (the recorder's triggers) what a system or cgroup file
 * held: the text emit() just read is still in the scratch buffer. */
static void watch(struct sampler *s, const char *kind, const char *path, int read_errno)
{
	if (s->watch.file)
		s->watch.file(s->watch.ctx, kind, path, read_errno ? NULL : s->scratch.data,
			      read_errno ? 0 : s->scratch.len);
}

/* ---- discovery at startup ---- */

static int find_nodes(struct sampler *s)
{
	int fd = openat(s->sysfd, "devices/system/node", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* no NUMA support in the kernel: one node, no files */
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		int n;
		char tail;
		if (sscanf(de->d_name, "node%d%c", &n, &tail) != 1 || n < 0)
			continue;
		int *p = realloc(s->nodes, (s->nnodes + 1) * sizeof(*p));
		if (!p) {
			closedir(d);
			return -1;
		}
		s->nodes = p;
		s->nodes[s->nnodes++] = n;
	}
	closedir(d);
	/* readdir order is arbitrary: sort the few node numbers */
	for (size_t i = 1; i < s->nnodes; i++)
		for (size_t j = i; j > 0 && s->nodes[j - 1] > s->nodes[j]; j--) {
			int t = s->nodes[j];
			s->nodes[j] = s->nodes[j - 1];
			s->nodes[j - 1] = t;
		}
	return 0;
}

/* mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS] - TYPE SOURCE SUPER";
 * MOUNTPOINT is octal-escaped (\040 for a space) */
static char *unescape_mount(const char *p, size_t n)
{
	char *out = malloc(n + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\' && i + 3 < n && p[i + 1] >= '0' && p[i + 1] <= '3') {
			*o++ = (char)((p[i + 1] - '0') * 64 + (p[i + 2] - '0') * 8 + (p[i + 3] - '0'));
			i += 3;
		} else {
			*o++ = p[i];
		}
	}
	*o = '\0';
	return out;
}

static int has_option(const char *p, const char *end, const char *opt)
{
	size_t n = strlen(opt);
	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		if (!c)
			c = end;
		if ((size_t)(c - p) == n && !memcmp(p, opt, n))
			return 1;
		p = c + 1;
	}
	return 0;
}

/*
 * The memory cgroup mounts, from the mount table of the namespace whose
 * /proc is read: our own by default; with --proc-root (a host's /proc in a
 * container), that of its PID 1, the host's init, falling back to ours.
 */
static int find_cgroup_mounts(struct sampler *s)
{
	int trunc, r = -1;
	if (strcmp(s->o->proc_root, "/proc"))
		r = proc_read_at(s->procfd, "1/mountinfo", &s->scratch, s->o->max_file, &trunc);
	if (r < 0 && errno != ENOMEM)
		r = proc_read_at(s->procfd, "self/mountinfo", &s->scratch, s->o->max_file, &trunc);
	if (r < 0)
		return errno == ENOMEM ? -1 : 0;
	const char *line = s->scratch.data, *end = line + s->scratch.len;
	while (line < end) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		if (!eol)
			eol = end;
		const char *mp = line, *mpe = NULL, *dash = memmem(line, (size_t)(eol - line), " - ", 3);
		for (int k = 0; k < 4 && mp; k++) {
			mp = memchr(mp, ' ', (size_t)(eol - mp));
			mp = mp ? mp + 1 : NULL;
		}
		if (mp)
			mpe = memchr(mp, ' ', (size_t)(eol - mp));
		if (mpe && dash) {
			const char *type = dash + 3;
			const char *src = memchr(type, ' ', (size_t)(eol - type));
			const char *super = src ? memchr(src + 1, ' ', (size_t)(eol - src - 1)) : NULL;
			char **slot = NULL;
			if (src && src - type == 7 && !memcmp(type, "cgroup2", 7))
				slot = &s->cg_v2;
			else if (src && src - type == 6 && !memcmp(type, "cgroup", 6) && super &&
				 has_option(super + 1, eol, "memory"))
				slot = &s->cg_v1;
			if (slot && !*slot && !(*slot = unescape_mount(mp, (size_t)(mpe - mp))))
				return -1;
		}
		line = eol + 1;
	}
	return 0;
}

int sampler_init(struct sampler *s, const struct collect_opts *o, struct ms_err *err)
{
	memset(s, 0, sizeof(*s));
	s->o = o;
	s->procfd = s->sysfd = -1;
	proc_table_init(&s->prev);
	proc_table_init(&s->cur);
	s->page_size = sysconf(_SC_PAGESIZE);
	s->self = getpid();
	s->hash_seed = ms_hash_seed();
	if (ms_buf_init(&s->scratch, 256 * 1024) < 0 || ms_buf_init(&s->path, 256) < 0 ||
	    ms_buf_init(&s->host, 64 * 1024) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	for (int t = 0; t < MS_TIERS; t++)
		if (ms_buf_init(&s->out[t].buf, 64 * 1024) < 0)
			return ms_err_set(err, ENOMEM, "out of memory");
	s->procfd = open(o->proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->procfd < 0)
		return ms_err_set(err, errno, "'%s': %s", o->proc_root, strerror(errno));
	s->sysfd = open(o->sys_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* no /sys is survivable: node and cgroup files become gaps */
	int dfd = dup(s->procfd);
	if (dfd < 0 || !(s->procdir = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return ms_err_set(err, errno, "cannot list /proc: %s", strerror(errno));
	}
	if (find_nodes(s) < 0 || find_cgroup_mounts(s) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	return 0;
}

void sampler_release(struct sampler *s)
{
	if (s->procdir)
		closedir(s->procdir);
	if (s->sysfd >= 0)
		close(s->sysfd);
	if (s->procfd >= 0)
		close(s->procfd);
	ms_buf_release(&s->scratch);
	ms_buf_release(&s->path);
	ms_buf_release(&s->host);
	for (int t = 0; t < MS_TIERS; t++)
		ms_buf_release(&s->out[t].buf);
	proc_table_release(&s->prev);
	proc_table_release(&s->cur);
	free(s->nodes);
	free(s->pids);
	free(s->cg_v1);
	free(s->cg_v2);
}

/* ---- tier 0: system files ---- */

/* MemTotal and SwapTotal of meminfo's TEXT: what every oom_score is
 * relative to (a swapon, a swapoff, memory hot-plug move them all) */
static uint64_t totals_hash(const char *text, uint64_t seed)
{
	uint64_t h = seed;
	const char *keys[] = { "MemTotal:", "SwapTotal:" };
	for (size_t i = 0; i < COUNT_OF(keys); i++) {
		const char *p = strstr(text, keys[i]);
		const char *eol = p ? strchr(p, '\n') : NULL;
		if (p)
			h = ms_hash_bytes(p, eol ? (size_t)(eol - p) : strlen(p), h);
	}
	return h;
}

static int tick_system(struct sampler *s, struct ms_err *err)
{
	for (size_t i = 0; i < COUNT_OF(sys_tick_files); i++) {
		int re;
		if (emit_fmt(s, 0, s->procfd, sys_tick_files[i], sys_tick_files[i], 0, &re, err,
			     "/proc/%s", sys_tick_files[i]) < 0)
			return -1;
		if (!strcmp(sys_tick_files[i], "meminfo")) {
			uint64_t h = re ? 0 : totals_hash(s->scratch.data, s->hash_seed);
			s->full_read |= h != s->totals_hash;
			s->totals_hash = h;
		}
		watch(s, sys_tick_files[i], s->path.data, re);
	}
	for (size_t i = 0; i < s->nnodes; i++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "devices/system/node/node%d/meminfo", s->nodes[i]);
		if (emit_fmt(s, 0, s->sysfd, rel, "node_meminfo", 0, NULL, err, "/sys/%s", rel) < 0)
			return -1;
		snprintf(rel, sizeof(rel), "devices/system/node/node%d/numastat", s->nodes[i]);
		if (emit_fmt(s, 0, s->sysfd, rel, "node_numastat", 0, NULL, err, "/sys/%s", rel) < 0)
			return -1;
	}
	return 0;
}

/* ---- tier 0: memory cgroups ---- */

static int walk_cgroup(struct sampler *s, int dirfd, struct ms_buf *logical, int v2,
		       uint64_t depth, struct ms_err *err)
{
	const char *const *files = v2 ? cg_v2_files : cg_v1_files;
	size_t nfiles = v2 ? sizeof(cg_v2_files) / sizeof(*cg_v2_files)
			   : sizeof(cg_v1_files) / sizeof(*cg_v1_files);
	if (v2 && depth == 0) {
		files = cg_v2_root_files;
		nfiles = sizeof(cg_v2_root_files) / sizeof(*cg_v2_root_files);
	}
	if (++s->cgroups > MAX_CGROUPS) {
		if (s->cgroups == MAX_CGROUPS + 1)
			return add_gap(s, 0, "skip:cgroup-limit", logical->data, "cgroup", err);
		return 0;
	}
	size_t base = logical->len;
	for (size_t i = 0; i < nfiles; i++) {
		/* per-node counters only where there is more than one node */
		if (s->nnodes < 2 && !strcmp(files[i], "memory.numa_stat"))
			continue;
		logical->len = base;
		if (ms_buf_addf(logical, "/%s", files[i]) < 0)
			return ms_err_set(err, ENOMEM, "out of memory");
		int re;
		if (emit(s, 0, dirfd, files[i], logical->data, files[i], 0, &re, err) < 0)
			return -1;
		watch(s, files[i], logical->data, re);
	}
	logical->len = base;
	logical->data[base] = '\0';
	if (depth >= s->o->cgroup_depth)
		return 0;
	int lfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;
	if (!d) {
		if (lfd >= 0)
			close(lfd);
		return add_gap(s, 0, errname(errno), logical->data, "cgroup", err);
	}
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		int cfd = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (ms_buf_addf(logical, "/%s", de->d_name) < 0) {
			rc = ms_err_set(err, ENOMEM, "out of memory");
		} else if (cfd < 0) {
			if (errno != ENOENT) /* removed while walking: not a gap */
				rc = add_gap(s, 0, errname(errno), logical->data, "cgroup", err);
		} else {
			rc = walk_cgroup(s, cfd, logical, v2, depth + 1, err);
		}
		if (cfd >= 0)
			close(cfd);
		logical->len = base;
		logical->data[base] = '\0';
	}
	closedir(d);
	return rc;
}

/* A cgroup mount point (a host path, /sys/fs/cgroup/memory) through the
 * /sys that is read; a mount outside /sys only with the real /sys. */
static int open_mount(struct sampler *s, const char *mp)
{
	if (!strncmp(mp, "/sys/", 5) || !strcmp(mp, "/sys")) {
		const char *rel = mp + 4;
		while (*rel == '/')
			rel++;
		return openat(s->sysfd, *rel ? rel : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (strcmp(s->o->sys_root, "/sys")) {
		errno = ENOENT;
		return -1;
	}
	return open(mp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static int tick_cgroups(struct sampler *s, struct ms_err *err)
{
	char *mounts[2] = { s->cg_v1, s->cg_v2 };
	s->cgroups = 0;
	for (int v = 0; v < 2; v++) {
		if (!mounts[v])
			continue;
		int fd = open_mount(s, mounts[v]);
		if (fd < 0) {
			if (add_gap(s, 0, errname(errno), mounts[v], "cgroup", err) < 0)
				return -1;
			continue;
		}
		if (v == 1) {
			/* a v2 hierarchy without the memory controller (a hybrid
			 * host's "unified" mount) has no memory files at all */
			int trunc;
			if (proc_read_at(fd, "cgroup.controllers", &s->scratch, 4096, &trunc) < 0 ||
			    !strstr(s->scratch.data, "memory")) {
				close(fd);
				continue;
			}
		}
		struct ms_buf logical;
		if (ms_buf_init(&logical, 256) < 0 || ms_buf_addstr(&logical, mounts[v]) < 0) {
			close(fd);
			ms_buf_release(&logical);
			return ms_err_set(err, ENOMEM, "out of memory");
		}
		if (logical.len > 1 && logical.data[logical.len - 1] == '/')
			logical.data[--logical.len] = '\0';
		int rc = walk_cgroup(s, fd, &logical, v == 1, 0, err);
		ms_buf_release(&logical);
		close(fd);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- tier 0 and 1: processes ---- */

static int walkable(const struct proc_ent *e, void *ctx)
{
	const struct sampler *s = ctx;
	return !s->o->walk_limit ||
	       e->rss_pages * (uint64_t)s->page_size <= s->o->walk_limit;
}

/* tier 2 candidates: walkable, not the collector itself, and in the
 * focus when tier 2 is limited to it */
static int pickable(const struct proc_ent *e, void *ctx)
{
	const struct sampler *s = ctx;
	return e->pid != s->self && walkable(e, ctx) &&
	       (!s->focus || !(s->focus->tiers & 4) || e->in_focus);
}

/* Does a /proc/PID/cgroup TEXT put the process in CG or below it?  Lines
 * are "ID:CONTROLLERS:PATH"; any hierarchy's path counts (the memory one,
 * or v2's "0::"). */
static int in_cgroup(const char *text, size_t len, const char *cg)
{
	size_t cl = strlen(cg);
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *c1 = memchr(p, ':', (size_t)(eol - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)) : NULL;
		if (c2 && (size_t)(eol - c2 - 1) >= cl && !memcmp(c2 + 1, cg, cl) &&
		    ((size_t)(eol - c2 - 1) == cl || c2[1 + cl] == '/' || (cl == 1 && *cg == '/')))
			return 1;
		p = eol + 1;
	}
	return 0;
}

static int pid_in(const int64_t *v, size_t n, int64_t pid)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == pid;
}

static int redacted_cmdline(struct sampler *s, int pfd, int64_t pid, struct ms_err *err)
{
	int trunc;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%lld/cmdline", (long long)pid);
	if (proc_read_at(pfd, "cmdline", &s->scratch, s->o->max_file, &trunc) < 0) {
		if (errno == ENOMEM)
			return ms_err_set(err, ENOMEM, "out of memory");
		return add_gap(s, 0, errname(errno), path, "cmdline", err);
	}
	size_t n = redact_argv0_len(s->scratch.data, s->scratch.len);
	if (n < s->scratch.len)
		s->scratch.data[n++] = '\0'; /* argv[0]'s NUL, as the kernel writes it */
	return add_record(s, 0, "ok", path, s->scratch.data, n, -1, err);
}

/* The file of tier 1 for a process's totals: smaps_rollup, or on a kernel
 * without it (before 4.14) the full smaps, which the loader sums into the
 * same rollup: the collector copies, it does not add up.  Decided once, on
 * the first process with an address space (PFD, its directory). */
static const char *rollup_file(struct sampler *s, int pfd)
{
	if (s->rollup == ROLLUP_UNKNOWN)
		s->rollup = faccessat(pfd, "smaps_rollup", F_OK, 0) < 0 && errno == ENOENT &&
			    faccessat(pfd, "smaps", F_OK, 0) == 0 ? ROLLUP_SMAPS : ROLLUP_FILE;
	return s->rollup == ROLLUP_SMAPS ? "smaps" : "smaps_rollup";
}

/* Read the per-process files NAMES[0..N) of PID into tier 0 (PFD: its
 * directory).  With GONE, the first is stat: when it cannot be read, the
 * rest is not either and *GONE is set to the errno. */
static int proc_files(struct sampler *s, int pfd, int64_t pid, const char *const *names,
		      size_t n, struct proc_ent *e, int *gone, struct ms_err *err)
{
	for (size_t i = 0; i < n; i++) {
		int re = 0;
		if (emit_fmt(s, 0, pfd, names[i], names[i], 0, &re, err, "/proc/%lld/%s",
			     (long long)pid, names[i]) < 0)
			return -1;
		if (re && gone && i == 0) {
			*gone = re; /* no stat: exited (recorded), nothing else is useful */
			return 0;
		}
		if (re)
			continue;
		if (!strcmp(names[i], "stat")) {
			struct proc_stat st;
			struct ms_err ignored = MS_ERR_INIT;
			e->stat_hash = ms_hash_bytes(s->scratch.data, s->scratch.len, s->hash_seed);
			if (parse_stat(s->scratch.data, s->scratch.len, &st, NULL, &ignored) == 0) {
				e->starttime = st.starttime;
				e->has_mm = (st.has & PS_VSIZE) && st.vsize > 0;
				e->rss_pages = (st.has & PS_RSS) && st.rss > 0 ? (uint64_t)st.rss : 0;
			}
			ms_err_release(&ignored);
		} else if (!strcmp(names[i], "cgroup") && s->focus && s->focus->cgroup) {
			e->in_focus |= in_cgroup(s->scratch.data, s->scratch.len, s->focus->cgroup);
		}
	}
	return 0;
}

/* The records of NAMES[0..N) of PID, not read: its stat did not change */
static int proc_unchanged(struct sampler *s, int64_t pid, const char *const *names, size_t n,
			  struct ms_err *err)
{
	char path[64];
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/proc/%lld/%s", (long long)pid, names[i]);
		if (add_record(s, 0, MS_STATUS_UNCHANGED, path, NULL, 0, -1, err) < 0)
			return -1;
	}
	s->unchanged++;
	return 0;
}

/* Sample process PID; *EXITED: it is gone (its directory or its stat) */
static int tick_process(struct sampler *s, int64_t pid, unsigned tiers, int *exited,
			struct ms_err *err)
{
	char rel[32];
	snprintf(rel, sizeof(rel), "%lld", (long long)pid);
	int pfd = openat(s->procfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	*exited = pfd < 0 && errno == ENOENT;
	if (pfd < 0) {
		if (errno == ENOENT && !s->o->npids)
			return 0; /* exited since /proc was listed: it was never sampled */
		char path[48];
		snprintf(path, sizeof(path), "/proc/%lld", (long long)pid);
		return add_gap(s, 0, errname(errno), path, "pid", err);
	}
	struct proc_ent e = { .pid = pid };
	int rc, re = 0, gone = 0;
	rc = proc_files(s, pfd, pid, proc_tick_files, 1, &e, &gone, err);
	*exited = gone == ENOENT || gone == ESRCH;
	if (rc < 0 || gone)
		goto out;
	struct proc_ent *old = proc_table_find(&s->prev, pid);
	int known = old && old->starttime == e.starttime;
	if (known && !s->full_read && old->stat_hash == e.stat_hash)
		rc = proc_unchanged(s, pid, proc_tick_files + 1, COUNT_OF(proc_tick_files) - 1, err);
	else
		rc = proc_files(s, pfd, pid, proc_tick_files + 1, COUNT_OF(proc_tick_files) - 1, &e,
				NULL, err);
	if (rc == 0 && (!known || s->full_read))
		rc = proc_files(s, pfd, pid, proc_sparse_files, COUNT_OF(proc_sparse_files), &e,
				NULL, err);
	if (rc == 0 && known) {
		e.mark_pages = old->mark_pages;
		e.walk_denied = old->walk_denied;
	} else if (rc == 0) {
		e.mark_pages = e.rss_pages;
		rc = s->o->redact_cmdline
			? redacted_cmdline(s, pfd, pid, err)
			: emit_fmt(s, 0, pfd, "cmdline", "cmdline", 0, NULL, err,
				   "/proc/%lld/cmdline", (long long)pid);
		if (rc == 0)
			rc = emit_fmt(s, 0, pfd, "comm", "comm", 0, NULL, err,
				      "/proc/%lld/comm", (long long)pid);
	}
	if (s->focus)
		e.in_focus |= pid_in(s->focus->pids, s->focus->npids, pid);
	int scoped = s->focus && (s->focus->tiers & 2) && !e.in_focus;
	if (rc == 0 && (tiers & 2) && e.has_mm && !scoped) {
		const char *file = rollup_file(s, pfd);
		if (walkable(&e, s)) {
			rc = emit_fmt(s, 1, pfd, file, file, 1, &re, err,
				      "/proc/%lld/%s", (long long)pid, file);
			e.walk_denied = re == EACCES || re == EPERM;
		} else {
			char path[64];
			snprintf(path, sizeof(path), "/proc/%lld/%s", (long long)pid, file);
			rc = add_gap(s, 1, "skip:walk-limit", path, file, err);
		}
	}
	if (rc == 0 && proc_table_add(&s->cur, &e) < 0)
		rc = ms_err_set(err, ENOMEM, "out of memory");
out:
	close(pfd);
	return rc;
}

static int cmp_pid(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* /proc/stat's "processes": the forks since boot, in every PID namespace
 * (threads included); 0 when it cannot be read */
static uint64_t forks_since_boot(struct sampler *s)
{
	int trunc;
	uint64_t n = 0;
	if (proc_read_at(s->procfd, "stat", &s->scratch, s->o->max_file, &trunc) < 0)
		return 0;
	const char *p = strstr(s->scratch.data, "\nprocesses ");
	if (p) {
		p += strlen("\nprocesses ");
		if (ms_scan_u64(&p, s->scratch.data + s->scratch.len, &n) < 0)
			n = 0;
	}
	return n;
}

/* The PIDs to sample, ascending (the kernel lists /proc in that order; a
 * --root tree may not, and the order is part of the format).  When no
 * process was created since the last listing (the fork count has not
 * moved), the processes sampled at the last tick are all there can be:
 * /proc is not listed again (listing it costs as much as opening every
 * process's stat); those that exited since are found gone when opened. */
static int list_pids(struct sampler *s, struct ms_err *err)
{
	uint64_t forks = forks_since_boot(s);
	s->listed = !forks || forks != s->forks || !s->have_list;
	s->forks = forks;
	if (!s->listed)
		return 0;
	s->npid = 0;
	rewinddir(s->procdir);
	struct dirent *de;
	while ((de = readdir(s->procdir))) {
		const char *n = de->d_name;
		if (*n < '1' || *n > '9')
			continue;
		char *end;
		long long pid = strtoll(n, &end, 10);
		if (*end || pid <= 0)
			continue;
		if (s->npid == s->apid) {
			size_t na = s->apid ? s->apid * 2 : 1024;
			int64_t *p = realloc(s->pids, na * sizeof(*p));
			if (!p)
				return ms_err_set(err, ENOMEM, "out of memory listing /proc");
			s->pids = p;
			s->apid = na;
		}
		s->pids[s->npid++] = pid;
	}
	if (s->npid > 1) /* none: s->pids may still be NULL, which qsort must not get */
		qsort(s->pids, s->npid, sizeof(*s->pids), cmp_pid);
	s->have_list = 1;
	return 0;
}

static int tick_processes(struct sampler *s, unsigned tiers, struct ms_err *err)
{
	const int64_t *pids = s->o->pids;
	size_t n = s->o->npids;
	if (!n) {
		if (list_pids(s, err) < 0)
			return -1;
		pids = s->pids;
		n = s->npid;
	}
	size_t kept = 0; /* the next tick's list, if /proc is not listed again */
	for (size_t i = 0; i < n; i++) {
		int exited;
		if (tick_process(s, pids[i], tiers, &exited, err) < 0)
			return -1;
		if (!s->o->npids && !exited)
			s->pids[kept++] = pids[i];
	}
	if (!s->o->npids)
		s->npid = kept;
	return 0;
}

/* ---- tier 2: smaps and numa_maps of the picked processes ---- */

static int tick_deep(struct sampler *s, struct ms_err *err)
{
	size_t n = s->o->smaps_top, k;
	size_t idx[1000];
	if (n > sizeof(idx) / sizeof(*idx))
		n = sizeof(idx) / sizeof(*idx);
	if (s->o->npids) {
		/* asked for by PID: every one of them is walked */
		k = 0;
		for (size_t i = 0; i < s->cur.n && k < sizeof(idx) / sizeof(*idx); i++)
			if (s->cur.ent[i].has_mm && pickable(&s->cur.ent[i], s))
				idx[k++] = i;
	} else {
		k = proc_table_pick(&s->cur, n, pickable, s, idx);
	}
	for (size_t j = 0; j < k; j++) {
		struct proc_ent *e = &s->cur.ent[idx[j]];
		char rel[32], path[64];
		snprintf(rel, sizeof(rel), "%lld", (long long)e->pid);
		snprintf(path, sizeof(path), "/proc/%lld/smaps", (long long)e->pid);
		if (!walkable(e, s)) {
			if (add_gap(s, 2, "skip:walk-limit", path, "smaps", err) < 0)
				return -1;
			continue;
		}
		int pfd = openat(s->procfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		int trunc, same = 0;
		if (pfd >= 0 && proc_read_at(pfd, "stat", &s->scratch, 4096, &trunc) == 0) {
			struct proc_stat st;
			struct ms_err ignored = MS_ERR_INIT;
			same = parse_stat(s->scratch.data, s->scratch.len, &st, NULL, &ignored) == 0 &&
			       st.starttime == e->starttime;
			ms_err_release(&ignored);
		}
		int rc = 0;
		if (!same)
			rc = add_gap(s, 2, pfd < 0 ? errname(errno) : "ESRCH", path, "smaps", err);
		else {
			rc = emit(s, 2, pfd, "smaps", path, "smaps", 1, NULL, err);
			snprintf(path, sizeof(path), "/proc/%lld/numa_maps", (long long)e->pid);
			if (rc == 0 && s->nnodes > 1)
				rc = emit(s, 2, pfd, "numa_maps", path, "numa_maps", 1, NULL, err);
			else if (rc == 0)
				rc = add_record(s, 2, "skip:single-node", path, NULL, 0, -1, err);
			e->mark_pages = e->rss_pages;
		}
		if (pfd >= 0)
			close(pfd);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- one tick ---- */

static void tier_clock(struct tick_cost *c, int tier, uint64_t cpu0, uint64_t wall0)
{
	c->cpu_us[tier] += now_us(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	c->wall_us[tier] += now_us(CLOCK_MONOTONIC) - wall0;
}

/* Is this sample the first of one of its sinks' bundles? */
static int starts_a_bundle(const struct sinks *k)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->k[i].sample == 1)
			return 1;
	return 0;
}

/* Does every sink's previous sample come from the previous tick?  Then
 * a process's files can be compared with that tick's (a new bundle, an
 * incident's first sample taken live, a bundle resumed after a pause: no).
 * Remembers this tick's sinks for the next. */
static int follows(struct sampler *s, const struct sinks *k)
{
	int all = 1;
	for (size_t i = 0; i < k->n; i++) {
		int found = 0;
		for (size_t j = 0; j < s->nlast; j++)
			found |= s->last[j].w == k->k[i].w && s->last[j].sample + 1 == k->k[i].sample;
		all &= found;
	}
	for (size_t i = 0; i < k->n; i++)
		s->last[i] = (struct sink_tick){ k->k[i].w, k->k[i].sample };
	s->nlast = k->n;
	return all;
}

/* The host member: built on the first sample of a sink and when CHECK
 * asks; written to the sinks at their first sample, to all of them when
 * it changed. */
static int tick_host(struct sampler *s, int check, struct ms_err *err)
{
	if (!check && !starts_a_bundle(s->sinks))
		return 0;
	struct host_dirs d = { s->procfd, s->sysfd, s->nodes, s->nnodes, s->o->max_file };
	if (host_info_build(&d, &s->scratch, &s->out[0].buf) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	unsigned long long h = host_info_hash(&s->out[0].buf);
	int changed = h != s->host_hash;
	s->host_hash = h;
	for (size_t k = 0; k < s->sinks->n; k++) {
		const struct sink *o = &s->sinks->k[k];
		if (o->sample != 1 && !changed)
			continue;
		char name[64];
		snprintf(name, sizeof(name), MS_SAMPLE_NAME_FMT, o->sample, "host");
		if (bundle_writer_add(o->w, name, s->out[0].buf.data, s->out[0].buf.len, s->mtime,
				      err) < 0)
			return -1;
	}
	ms_buf_reset(&s->out[0].buf);
	return 0;
}

int sampler_tick(struct sampler *s, const struct sinks *sinks, unsigned tiers,
		 int check_host, const struct focus *focus, struct tick_cost *cost,
		 struct ms_err *err)
{
	s->sinks = sinks;
	s->focus = focus;
	/* every bundle has each process's sparse files from its first sample
	 * on; tier 1's samples refresh them; a focus on a cgroup needs them */
	int follow = follows(s, sinks); /* called every tick: it remembers the sinks */
	s->full_read = (tiers & 2) || (focus && focus->cgroup) || !follow;
	s->mtime = time(NULL);
	s->read_bytes = s->records = s->unchanged = 0;
	memset(s->timed_us, 0, sizeof(s->timed_us));
	memset(&s->gaps, 0, sizeof(s->gaps));
	memset(cost, 0, sizeof(*cost));
	for (int t = 0; t < MS_TIERS; t++) {
		ms_buf_reset(&s->out[t].buf);
		s->out[t].part = 0;
	}
	struct proc_table tmp = s->prev;
	s->prev = s->cur;
	s->cur = tmp;
	proc_table_reset(&s->cur);

	uint64_t cpu0 = now_us(CLOCK_PROCESS_CPUTIME_ID), wall0 = now_us(CLOCK_MONOTONIC);
	if (tick_host(s, check_host, err) < 0)
		return -1;
	if (tick_system(s, err) < 0 || tick_cgroups(s, err) < 0)
		return -1;
	tier_clock(cost, 0, cpu0, wall0);

	/* tier 1's smaps_rollup is read in the same pass as tier 0, while
	 * each process's directory is open; its time is measured per read */
	cpu0 = now_us(CLOCK_PROCESS_CPUTIME_ID);
	wall0 = now_us(CLOCK_MONOTONIC);
	if (tick_processes(s, tiers, err) < 0)
		return -1;
	tier_clock(cost, 0, cpu0, wall0);
	/* move the page walks out of tier 0's account (kernel time, so the
	 * wall time of each read stands for its CPU time) */
	for (int i = 0; i < 2; i++) {
		uint64_t *a = i ? cost->wall_us : cost->cpu_us;
		uint64_t moved = s->timed_us[1] < a[0] ? s->timed_us[1] : a[0];
		a[0] -= moved;
		a[1] += moved;
	}
	if (tiers & 2) {
		cpu0 = now_us(CLOCK_PROCESS_CPUTIME_ID);
		wall0 = now_us(CLOCK_MONOTONIC);
		if (emit(s, 1, s->procfd, "zoneinfo", "/proc/zoneinfo", "zoneinfo", 1, NULL, err) < 0)
			return -1;
		tier_clock(cost, 1, cpu0, wall0);
	}
	if (tiers & 4) {
		cpu0 = now_us(CLOCK_PROCESS_CPUTIME_ID);
		wall0 = now_us(CLOCK_MONOTONIC);
		if (tick_deep(s, err) < 0)
			return -1;
		tier_clock(cost, 2, cpu0, wall0);
	}
	for (int t = 0; t < MS_TIERS; t++)
		if ((tiers & (1u << t)) && (s->out[t].buf.len || s->out[t].part == 0) &&
		    flush_member(s, t, err) < 0)
			return -1;
	return 0;
}
