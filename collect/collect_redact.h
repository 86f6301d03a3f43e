/*
 * collect_redact.h - `collect --redact`: the bundle writer's members
 * redacted as they are written (common/redact.h), and the mapping file.
 *
 * --redact-cmdline alone needs none of this: the sampler keeps argv[0]
 * when it reads a command line.
 */
#ifndef COLLECT_REDACT_H
#define COLLECT_REDACT_H

#include "bundle_writer.h"
#include "collect_opts.h"
#include "ms_err.h"

struct collect_redact {
	struct redactor *r;
	int map_fd;
};

/* When O asks for --redact: the mapping file made (O->redact_map, or
 * OUTPUT.map; exclusively, 0600) and W's members redacted from now on.
 * -1 with ERR. */
int collect_redact_start(struct collect_redact *cr, const struct collect_opts *o,
			 const char *output, struct bundle_writer *w, struct ms_err *err);

void collect_redact_end(struct collect_redact *cr);

#endif
