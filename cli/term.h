/*
 * term.h - terminal manners: whether a stream may get colour or a live
 * line, and a progress line drawn at most ten times a second with an ETA.
 *
 * Colour: only on a terminal, never when NO_COLOR is set to a non-empty
 * value (https://no-color.org), never when TERM is unset or "dumb".  A live
 * line (redrawn with "\r\033[K"): only on a terminal whose TERM is set and
 * is not "dumb" (NO_COLOR is about colour, not about the line).  Progress
 * and status go to stderr: stdout carries results only.
 */
#ifndef TERM_H
#define TERM_H

#include <stdint.h>
#include <stdio.h>

/* Whether FD is a terminal that takes escape sequences (TERM set, not dumb). */
int term_live(int fd);

/* Whether FD may get colour: term_live() and NO_COLOR unset or empty. */
int term_color(int fd);

struct term_progress {
	FILE *out;          /* stderr */
	const char *label;  /* "loading", "rules" */
	int units;          /* 0: show a percentage; 1: show DONE/TOTAL */
	uint64_t start_ms;  /* when the work started */
	uint64_t last_ms;   /* the last redraw; 0 before the first */
	int shown;          /* a line is on the screen */
};

/* Set up P for work that starts now; LABEL is borrowed.  Nothing is drawn
 * unless stderr passes term_live(). */
void term_progress_init(struct term_progress *p, const char *label, int units);

/* DONE of TOTAL: redraws the line when half a second has passed since the
 * start and a tenth since the last redraw (so at most ten a second), with
 * the time left estimated from the rate so far. */
void term_progress_update(struct term_progress *p, uint64_t done, uint64_t total);

/* Erase the line, if one is shown. */
void term_progress_clear(struct term_progress *p);

#endif
