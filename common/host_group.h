/*
 * host_group.h - the inputs of analyze, report, load --into and export,
 * grouped by host: several bundles of one host are one recording, the
 * bundles of different hosts are a fleet.
 *
 * An input is a bundle or a directory: a recorder's DIR (its ring/
 * segments), or a directory of bundles (its *.tar.zst, and the ring of
 * each subdirectory that is a recorder's DIR).  Each bundle's header and
 * first host member are read (nothing further) for its identity:
 *
 *   - a recorder's segment (header ring_id): its ring, so that a ring
 *     that spans a reboot stays one recording;
 *   - otherwise the host name and boot id of its first host member (the
 *     header's hostname when the host member has none);
 *   - a bundle with neither is a host of its own.
 *
 * Groups keep the order in which their first bundle was given; a group's
 * bundles keep the order given (the loader orders a recording by time).
 * An input that cannot be read (missing, not a bundle) is a group of its
 * own with its error, so that a command can list it and go on.
 */
#ifndef HOST_GROUP_H
#define HOST_GROUP_H

#include <stddef.h>

#include "ms_err.h"

struct host_group {
	char *hostname;          /* NULL: the bundle did not say */
	char *boot_id;           /* of its first bundle; NULL when unknown */
	char *ring_id;           /* a recorder's segments: their ring */
	char *key;               /* the identity the bundles were grouped by */
	char *label;             /* unique among the groups: the host name, or
				  * "NAME/BOOT" when several groups share it */
	char **paths;            /* the bundles, owned */
	size_t n;
	char *error;             /* an unreadable input: "PATH: why" (paths[0] is PATH) */
};

struct host_groups {
	struct host_group *g;
	size_t n;
};

/* Group the N INPUTS.  -1 only on ENOMEM or when a directory cannot be
 * listed or holds no bundle (ERR names it); unreadable bundles are groups
 * with an error. */
int host_groups_open(struct host_groups *hg, const char *const *inputs, size_t n,
		     struct ms_err *err);
void host_groups_release(struct host_groups *hg);

#endif
