/*
 * record_opts.c - option parsing and validation for `memsnap record`.
 *
 * Defaults (docs/record.md): DIR /var/lib/memsnap; the ring 256M and 7
 * days, in 10-minute segments; incidents with 10 minutes before and 2
 * after the last trigger, sampled every second within a 10 % budget, at
 * most 20 min long, 32M and 20 of them; every trigger on.  The sampling
 * options are collect's, with collect's defaults but three: zstd level 9,
 * smaps_rollup every 5 min, full smaps every 15 min.
 */
#include "record_opts.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parse_num.h"

enum {
	OPT_MAXDISK = 300, OPT_MAXAGE, OPT_SEGMENT, OPT_PRE, OPT_POST, OPT_TRIGGER,
	OPT_INCINTERVAL, OPT_MAXINC, OPT_INCSIZE, OPT_INCLEN, OPT_INCBUDGET, OPT_TRIGGERNOW,
};

static const struct ms_opt record_own_opts[] = {
	{ 'D', "dir", "DIR", "the recorder's directory: the ring of segments in\n"
	  "DIR/ring, incidents in DIR/incidents (default\n/var/lib/memsnap)" },
	{ OPT_MAXDISK, "max-disk", "SIZE", "the ring's disk; the oldest segments are deleted\n"
	  "beyond it (default 256M)" },
	{ OPT_MAXAGE, "max-age", "DURATION", "delete segments older than DURATION (default 7d)" },
	{ OPT_SEGMENT, "segment", "DURATION", "a new segment every DURATION (default 10m)" },
	{ OPT_PRE, "pre", "DURATION", "an incident holds the DURATION before its first\n"
	  "trigger (default 10m)" },
	{ OPT_POST, "post", "DURATION", "... and the DURATION after its last one, sampled\n"
	  "finer (default 2m)" },
	{ OPT_TRIGGER, "trigger", "LIST", "triggers and thresholds, e.g. psi=20,low-memory=3,\n"
	  "swap-storm=off; 'none': all off but manual\n"
	  "(default oom-kill, psi=10, low-memory=5,\n"
	  "cgroup-limit=95, swap-storm=5000, manual);\n"
	  "repeatable" },
	{ OPT_INCINTERVAL, "incident-interval", "DURATION", "time between samples during an incident\n"
	  "(default 1s)" },
	{ OPT_INCLEN, "max-incident-length", "DURATION", "an incident ends after DURATION even if its\n"
	  "condition still holds (default 20m)" },
	{ OPT_INCSIZE, "max-incident-size", "SIZE", "an incident bundle is sealed before it exceeds\n"
	  "SIZE (default 32M)" },
	{ OPT_MAXINC, "max-incidents", "N", "keep the N latest incidents; 0: triggers are\n"
	  "recorded in the ring only (default 20)" },
	{ OPT_INCBUDGET, "incident-cpu-budget", "PCT", "CPU budget of an incident's finer sampling,\n"
	  "in percent of one core (default 10)" },
	{ OPT_TRIGGERNOW, "trigger-now", NULL, "tell the recorder running on DIR to start an\n"
	  "incident now (a manual trigger), and exit" },
	{ 0, NULL, NULL, NULL },
};

static const struct ms_opt *const record_tables[] = { record_own_opts, collect_sampling_opts, NULL };

const struct ms_cmd_doc record_doc = {
	"record",
	"record [-D DIR] [--max-disk SIZE] [--pre D] [--post D] [--trigger LIST] [options]\n"
	"record --trigger-now [-D DIR]",
	"Record always, as a service: a bounded ring of segment bundles, and when a\n"
	"trigger fires (an OOM kill, memory pressure, low memory, a cgroup at its\n"
	"limit, a swap storm, or by hand) an incident bundle with the minutes before\n"
	"and after it, sampled finer. Logs one line per event on stderr.",
	record_tables,
	"The sampling options are collect's, with defaults of their own for a ring kept\n"
	"for days: --level 9, --rollup-interval 5m, --smaps-interval 15m.\n"
	"Signals: SIGTERM, SIGINT finish the sample and close; SIGHUP starts a new\n"
	"segment; SIGUSR1 is a manual trigger.\n"
	"Exit status: 0 stopped by a signal (or --trigger-now delivered); 1 a runtime\n"
	"error (another recorder on DIR, DIR unusable); 2 a usage error.\n",
};

