/*
 * kv.h - the one tokenizer for "key value" /proc and /sys files.
 *
 * meminfo, status, vmstat, nodeN/numastat, nodeN/meminfo, cgroup memory.stat
 * and memory.events, smaps_rollup's totals: all are lines of a key, an
 * optional ':', a number and an optional unit.  kv_parse() hands each line
 * to a callback as (key, value in the file's unit multiplied to bytes when
 * the unit is kB), and keeps unknown keys (the callback decides), so a
 * kernel's new fields survive.  The first line it cannot read ends the
 * parse with one error for the file (the caller records it); the lines
 * before it have been handed over.
 */
#ifndef KV_H
#define KV_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"

struct kv {
	const char *key;       /* borrowed, NOT NUL-terminated */
	size_t key_len;
	int64_t value;         /* bytes when unit was kB, else as written */
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
				   * them (value and has_kb are 0); FN reads the
				   * numbers it wants with kv_number() */
};

/* Parse TEXT (NULL allowed when LEN is 0); WHAT names the file in errors ("meminfo:12: ...").  Returns
 * 0, or -1 on the first malformed line (ERR set) after calling FN for every
 * good line before it, or when FN fails. */
int kv_parse(const char *text, size_t len, int flags, const char *what,
	     kv_fn fn, void *ctx, struct ms_err *err);

/* Read KV's rest as "[-]N [kB]" the way kv_parse() reads values: 1 with
 * *VALUE (bytes after "kB") and *HAS_KB set; 0 when it is not a number of
 * that shape (text); -1 with ERR set ("WHAT:LINE: value too large") when
 * a kB value does not fit in 64 bits. */
int kv_number(const struct kv *kv, int64_t *value, int *has_kb, struct ms_err *err);

/* Compare a kv's key with a NUL-terminated string. */
int kv_is(const struct kv *kv, const char *key);

#endif
