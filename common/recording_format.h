/*
 * recording_format.h - what `memsnap record` adds to the bundle format
 * besides its header, meta and trailer keys (those are bundle_text's), and
 * the layout of its directory (docs/bundle-format.md, "Recorder additions";
 * docs/record.md).
 *
 * Every addition is compatible (format stays 1): new header, meta and
 * trailer keys, and one new member kind, NNNNNN/trigger, that older
 * readers ignore.
 *
 * A trigger member holds one line per trigger that fired at that sample,
 * in the order they fired:
 *
 *     KIND WALL KEY=VALUE ...
 *
 * KIND is a name of ms_trigger_names; WALL the UTC time (seconds since the
 * epoch, with nanoseconds) the condition was seen; each VALUE is escaped as
 * record paths are (bytes <= 0x20, '%' and 0x7f as %XX), so a cgroup path
 * with a space stays one word.
 */
#ifndef RECORDING_FORMAT_H
#define RECORDING_FORMAT_H

#include <stddef.h>

#include "ms_buf.h"

enum ms_trigger_kind {
	MS_TRIG_OOM_KILL,
	MS_TRIG_PSI,
	MS_TRIG_LOW_MEMORY,
	MS_TRIG_CGROUP_LIMIT,
	MS_TRIG_SWAP_STORM,
	MS_TRIG_MANUAL,
	MS_TRIG_KINDS
};

/* "oom-kill", "psi", "low-memory", "cgroup-limit", "swap-storm", "manual" */
extern const char *const ms_trigger_names[MS_TRIG_KINDS];

/* The kind named by the N bytes at S, or -1. */
int ms_trigger_kind(const char *s, size_t n);

/* ---- bundle additions ---- */

/* the member: NNNNNN/trigger */
#define MS_KIND_TRIGGER "trigger"

/* The trigger lines a summary lists (`memsnap info`), and a segment's
 * trailer repeats (`trigger` lines; `trigger_lines` counts them all) */
#define MS_TRIGGERS_LISTED 100

/* header bundle_kind (its keys are bundle_text's: BK_BUNDLE_KIND ...) */
#define MS_BUNDLE_SEGMENT "segment"
#define MS_BUNDLE_INCIDENT "incident"

/* ---- trigger lines ---- */

/* Start a line of KIND at T into B (no newline yet). */
int ms_trigger_line(struct ms_buf *b, int kind, double t);
/* Append " KEY=VALUE" (the N bytes of VALUE, escaped). */
int ms_trigger_field(struct ms_buf *b, const char *key, const char *value, size_t n);
int ms_trigger_fieldf(struct ms_buf *b, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct ms_trigger_rec {
	int kind;                  /* -1: a kind this memsnap does not know */
	const char *name;          /* the kind as written, not NUL-terminated */
	size_t name_len;
	double t;
	const char *fields;        /* "KEY=VALUE ..." (escaped), not NUL-terminated */
	size_t fields_len;
};

/* Iterate the lines of a trigger member: 1 and REC filled, 0 at the end;
 * a line without a kind and a finite time is skipped (counted in *BAD,
 * unless it has no space at all: an empty or one-word line). */
int ms_trigger_next(const char *text, size_t len, size_t *pos, struct ms_trigger_rec *rec,
		    unsigned *bad);

/* The value of KEY in REC, unescaped into OUT: 1 found, 0 absent, -1 ENOMEM. */
int ms_trigger_get(const struct ms_trigger_rec *rec, const char *key, struct ms_buf *out);

/* ---- the recorder's directory ---- */

#define MS_RING_DIR "ring"                       /* DIR/ring/: the segments */
#define MS_INCIDENT_DIR "incidents"              /* DIR/incidents/: sealed incidents */
#define MS_LOCK_FILE "lock"                      /* DIR/lock: flock'd, holds the PID */
#define MS_RING_ID_FILE "ring-id"                /* DIR/ring-id: the ring's identity */
#define MS_PART_SUFFIX ".part"                   /* an incident being written */

/* A segment's name: seg-SEQ-YYYYmmddTHHMMSSZ.tar.zst (SEQ ten digits). */
int ms_segment_name(struct ms_buf *b, unsigned long long seq, long long wall);
/* 1 and *SEQ when NAME is a segment's name, 0 otherwise. */
int ms_segment_parse(const char *name, unsigned long long *seq);

/* An incident's name: memsnap-HOST-YYYYmmddTHHMMSSZ-TRIGGER.tar.zst (HOST
 * with '/', blanks and control characters made '_'). */
int ms_incident_name(struct ms_buf *b, const char *host, long long wall, int kind);
/* 1 when NAME is an incident's (sealed; with PART, one being written). */
int ms_incident_is(const char *name, int part);

#endif
