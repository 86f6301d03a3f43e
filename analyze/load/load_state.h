/*
 * load_state.h - what the loader's files share while loading one bundle.
 *
 * Private to analyze/loader*.c and analyze/load_*.c.  One struct, owned by
 * loader_load(); no globals.
 */
#ifndef LOAD_STATE_H
#define LOAD_STATE_H

#include <sqlite3.h>
#include <stdint.h>

#include "ms_buf.h"
#include "ms_err.h"
#include "record.h"

enum stmt_id {
	ST_HEADER, ST_HOST_FILE, ST_SAMPLE, ST_GAP, ST_DEFERRED, ST_LOAD_ERROR,
	ST_HOST,
	ST_MEMINFO, ST_VMSTAT, ST_NODE_MEMINFO, ST_NUMASTAT, ST_BUDDY, ST_ZONE, ST_SWAPS,
	ST_PSI, ST_CGROUP, ST_CGROUP_VALUE,
	ST_PROCESS, ST_PROCESS_SEEN, ST_PROCESS_COMM, ST_PROCESS_CMDLINE, ST_PROC_SAMPLE,
	ST_ROLLUP, ST_MAPPING, ST_NUMA_MAPPING, ST_PROC_CGROUP, ST_PROC_CGROUP_CLOSE,
	ST_COUNT
};

/* a process known to the load: its row id and what is pending for it */
struct proc_ref {
	int64_t pid;
	uint64_t starttime;
	int64_t id;               /* process.id */
	int64_t last_sample;      /* written to process.last_sample at the end */
	int64_t uid;              /* the last uid seen, for process.uid; INT64_MIN: none */
	uint64_t cgroup_hash;     /* /proc/PID/cgroup text last stored */
	char comm[16];            /* the comm in process.comm (stat's, cut at 15) */
};

/* the proc_sample row being assembled for the current PID */
struct proc_row {
	int64_t process_id;       /* 0: none pending */
	size_t proc;              /* its index into load_state.procs */
	int64_t pid;
	char state[2];
	int64_t minflt, majflt, utime, stime, threads, processor;
	int64_t vm_size, vm_rss, rss_anon, rss_file, rss_shmem, vm_swap, vm_hwm, vm_data,
		vm_pte, vm_lck, statm_resident, oom_score, oom_score_adj, uid;
	char *cpus_allowed, *mems_allowed;   /* owned */
};

struct load_state {
	sqlite3 *db;
	uint64_t hash_seed;       /* of the tables below (ms_hash.h: keys are bundle data) */
	sqlite3_stmt *st[ST_COUNT];
	long page_size;
	char *cg_v1, *cg_v2;      /* cgroup mounts from the header */
	/* processes: open addressing on (pid, starttime) */
	struct proc_ref *procs;
	size_t nprocs, procs_cap;
	int64_t *proc_slots;      /* index+1 into procs, 0 empty */
	size_t slots_cap;
	/* this sample: pid -> index into procs */
	unsigned sample;          /* sample whose members are being read */
	int64_t *pid_keys, *pid_vals;
	size_t pid_cap, pid_n;
	struct proc_row row;
	/* cgroups: directory path -> id, open addressing on a hash: slot i
	 * holds cg_paths[i] (NULL: empty) and its id; cg_cap slots, a power of
	 * two, at most half full */
	char **cg_paths;
	int64_t *cg_ids;
	size_t cg_cap, cg_n;
	struct ms_buf path, tmp;
	uint64_t rows, errors;
	unsigned samples;
	unsigned max_complete;    /* highest sample with a meta */
	/* proc_rollup rows summed from a tier-1 smaps (no smaps_rollup) */
	uint64_t rollup_sums;
	unsigned rollup_sum_samples, rollup_sum_last;
};

/* statements and inserts (load_stmt.c) */
int load_prepare(struct load_state *ls, struct ms_err *err);
void load_finalize(struct load_state *ls);
/* bind (index from 1) helpers: v < 0 ... are explicit NULLs via the _n forms */
void bind_i64(sqlite3_stmt *s, int i, int64_t v);
void bind_null(sqlite3_stmt *s, int i);
void bind_i64_or_null(sqlite3_stmt *s, int i, int64_t v, int null_if_negative);
void bind_text(sqlite3_stmt *s, int i, const char *t, size_t n);   /* copied */
/* T is not copied (SQLITE_STATIC): it must stay valid until parameter I
 * is bound again or the statement is finalized. */
void bind_text_static(sqlite3_stmt *s, int i, const char *t, size_t n);
void bind_double(sqlite3_stmt *s, int i, double v);
/* step and reset; counts a row.  Bindings are kept (no
 * sqlite3_clear_bindings): every use of a statement binds all of its
 * parameters, NULLs included. */
int load_step(struct load_state *ls, enum stmt_id id, struct ms_err *err);
/* record a parse problem and go on */
int load_error(struct load_state *ls, const char *member, const struct ms_record *r,
	       const char *message, struct ms_err *err);

/* records (load_system.c, load_proc.c); each returns -1 only on fatal errors */
int load_system_record(struct load_state *ls, const char *member, const struct ms_record *r,
		       const char *path, struct ms_err *err);
int load_proc_record(struct load_state *ls, const char *member, const struct ms_record *r,
		     int64_t pid, const char *file, struct ms_err *err);
/* end of a sample's records, or of the load */
int load_proc_flush(struct load_state *ls, struct ms_err *err);
/* end of the load: every process's last_sample and uid into its row */
int load_proc_finish(struct load_state *ls, struct ms_err *err);
void load_proc_init(struct load_state *ls);
void load_proc_sample_start(struct load_state *ls, unsigned sample);
void load_state_release(struct load_state *ls);

#endif
