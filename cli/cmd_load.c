/*
 * cmd_load.c - `memsnap load BUNDLE [-o DB] [--force]`: load a bundle into
 * an analysis database and keep it.
 */
#include <stdio.h>

#include "commands.h"
#include "load_cli.h"
#include "loader.h"

static const struct ms_opt *const load_tables[] = { load_cli_output_opts, load_cli_opts,
						     load_cli_window_opts, NULL };

const struct ms_cmd_doc load_doc = {
	"load",
	"load BUNDLE...|DIR [-o DB] [--force] [--from TIME] [--to TIME] [options]",
	"Load a bundle into an SQLite database (default: BUNDLE with .db for .tar.zst)\n"
	"and keep it. A database already loaded from the same bundle (and cut to the\n"
	"same --from/--to window) is reused. Several bundles of one host, or a\n"
	"recorder's DIR (its ring of segments), are loaded as one recording in time\n"
	"order (gaps and overlaps in recording_part); with --from/--to only the\n"
	"bundles the window overlaps are read.",
	load_tables,
	"Exit status: 0 loaded (a truncated bundle loads its complete samples), 1 not\n"
	"loadable or corrupt (what came before the damage is kept), 2 usage error.\n",
};

int cmd_load(int argc, char **argv)
{
	struct load_cli cli;
	load_cli_init(&cli);
	const struct ms_opt_handler h[] = { { load_cli_opt, &cli }, { load_cli_opt, &cli },
					    { load_cli_opt, &cli } };
	int first;
	int rc = command_parse(&load_doc, h, argc, argv, &first);
	if (rc >= 0)
		return rc;
	if (argc - first < 1)
		return command_usage_error("load", "expected a BUNDLE, several bundles of one host, or a DIR");
	struct load_result res;
	rc = load_cli_run(&cli, "load", argv + first, (size_t)(argc - first), &res);
	if (rc == MS_EXIT_OK || res.samples)
		load_cli_report(&cli, "load", &res);
	load_result_release(&res);
	load_cli_release(&cli);
	return rc;
}
