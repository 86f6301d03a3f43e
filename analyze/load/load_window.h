/*
 * load_window.h - a load cut to a time window (--from/--to): which samples
 * are loaded, and what is kept of those before the window.
 *
 * Private to analyze/load/.  The window is a run of samples in bundle
 * order: from the first whose time (its meta's wall) is at or after FROM,
 * up to the last before the first one after TO; the read stops there.
 *
 * A sample's meta is its last member, so its time is known only after its
 * records.  The tar header of every member carries the sample's start in
 * whole seconds (the collector's mtime: docs/bundle-format.md), which is
 * known first.  While no sample of the window has come, each sample is
 *
 *   skipped  when its first member's mtime puts it surely before the
 *            window (mtime + 1 < FROM) and mtimes are trusted: its records
 *            are not parsed;
 *   held     otherwise: its members are copied until its meta decides
 *            (before the window: treated as skipped; in it: loaded from the
 *            copies; after it: the window holds no sample).
 *
 * mtimes are trusted once a meta agreed with its sample's mtime (within a
 * second either way), and never again after one did not.  A sample skipped
 * although its meta puts it in the window (a writer whose mtimes lie) is a
 * load_error, not a silent loss.  Once the window's first sample is loaded,
 * every sample is loaded until one whose meta is after TO: its rows are
 * dropped as those of an incomplete sample, and the read stops.
 *
 * Kept of the samples before the window: the latest host member (the host
 * as it was when the window starts: loaded by the loader, under its own
 * sample number) and, for processes that started before the window and run
 * into it, their command line (the cmdline record is written only in a
 * process's first sample): each t0 member before the window has its
 * records walked (not parsed), a cmdline record is kept with its process's
 * start time, and the processes no longer listed leave the map.
 * lw_finish() writes them into the process table, as a load of the whole
 * bundle would have.  (comm needs nothing: stat has the same name.)
 * Likewise the last text of each sparse file (the header's proc_sparse:
 * oom_score_adj and cgroup, read in full reads only) and of each file a
 * sample may leave unread (proc_unchanged: status and oom_score, recorded
 * skip:unchanged when the process's stat had not changed) of those
 * processes: lw_seed() loads it into the process's first row of the
 * window when that sample did not read it, so that a window that does not
 * start at a full read has their cgroups, adjustments and memory figures
 * from its first sample on.
 */
#ifndef LOAD_WINDOW_H
#define LOAD_WINDOW_H

#include <stdint.h>

#include "bundle_reader.h"
#include "bundle_text.h"
#include "load_state.h"
#include "ms_buf.h"

enum lw_route {
	LW_LOAD,     /* the loader loads the member */
	LW_SKIP,     /* before the window: the loader keeps the host, lw_scan() the rest */
	LW_HOLD,     /* copied: lw_hold() */
};

enum lw_verdict {
	LW_BEFORE,   /* the sample is before the window */
	LW_IN,       /* in it */
	LW_AFTER,    /* after it: the read ends */
};

struct lw_member {
	char *name, *data;           /* owned copies */
	size_t len;
	int64_t mtime;
	uint64_t offset;
};

struct lw_proc;

#define LW_KEPT 6                    /* files kept (sparse and unchanged), at most */

struct load_window_state {
	double from, to;             /* UTC seconds */
	int in;                      /* a sample of the window was loaded */
	int trust, distrust;         /* of the members' mtimes */
	unsigned cur;                /* the sample being routed */
	enum lw_route route;         /* and its route */
	int64_t cur_mtime;           /* its first member's mtime */
	struct lw_member *held;      /* the members of a held sample */
	size_t nheld, held_cap;
	unsigned before;             /* samples found before the window */
	/* command lines of processes seen before the window, by pid (keyed
	 * by bundle data: a seeded hash, ms_hash.h) */
	struct lw_proc *cmd;
	size_t ncmd, cmd_cap;
	int64_t *slots;              /* index+1 into cmd; a power of two, half full at most */
	size_t slots_cap;
	uint64_t seed;
	unsigned gen;                /* the sample being scanned, counted from 1 */
	size_t marked;               /* entries it listed */
	int listed_any;              /* it listed a process */
	char kept[LW_KEPT][32];      /* the files whose last text is kept: the header's
				      * proc_sparse, then its proc_unchanged */
	size_t nkept, nsparse;       /* the first NSPARSE are proc_sparse's */
	struct ms_buf text;          /* a command line being parsed */
	struct ms_buf stat;          /* the sample's last stat, from an earlier part */
	int64_t stat_pid;            /* its pid; -1: none */
};

/* SEED: of the hash of the command lines' table (ms_hash_seed()) */
void lw_init(struct load_window_state *w, double from, double to, uint64_t seed);
void lw_release(struct load_window_state *w);

/* The route (enum lw_route) of member M of sample NUM: decided at the
 * sample's first member, the same for the others.  A held sample that
 * another one follows before its meta came is a load_error; -1 when that
 * could not be written. */
int lw_route(struct load_window_state *w, struct load_state *ls, const struct bundle_member *m,
	     unsigned num, struct ms_err *err);

/* Copy M into the held sample; -1 (ENOMEM). */
int lw_hold(struct load_window_state *w, const struct bundle_member *m, struct ms_err *err);
/* Forget the held sample's copies. */
void lw_drop_held(struct load_window_state *w);

/* The meta MEMBER of the sample being routed says WALL: *V says where the
 * sample is (in it: the route becomes LW_LOAD), and the mtimes' trust is
 * updated.  A skipped sample found in the window is a load_error, and
 * counts as before it.  -1 when the load_error could not be written. */
int lw_meta(struct load_window_state *w, struct load_state *ls, const char *member, double wall,
	    enum lw_verdict *v, struct ms_err *err);

/* A t0 member of a sample before the window: its cmdline records kept,
 * its processes marked as listed. */
int lw_scan(struct load_window_state *w, const struct bundle_member *m, struct ms_err *err);

/* The end of a sample before the window: the processes it did not list
 * leave the map.  -1 (ENOMEM). */
int lw_sample_before(struct load_window_state *w, struct ms_err *err);

/* The files whose last text is kept: the header's proc_sparse (SPARSE)
 * and proc_unchanged (UNCHANGED), each names separated by blanks (the
 * first LW_KEPT in all) */
void lw_kept_names(struct load_window_state *w, struct bt_span sparse, struct bt_span unchanged);

/* ls->seed for a load cut to a window (CTX: the window's state), at the
 * first row of process P */
int lw_seed(void *ctx, struct load_state *ls, struct proc_ref *p, struct ms_err *err);

/* The end of the load: the command lines kept go to the processes of the
 * window that have none. */
int lw_finish(struct load_window_state *w, struct load_state *ls, struct ms_err *err);

#endif
