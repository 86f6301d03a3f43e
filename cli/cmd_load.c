/*
 * cmd_load.c - `memsnap load BUNDLE [-o DB] [--force]`: load a bundle into
 * an analysis database and keep it.
 */
#include <stdio.h>

#include "commands.h"
#include "load_cli.h"
#include "loader.h"

static const struct ms_opt *const load_tables[] = { load_cli_output_opts, load_cli_opts, NULL };

const struct ms_cmd_doc load_doc = {
	"load",
	"load BUNDLE... | DIR [-o DB] [--force] [--max-member SIZE] [--max-total SIZE]",
	"Load a bundle into an SQLite database (default: BUNDLE with .db for .tar.zst)\n"
	"and keep it. A database already loaded from the same bundle is reused.\n"
	"Several bundles of one host, or a recorder's DIR (its ring of segments), are\n"
	"loaded as one recording in time order (gaps and overlaps in recording_part).",
	load_tables,
	"Exit status: 0 loaded (a truncated bundle loads its complete samples), 1 not\n"
	"loadable or corrupt (what came before the damage is kept), 2 usage error.\n",
};

int cmd_load(int argc, char **argv)
{
	struct load_cli cli;
	load_cli_init(&cli);
	const struct ms_opt_handler h[] = { { load_cli_opt, &cli }, { load_cli_opt, &cli } };
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
	return rc;
}
