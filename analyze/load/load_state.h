/*
 * load_state.h - what the loader's files share while loading one bundle.
 *
 * Private to analyze/load/.  One struct, owned by loader_load(); no
 * globals.  The files, each calling only those below it:
 *     loader.c       the bundle's members; on_records() hands each record
 *                    to the kinds table
 *     load_drop.c    the cleanup of incomplete samples, derived from the
 *                    tables the statements and the kinds write
 *     load_kinds.c   the kinds table: bundle path -> parser -> LOAD ->
 *                    statement -> table; matches a record's path and calls
 *                    its kind's LOAD
 *     load_system.c, load_cgroup.c, load_proc_kinds.c, load_proc.c
 *                    the kinds' LOAD functions: parse, bind, insert; the
 *                    cgroup and process tables kept in memory
 *     load_stmt.c    the statements of the shared tables (each with its
 *                    table), and binding and stepping
 */
#ifndef LOAD_STATE_H
#define LOAD_STATE_H

#include <sqlite3.h>
#include <stdint.h>

#include "ms_buf.h"
#include "ms_err.h"
#include "record.h"
#include "scan.h"

/* The statements of the tables several kinds, or the loader itself,
 * write; load_stmt.c has each one's table and SQL.  A table only one kind
 * writes has its statement in that kind's row (load_kinds.c). */
enum stmt_id {
	ST_HEADER, ST_HOST_FILE, ST_SAMPLE, ST_GAP, ST_DEFERRED, ST_LOAD_ERROR, ST_EXACT,
	ST_HOST, ST_PSI, ST_CGROUP, ST_CGROUP_VALUE, ST_ROLLUP,
	ST_PROCESS, ST_PROCESS_SEEN, ST_PROCESS_COMM, ST_PROCESS_CMDLINE, ST_PROC_SAMPLE,
	ST_PROC_CGROUP, ST_PROC_CGROUP_CLOSE, ST_RECORDING_PART, ST_TRIGGER,
	ST_COUNT
};

/* how a table's rows belong to samples: what the cleanup of incomplete
 * samples deletes (load_drop.c) */
enum rows_of {
	ROWS_NONE,      /* not by sample, or the statement adds no rows (UPDATE) */
	ROWS_SAMPLE,    /* a column "sample": the rows of one sample */
	ROWS_SPAN,      /* first_sample..last_sample: rows that span samples */
};

/* what a status record gives a proc_sample row; a process's last one is
 * carried into its samples that did not read status (skip:unchanged) */
struct status_vals {
	int64_t vm_size, vm_rss, rss_anon, rss_file, rss_shmem, vm_swap, vm_hwm, vm_data,
		vm_pte, vm_lck, uid;
	char *cpus_allowed, *mems_allowed;   /* owned */
};

/* a process known to the load: its row id and what is pending for it */
struct proc_ref {
	int64_t pid;
	uint64_t starttime;
	int64_t id;               /* process.id */
	int64_t last_sample;      /* written to process.last_sample at the end */
	int64_t uid;              /* the last uid seen, for process.uid; INT64_MIN: none */
	uint64_t cgroup_hash;     /* /proc/PID/cgroup text last stored */
	int64_t oom_score_adj;    /* the last read, carried into samples without one
				   * (a sparse file: bundle-format.md); INT64_MIN: none */
	struct status_vals *carry; /* owned: its last status read; NULL: none */
	int64_t oom_score;        /* its last oom_score read; INT64_MIN: none */
	int seeded;               /* its first row was inserted (ls->seed ran) */
	char comm[16];            /* the comm in process.comm (stat's, cut at 15) */
};

/* the proc_sample row being assembled for the current PID */
struct proc_row {
	int64_t process_id;       /* 0: none pending */
	size_t proc;              /* its index into load_state.procs */
	int64_t pid;
	char state[2];
	unsigned has;             /* PS_* (parse_stat.h): the counters below stat gave */
	uint64_t minflt, majflt, utime, stime;
	int64_t threads, processor;
	struct status_vals sv;
	int64_t statm_resident, oom_score, oom_score_adj;
	uint64_t read;            /* kinds (load_kind_bit()) whose record was loaded */
	uint64_t same;            /* ... that were not read: skip:unchanged */
};

/* a memory cgroup known to the load (load_cgroup.c) */
struct cgroup_slot {
	char *path;               /* owned: the directory as captured; NULL: empty slot */
	size_t len;
	size_t mount_len;         /* path[0, mount_len) is its hierarchy's mount */
	int64_t id;               /* cgroup.id */
};

