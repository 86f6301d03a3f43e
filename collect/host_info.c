/*
 * host_info.c - build the host member (see host_info.h).
 *
 * Two kinds of record: files copied as they are (kernel release, boot id,
 * command line, vm sysctls, THP settings, node topology), and
 * "memsnap:" records the collector writes itself for what no file holds
 * (uname, page size, CLK_TCK, CPU count, time zone).  Everything here is
 * stable while the host is: a change means a sysctl or the topology moved,
 * and the member is written again.  Mounts are not here (they change with
 * every container); the header names the cgroup mounts the collector uses.
 */
#include "host_info.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bundle_text.h"
#include "proc_read.h"
#include "record.h"

static const char *const proc_files[] = {
	"sys/kernel/osrelease", "sys/kernel/version", "sys/kernel/hostname",
	"sys/kernel/random/boot_id", "cmdline", "version",
	"sys/vm/zone_reclaim_mode", "sys/vm/swappiness", "sys/vm/overcommit_memory",
	"sys/vm/overcommit_ratio", "sys/vm/overcommit_kbytes", "sys/vm/min_free_kbytes",
	"sys/vm/watermark_scale_factor", "sys/vm/max_map_count",
	"sys/vm/extfrag_threshold", "sys/vm/page-cluster", "sys/vm/vfs_cache_pressure",
	"sys/vm/panic_on_oom", "sys/vm/oom_kill_allocating_task",
	"sys/kernel/numa_balancing", "sys/kernel/pid_max",
};

static const char *const sys_files[] = {
	"kernel/mm/transparent_hugepage/enabled", "kernel/mm/transparent_hugepage/defrag",
	"kernel/mm/transparent_hugepage/shmem_enabled",
	"kernel/mm/transparent_hugepage/khugepaged/defrag",
	"kernel/mm/lru_gen/enabled", "devices/system/cpu/online", "devices/system/cpu/possible",
	"devices/system/node/online", "devices/system/node/possible",
	"devices/system/node/has_cpu", "devices/system/node/has_memory",
};

static int copy(int dirfd, const char *prefix, const char *rel, struct ms_buf *scratch,
		struct ms_buf *out, size_t cap, struct ms_buf *path)
{
	int trunc;
	ms_buf_reset(path);
	if (ms_buf_addf(path, "%s/%s", prefix, rel) < 0)
		return -1;
	if (proc_read_at(dirfd, rel, scratch, cap, &trunc) < 0) {
		char st[32];
		snprintf(st, sizeof(st), "%s", strerrorname_np(errno) ? strerrorname_np(errno) : "EIO");
		return record_append(out, st, path->data, NULL, 0, -1);
	}
	return record_append(out, trunc ? "trunc" : "ok", path->data, scratch->data,
			     scratch->len, -1);
}

/* memsnap:uname into B (empty when uname fails) */
static int put_uname(struct ms_buf *b)
{
	struct utsname u;
	ms_buf_reset(b);
	if (uname(&u) < 0)
		return 0;
	return bt_put(b, BK_SYSNAME, "%s", u.sysname) | bt_put(b, BK_NODENAME, "%s", u.nodename) |
	       bt_put(b, BK_RELEASE, "%s", u.release) | bt_put(b, BK_VERSION, "%s", u.version) |
	       bt_put(b, BK_MACHINE, "%s", u.machine);
}

/* memsnap:system into B; a value sysconf() cannot give is left out */
static int put_system(struct ms_buf *b)
{
	static const struct {
		enum bt_key key;
		int name;
	} conf[] = {
		{ BK_PAGE_SIZE, _SC_PAGESIZE }, { BK_CLK_TCK, _SC_CLK_TCK },
		{ BK_CPUS_ONLINE, _SC_NPROCESSORS_ONLN }, { BK_CPUS_CONFIGURED, _SC_NPROCESSORS_CONF },
	};
	int rc = 0;
	ms_buf_reset(b);
	for (size_t i = 0; i < sizeof(conf) / sizeof(*conf); i++) {
		long v = sysconf(conf[i].name);
		if (v > 0)
			rc |= bt_put(b, conf[i].key, "%ld", v);
	}
	return rc;
}

/* memsnap:timezone into B: the offset now and the zone name, for showing
 * times as the host saw them; samples themselves are in UTC */
static int put_timezone(struct ms_buf *b)
{
	time_t now = time(NULL);
	struct tm lt;
	char link[256];
	ssize_t ln = readlink("/etc/localtime", link, sizeof(link) - 1);
	link[ln > 0 ? ln : 0] = '\0';
	const char *tzenv = getenv("TZ");
	ms_buf_reset(b);
	if (!localtime_r(&now, &lt))
		return 0;
	return bt_put(b, BK_ZONE, "%s", lt.tm_zone) |
	       bt_put(b, BK_UTC_OFFSET_S, "%ld", (long)lt.tm_gmtoff) |
	       bt_put(b, BK_TZ, "%s", tzenv ? tzenv : "") | bt_put(b, BK_LOCALTIME, "%s", link);
}

int host_info_build(const struct host_dirs *d, struct ms_buf *scratch,
		    struct ms_buf *out)
{
	struct ms_buf path, tmp;
	int rc = -1;
	if (ms_buf_init(&path, 128) < 0)
		return -1;
	if (ms_buf_init(&tmp, 512) < 0) {
		ms_buf_release(&path);
		return -1;
	}
	ms_buf_reset(out);
	for (size_t i = 0; i < sizeof(proc_files) / sizeof(*proc_files); i++)
		if (copy(d->procfd, "/proc", proc_files[i], scratch, out, d->max_file, &path) < 0)
			goto done;
	for (size_t i = 0; i < sizeof(sys_files) / sizeof(*sys_files); i++)
		if (copy(d->sysfd, "/sys", sys_files[i], scratch, out, d->max_file, &path) < 0)
			goto done;
	for (size_t i = 0; i < d->nnodes; i++) {
		char rel[96];
		snprintf(rel, sizeof(rel), "devices/system/node/node%d/cpulist", d->nodes[i]);
		if (copy(d->sysfd, "/sys", rel, scratch, out, d->max_file, &path) < 0)
			goto done;
		snprintf(rel, sizeof(rel), "devices/system/node/node%d/distance", d->nodes[i]);
		if (copy(d->sysfd, "/sys", rel, scratch, out, d->max_file, &path) < 0)
			goto done;
	}
	if (put_uname(&tmp) < 0 ||
	    record_append(out, "ok", MS_REC_UNAME, tmp.data, tmp.len, -1) < 0 ||
	    put_system(&tmp) < 0 ||
	    record_append(out, "ok", MS_REC_SYSTEM, tmp.data, tmp.len, -1) < 0 ||
	    put_timezone(&tmp) < 0 ||
	    record_append(out, "ok", MS_REC_TIMEZONE, tmp.data, tmp.len, -1) < 0)
		goto done;
	rc = 0;
done:
	ms_buf_release(&path);
	ms_buf_release(&tmp);
	return rc;
}

unsigned long long host_info_hash(const struct ms_buf *host)
{
	/* FNV-1a over the whole member: a DST change (the time zone record)
	 * is a change worth recording too */
	unsigned long long h = 1469598103934665603ull;
	for (size_t i = 0; i < host->len; i++) {
		h ^= (unsigned char)host->data[i];
		h *= 1099511628211ull;
	}
	return h;
}
