/*
 * host_facts.h - what a host member (NNNNNN/host) says about the host, as
 * typed values: the columns of the analyzer's `host` table and the host
 * line of `memsnap info`, read from the collector's own records
 * (memsnap:uname, memsnap:system, memsnap:timezone: bundle_text.h) and the
 * boot id file.  The one reader of these facts, for the loader and info.
 *
 * A fact is absent until an "ok" record gives it; a value that is not a
 * number, or outside the fact's range (a page size below 512 bytes), is
 * malformed, and the reader says so instead of guessing.
 */
#ifndef HOST_FACTS_H
#define HOST_FACTS_H

#include <stdint.h>

#include "bundle_text.h"
#include "record.h"

enum host_fact {
	HF_HOSTNAME, HF_KERNEL, HF_MACHINE, HF_BOOT_ID, HF_PAGE_SIZE, HF_CLK_TCK,
	HF_CPUS_ONLINE, HF_CPUS_CONFIGURED, HF_UTC_OFFSET_S, HF_ZONE, HF_COUNT
};

struct host_value {
	enum bt_got got;
	char *text;              /* owned; the value of a text fact */
	int64_t num;             /* the value of a number fact */
};

struct host_facts {
	struct host_value f[HF_COUNT];
};

/* Every fact absent (as a zeroed struct is). */
void host_facts_init(struct host_facts *h);
/* Take what record R of a host member says (a later record replaces an
 * earlier one's value); records without facts are ignored.  -1 on ENOMEM. */
int host_facts_add(struct host_facts *h, const struct ms_record *r);
void host_facts_release(struct host_facts *h);

/* The fact's name: the host table's column ("page_size"). */
const char *host_fact_name(enum host_fact f);
/* The record that holds it ("memsnap:system"). */
const char *host_fact_record(enum host_fact f);
/* 1 for a text fact (hostname ...), 0 for a number. */
int host_fact_is_text(enum host_fact f);

#endif