struct load_state {
	sqlite3 *db;
	uint64_t hash_seed;       /* of the tables below (ms_hash.h: keys are bundle data) */
	sqlite3_stmt *st[ST_COUNT];
	sqlite3_stmt **kst;       /* the kinds' own statements, by kind (load_kinds.c) */
	size_t nkst;
	long page_size;
	char *cg_v1, *cg_v2;      /* cgroup mounts from the header */
	/* at the first row of each process, before it is inserted (NULL:
	 * none; a load cut to a window: lw_seed()) */
	int (*seed)(void *ctx, struct load_state *ls, struct proc_ref *p, struct ms_err *err);
	void *seed_ctx;
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
	/* cgroups: open addressing on a hash of the path; cg_cap slots, a
	 * power of two, at most half full */
	struct cgroup_slot *cgs;
	size_t cg_cap, cg_n;
	struct ms_buf path, tmp;
	uint64_t bit_status, bit_oom_score;  /* load_kind_bit(): the files a sample may
					      * leave unread (skip:unchanged) */
	uint64_t rows, errors;
	unsigned samples;
	unsigned max_complete;    /* highest sample with a meta */
	/* proc_rollup rows summed from a tier-1 smaps (no smaps_rollup) */
	uint64_t rollup_sums;
	unsigned rollup_sum_samples, rollup_sum_last;
};

/* ---- the kinds table's row (load_kinds.c) and what LOAD is given ---- */

/* where a kind's path is: the pattern of its bundle path */
enum load_where {
	LOAD_SYSTEM,    /* /proc/NAME */
	LOAD_NODE,      /* /sys/devices/system/node/nodeN/NAME */
	LOAD_CGROUP,    /* MOUNT[/DIR...]/NAME, MOUNT a memory cgroup mount of the header */
	LOAD_PROCESS,   /* /proc/PID/NAME */
};

enum {
	/* LOAD_PROCESS: the record that opens its process in a sample (stat);
	 * the PID's other records attach to the process it opened, and are
	 * not loaded without one */
	LK_OPENS_PROCESS = 1,
	/* kv kinds: every line starts "Node N " (nodeN/meminfo) */
	LK_NODE_LINES = 2,
};

struct load_rec;
typedef int (*load_kind_fn)(struct load_state *ls, const struct load_rec *rec,
			    struct ms_err *err);

struct load_kind {
	enum load_where where;
	const char *name;         /* the file's name there ("meminfo", "pressure/memory") */
	size_t name_len;
	const char *parser;       /* the source that parses it, from the tree's root */
	load_kind_fn load;        /* parse the record and insert its rows */
	const char *table;        /* the table its rows go to */
	/* the INSERT into TABLE when the kind alone writes it (TABLE then has
	 * a column "sample"): prepared once per load, LOAD's REC->st; NULL
	 * when LOAD writes through a statement of load_stmt.c */
	const char *sql;
	unsigned flags;           /* LK_* */
};

/* one record, as the kinds table hands it to its kind's LOAD */
struct load_rec {
	const struct load_kind *kind;
	sqlite3_stmt *st;         /* the kind's own statement (kind->sql), or NULL */
	const char *member;       /* the bundle member, for load_error */
	const struct ms_record *r;
	int64_t pid;              /* LOAD_PROCESS */
	struct proc_ref *proc;    /* LOAD_PROCESS but LK_OPENS_PROCESS: its process */
	int64_t node;             /* LOAD_NODE */
	int64_t cgroup;           /* LOAD_CGROUP: cgroup.id */
	const char *scope;        /* PSI's scope: "system", or the cgroup's path */
	size_t scope_len;         /* below its mount ("/" for the root) */
};

/* ---- statements and inserts (load_stmt.c) ---- */
int load_prepare(struct load_state *ls, struct ms_err *err);
/* every statement, the kinds' own too */
void load_finalize(struct load_state *ls);
/* statement ID's table and how its rows belong to samples */
enum rows_of load_stmt_rows(enum stmt_id id, const char **table);
/* bind (index from 1) helpers: v < 0 ... are explicit NULLs via the _n forms */
void bind_i64(sqlite3_stmt *s, int i, int64_t v);
void bind_null(sqlite3_stmt *s, int i);
void bind_i64_or_null(sqlite3_stmt *s, int i, int64_t v, int null_if_negative);
/* An unsigned 64-bit value: the one place that decides how one above
 * INT64_MAX is stored (docs/schema.md, "Numbers above 2^63"): an INTEGER
 * up to INT64_MAX, the nearest REAL above it (the order, comparisons and
 * sums stay right; exact for every multiple of 2048, addresses included).
 * Where that REAL is not V, sink_u64() keeps V's digits in exact_value. */
void bind_u64(sqlite3_stmt *s, int i, uint64_t v);
void bind_text(sqlite3_stmt *s, int i, const char *t, size_t n);   /* copied */
/* T is not copied (SQLITE_STATIC): it must stay valid until parameter I
 * is bound again or the statement is finalized. */
void bind_text_static(sqlite3_stmt *s, int i, const char *t, size_t n);
void bind_double(sqlite3_stmt *s, int i, double v);
/* step and reset; counts a row.  Bindings are kept (no
 * sqlite3_clear_bindings): every use of a statement binds all of its
 * parameters, NULLs included. */
int load_step(struct load_state *ls, enum stmt_id id, struct ms_err *err);
/* the same for a statement of its own (a kind's) */
int load_run(struct load_state *ls, sqlite3_stmt *s, struct ms_err *err);
/* record a parse problem and go on */
int load_error(struct load_state *ls, const char *member, const struct ms_record *r,
	       const char *message, struct ms_err *err);
