/*
 * cmd_collect.c - `memsnap collect`: capture /proc into a bundle.
 *
 * The front end: parse options, run the collector, print.  Output rules:
 * on a terminal a one-line live status on stderr; otherwise quiet but for
 * warnings and the closing line.  Exit 0 when the bundle was completed,
 * 1 on a runtime error, 2 on a usage error.
 */
#include <stdio.h>
#include <string.h>

#include "collect_opts.h"
#include "collector.h"
#include "commands.h"
#include "term.h"

struct ui_state {
	int live;                 /* a status line is on screen */
	int tty;
};

static void progress(void *ctx, uint64_t elapsed_ms, unsigned samples, uint64_t bytes)
{
	struct ui_state *u = ctx;
	if (!u->tty)
		return;
	char size[32];
	uint64_t s = elapsed_ms / 1000;
	ms_human_bytes(size, sizeof(size), bytes);
	fprintf(stderr, "\r\033[Kmemsnap: collecting: %02llu:%02llu:%02llu elapsed, %u samples, %s",
		(unsigned long long)(s / 3600), (unsigned long long)(s / 60 % 60),
		(unsigned long long)(s % 60), samples, size);
	fflush(stderr);
	u->live = 1;
}

static void clear_line(struct ui_state *u)
{
	if (u->live) {
		fputs("\r\033[K", stderr);
		u->live = 0;
	}
}

static void warn(void *ctx, const char *msg)
{
	clear_line(ctx);
	fprintf(stderr, "memsnap: collect: warning: %s\n", msg);
}

int cmd_collect(int argc, char **argv)
{
	struct collect_opts o;
	struct ms_err err = MS_ERR_INIT;
	collect_opts_init(&o);
	int r = collect_opts_parse(&o, argc, argv, &err);
	if (r != 0) {
		if (r < 0)
			command_usage_error("collect", "%s", ms_err_msg(&err));
		ms_err_release(&err);
		collect_opts_release(&o);
		return r < 0 ? MS_EXIT_USAGE : MS_EXIT_OK;
	}
	struct ui_state u = { 0, !o.quiet && term_live(2) };
	struct collect_ui ui = { &u, progress, warn };
	struct collect_result res;
	int rc = collector_run(&o, &ui, &res, &err);
	clear_line(&u);
	char size[32];
	ms_human_bytes(size, sizeof(size), res.bytes);
	if (rc < 0) {
		if (res.samples)
			fprintf(stderr, "memsnap: collect: %s: stopped after %u complete samples "
					"(the bundle is readable up to there)\n",
				ms_err_msg(&err), res.samples);
		else
			fprintf(stderr, "memsnap: collect: %s\n", ms_err_msg(&err));
	} else if (!o.quiet) {
		fprintf(stderr, "memsnap: collect: wrote %u samples (%s) to %s (%s)\n", res.samples,
			size, res.path, res.end_reason);
	}
	ms_err_release(&err);
	collect_result_release(&res);
	collect_opts_release(&o);
	return rc < 0 ? MS_EXIT_FAILURE : MS_EXIT_OK;
}
