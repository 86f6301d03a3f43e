/*
 * bundle_text.h - the bundle's own text formats: memsnap.header,
 * NNNNNN/meta, memsnap.trailer and the records the collector writes into
 * the host member (memsnap:uname, memsnap:system, memsnap:timezone).
 *
 * The one owner of these formats: their keys (enum bt_key, named in one
 * table in bundle_text.c), how they are written (bt_put*, the collector)
 * and how they are read (bt_get*, info and the loader).  The format:
 *
 *     KEY VALUE\n
 *
 * one line a key; the value is the rest of the line (it may be empty or
 * hold spaces, never a newline: the writer turns one into a space).  A
 * reader takes a key's first line and ignores keys it does not know.
 * docs/bundle-format.md lists every text's keys; tests/unit/
 * test_bundle_text.c fails when the list and the table below disagree.
 *
 * Values are data from another machine: the typed getters accept exactly
 * the writer's forms (decimal digits, an optional '-', a finite decimal
 * number) and tell a key that is absent from one whose value is malformed.
 * No allocation except bt_get_str(); no globals.
 */
#ifndef BUNDLE_TEXT_H
#define BUNDLE_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ms_buf.h"
#include "ms_err.h"

/* the texts, and the records of the host member that hold the last three */
enum bt_text { BT_HEADER, BT_META, BT_TRAILER, BT_UNAME, BT_SYSTEM, BT_TIMEZONE, BT_NTEXTS };

#define MS_REC_UNAME "memsnap:uname"
#define MS_REC_SYSTEM "memsnap:system"
#define MS_REC_TIMEZONE "memsnap:timezone"

enum bt_key {
	/* memsnap.header */
	BK_PRIORITY, BK_MLOCK, BK_FORMAT, BK_COLLECTOR, BK_CREATED, BK_WALL_START,
	BK_MONO_START, BK_BOOT_START, BK_HOSTNAME, BK_KERNEL, BK_COMMAND, BK_INTERVAL_MS,
	BK_DURATION_MS, BK_COUNT, BK_TIER1_EVERY, BK_TIER2_EVERY, BK_SMAPS_TOP, BK_WALK_LIMIT,
	BK_MAX_FILE_SIZE, BK_MAX_SIZE, BK_CGROUP_DEPTH, BK_CPU_BUDGET_CENTIPCT, BK_LEVEL,
	BK_REDACT_CMDLINE, BK_PIDS, BK_PROC_ROOT, BK_SYS_ROOT, BK_UID, BK_EUID, BK_CGROUP_V1_MEMORY, BK_CGROUP_V2,
	BK_NODES, BK_PROC_SPARSE, BK_PROC_UNCHANGED, BK_REDACTED,
	/* memsnap.header of a recorder's bundles (memsnap record: docs/record.md) */
	BK_BUNDLE_KIND, BK_RING_ID, BK_RING_SEQ, BK_TRIGGERS, BK_INCIDENT_TRIGGER,
	BK_INCIDENT_TIME, BK_INCIDENT_PRE_MS, BK_INCIDENT_POST_MS, BK_INCIDENT_INTERVAL_MS,
	BK_INCIDENT_MAX_MS,
	/* NNNNNN/meta (the last five are in memsnap.trailer too) */
	BK_SAMPLE, BK_TIERS, BK_DEFERRED, BK_WALL, BK_MONO, BK_BOOT, BK_LATE_US,
	BK_MISSED_TICKS, BK_WALL_US, BK_TIER0_CPU_US, BK_TIER1_CPU_US, BK_TIER2_CPU_US,
	BK_TIER0_WALL_US, BK_TIER1_WALL_US, BK_TIER2_WALL_US, BK_PROCESSES, BK_CGROUPS,
	BK_RECORDS, BK_READ_BYTES, BK_OFFSET, BK_FOCUS, BK_FULL_READ, BK_UNCHANGED, BK_LISTED, BK_COPIED_FROM,
	BK_WALL_END, BK_MONO_END, BK_CPU_US, BK_GAPS, BK_GAP,
	/* memsnap.trailer */
	BK_SAMPLES, BK_END_REASON, BK_BYTES_BEFORE_TRAILER, BK_INCIDENT_END, BK_INCIDENT_TRIGGERS,
	BK_LAST_WALL, BK_TRIGGER_LINES, BK_TRIGGER,
	/* memsnap:uname */
	BK_SYSNAME, BK_NODENAME, BK_RELEASE, BK_VERSION, BK_MACHINE,
	/* memsnap:system */
	BK_PAGE_SIZE, BK_CLK_TCK, BK_CPUS_ONLINE, BK_CPUS_CONFIGURED,
	/* memsnap:timezone */
	BK_ZONE, BK_UTC_OFFSET_S, BK_TZ, BK_LOCALTIME,
	BK_NKEYS
};

