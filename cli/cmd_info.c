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
#include "recording.h"
#include "recording_summary.h"

const struct ms_cmd_doc info_doc = {
	"info",
	"info BUNDLE\ninfo BUNDLE... | DIR",
	"Summarise a bundle: host, kernel, time span, samples per tier, processes seen,\n"
	"the collector's own cost, read errors, the recorder's triggers, and whether the\n"
	"bundle is complete, truncated (and how many complete samples it still holds) or\n"
	"corrupt. Several bundles of one host, or a recorder's DIR, are summarised as one\n"
	"recording: its span, gaps and overlaps, triggers, incidents, one line a bundle\n"
	"(a sealed one read by its header and trailer only: info on it alone reads it\n"
	"whole, and sees damage inside it).",
	NULL,
	"Exit status: 0 readable (complete or truncated), 1 corrupt or not a bundle,\n"
	"2 usage error.\n",
};

static int info_recording(char *const *inputs, size_t n)
{
	struct recording rec;
	struct ms_err err = MS_ERR_INIT;
	int rc = MS_EXIT_OK;
	if (recording_open(&rec, (const char *const *)inputs, n, &err) < 0) {
		fprintf(stderr, "memsnap: info: %s\n", ms_err_msg(&err));
		rc = MS_EXIT_FAILURE;
	} else {
		struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
		if (recording_summary_print(stdout, &rec, &lim))
			rc = MS_EXIT_FAILURE;
	}
	ms_err_release(&err);
	recording_release(&rec);
	return rc;
}

int cmd_info(int argc, char **argv)
{
	int first;
	int rc = command_parse(&info_doc, NULL, argc, argv, &first);
	if (rc >= 0)
		return rc;
	if (argc - first < 1)
		return command_usage_error("info", "expected a BUNDLE, several bundles of one host, or a DIR");
	const char *path = argv[first];
	enum bundle_arg kind = argc - first > 1 ? BUNDLE_ARG_RECORDING : bundle_arg_check("info", path);
	if (kind == BUNDLE_ARG_REFUSED)
		return MS_EXIT_FAILURE;
	if (kind == BUNDLE_ARG_RECORDING)
		return info_recording(argv + first, (size_t)(argc - first));
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
