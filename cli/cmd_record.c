/*
 * cmd_record.c - `memsnap record`: the flight recorder, a service.
 *
 * The front end: parse options, run the recorder, and write its log lines
 * to stderr ("memsnap: record: ..."), one per event, for the journal.
 * `--trigger-now` only signals the recorder running on DIR.
 */
#include <stdio.h>

#include "commands.h"
#include "record_opts.h"
#include "recorder.h"

static void log_line(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "memsnap: record: %s\n", msg);
	fflush(stderr);
}

static void warn(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "memsnap: record: warning: %s\n", msg);
	fflush(stderr);
}

int cmd_record(int argc, char **argv)
{
	struct record_opts o;
	struct ms_err err = MS_ERR_INIT;
	record_opts_init(&o);
	int r = record_opts_parse(&o, argc, argv, &err);
	int rc = MS_EXIT_OK;
	if (r != 0) {
		if (r < 0)
			command_usage_error("record", "%s", ms_err_msg(&err));
		rc = r < 0 ? MS_EXIT_USAGE : MS_EXIT_OK;
	} else if (o.trigger_now) {
		int64_t pid = 0;
		if (recorder_trigger_now(o.dir, &pid, &err) < 0) {
			fprintf(stderr, "memsnap: record: %s\n", ms_err_msg(&err));
			rc = MS_EXIT_FAILURE;
		} else {
			fprintf(stderr, "memsnap: record: trigger sent to the recorder on '%s' (pid %lld)\n",
				o.dir, (long long)pid);
		}
	} else {
		struct collect_ui ui = { NULL, NULL, warn };
		struct record_ui rui = { NULL, log_line };
		if (recorder_run(&o, &ui, &rui, &err) < 0) {
			fprintf(stderr, "memsnap: record: %s\n", ms_err_msg(&err));
			rc = MS_EXIT_FAILURE;
		}
	}
	ms_err_release(&err);
	record_opts_release(&o);
	return rc;
}
