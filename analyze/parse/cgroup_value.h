/*
 * cgroup_value.h - parser for single-value cgroup files.
 *
 *     memory.current, memory.max, memory.high, memory.swap.max (v2):
 *         "123\n" or "max\n"
 *     memory.limit_in_bytes, memory.usage_in_bytes (v1): "123\n"
 *
 * "max" becomes INT64_MAX with unlimited set.  cgroup v1 has no "max": an
 * unlimited v1 limit reads as a number, returned as that number with
 * unlimited 0: the page-aligned PAGE_COUNTER_MAX (9223372036854771712
 * with 4 KiB pages, 3.19 and later), LLONG_MAX (9223372036854775807,
 * before 3.12) or ULLONG_MAX (18446744073709551615, 3.12 to 3.18: above
 * INT64_MAX, so in BIG).
 *
 * Pure: no I/O, no globals; TEXT is borrowed and need not be
 * NUL-terminated.
 */
#ifndef CGROUP_VALUE_H
#define CGROUP_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "ms_err.h"

struct cgroup_value {
	int64_t value;   /* INT64_MAX when unlimited or BIG */
	uint64_t big;    /* the value when it is above INT64_MAX, else 0 */
	int unlimited;   /* the file said "max" */
};

/* Parse TEXT (LEN bytes): an optionally negative decimal of at most 64
 * bits (at least -2^63) or "max", then optionally one '\n', and nothing
 * else.  Returns 0, or -1 with ERR set
 * ("cgroup_value:LINE: what"). */
int cgroup_value_parse(const char *text, size_t len, struct cgroup_value *out,
		       struct ms_err *err);

#endif
