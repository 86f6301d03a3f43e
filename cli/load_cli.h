/*
 * load_cli.h - the loading options shared by load, query, analyze and
 * report (option tables and their handler), and the one place their load
 * is run and reported.
 */
#ifndef LOAD_CLI_H
#define LOAD_CLI_H

#include "bundle_span.h"
#include "loader.h"
#include "ms_opt.h"
#include "parse_time.h"
#include "recording.h"

struct load_cli {
	struct load_opts o;
	int quiet;
	struct ms_time from, to;     /* --from, --to (MS_TIME_NONE: not given) */
	const char *tz;              /* --tz, or NULL */
	struct load_window window;   /* resolved, when --from or --to was given */
	struct bundle_span span;     /* of the bundle, or of the recording: its first
				      * part's start, its last part's end */
	struct recording rec;        /* a recording of several bundles (rec.n > 1), or
				      * a directory */
	const char **parts;          /* rec's paths, as the loader takes them */
	const char *shown;           /* what messages call the input */
};

/* -o/--output DB: where the database is (load, query, analyze) */
extern const struct ms_opt load_cli_output_opts[];
/* --db DB: the same, for a command whose -o is its own (report) */
extern const struct ms_opt load_cli_db_opts[];
/* -f, --max-member, --max-total, -q */
extern const struct ms_opt load_cli_opts[];
/* --from, --to, --tz */
extern const struct ms_opt load_cli_window_opts[];

void load_cli_init(struct load_cli *c);

/* The handler of the four tables above; CTX is a struct load_cli. */
int load_cli_opt(void *ctx, int id, const char *arg, struct ms_err *err);

/* Make --tz (or TZ, else UTC) the zone of the times shown and given
 * (display_zone.h); load_cli_run() does it first. */
void load_cli_zone(const struct load_cli *c, const char *name);

/* Load (or reuse) the database of the N INPUTS, cut to --from/--to: one
 * bundle, or a recording (a directory, several bundles of one host:
 * common/recording.h) loaded as one, only its bundles that the window
 * overlaps read; or take INPUTS[0] as the database when it is one (alone)
 * and command NAME takes one (bundle_arg.h): RES as the load that made it
 * found.  Prints errors, the inputs set aside, and where the database went
 * when not beside the bundle; returns an exit code. */
int load_cli_run(struct load_cli *c, const char *name, char *const *inputs, size_t n,
		 struct load_result *res);

/* For a command that does not report its load (query): one line on
 * stderr saying where the database is when it is in the cache. */
void load_cli_where(const struct load_cli *c, const char *name, const struct load_result *res);

/* With --from or --to: the usage error of a command given a database
 * (NAME, PATH), which has no window to cut; else MS_EXIT_OK. */
int load_cli_no_window(const struct load_cli *c, const char *name, const char *path);

/* C's --from/--to against the span of O's input (read into SP; release
 * it after the load): O's bundle, or the recording REC (REC->n > 0) whose
 * parts O names through PARTS, which is then cut to the bundles the window
 * overlaps.  0 with o->window = W; -1 with ERR (ENODATA: the window holds
 * no sample of it), -2 with ERR when --from is after --to there (a usage
 * error). */
int load_cli_window_in(const struct load_cli *c, struct load_opts *o, struct recording *rec,
		       const char **parts, struct bundle_span *sp, struct load_window *w,
		       struct ms_err *err);

/* ERR (ENODATA): "no sample in the window W ...: the bundle's samples are
 * from ..." (SP; "the recording's" when REC has parts) */
int load_cli_no_sample(const struct load_cli *c, const struct recording *rec,
		       const struct load_window *w, const struct bundle_span *sp, struct ms_err *err);

/* Where a database goes when its bundle's directory cannot be written
 * (loader.h's cache_dir: $XDG_CACHE_HOME/memsnap, else ~/.cache/memsnap),
 * malloc'd; NULL when neither is known. */
char *load_cli_cache_dir(void);

void load_cli_release(struct load_cli *c);

/* O reads recording REC: its parts in time order (*PARTS, the caller's to
 * free) and its name; -1 when out of memory. */
int load_cli_parts(struct load_opts *o, const struct recording *rec, const char ***parts);

/* One line on stderr: what was loaded (or reused, or read), the window,
 * truncation, load errors; the same whether the database was built or reused. */
void load_cli_report(const struct load_cli *c, const char *name, const struct load_result *res);

#endif