void record_opts_init(struct record_opts *o)
{
	memset(o, 0, sizeof(*o));
	collect_opts_init(&o->c);
	o->dir = "/var/lib/memsnap";
	o->max_disk = 256ull << 20;
	o->max_age_ms = 7ull * 24 * 3600 * 1000;
	o->segment_ms = 10 * 60 * 1000;
	o->pre_ms = 10 * 60 * 1000;
	o->post_ms = 2 * 60 * 1000;
	o->incident_interval_ms = 0; /* 1s, or --interval when shorter */
	o->incident_max_ms = 20 * 60 * 1000;
	o->max_incidents = 20;
	o->max_incident_size = 32ull << 20;
	o->incident_budget = 1000;
	trigger_config_default(&o->triggers);
	/* a service's ring, for days (docs/performance.md): zstd works harder
	 * (its matches reach the previous sample: a third smaller, for 0.02 %
	 * of a core), smaps_rollup of every process every 5 min and full
	 * smaps of the top processes every 15 min (an incident reads both
	 * every second for the processes that matter) */
	o->c.level = 9;
	o->c.rollup_ms = 5 * 60 * 1000;
	o->c.smaps_ms = 15 * 60 * 1000;
}

void record_opts_release(struct record_opts *o)
{
	collect_opts_release(&o->c);
}

uint64_t record_segment_cap(const struct record_opts *o)
{
	return o->max_disk / 8;
}

static int duration(const char *arg, uint64_t *ms, const char *what, uint64_t min, struct ms_err *err)
{
	if (ms_parse_duration(arg, ms, what, err) < 0)
		return -1;
	if (*ms < min)
		return ms_err_set(err, EINVAL, "invalid %s '%s': must be at least %llums", what, arg,
				  (unsigned long long)min);
	return 0;
}

/* A size of at least MIN bytes, said in the error as MIN_TEXT */
static int size_min(const char *arg, uint64_t *out, const char *what, uint64_t min,
		    const char *min_text, struct ms_err *err)
{
	if (ms_parse_size(arg, out, what, err) < 0)
		return -1;
	if (*out < min)
		return ms_err_set(err, EINVAL, "invalid %s '%s': must be at least %s", what, arg, min_text);
	return 0;
}

static int record_opt(void *ctx, int id, const char *arg, struct ms_err *err)
{
	struct record_opts *o = ctx;
	switch (id) {
	case 'D':
		if (!*arg)
			return ms_err_set(err, EINVAL, "invalid --dir '': empty directory name");
		o->dir = arg;
		return 0;
	case OPT_MAXDISK: return size_min(arg, &o->max_disk, "--max-disk", 256 * 1024, "256K", err);
	case OPT_MAXAGE: return duration(arg, &o->max_age_ms, "--max-age", 1000, err);
	case OPT_SEGMENT: return duration(arg, &o->segment_ms, "--segment", 100, err);
	case OPT_PRE: return ms_parse_duration(arg, &o->pre_ms, "--pre", err);
	case OPT_POST: return ms_parse_duration(arg, &o->post_ms, "--post", err);
	case OPT_TRIGGER: return trigger_config_parse(&o->triggers, arg, err);
	case OPT_INCINTERVAL: return duration(arg, &o->incident_interval_ms, "--incident-interval", 100, err);
	case OPT_INCLEN: return duration(arg, &o->incident_max_ms, "--max-incident-length", 1000, err);
	case OPT_INCSIZE:
		return size_min(arg, &o->max_incident_size, "--max-incident-size", 256 * 1024, "256K", err);
	case OPT_MAXINC: return ms_parse_u64(arg, 0, 100000, &o->max_incidents, "--max-incidents", err);
	case OPT_INCBUDGET:
		if (ms_parse_percent(arg, &o->incident_budget, "--incident-cpu-budget", err) < 0)
			return -1;
		if (!o->incident_budget)
			return ms_err_set(err, EINVAL, "invalid --incident-cpu-budget '%s': must be more than 0", arg);
		return 0;
	case OPT_TRIGGERNOW: o->trigger_now = 1; return 0;
	}
	return ms_err_set(err, EINVAL, "unknown option");
}

int record_opts_parse(struct record_opts *o, int argc, char **argv, struct ms_err *err)
{
	const struct ms_opt_handler h[] = { { record_opt, o }, { collect_sampling_opt, &o->c } };
	int first;
	int r = ms_opt_parse(&record_doc, h, argc, argv, &first, err);
	if (r != 0)
		return r;
	if (first < argc)
		return ms_err_set(err, EINVAL, "unexpected argument '%s'", argv[first]);
	if (o->segment_ms < o->c.interval_ms)
		return ms_err_set(err, EINVAL, "--segment (%llums) is shorter than --interval (%llums)",
				  (unsigned long long)o->segment_ms, (unsigned long long)o->c.interval_ms);
	if (!o->incident_interval_ms)
		o->incident_interval_ms = o->c.interval_ms < 1000 ? o->c.interval_ms : 1000;
	if (o->incident_interval_ms > o->c.interval_ms)
		return ms_err_set(err, EINVAL, "--incident-interval (%llums) is longer than --interval (%llums)",
				  (unsigned long long)o->incident_interval_ms,
				  (unsigned long long)o->c.interval_ms);
	return collect_opts_finish(&o->c, argc, argv, err);
}
