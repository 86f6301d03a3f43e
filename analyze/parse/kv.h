/*
 * kv.h - the one tokenizer for "key value" /proc and /sys files.
 *
 * meminfo, status, vmstat, nodeN/numastat, nodeN/meminfo, cgroup memory.stat
 * and memory.events, smaps_rollup's totals: all are lines of a key, an
 * optional ':', a number and an optional unit.  kv_parse() hands each line
 * to a callback as (key, value in the file's unit multiplied to bytes when
 * the unit is kB), and keeps unknown keys (the callback decides), so a
 * kernel's new fields survive.  A line it cannot read is reported (with
 * the reason: no key, not a number, text after it, out of range) and
 * skipped: it costs that line, never the lines after it.
 *
 * Values: every number the kernel prints.  Counters are unsigned 64-bit
 * ("%llu"), and one above INT64_MAX (a sentinel such as a cgroup v1
 * hierarchical_memory_limit of 2^64-1, or a negative count printed
 * unsigned after an accounting underflow) comes as BIG; signed fields
 * ("-4096") come negative.
 */
#ifndef KV_H
#define KV_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"
#include "scan.h"

struct kv {
	const char *key;       /* borrowed, NOT NUL-terminated */
	size_t key_len;
	int64_t value;         /* bytes when unit was kB, else as written;
				* INT64_MAX when BIG is set */
	uint64_t big;          /* the value when it is above INT64_MAX (never
				* with kB), else 0 */
	int has_kb;            /* the line ended in "kB" */
	const char *rest;      /* borrowed: the line after the key and its ':', */
	size_t rest_len;       /* blanks kept, without the '\n' (the raw value) */
	const char *what;      /* the file, as kv_parse() was given it */
	int line;              /* 1-based */
};

/* Return 0 to go on, -1 to stop with ERR set. */
typedef int (*kv_fn)(void *ctx, const struct kv *kv, struct ms_err *err);

enum {
	KV_SKIP_PREFIX_NODE = 1,  /* lines start "Node N " (node meminfo) */
	KV_ALLOW_TEXT = 2,        /* values may be text (status): kv reads none of
				   * them (value, big and has_kb are 0); FN reads
				   * the numbers it wants with kv_number() */
};

/* Parse TEXT (NULL allowed when LEN is 0); WHAT names the file in
 * messages ("meminfo:12: ...").  FN gets every good line; a bad one goes
 * to REP (scan.h) and is skipped.  Returns 0, or -1 with ERR set when FN
 * or REP stopped the parse. */
int kv_parse(const char *text, size_t len, int flags, const char *what,
	     kv_fn fn, void *ctx, const struct ms_report *rep, struct ms_err *err);

/* What kv_number() found in a line's rest. */
enum kv_num {
	KV_NUM_OK,         /* a number: value (and big, has_kb) set */
	KV_NUM_TEXT,       /* not a number of the shape "[-]N [kB]" */
	KV_NUM_TRAILING,   /* a number followed by other text */
	KV_NUM_RANGE,      /* a number beyond what its shape can hold: more than
			    * 64 bits, below -2^63, or kB beyond 2^63-1 bytes */
};

/* Read KV's rest as "[-]N [kB]" the way kv_parse() reads values, into
 * OUT's value, big and has_kb (OUT may be KV itself's copy). */
enum kv_num kv_number(const struct kv *kv, struct kv *out);

/* Report KV's line as not holding a value of the shape WHY says, with the
 * reason, to REP; returns ms_report()'s answer. */
int kv_report_value(const struct kv *kv, enum kv_num why, const struct ms_report *rep,
		    struct ms_err *err);

/* Compare a kv's key with a NUL-terminated string. */
int kv_is(const struct kv *kv, const char *key);

#endif
