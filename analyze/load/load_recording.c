/*
 * load_recording.c - parts of a recording and trigger lines (see
 * load_recording.h).
 */
#include "load_recording.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_text.h"
#include "load_state.h"
#include "recording_format.h"

void rec_load_release(struct rec_load *rl)
{
	free(rl->cur.kind);
	rl->cur.kind = NULL;
}

void rec_load_part_begin(struct rec_load *rl, unsigned part, const char *path)
{
	free(rl->cur.kind);
	memset(&rl->cur, 0, sizeof(rl->cur));
	rl->cur.part = part;
	rl->cur.path = path;
}

int rec_load_header(struct rec_load *rl, const char *text, size_t len, struct ms_err *err)
{
	free(rl->cur.kind);
	rl->cur.kind = NULL;
	uint64_t iv = 0;
	bt_get_u64(text, len, BK_INTERVAL_MS, &iv);
	rl->cur.interval_ms = iv;
	return bt_get_str(text, len, BK_BUNDLE_KIND, &rl->cur.kind) < 0
		       ? ms_err_set(err, ENOMEM, "out of memory") : 0;
}

int rec_load_sample(struct rec_load *rl, unsigned sample, double wall)
{
	struct part_acc *a = &rl->cur;
	if (rl->last_wall && wall <= rl->last_wall) {
		a->overlap++;
		return 1;
	}
	if (!a->samples) {
		a->first = sample;
		a->t_first = wall;
	}
	a->last = sample;
	a->t_last = wall;
	a->samples++;
	return 0;
}

int rec_load_part_end(struct rec_load *rl, struct load_state *ls, const struct bundle_read_result *rr,
		      const char *end_reason, int row, struct ms_err *err)
{
	struct part_acc *a = &rl->cur;
	if (!row)
		return 0;
	sqlite3_stmt *s = ls->st[ST_RECORDING_PART];
	int i = 1;
	bind_i64(s, i++, a->part);
	bind_text(s, i++, a->path, strlen(a->path));
	if (a->kind)
		bind_text(s, i++, a->kind, strlen(a->kind));
	else
		bind_null(s, i++);
	bind_i64_or_null(s, i++, a->samples ? (int64_t)a->first : -1, 1);
	bind_i64_or_null(s, i++, a->samples ? (int64_t)a->last : -1, 1);
	bind_i64(s, i++, a->samples);
	bind_i64(s, i++, a->overlap);
	/* a gap: more than one and a half intervals (of either part), plus a second */
	uint64_t iv = a->interval_ms > rl->last_interval_ms ? a->interval_ms : rl->last_interval_ms;
	double gap = a->samples && rl->last_wall ? a->t_first - rl->last_wall : 0;
	if (gap > 1.5 * (double)iv / 1000.0 + 1.0)
		bind_double(s, i++, gap);
	else
		bind_null(s, i++);
	if (a->samples) {
		bind_double(s, i++, a->t_first);
		bind_double(s, i++, a->t_last);
	} else {
		bind_null(s, i++);
		bind_null(s, i++);
	}
	bind_i64(s, i++, rr->truncated || (!rr->damage && !end_reason));
	bind_i64(s, i++, rr->corrupt);
	if (rr->damage)
		bind_text(s, i++, rr->damage, strlen(rr->damage));
	else
		bind_null(s, i++);
	if (end_reason)
		bind_text(s, i++, end_reason, strlen(end_reason));
	else
		bind_null(s, i++);
	if (load_step(ls, ST_RECORDING_PART, err) < 0)
		return -1;
	if (a->samples) {
		rl->last_wall = a->t_last;
		rl->last_interval_ms = a->interval_ms;
	}
	return 0;
}

int rec_load_triggers(struct load_state *ls, const struct bundle_member *m, unsigned sample,
		      struct ms_err *err)
{
	size_t pos = 0;
	unsigned bad = 0;
	struct ms_trigger_rec rec;
	sqlite3_stmt *s = ls->st[ST_TRIGGER];
	while (ms_trigger_next(m->data, m->len, &pos, &rec, &bad)) {
		bind_i64(s, 1, sample);
		bind_double(s, 2, rec.t);
		bind_text(s, 3, rec.name, rec.name_len);
		int got = ms_trigger_get(&rec, "cgroup", &ls->tmp);
		if (got < 0)
			return ms_err_set(err, ENOMEM, "out of memory");
		if (got)
			bind_text(s, 4, ls->tmp.data, ls->tmp.len);
		else
			bind_null(s, 4);
		bind_text(s, 5, rec.fields, rec.fields_len);
		if (load_step(ls, ST_TRIGGER, err) < 0)
			return -1;
	}
	if (bad)
		return load_error(ls, m->name, NULL, "trigger lines without a kind and a time; skipped", err);
	return 0;
}
