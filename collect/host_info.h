/*
 * host_info.h - the host member: identity and settings, read once per
 * bundle and again whenever they change.
 */
#ifndef HOST_INFO_H
#define HOST_INFO_H

#include <stddef.h>

#include "ms_buf.h"

struct host_dirs {
	int procfd, sysfd;
	const int *nodes;
	size_t nnodes;
	size_t max_file;
};

/* Build the host member into OUT (replacing it); SCRATCH is a work buffer.
 * Unreadable files become error records, never failures; -1 only on
 * ENOMEM. */
int host_info_build(const struct host_dirs *d, struct ms_buf *scratch,
		    struct ms_buf *out);

/* The volatile part of the host member is excluded from change detection:
 * this hash covers only what identifies the host and its settings. */
unsigned long long host_info_hash(const struct ms_buf *host);

#endif
