/*
 * load_recording.h - what a recording of several bundles adds to a load:
 * one recording_part row per bundle (none for a bundle alone) (its samples, the time it overlapped
 * an earlier one, the gap before it, its damage), and the recorder's
 * trigger lines (trigger_event).  Private to the loader.
 */
#ifndef LOAD_RECORDING_H
#define LOAD_RECORDING_H

#include <sqlite3.h>
#include <stdint.h>

#include "bundle_reader.h"
#include "ms_err.h"

struct load_state;

/* one part while it is loaded */
struct part_acc {
	unsigned part;             /* 1, 2 ... */
	const char *path;
	char *kind;                /* owned: header bundle_kind */
	uint64_t interval_ms;      /* header interval_ms */
	unsigned first, last, samples, overlap;
	double t_first, t_last;
};

struct rec_load {
	struct part_acc cur;
	double last_wall;          /* the latest sample loaded so far (0: none) */
	uint64_t last_interval_ms; /* the previous part's interval */
};

void rec_load_release(struct rec_load *rl);

/* A new part starts; PATH borrowed until rec_load_part_end(). */
void rec_load_part_begin(struct rec_load *rl, unsigned part, const char *path);
/* The header of the part: its kind and interval.  -1 on ENOMEM. */
int rec_load_header(struct rec_load *rl, const char *text, size_t len, struct ms_err *err);
/* Sample SAMPLE of the part is complete at WALL: 1 when an earlier part
 * covered that time already (the caller drops it), 0 when it is kept. */
int rec_load_sample(struct rec_load *rl, unsigned sample, double wall);
/* The part ended: its row, with how its read ended (ROW: only when the
 * recording has several parts; a bundle alone has none). */
int rec_load_part_end(struct rec_load *rl, struct load_state *ls, const struct bundle_read_result *rr,
		      const char *end_reason, int row, struct ms_err *err);

/* An NNNNNN/trigger member of sample SAMPLE: its lines as rows. */
int rec_load_triggers(struct load_state *ls, const struct bundle_member *m, unsigned sample,
		      struct ms_err *err);

#endif
