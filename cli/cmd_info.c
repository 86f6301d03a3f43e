/*
 * cmd_info.c - `memsnap info BUNDLE`: what a bundle holds, and its damage.
 *
 * Exit 0 when the bundle was read to its end, or to a truncation a killed
 * collector leaves (said plainly); 1 when it is corrupt, unreadable or not
 * a bundle (after printing what came before the damage); 2 on usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_arg.h"
#include "bundle_summary.h"
#include "commands.h"

const struct ms_cmd_doc info_doc = {
	"info",
	"info BUNDLE",
	"Summarise a bundle: host, kernel, time span, samples per tier, processes seen,\n"
	"the collector's own cost, read errors, and whether the bundle is complete,\n"
	"truncated (and how many complete samples it still holds) or corrupt.",
	NULL,
	"Exit status: 0 readable (complete or truncated), 1 corrupt or not a bundle,\n"
	"2 usage error.\n",
};

int cmd_info(int argc, char **argv)
{
	int first;
	int rc = command_parse(&info_doc, NULL, argc, argv, &first);
	if (rc >= 0)
		return rc;
	if (argc - first != 1)
		return command_usage_error("info", "expected one BUNDLE");
	const char *path = argv[first];
	if (bundle_arg_check("info", path) == BUNDLE_ARG_REFUSED)
		return MS_EXIT_FAILURE;
	struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
	struct bundle_summary s;
	struct ms_err err = MS_ERR_INIT;
	rc = bundle_summarize(path, &lim, &s, &err);
	if (rc < 0) {
		if (s.samples)
			bundle_summary_print(stdout, path, &s);
		fprintf(stderr, "memsnap: info: '%s': %s\n", path, ms_err_msg(&err));
	} else {
		bundle_summary_print(stdout, path, &s);
		if (s.read.corrupt)
			fprintf(stderr, "memsnap: info: '%s': corrupt: %s\n", path, s.read.damage);
	}
	int corrupt = rc < 0 || s.read.corrupt;
	ms_err_release(&err);
	bundle_summary_release(&s);
	return corrupt ? MS_EXIT_FAILURE : MS_EXIT_OK;
}
