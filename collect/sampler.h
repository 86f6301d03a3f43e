/*
 * sampler.h - take one sample: read the due tiers' files into members.
 *
 * The sampler owns every resource a tick needs (directory fds, buffers,
 * process tables) and allocates them at startup; a tick reuses them.  It
 * writes members through the bundle writers of its sinks (one bundle, or
 * two: the recorder's ring segment and its incident bundle, each with its
 * own sample number) but never commits: the caller commits after the
 * sample's meta member.
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

/* Where one sample goes: a bundle and the sample's number in it. */
struct sink {
	struct bundle_writer *w;
	unsigned sample;
	uint64_t offset;          /* compressed bytes before this sample (set by the caller) */
	int failed;               /* errno of a failed commit, 0 when written */
};

#define MS_MAX_SINKS 2

struct sinks {
	struct sink k[MS_MAX_SINKS];
	size_t n;
};

/* Told every system and memory cgroup file of tier 0 as it is read (the
 * recorder's triggers look at what is sampled anyway).  KIND is the file
 * name (meminfo, vmstat, pressure/memory, memory.events ...); PATH the
 * record's path; DATA the text, LEN 0 and DATA NULL when it was not read. */
struct sample_watch {
	void (*file)(void *ctx, const char *kind, const char *path, const char *data, size_t len);
	void *ctx;
};

/* Processes the tiers in TIERS are limited to (an incident's, in the
 * recorder): PIDS (ascending), and the members of the memory cgroup
 * CGROUP (a path below the hierarchy's root, as /proc/PID/cgroup writes
 * it; NULL: none).  Other tiers cover every process. */
struct focus {
	unsigned tiers;
	const int64_t *pids;
	size_t npids;
	const char *cgroup;
};

/* a sink of the previous tick: its writer and sample number */
struct sink_tick {
	const struct bundle_writer *w;
	unsigned sample;
};

struct sampler {
	const struct collect_opts *o;
	int procfd, sysfd;
	DIR *procdir;
	struct ms_buf scratch, path;
	struct member_out out[MS_TIERS];
	const struct sinks *sinks;  /* this sample's */
	const struct focus *focus;  /* this sample's; NULL: every process */
	int full_read;              /* this sample reads every process's files (sparse
				     * ones included, none left unread as unchanged) */
	struct sink_tick last[MS_MAX_SINKS]; /* the previous tick's sinks */
	size_t nlast;
	struct sample_watch watch;  /* fn NULL: nobody watches */
	time_t mtime;
	struct proc_table prev, cur;
	int64_t *pids;            /* this tick's PIDs, ascending (reused) */
	size_t npid, apid;
	int listed;               /* this tick listed /proc (else: the last tick's PIDs) */
	int have_list;            /* pids holds a list */
	uint64_t forks;           /* /proc/stat's processes at the last tick (0: unknown) */
	struct gaps gaps;         /* this sample */
	uint64_t read_bytes;      /* this sample */
	uint64_t records;         /* this sample */
	uint64_t unchanged;       /* this sample: processes whose stat had not changed */
	uint64_t hash_seed;       /* of the stat and meminfo hashes (random: a
				   * process cannot aim its comm at a collision) */
	uint64_t totals_hash;     /* meminfo's MemTotal and SwapTotal at the last tick */
	uint64_t cgroups;         /* this sample */
	uint64_t timed_us[MS_TIERS]; /* this sample: time in timed reads */
	struct ms_buf host;
	uint64_t host_hash;
	char *cg_v1, *cg_v2;      /* memory cgroup mount points (host paths) */
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

/* Take one sample into SINKS with the tiers in TIERS, tiers 1 and 2
 * limited to FOCUS (NULL: every process); fills COST.  The host member
 * goes to a sink whose sample is its first, and to every sink when
 * CHECK_HOST finds it changed.  Fails only when memory runs out or a
 * member cannot be compressed (nothing reaches a file before commit). */
int sampler_tick(struct sampler *s, const struct sinks *sinks, unsigned tiers,
		 int check_host, const struct focus *focus, struct tick_cost *cost,
		 struct ms_err *err);


/* Append the names of the per-process files read only in a full read
 * (space-separated) to B; -1 on ENOMEM. */
int sampler_sparse_names(struct ms_buf *b);

/* ... of the files a sample may record as skip:unchanged (not read: the
 * process's stat was the same as at the previous tick) */
int sampler_unchanged_names(struct ms_buf *b);

/* Append the gap summary lines of G to B ("gap STATUS KIND N"). */
int sampler_gap_lines(const struct gaps *g, struct ms_buf *b);

/* Add FROM's counts to INTO (a bundle's totals from its samples'). */
void sampler_gaps_merge(struct gaps *into, const struct gaps *from);

#endif
