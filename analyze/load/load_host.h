/*
 * load_host.h - the host member (NNNNNN/host) into the host_file table
 * (every record as captured) and the host table (its facts as typed
 * columns, host_facts.h).
 */
#ifndef LOAD_HOST_H
#define LOAD_HOST_H

#include "bundle_reader.h"
#include "host_facts.h"
#include "load_state.h"

/* Sample SAMPLE's host member M: a host_file row per record, and its facts
 * into *H (replacing what it held); a malformed fact is a load_error.  The
 * page size it gives is the one the sample's records are counted in. */
int load_host_member(struct load_state *ls, const struct bundle_member *m, unsigned sample,
		     struct host_facts *h, struct ms_err *err);

/* The host row of SAMPLE from H: written when the sample's meta came, so
 * that the table holds complete samples only. */
int load_host_row(struct load_state *ls, unsigned sample, const struct host_facts *h,
		  struct ms_err *err);

#endif
