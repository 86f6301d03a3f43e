/*
 * term.c - colour, live lines and progress on a terminal (see term.h).
 */
#include "term.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { FIRST_MS = 500, EVERY_MS = 100, BAR = 30 };

int term_live(int fd)
{
	const char *t = getenv("TERM");
	return isatty(fd) && t && *t && strcmp(t, "dumb") != 0;
}

int term_color(int fd)
{
	const char *nc = getenv("NO_COLOR");
	return term_live(fd) && !(nc && *nc);
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void term_progress_init(struct term_progress *p, const char *label, int units)
{
	memset(p, 0, sizeof(*p));
	p->label = label;
	p->units = units;
	p->out = term_live(2) ? stderr : NULL;
	p->start_ms = now_ms();
}

/* "1:05 left", "1:02:05 left", or "" before anything is done */
static void eta(char *buf, size_t n, uint64_t elapsed_ms, uint64_t done, uint64_t total)
{
	if (!done || done >= total) {
		snprintf(buf, n, "%s", done >= total ? "done" : "");
		return;
	}
	unsigned long long s = (unsigned long long)((double)elapsed_ms * (double)(total - done) /
						      (double)done / 1000.0 + 0.5);
	if (s >= 3600)
		snprintf(buf, n, "%llu:%02llu:%02llu left", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, n, "%llu:%02llu left", s / 60, s % 60);
}

void term_progress_update(struct term_progress *p, uint64_t done, uint64_t total)
{
	uint64_t now = now_ms();
	if (!p->out || !total || now - p->start_ms < FIRST_MS ||
	    (p->last_ms && now - p->last_ms < EVERY_MS))
		return;
	p->last_ms = now;
	if (done > total)
		done = total;
	char bar[BAR + 1], left[32], count[48];
	int fill = (int)(done * BAR / total);
	for (int i = 0; i < BAR; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[BAR] = '\0';
	eta(left, sizeof(left), now - p->start_ms, done, total);
	if (p->units)
		snprintf(count, sizeof(count), "%llu/%llu", (unsigned long long)done,
			 (unsigned long long)total);
	else
		snprintf(count, sizeof(count), "%3d%%", (int)(done * 100 / total));
	fprintf(p->out, "\r\033[Kmemsnap: %s [%s] %s %s", p->label, bar, count, left);
	fflush(p->out);
	p->shown = 1;
}

void term_progress_clear(struct term_progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", p->out);
		fflush(p->out);
		p->shown = 0;
	}
}
