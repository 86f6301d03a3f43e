/*
 * cmd_load.c - `memsnap load BUNDLE [-o DB] [--force]`: load a bundle into
 * an analysis database and keep it; `memsnap load --into DB BUNDLE...`:
 * add hosts to one fleet database (analyze/load/fleet_db.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "fleet_cli.h"
#include "fleet_db.h"
#include "load_cli.h"
#include "loader.h"

enum { OPT_INTO = 500 };

static const struct ms_opt into_opts[] = {
	{ OPT_INTO, "into", "DB", "add the hosts of the bundles to the fleet database DB\n"
	  "(created when missing; a host loaded again is replaced)" },
	{ 0, NULL, NULL, NULL },
};

static const struct ms_opt *const load_tables[] = { load_cli_output_opts, load_cli_opts, load_cli_window_opts,
						    into_opts, fleet_cli_opts, NULL };

const struct ms_cmd_doc load_doc = {
	"load",
	"load BUNDLE...|DIR [-o DB] [--force] [--from TIME] [--to TIME] [options]\n"
	"load --into DB BUNDLE... | DIR [-j N] [--force] [--from TIME] [--to TIME] [options]",
	"Load a bundle into an SQLite database (default: BUNDLE with .db for .tar.zst)\n"
	"and keep it. A database already loaded from the same bundle (and cut to the\n"
	"same --from/--to window) is reused. Several bundles of one host, or a\n"
	"recorder's DIR (its ring of segments), are loaded as one recording in time\n"
	"order (gaps and overlaps in recording_part); with --from/--to only the\n"
	"bundles the window overlaps are read.\n"
	"With --into, the bundles' hosts are added to one database for many hosts: each\n"
	"host is loaded into its own database first (as above, -j at once, --from/--to\n"
	"cutting each host's bundles), then copied in with a host key on every row; a\n"
	"host already there is replaced. analyze, report, query --host and export read\n"
	"it.",
	load_tables,
	"Exit status: 0 loaded (a truncated bundle loads its complete samples), 1 not\n"
	"loadable or corrupt (what came before the damage is kept; with --into: a host\n"
	"failed, the others are in DB), 2 usage error.\n",
};

static int into_opt(void *ctx, int id, const char *arg, struct ms_err *err)
{
	(void)id;
	(void)err;
	*(const char **)ctx = arg;
	return 0;
}

struct into {
	sqlite3 *db;
	pthread_mutex_t mu;        /* one host copied at a time */
	size_t added, replaced;
};

/* After host I's own database is loaded: its rows into the fleet database. */
static int copy_host(void *ctx, struct fleet_run *r, size_t i, sqlite3 *unused, struct ms_err *err)
{
	struct into *in = ctx;
	struct fleet_host *h = &r->f.h[i];
	struct fleet_db_host dh = { 0, (char *)r->src[i].key, strdup(h->label), h->hostname, h->boot_id,
				    h->source, 0 };
	(void)unused;
	if (!dh.label)
		return ms_err_set(err, ENOMEM, "out of memory");
	pthread_mutex_lock(&in->mu);
	int rc = fleet_db_add(in->db, r->src[i].db, &dh, err);
	if (rc == 0)
		*(dh.replaced ? &in->replaced : &in->added) += 1;
	pthread_mutex_unlock(&in->mu);
	if (rc == 0) {
		free(h->label);
		h->label = dh.label; /* as the database names it */
	} else {
		free(dh.label);
	}
	return rc;
}

static int load_into(const char *path, struct load_cli *lc, const struct fleet_cli *fc, char **inputs,
		     size_t n)
{
	struct fleet_run fr;
	struct into in = { NULL, PTHREAD_MUTEX_INITIALIZER, 0, 0 };
	struct ms_err err = MS_ERR_INIT;
	if (lc->o.db_path)
		return command_usage_error("load", "-o and --into: choose one");
	if (fleet_cli_hosts(&fr, "load", inputs, n) < 0)
		return MS_EXIT_FAILURE;
	if (fleet_db_open(path, &in.db, &err) < 0) {
		fprintf(stderr, "memsnap: load: %s\n", ms_err_msg(&err));
		ms_err_release(&err);
		fleet_cli_finish(&fr, NULL, "load", MS_EXIT_FAILURE);
		return MS_EXIT_FAILURE;
	}
	const struct fleet_job j = { lc, NULL, 0, NULL, copy_host, &in, fc->jobs };
	int rc = fleet_cli_run(&fr, &j, "load") < 0 ? MS_EXIT_FAILURE : MS_EXIT_OK;
	if (!lc->quiet)
		fprintf(stderr, "memsnap: load: %zu host%s into %s (%zu added, %zu replaced)\n",
			in.added + in.replaced, in.added + in.replaced == 1 ? "" : "s", path, in.added, in.replaced);
	if (sqlite3_close(in.db) != SQLITE_OK) {
		fprintf(stderr, "memsnap: load: '%s': %s\n", path, sqlite3_errmsg(in.db));
		rc = MS_EXIT_FAILURE;
	}
	return fleet_cli_finish(&fr, NULL, "load", rc);
}

int cmd_load(int argc, char **argv)
{
	struct load_cli cli;
	struct fleet_cli fc;
	const char *into = NULL;
	load_cli_init(&cli);
	fleet_cli_init(&fc);
	const struct ms_opt_handler h[] = {
		{ load_cli_opt, &cli }, { load_cli_opt, &cli }, { load_cli_opt, &cli }, { into_opt, &into },
		{ fleet_cli_opt, &fc },
	};
	int first;
	int rc = command_parse(&load_doc, h, argc, argv, &first);
	if (rc >= 0)
		return rc;
	if (into && argc - first >= 1)
		return load_into(into, &cli, &fc, argv + first, (size_t)(argc - first));
	if (into || argc - first < 1)
		return command_usage_error("load", into ? "expected BUNDLE... after --into DB"
					   : "expected a BUNDLE, several bundles of one host, or a DIR");
	struct load_result res;
	rc = load_cli_run(&cli, "load", argv + first, (size_t)(argc - first), &res);
	if (rc == MS_EXIT_OK || res.samples)
		load_cli_report(&cli, "load", &res);
	load_result_release(&res);
	load_cli_release(&cli);
	return rc;
}
