/*
 * cmd_info.c - `memsnap info BUNDLE`: what a bundle holds, and its damage.
 *
 * Exit 0 when the bundle was read to its end, or to a truncation a killed
 * collector leaves (said plainly); 1 when it is corrupt, unreadable or not
 * a bundle (after printing what came before the damage); 2 on usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_summary.h"
#include "commands.h"

static const char info_usage[] =
	"usage: memsnap info BUNDLE\n"
	"\n"
	"Summarise a bundle: host, kernel, time span, samples per tier, processes seen,\n"
	"the collector's own cost, read errors, and whether the bundle is complete,\n"
	"truncated (and how many complete samples it still holds) or corrupt.\n"
	"\n"
	"  -h, --help   show this help\n"
	"\n"
	"Exit status: 0 readable (complete or truncated), 1 corrupt or not a bundle,\n"
	"2 usage error.\n";

int cmd_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 0; /* 0: a full reset of glibc getopt, even after a stop mid-cluster */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(info_usage, stdout);
			return MS_EXIT_OK;
		}
		fprintf(stderr, "memsnap: info: unknown option '%s'\nTry 'memsnap info --help'.\n",
			argv[optind - 1]);
		return MS_EXIT_USAGE;
	}
	if (argc - optind != 1) {
		fprintf(stderr, "memsnap: info: expected one BUNDLE\nTry 'memsnap info --help'.\n");
		return MS_EXIT_USAGE;
	}
	const char *path = argv[optind];
	struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
	struct bundle_summary s;
	struct ms_err err = MS_ERR_INIT;
	int rc = bundle_summarize(path, &lim, &s, &err);
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