/* The key's name ("page_size"), and the texts it belongs to (bit 1 << text). */
const char *bt_key_name(enum bt_key k);
unsigned bt_key_texts(enum bt_key k);
/* The text's name as docs/bundle-format.md heads it ("NNNNNN/meta",
 * "memsnap:system"). */
const char *bt_text_name(enum bt_text t);

/* --- writing: append "KEY VALUE\n" to B; -1 (ENOMEM) when it cannot grow --- */
int bt_put(struct ms_buf *b, enum bt_key k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int bt_put_u64(struct ms_buf *b, enum bt_key k, uint64_t v);
/* a clock reading: SECONDS.NANOSECONDS */
int bt_put_ts(struct ms_buf *b, enum bt_key k, const struct timespec *ts);

/* --- reading --- */
enum bt_got { BT_ABSENT, BT_FOUND, BT_MALFORMED };      /* zero is absent */

struct bt_span {
	const char *p;           /* borrowed from the text, not NUL-terminated */
	size_t n;
};

/* K's first line in TEXT: its value (*V is left alone when absent). */
enum bt_got bt_get(const char *text, size_t len, enum bt_key k, struct bt_span *v);
/* ... as a number: digits only (u64), '-' and digits (i64), a finite
 * decimal number (double: no NaN, infinity, hex or spaces).  Out of range
 * is malformed.  *OUT is set only when found. */
enum bt_got bt_get_u64(const char *text, size_t len, enum bt_key k, uint64_t *out);
enum bt_got bt_get_i64(const char *text, size_t len, enum bt_key k, int64_t *out);
enum bt_got bt_get_double(const char *text, size_t len, enum bt_key k, double *out);
/* ... as a new string in *OUT (NULL when absent); -1 on ENOMEM. */
int bt_get_str(const char *text, size_t len, enum bt_key k, char **out);

/* The same conversions on a value already in hand. */
enum bt_got bt_span_u64(struct bt_span v, uint64_t *out);
enum bt_got bt_span_i64(struct bt_span v, int64_t *out);
enum bt_got bt_span_double(struct bt_span v, double *out);

/* Every line of TEXT in turn: *POS starts at 0.  Returns 1 with the line's
 * key and value (a line without a space has an empty key and no value: it
 * is skipped), 0 at the end. */
int bt_next_line(const char *text, size_t len, size_t *pos, struct bt_span *key,
		 struct bt_span *v);
/* Every line of key K in turn (the repeated keys: deferred, gap). */
int bt_next(const char *text, size_t len, size_t *pos, enum bt_key k, struct bt_span *v);

/* memsnap.header's format: the version, from 1.  -1 with "memsnap.header:
 * no valid 'format' line" or "bundle format N is newer than this memsnap
 * reads (up to M); ..." in ERR. */
int bt_header_format(const char *text, size_t len, long *format, struct ms_err *err);
/* meta's "tiers" value ("0 1 2"): bit T for each tier T named. */
unsigned bt_tiers_mask(struct bt_span v);
/* meta's "deferred T REASON": the tier T (below MS_TIERS). */
enum bt_got bt_parse_deferred(struct bt_span v, unsigned *tier);
/* "gap STATUS KIND N": KEY = "STATUS KIND", and N. */
enum bt_got bt_parse_gap(struct bt_span v, struct bt_span *key, uint64_t *n);

#endif
