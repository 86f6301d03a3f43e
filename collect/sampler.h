/*
 * sampler.h - take one sample: read the due tiers' files into members.
 *
 * The sampler owns every resource a tick needs (directory fds, buffers,
 * process tables) and allocates them at startup; a tick reuses them.  It
 * writes members through the bundle writer but never commits: the
 * collector commits after the sample's meta member.
 */
#ifndef SAMPLER_H
#define SAMPLER_H

#include <dirent.h>
#include <stdint.h>
#include <time.h>

#include "bundle_format.h"
#include "bundle_writer.h"
#include "collect_opts.h"
#include "ms_buf.h"
#include "ms_err.h"
#include "proc_table.h"

#define GAP_KINDS 64

struct gap_count {
	char key[48];             /* "STATUS FILEKIND", e.g. "EACCES smaps_rollup" */
	uint64_t n;
};

struct gaps {
	struct gap_count e[GAP_KINDS];
	size_t n;
	uint64_t total;
};

struct member_out {
	struct ms_buf buf;
	unsigned part;            /* parts already written this sample */
};

struct tick_cost {
	uint64_t cpu_us[MS_TIERS];
	uint64_t wall_us[MS_TIERS];
};

struct sampler {
	const struct collect_opts *o;
	int rootfd, procfd, sysfd;
	DIR *procdir;
	struct ms_buf scratch, path;
	struct member_out out[MS_TIERS];
	struct bundle_writer *w;
	unsigned sample;
	time_t mtime;
	struct proc_table prev, cur;
	int64_t *pids;            /* this tick's PIDs, ascending (reused) */
	size_t npid, apid;
	struct gaps gaps;         /* this sample */
	struct gaps all;          /* the whole run */
	uint64_t read_bytes;      /* this sample */
	uint64_t records;         /* this sample */
	uint64_t cgroups;         /* this sample */
	uint64_t timed_us[MS_TIERS]; /* this sample: time in timed reads */
	struct ms_buf host;
	uint64_t host_hash;
	char *cg_v1, *cg_v2;      /* memory cgroup mounts, relative to root */
	int *nodes;               /* online node numbers */
	size_t nnodes;
	long page_size;
	int64_t self;             /* our PID: never picked for tier 2 */
	int rollup;               /* ROLLUP_*: the file tier 1 reads per process */
};

/* Tier 1 reads smaps_rollup (4.14 and later); where the kernel has none,
 * smaps, which the loader sums into the same rollup. */
enum { ROLLUP_UNKNOWN, ROLLUP_FILE, ROLLUP_SMAPS };

int sampler_init(struct sampler *s, const struct collect_opts *o,
		 struct ms_err *err);
void sampler_release(struct sampler *s);

/* Take sample SAMPLE with the tiers in TIERS; fills COST.  Sets
 * *HOST_WRITTEN when the host member was (re)written.  Fails only when
 * the bundle cannot be written (or memory runs out). */
int sampler_tick(struct sampler *s, struct bundle_writer *w, unsigned sample,
		 unsigned tiers, int check_host, struct tick_cost *cost,
		 int *host_written, struct ms_err *err);

/* Append the gap summary lines of G to B ("gap STATUS KIND N"). */
int sampler_gap_lines(const struct gaps *g, struct ms_buf *b);

#endif
