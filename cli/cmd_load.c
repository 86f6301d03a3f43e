/*
 * cmd_load.c - `memsnap load BUNDLE [-o DB] [--force]`: load a bundle into
 * an analysis database and keep it.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "load_cli.h"
#include "loader.h"

static const char load_usage[] =
	"usage: memsnap load BUNDLE [-o DB] [--force] [--max-member SIZE] [--max-total SIZE]\n"
	"\n"
	"Load a bundle into an SQLite database (default: BUNDLE with .db for .tar.zst)\n"
	"and keep it. A database already loaded from the same bundle is reused.\n"
	"\n"
	"  -o, --output DB         the database to write\n"
	"  -f, --force             load again even if DB matches the bundle\n"
	"      --max-member SIZE   refuse a bundle member larger than SIZE (default 256M)\n"
	"      --max-total SIZE    stop when the bundle decompresses to more than SIZE\n"
	"                          (default 64G)\n"
	"  -h, --help              show this help\n"
	"\n"
	"Exit status: 0 loaded (a truncated bundle loads its complete samples), 1 not\n"
	"loadable or corrupt (what came before the damage is kept), 2 usage error.\n";

int cmd_load(int argc, char **argv)
{
	struct load_cli cli;
	int r = load_cli_parse(&cli, argc, argv, "load", load_usage, 1);
	if (r != 0)
		return r < 0 ? MS_EXIT_USAGE : MS_EXIT_OK;
	struct load_result res;
	int rc = load_cli_run(&cli, "load", &res);
	if (rc == MS_EXIT_OK || res.samples)
		load_cli_report(&cli, "load", &res);
	load_result_release(&res);
	return rc;
}
