/*
 * signals.h - the signals a sampling process obeys, and waiting for them.
 *
 * The handled signals are blocked except inside signals_wait() (ppoll
 * with them unblocked), so a sample in progress is never interrupted and a
 * signal that arrives while it runs is seen at the next wait, without a
 * race.  The only file-scope mutable state of the collector is here: the
 * flags the handler sets.
 */
#ifndef SIGNALS_H
#define SIGNALS_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

enum {
	SIGS_STOP = 1,      /* SIGINT, SIGTERM (and SIGHUP for collect) */
	SIGS_REOPEN = 2,    /* SIGHUP when it reopens (record) */
	SIGS_TRIGGER = 4,   /* SIGUSR1 (record) */
};

/* What SIGUSR1 said: who sent it, and whether it came from
 * `memsnap record --trigger-now` (a sigqueue value). */
struct trigger_signal {
	int64_t pid;
	int trigger_now;
};

/* The value `record --trigger-now` queues with SIGUSR1. */
#define MS_TRIGGER_NOW_VALUE 0x6d73

/* Install the handlers.  HUP_REOPENS: SIGHUP means reopen, not stop;
 * USR1: SIGUSR1 is a manual trigger.  SIGPIPE and SIGXFSZ are ignored (a
 * file size limit becomes EFBIG, not death). */
void signals_install(int hup_reopens, int usr1);

/* The flags raised since the last call (SIGS_*), cleared; *TS gets the
 * last SIGUSR1's sender when SIGS_TRIGGER is among them. */
unsigned signals_take(struct trigger_signal *ts);

/* Whether a stop was asked (the flag stays raised). */
int signals_stop_asked(void);

/* "signal SIGTERM": the end reason after a stop, into BUF. */
void signals_stop_reason(char *buf, size_t n);

/* Wait until DEADLINE_US (CLOCK_MONOTONIC), a signal, or an event on FDS.
 * Returns 0 at the deadline, 1 after a signal, 2 when an fd is ready, -1
 * on error (errno). */
int signals_wait(uint64_t deadline_us, struct pollfd *fds, nfds_t nfds);

#endif
