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
#include <time.h>

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

static void fmt_time(char *buf, size_t n, double t)
{
	time_t s = (time_t)t;
	struct tm tm;
	if (t <= 0 || !gmtime_r(&s, &tm)) {
		snprintf(buf, n, "unknown");
		return;
	}
	strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void print_summary(const char *path, struct bundle_summary *s)
{
	char a[40], b[40];
	printf("bundle:      %s (%llu bytes)\n", path, (unsigned long long)s->file_size);
	printf("format:      %ld (%s)\n", s->format, s->collector ? s->collector : "unknown collector");
	printf("host:        %s, Linux %s %s, %ld CPUs, %zu NUMA node%s, page size %ld\n",
	       s->hostname ? s->hostname : "?", s->kernel ? s->kernel : "?",
	       s->machine ? s->machine : "?", s->cpus, s->nodes ? s->nodes : 1,
	       s->nodes > 1 ? "s" : "", s->page_size);
	printf("command:     %s\n", s->command ? s->command : "?");
	fmt_time(a, sizeof(a), s->wall_first);
	fmt_time(b, sizeof(b), s->wall_last);
	double span = s->wall_last > s->wall_first ? s->wall_last - s->wall_first : 0;
	printf("span:        %s to %s (%.0f s; host time zone %s)\n", a, b, span,
	       s->tz ? s->tz : "unknown");
	printf("samples:     %u complete (tier 0: %u, tier 1: %u, tier 2: %u); interval %llu ms\n",
	       s->samples, s->tier_samples[0], s->tier_samples[1], s->tier_samples[2],
	       (unsigned long long)s->interval_ms);
	printf("overruns:    %llu late ticks, %llu missed ticks, %llu tier runs deferred by the budget\n",
	       (unsigned long long)s->late_ticks, (unsigned long long)s->missed_ticks,
	       (unsigned long long)s->deferred);
	printf("processes:   %zu seen (at most %llu in one sample), %llu process-samples; "
	       "cgroups: at most %llu\n",
	       s->processes_seen, (unsigned long long)s->max_processes,
	       (unsigned long long)s->process_samples, (unsigned long long)s->max_cgroups);
	uint64_t med = 0, max = 0;
	if (s->ncpu) {
		qsort(s->cpu_us, s->ncpu, sizeof(*s->cpu_us), cmp_u64);
		med = s->cpu_us[s->ncpu / 2];
		max = s->cpu_us[s->ncpu - 1];
	}
	printf("cost:        CPU %.3f s in all, per sample median %.1f ms, max %.1f ms; "
	       "wall max %.1f ms\n",
	       (double)s->cpu_total_us / 1e6, (double)med / 1e3, (double)max / 1e3,
	       (double)s->wall_max_us / 1e3);
	if (s->samples)
		printf("size:        %.0f bytes per sample, %.1f per process-sample\n",
		       (double)s->file_size / s->samples,
		       s->process_samples ? (double)s->file_size / (double)s->process_samples : 0);
	if (!s->ngaps) {
		printf("read errors: none\n");
	} else {
		printf("read errors: (status, file kind: records, samples with any)\n");
		for (size_t i = 0; i < s->ngaps; i++)
			printf("  %-40s %llu in %llu samples\n", s->gaps[i].key,
			       (unsigned long long)s->gaps[i].n,
			       (unsigned long long)s->gaps[i].samples);
	}
	if (s->bad_records)
		printf("damaged:     %llu members with bad record framing (first: %s)\n",
		       (unsigned long long)s->bad_records, s->first_error);
	if (s->has_trailer && !s->read.damage)
		printf("end:         complete (%s)\n", s->end_reason ? s->end_reason : "?");
	else if (s->read.corrupt)
		printf("end:         CORRUPT: %s; %u complete samples before the damage\n",
		       s->read.damage, s->samples);
	else
		printf("end:         TRUNCATED (%s); %u complete samples recovered%s\n",
		       s->read.damage ? s->read.damage : "no trailer", s->samples,
		       s->incomplete ? ", 1 incomplete sample discarded" : "");
}

int cmd_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
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
			print_summary(path, &s);
		fprintf(stderr, "memsnap: info: '%s': %s\n", path, ms_err_msg(&err));
	} else {
		print_summary(path, &s);
		if (s.read.corrupt)
			fprintf(stderr, "memsnap: info: '%s': corrupt: %s\n", path, s.read.damage);
	}
	int corrupt = rc < 0 || s.read.corrupt;
	ms_err_release(&err);
	bundle_summary_release(&s);
	return corrupt ? MS_EXIT_FAILURE : MS_EXIT_OK;
}
