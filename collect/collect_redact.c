/*
 * collect_redact.c - `collect --redact` (see collect_redact.h).
 */
#include "collect_redact.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private_file.h"
#include "redact.h"

int collect_redact_start(struct collect_redact *cr, const struct collect_opts *o,
			 const char *output, struct bundle_writer *w, struct ms_err *err)
{
	cr->r = NULL;
	cr->map_fd = -1;
	if (!o->redact)
		return 0;
	char *dflt = o->redact_map ? NULL : redact_map_path(output);
	const char *map = o->redact_map ? o->redact_map : dflt;
	if (!map)
		return ms_err_set(err, ENOMEM, "out of memory");
	cr->map_fd = private_create(AT_FDCWD, map);
	if (cr->map_fd < 0)
		ms_err_set(err, errno, "'%s': %s", map, strerror(errno));
	free(dflt);
	const struct redact_opts ro = { REDACT_CMDLINE_ARGV0, 1, NULL, 0 };
	if (cr->map_fd < 0 || redactor_new(&cr->r, &ro, cr->map_fd, err) < 0)
		return -1;
	bundle_writer_redact(w, cr->r);
	return 0;
}

void collect_redact_end(struct collect_redact *cr)
{
	redactor_free(cr->r);
	cr->r = NULL;
	if (cr->map_fd >= 0)
		close(cr->map_fd);
	cr->map_fd = -1;
}
