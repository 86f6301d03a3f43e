/*
 * recording_summary.c - info on a recording (see recording_summary.h).
 */
#include "recording_summary.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle_summary.h"
#include "ms_buf.h"
#include "recording_format.h"

struct acc {
	unsigned samples, bundles, damaged, corrupt, quick;
	double first, last, prev_last;
	uint64_t bytes, triggers;
	unsigned long long interval_ms;
	struct ms_buf gaps, overlaps, lines, trig;
	char *host_line;
};

static const char *base(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

/* One bundle's line, and what it adds to the recording: a sealed one from
 * its header and trailer when they say enough, else read whole */
static int add_part(struct acc *a, const struct recording_part *p, const struct bundle_limits *lim)
{
	struct bundle_summary s;
	struct ms_err err = MS_ERR_INIT;
	char t0[40], t1[40];
	int rc = bundle_summary_quick(p->path, lim, &s, &err);
	if (rc > 0)
		a->quick++;
	rc = rc > 0 ? 0 : rc < 0 ? -1 : bundle_summarize(p->path, lim, &s, &err);
	int bad = rc < 0 || s.read.corrupt;
	a->bundles++;
	a->bytes += s.file_size;
	if (rc < 0) {
		ms_buf_addf(&a->lines, "  %s  unreadable: %s\n", base(p->path), ms_err_msg(&err));
		a->corrupt++;
		goto out;
	}
	a->samples += s.samples;
	if (!a->host_line && s.hostname)
		a->host_line = strdup(s.hostname);
	if (s.interval_ms && !a->interval_ms)
		a->interval_ms = s.interval_ms;
	summary_time(t0, sizeof(t0), s.wall_first);
	summary_time(t1, sizeof(t1), s.wall_last);
	if (s.samples && a->prev_last) {
		double d = s.wall_first - a->prev_last;
		double iv = (double)(s.interval_ms > a->interval_ms ? s.interval_ms : a->interval_ms) / 1000;
		if (d <= 0)
			ms_buf_addf(&a->overlaps, "  %s starts %.1f s before the one before it ends\n",
				    base(p->path), -d);
		else if (d > 1.5 * iv + 1)
			ms_buf_addf(&a->gaps, "  %.0f s without samples before %s (%s)\n", d, base(p->path), t0);
	}
	if (s.samples) {
		if (!a->first || s.wall_first < a->first)
			a->first = s.wall_first;
		if (s.wall_last > a->last)
			a->last = s.wall_last;
		a->prev_last = s.wall_last;
	}
	const char *end = s.has_trailer && !s.read.damage ? "complete" : s.read.corrupt ? "CORRUPT" : "TRUNCATED";
	ms_buf_addf(&a->lines, "  %s  %s to %s  %u samples  %s (%s)\n", base(p->path), t0, t1, s.samples,
		    end, s.has_trailer && !s.read.damage ? (s.end_reason ? s.end_reason : "?")
		    : s.read.damage ? s.read.damage : "no trailer");
	a->damaged += strcmp(end, "complete") != 0;
	a->corrupt += s.read.corrupt;
	a->triggers += s.triggers;
	for (size_t i = 0; i < s.ntrig; i++) {
		summary_time(t0, sizeof(t0), s.trig[i].t);
		ms_buf_addf(&a->trig, "  %s  %-12s %s  (%s)\n", t0, s.trig[i].kind, s.trig[i].fields,
			    base(p->path));
	}
out:
	ms_err_release(&err);
	bundle_summary_release(&s);
	return bad;
}

/* The sealed and unfinished incidents in the recorder's DIR/incidents */
static void incidents(FILE *out, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct ms_buf l;
	size_t n = 0;
	if (ms_buf_init(&l, 256) < 0) {
		closedir(d);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		int part = ms_incident_is(de->d_name, 1);
		if (!part && !ms_incident_is(de->d_name, 0))
			continue;
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, 0) < 0)
			continue;
		ms_buf_addf(&l, "  %s  %lld bytes%s\n", de->d_name, (long long)st.st_size,
			    part ? "  (being written, or left unfinished by a crash)" : "");
		n++;
	}
	closedir(d);
	fprintf(out, "incidents:   %zu in %s%s\n%s", n, dir, n ? " (info on each shows its triggers)" : "",
		l.data);
	ms_buf_release(&l);
}

int recording_summary_print(FILE *out, const struct recording *rec,
			    const struct bundle_limits *lim)
{
	struct acc a;
	memset(&a, 0, sizeof(a));
	if (ms_buf_init(&a.gaps, 128) < 0 || ms_buf_init(&a.overlaps, 128) < 0 ||
	    ms_buf_init(&a.lines, 1024) < 0 || ms_buf_init(&a.trig, 256) < 0)
		return 1;
	int bad = 0;
	for (size_t i = 0; i < rec->n; i++)
		bad |= add_part(&a, &rec->p[i], lim);
	char t0[40], t1[40];
	summary_time(t0, sizeof(t0), a.first);
	summary_time(t1, sizeof(t1), a.last);
	fprintf(out, "recording:   %s (%u bundles, %llu bytes)\n", rec->name, a.bundles,
		(unsigned long long)a.bytes);
	fprintf(out, "host:        %s\n", a.host_line ? a.host_line : "?");
	fprintf(out, "span:        %s to %s (%.0f s)\n", t0, t1, a.last > a.first ? a.last - a.first : 0);
	fprintf(out, "samples:     %u complete; interval %llu ms\n", a.samples, a.interval_ms);
	fprintf(out, "gaps:        %s\n%s", a.gaps.len ? "(more than 1.5 intervals + 1 s between bundles)" : "none",
		a.gaps.data);
	fprintf(out, "overlaps:    %s\n%s", a.overlaps.len ? "(loaded once: the earlier bundle's samples)" : "none",
		a.overlaps.data);
	fprintf(out, "triggers:    %llu\n%s", (unsigned long long)a.triggers, a.trig.data);
	if (rec->incident_dir)
		incidents(out, rec->incident_dir);
	for (const char *p = rec->skipped.data; *p;) {
		const char *eol = strchr(p, '\n');
		fprintf(out, "skipped:     %.*s\n", (int)(eol - p), p);
		p = eol + 1;
	}
	fprintf(out, "bundles:     %u (%u not complete: the one being written, or a crash, a full disk)\n",
		a.bundles, a.damaged);
	if (a.quick)
		fprintf(out, "             (%u read by their header and trailer only: memsnap info BUNDLE reads "
			"one whole)\n", a.quick);
	fputs(a.lines.data, out);
	ms_buf_release(&a.gaps);
	ms_buf_release(&a.overlaps);
	ms_buf_release(&a.lines);
	ms_buf_release(&a.trig);
	free(a.host_line);
	return bad;
}
