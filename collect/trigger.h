/*
 * trigger.h - the recorder's triggers, evaluated on the texts it samples
 * anyway.
 *
 * A reading is the system files (/proc/meminfo, vmstat, pressure/memory)
 * and, for a full sample, the memory cgroup files, fed in the order the
 * sampler reads them (triggers_file, from the sampler's watch; or the
 * recorder's one-second watch of the three system files).  triggers_end()
 * compares the reading with the previous ones and appends an event for
 * each trigger that fired:
 *
 *   oom-kill      vmstat oom_kill, a cgroup's oom_kill (v2 memory.events,
 *                 v1 memory.oom_control) went up
 *   psi           memory "full" avg10 at or above N % (default 10), or the
 *                 kernel's PSI trigger fired (full N % of a 10 s window)
 *   low-memory    MemAvailable below N % of MemTotal (default 5)
 *   cgroup-limit  a cgroup's working set (usage minus inactive file pages)
 *                 at or above N % of its limit (default 95)
 *   swap-storm    pswpin + pswpout above N pages/s (default 5000) for 10 s
 *   manual        SIGUSR1, or `memsnap record --trigger-now`
 *
 * Counters fire on each increase; the others when the condition starts to
 * hold, and triggers_holding() says whether any still holds (an incident
 * is extended while one does).  Everything is bounded: at most
 * TRIG_MAX_CGROUPS cgroups are remembered (those not seen in a sample are
 * forgotten), at most TRIG_MAX_EVENTS events per reading.
 */
#ifndef TRIGGER_H
#define TRIGGER_H

#include <stddef.h>
#include <stdint.h>

#include "ms_buf.h"
#include "ms_err.h"
#include "recording_format.h"

#define TRIG_MAX_CGROUPS 4096
#define TRIG_MAX_EVENTS 64
#define TRIG_SWAP_FOR_S 10.0     /* a swap storm lasts this long before it fires */
#define TRIG_PSI_WINDOW_S 10.0   /* the kernel PSI trigger's window */

struct trigger_config {
	unsigned enabled;                   /* bit k: kind k is on */
	double threshold[MS_TRIG_KINDS];    /* %, or pages/s for swap-storm */
};

/* Every trigger on, with its default threshold. */
void trigger_config_default(struct trigger_config *c);

/* Apply LIST: comma-separated NAME (on), NAME=VALUE (on, threshold) or
 * NAME=off; "none" turns every trigger off but manual.  A usage error names
 * the item. */
int trigger_config_parse(struct trigger_config *c, const char *list, struct ms_err *err);

/* "psi=10,low-memory=5,..." of what is on, into B (for the header). */
int trigger_config_format(const struct trigger_config *c, struct ms_buf *b);

struct trig_event {
	int kind;
	double t;
	size_t line, line_len;       /* its trigger line in triggers.lines */
	size_t cg, cg_len;           /* the cgroup concerned in triggers.lines (len 0: none) */
};

struct trig_sys {
	unsigned have;               /* TRIG_HAVE_* */
	uint64_t mem_total, mem_avail; /* bytes */
	uint64_t oom_kill, pswpin, pswpout;
	double full_avg10;
};

enum { TRIG_HAVE_MEM = 1, TRIG_HAVE_OOM = 2, TRIG_HAVE_SWAP = 4, TRIG_HAVE_PSI = 8 };

/* one cgroup as it is read */
struct trig_cgread {
	struct ms_buf path;          /* the cgroup directory (host path) */
	int v2;
	unsigned have;               /* bits: usage, limit, inactive, oom */
	uint64_t usage, limit, inactive, oom_kill;
	int unlimited;
};

struct trig_cgroup;              /* remembered between readings */

struct triggers {
	struct trigger_config cfg;
	/* system */
	int have_prev;
	struct trig_sys prev, cur;
	double prev_t;
	double swap_since;           /* start of the storm's measured time; <0: none */
	double psi_kernel_t;         /* last kernel PSI event; <0: none */
	uint64_t oom_credit;         /* kills a cgroup named that vmstat has not shown yet */
	int holding[MS_TRIG_KINDS];  /* level conditions holding now */
	/* cgroups */
	struct trig_cgroup *cg;      /* open addressing on the path's hash */
	size_t cg_cap, ncg;
	uint64_t gen;                /* readings with cgroups */
	uint64_t seed;
	struct trig_cgread rd;
	int full;                    /* this reading has cgroups */
	/* what fired in this reading */
	struct trig_event ev[TRIG_MAX_EVENTS];
	size_t nev;
	unsigned dropped;            /* events beyond TRIG_MAX_EVENTS */
	struct ms_buf lines;         /* trigger lines, one per event, '\n'-terminated */
	struct ms_buf cgs;           /* the events' cgroups, as read */
	struct ms_buf tmp, rises;    /* cgroups whose oom_kill went up, before filtering */
	double now;                  /* the reading's wall time */
	int nomem;
};

int triggers_init(struct triggers *t, const struct trigger_config *cfg);
void triggers_release(struct triggers *t);

/* Start a reading at wall time NOW (FULL: a sample with cgroups; else the
 * system files only); the previous reading's events are cleared. */
void triggers_begin(struct triggers *t, int full, double now);

/* One file of the reading (the sampler's watch signature). */
void triggers_file(void *t, const char *kind, const char *path, const char *data, size_t len);

/* End the reading: evaluate, append events.  Returns the number of
 * events, or -1 when memory ran out. */
int triggers_end(struct triggers *t);

/* Add a manual trigger at NOW (SOURCE "SIGUSR1" or "trigger-now") to the
 * events of the reading in progress (or of the last one). */
int triggers_manual(struct triggers *t, double now, const char *source, int64_t pid);

/* The kernel's PSI trigger fired at NOW (fires psi unless it holds). */
int triggers_psi_kernel(struct triggers *t, double now);

/* Whether a level trigger (psi, low-memory, cgroup-limit, swap-storm)
 * still holds. */
int triggers_holding(const struct triggers *t);

#endif