/* a read_gap row of this sample: PATH (LEN bytes) was not read, STATUS says why */
int load_gap(struct load_state *ls, const char *path, size_t len, const char *status,
	     size_t status_len, struct ms_err *err);
/* REC did not parse: PERR becomes a load_error row (and is released) */
int load_parse_error(struct load_state *ls, const struct load_rec *rec, struct ms_err *perr,
		     struct ms_err *err);

/* The parse of one record.  The parser hands its own error struct to its
 * callbacks; an insert's failure (fatal: it ends the load) is kept apart
 * in FATAL, so that it is not taken for bad text.  REP, the parser's
 * reporter (scan.h), makes each line it could not read a load_error row. */
struct load_sink {
	struct load_state *ls;
	const struct load_rec *rec;
	struct ms_err *fatal;
	int failed;
	struct ms_report rep;
};
void load_sink_init(struct load_sink *s, struct load_state *ls, const struct load_rec *rec,
		    struct ms_err *fatal);
/* In a callback: run ST; -1 with ERR set when the insert failed. */
int load_sink_run(struct load_sink *s, sqlite3_stmt *st, struct ms_err *err);
/* After the parse returned RC with PERR: 0, -1 when an insert failed, or
 * the parse error (the record as a whole) recorded as a load_error. */
int load_sink_end(struct load_sink *s, int rc, struct ms_err *perr);

/* Where a value was read: LINE of the sink's record, column COL of table
 * TBL, in the row whose key is KEY (KEY_LEN bytes, -1: up to its NUL;
 * NULL: a row without one). */
struct load_at {
	int line;
	const char *tbl, *col;
	const char *key;
	int key_len;
};
/* V's digits into exact_value when bind_u64() stores V as a REAL that is
 * not V (AT: where it was read).  0, or -1 with ERR set (S failed). */
int load_exact(struct load_sink *s, uint64_t v, const struct load_at *at, struct ms_err *err);
/* bind_u64() and load_exact(): parameter I of ST is V. */
int sink_u64(struct load_sink *s, sqlite3_stmt *st, int i, uint64_t v, const struct load_at *at,
	     struct ms_err *err);

/* ---- the cleanup of incomplete samples (load_drop.c) ---- */
/* The rows of sample N go from every table with rows per sample (a
 * sample without a valid meta). */
int load_drop_sample(struct load_state *ls, unsigned n, struct ms_err *err);
/* The rows of the samples after LAST go (the sample in flight when the
 * collector stopped), and the spans (first_sample..last_sample) end at
 * LAST at the latest. */
int load_drop_after(struct load_state *ls, unsigned last, struct ms_err *err);

/* ---- processes (load_proc.c) ---- */
void load_proc_init(struct load_state *ls);
void load_proc_sample_start(struct load_state *ls, unsigned sample);
/* The process PID's stat opened in this sample, or NULL. */
struct proc_ref *load_proc_of(struct load_state *ls, int64_t pid);
/* The proc_sample row being assembled, when it is REC's process's. */
struct proc_row *load_proc_row(struct load_state *ls, const struct load_rec *rec);
/* end of a sample's records, or of the load */
int load_proc_flush(struct load_state *ls, struct ms_err *err);
/* end of the load: every process's last_sample and uid into its row */
int load_proc_finish(struct load_state *ls, struct ms_err *err);
void load_proc_release(struct load_state *ls);
/* end of the load, after load_drop_after(): the cgroup memberships still
 * open end where their process was last seen (load_proc_kinds.c) */
int load_proc_cgroup_finish(struct load_state *ls, struct ms_err *err);

/* ---- cgroups (load_cgroup.c) ---- */
/* The id of the cgroup whose directory is PATH[0, DIR_LEN), under the
 * mount PATH[0, MOUNT_LEN) of cgroup VERSION, inserting it when new; its
 * path below the mount in *REL.  -1 on a fatal error. */
int64_t load_cgroup_id(struct load_state *ls, const char *path, size_t dir_len,
		       size_t mount_len, int version, const char **rel, size_t *rel_len,
		       struct ms_err *err);
void load_cgroup_release(struct load_state *ls);

/* ---- the kinds' LOAD functions, named in the kinds table ---- */
/* load_system.c */
int load_kv(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_psi(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_buddyinfo(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_swaps(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_zoneinfo(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_uptime(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_loadavg(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
/* load_cgroup.c */
int load_cgroup_kv(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_cgroup_value(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_cgroup_numa(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
/* load_proc.c */
int load_stat(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_statm(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_oom_score(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_oom_score_adj(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_comm(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_cmdline(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
/* load_proc_kinds.c */
int load_status(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_proc_cgroup(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_rollup(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_smaps(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);
int load_numa_maps(struct load_state *ls, const struct load_rec *rec, struct ms_err *err);

void load_state_release(struct load_state *ls);

#endif
