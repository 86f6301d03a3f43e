/*
 * signals.c - handled signals, blocked but inside the wait (see signals.h).
 */
#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t flags;
static volatile sig_atomic_t usr1_pid;
static volatile sig_atomic_t usr1_now;
static volatile sig_atomic_t stop_sig;
static sigset_t handled;
static int hup_flag = SIGS_STOP;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig == SIGUSR1) {
		usr1_pid = si ? (sig_atomic_t)si->si_pid : 0;
		usr1_now = si && si->si_code == SI_QUEUE &&
			   si->si_value.sival_int == MS_TRIGGER_NOW_VALUE;
		flags |= SIGS_TRIGGER;
	} else if (sig == SIGHUP && hup_flag != SIGS_STOP) {
		flags |= hup_flag;
	} else {
		stop_sig = sig;
		flags |= SIGS_STOP;
	}
}

void signals_install(int hup_reopens, int usr1)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	flags = 0;
	stop_sig = 0;
	hup_flag = hup_reopens ? SIGS_REOPEN : SIGS_STOP;
	sigemptyset(&handled);
	sigaddset(&handled, SIGINT);
	sigaddset(&handled, SIGTERM);
	sigaddset(&handled, SIGHUP);
	if (usr1)
		sigaddset(&handled, SIGUSR1);
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sa.sa_mask = handled;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (usr1)
		sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGXFSZ, &sa, NULL);
	sigprocmask(SIG_BLOCK, &handled, NULL);
}

unsigned signals_take(struct trigger_signal *ts)
{
	sigset_t old;
	sigprocmask(SIG_BLOCK, &handled, &old);
	unsigned f = (unsigned)flags;
	flags &= SIGS_STOP; /* a stop stays asked */
	if (ts) {
		ts->pid = usr1_pid;
		ts->trigger_now = usr1_now;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return f;
}

int signals_stop_asked(void)
{
	return (flags & SIGS_STOP) != 0;
}

void signals_stop_reason(char *buf, size_t n)
{
	const char *name = stop_sig ? sigabbrev_np(stop_sig) : NULL;
	snprintf(buf, n, "signal SIG%s", name ? name : "?");
}

int signals_wait(uint64_t deadline_us, struct pollfd *fds, nfds_t nfds)
{
	sigset_t open_mask;
	sigprocmask(SIG_BLOCK, NULL, &open_mask);
	sigdelset(&open_mask, SIGINT);
	sigdelset(&open_mask, SIGTERM);
	sigdelset(&open_mask, SIGHUP);
	sigdelset(&open_mask, SIGUSR1);
	for (;;) {
		if (flags)
			return 1;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		uint64_t n = (uint64_t)now.tv_sec * 1000000u + (uint64_t)now.tv_nsec / 1000u;
		if (n >= deadline_us)
			return 0;
		uint64_t left = deadline_us - n;
		struct timespec to = { (time_t)(left / 1000000u), (long)(left % 1000000u) * 1000 };
		int r = ppoll(fds, nfds, &to, &open_mask);
		if (r > 0)
			return 2;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}
