/*
 * incident.c - the recorder's incidents (see recorder.h): opened with the
 * last --pre of the ring copied in, fed every sample while open, sealed
 * into DIR/incidents/NAME; NAME.part while it is written, so that a crash
 * leaves a readable bundle that the next start finishes.
 */
#include "recorder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_reader.h"
#include "bundle_text.h"
#include "private_file.h"
#include "proc_table.h"
#include "recording_format.h"
#include "sample_copy.h"

/* Keep room for one more: the oldest sealed incidents beyond --max-incidents - 1 go */
static void prune(struct recorder *r)
{
	struct ring_files l;
	struct ms_err err = MS_ERR_INIT;
	if (ring_list(&r->ring, 1, &l, &err) < 0) {
		recorder_log(r, "cannot list the incidents: %s", ms_err_msg(&err));
		ms_err_release(&err);
		return;
	}
	for (size_t i = 0; i + r->o->max_incidents <= l.n && i < l.n; i++) {
		if (unlinkat(r->ring.incfd, l.f[i].name, 0) == 0)
			recorder_log(r, "removed the oldest incident %s (--max-incidents %llu)",
				     l.f[i].name, (unsigned long long)r->o->max_incidents);
		else
			recorder_log(r, "cannot remove the incident %s: %s", l.f[i].name, strerror(errno));
	}
	ring_files_release(&l);
}

/* Create DIR/incidents/NAME.part for NAME, or NAME-2 ... when it exists */
static int create_part(struct recorder *r, struct ms_err *err)
{
	struct incident *inc = &r->inc;
	size_t stem = inc->name.len - strlen(".tar.zst");
	for (int k = 1; k < 10; k++) {
		if (k > 1) {
			char suffix[32];
			snprintf(suffix, sizeof(suffix), "-%d.tar.zst", k);
			inc->name.len = stem;
			if (ms_buf_addstr(&inc->name, suffix) < 0)
				return ms_err_set(err, ENOMEM, "out of memory");
		}
		ms_buf_reset(&inc->part);
		if (ms_buf_addf(&inc->part, "%s%s", inc->name.data, MS_PART_SUFFIX) < 0)
			return ms_err_set(err, ENOMEM, "out of memory");
		/* the sealed one of that name counts too: its .part is gone */
		struct stat st;
		if (fstatat(r->ring.incfd, inc->name.data, &st, AT_SYMLINK_NOFOLLOW) == 0)
			continue;
		int fd = private_create(r->ring.incfd, inc->part.data);
		if (fd >= 0 || errno != EEXIST)
			return fd >= 0 ? fd : ms_err_set(err, errno, "'%s/%s/%s': %s", r->ring.dir,
							 MS_INCIDENT_DIR, inc->part.data, strerror(errno));
	}
	return ms_err_set(err, EEXIST, "'%s': too many incidents of this name", inc->name.data);
}

/* The writer and header of a new incident bundle on FD */
static int start_bundle(struct recorder *r, int fd, struct ms_err *err)
{
	struct incident *inc = &r->inc;
	struct bundle_writer_opts wo = { (int)r->o->c.level, BUNDLE_WINDOW_LOG, BUNDLE_FRAME_BYTES,
					 r->o->c.fsync };
	inc->fd = fd;
	if (bundle_writer_open(&inc->w, fd, &wo, err) < 0 ||
	    recorder_header_extra(r, MS_BUNDLE_INCIDENT, err) < 0)
		return -1;
	const struct record_opts *o = r->o;
	struct ms_buf *b = &r->text;
	if (bt_put(b, BK_INCIDENT_TRIGGER, "%s", ms_trigger_names[inc->kind]) |
	    bt_put(b, BK_INCIDENT_TIME, "%.9f", inc->start_wall) |
	    bt_put_u64(b, BK_INCIDENT_PRE_MS, o->pre_ms) | bt_put_u64(b, BK_INCIDENT_POST_MS, o->post_ms) |
	    bt_put_u64(b, BK_INCIDENT_INTERVAL_MS, o->incident_interval_ms) |
	    bt_put_u64(b, BK_INCIDENT_MAX_MS, o->incident_max_ms))
		return ms_err_set(err, ENOMEM, "out of memory");
	return sampling_header(&r->g, inc->w, r->text.data, err);
}

/* The ring's samples from FROM on (its segments that were written since) */
static int copy_ring(struct recorder *r, double from, struct copy_state *st, struct ms_err *err)
{
	struct ring_files l;
	if (ring_list(&r->ring, 0, &l, err) < 0)
		return -1;
	struct copy_window win = { from, 1e18, r->o->max_incident_size / 2 };
	struct ms_buf path;
	int rc = ms_buf_init(&path, 256);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		if ((double)l.f[i].mtime + 1 < from)
			continue;
		ms_buf_reset(&path);
		if (ms_buf_addf(&path, "%s/%s/%s", r->ring.dir, MS_RING_DIR, l.f[i].name) < 0) {
			rc = ms_err_set(err, ENOMEM, "out of memory");
			break;
		}
		rc = sample_copy(path.data, l.f[i].name, &win, r->inc.w, st, err);
	}
	ms_buf_release(&path);
	ring_files_release(&l);
	return rc;
}

/* The cgroup concerned as /proc/PID/cgroup writes it: its host path
 * without the hierarchy's mount point */
static void set_cgroup(struct recorder *r, const char *path, size_t n)
{
	struct incident *inc = &r->inc;
	const char *mounts[2] = { r->g.s.cg_v1, r->g.s.cg_v2 };
	ms_buf_reset(&inc->cgroup);
	for (int v = 0; v < 2 && n; v++) {
		size_t ml = mounts[v] ? strlen(mounts[v]) : 0;
		if (ml && n >= ml && !memcmp(path, mounts[v], ml) && (n == ml || path[ml] == '/')) {
			if (ms_buf_add(&inc->cgroup, n == ml ? "/" : path + ml, n == ml ? 1 : n - ml) < 0)
				ms_buf_reset(&inc->cgroup);
			break;
		}
	}
	inc->focus.cgroup = inc->cgroup.len ? inc->cgroup.data : NULL;
}

static void fail_open(struct recorder *r, const struct ms_err *err)
{
	struct incident *inc = &r->inc;
	recorder_log(r, "incident %s not recorded: %s", inc->part.len ? inc->part.data : "?",
		     ms_err_msg(err));
	bundle_writer_free(inc->w);
	inc->w = NULL;
	if (inc->fd >= 0) {
		close(inc->fd);
		if (!inc->samples)
			unlinkat(r->ring.incfd, inc->part.data, 0);
	}
	inc->fd = -1;
	inc->open = 0;
}

static void arm(struct recorder *r, double start_wall, int kind)
{
	struct incident *inc = &r->inc;
	const struct record_opts *o = r->o;
	uint64_t now = ms_clock_us(CLOCK_MONOTONIC);
	inc->kind = kind;
	inc->start_wall = start_wall;
	inc->start_mono = now;
	inc->end_mono = now + o->post_ms * 1000;
	inc->samples = inc->triggers = 0;
	inc->cpu_us = inc->max_sample = 0;
	inc->live = 0;
	memset(&inc->gaps, 0, sizeof(inc->gaps));
	const uint64_t period[MS_TIERS] = { o->incident_interval_ms, o->incident_interval_ms,
					    10 * o->incident_interval_ms };
	cadence_init(&inc->cad, o->incident_interval_ms, period, o->incident_budget, 60000);
	ticker_start(&inc->tick, now, o->incident_interval_ms);
	inc->focus.pids = inc->pids;
	inc->npids = 0;
}

int incident_open(struct recorder *r)
{
	struct incident *inc = &r->inc;
	struct ms_err err = MS_ERR_INIT;
	prune(r);
	arm(r, r->pend_t, r->pend_kind < 0 ? MS_TRIG_MANUAL : r->pend_kind);
	ms_buf_reset(&inc->name);
	ms_buf_reset(&inc->part);
	if (ms_incident_name(&inc->name, r->host, (long long)inc->start_wall, inc->kind) < 0) {
		ms_err_set(&err, ENOMEM, "out of memory");
		goto fail;
	}
	inc->fd = create_part(r, &err);
	if (inc->fd < 0 || start_bundle(r, inc->fd, &err) < 0)
		goto fail;
	inc->open = 1;
	struct copy_state st = { 1, 0, 0, 0, 0 };
	int crc = copy_ring(r, inc->start_wall - (double)r->o->pre_ms / 1000.0, &st, &err);
	inc->samples = st.next - 1;
	inc->triggers = st.trigger_lines;
	if (crc < 0)
		goto fail;
	set_cgroup(r, r->pend_cg.data, r->pend_cg.len);
	incident_refocus(r);
	recorder_log(r, "incident started: %s/%s/%s (%u samples from the ring)%s%s", r->ring.dir,
		     MS_INCIDENT_DIR, inc->part.data, inc->samples,
		     inc->focus.cgroup ? "; focus on the cgroup " : "",
		     inc->focus.cgroup ? inc->focus.cgroup : "");
	ms_err_release(&err);
	return 0;
fail:
	fail_open(r, &err);
	ms_err_release(&err);
	return -1;
}

int incident_due_end(struct recorder *r, uint64_t now, int fired)
{
	struct incident *inc = &r->inc;
	uint64_t post = r->o->post_ms * 1000;
	if ((fired || triggers_holding(&r->trig)) && now + post > inc->end_mono)
		inc->end_mono = now + post;
	uint64_t cap = inc->start_mono + r->o->incident_max_ms * 1000;
	if (inc->end_mono > cap)
		inc->end_mono = cap;
	return now >= inc->end_mono;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

void incident_refocus(struct recorder *r)
{
	struct incident *inc = &r->inc;
	size_t idx[FOCUS_MAX];
	size_t k = proc_table_pick(&r->g.s.cur, FOCUS_MAX, NULL, NULL, idx);
	inc->npids = 0;
	for (size_t i = 0; i < k; i++)
		if (r->g.s.cur.ent[idx[i]].pid != r->g.s.self)
			inc->pids[inc->npids++] = r->g.s.cur.ent[idx[i]].pid;
	qsort(inc->pids, inc->npids, sizeof(*inc->pids), cmp_i64);
	inc->focus.pids = inc->pids;
	inc->focus.npids = inc->npids;
}

/* Trailer, close, fdatasync, and NAME.part -> NAME */
static int finish_file(struct recorder *r, const char *reason, struct ms_err *err)
{
	struct incident *inc = &r->inc;
	char extra[128];
	snprintf(extra, sizeof(extra), "%s %.9f\n%s %u\n", bt_key_name(BK_INCIDENT_END),
		 ms_wall_now(), bt_key_name(BK_INCIDENT_TRIGGERS), inc->triggers);
	/* the last sample's wall when it was taken live, not copied */
	struct trailer_info t = { inc->samples, reason, inc->cpu_us, &inc->gaps,
				  inc->live ? &inc->last_wall : NULL, extra };
	if (sampling_trailer(&r->g, inc->w, &t, err) < 0 || bundle_writer_close(inc->w, err) < 0)
		return -1;
	if (fdatasync(inc->fd) < 0 && errno != EINVAL)
		return ms_err_set(err, errno, "fdatasync: %s", strerror(errno));
	if (renameat(r->ring.incfd, inc->part.data, r->ring.incfd, inc->name.data) < 0)
		return ms_err_set(err, errno, "rename: %s", strerror(errno));
	return 0;
}

void incident_seal(struct recorder *r, const char *reason)
{
	struct incident *inc = &r->inc;
	if (!inc->open)
		return;
	struct ms_err err = MS_ERR_INIT;
	if (reason && finish_file(r, reason, &err) == 0) {
		char size[32];
		ms_human_bytes(size, sizeof(size), bundle_writer_bytes(inc->w));
		recorder_log(r, "incident sealed: %s/%s/%s (%u samples, %s, %u trigger lines; %s)",
			     r->ring.dir, MS_INCIDENT_DIR, inc->name.data, inc->samples, size,
			     inc->triggers, reason);
	} else if (reason) {
		recorder_log(r, "incident %s: %s: left as it is (readable up to its last sample)",
			     inc->part.data, ms_err_msg(&err));
	}
	ms_err_release(&err);
	bundle_writer_free(inc->w);
	inc->w = NULL;
	close(inc->fd);
	inc->fd = -1;
	inc->open = 0;
	/* the ring's ticks take up where they are: the incident's samples
	 * covered the deadlines in between, none was missed */
	ticker_advance(&r->tick, ms_clock_us(CLOCK_MONOTONIC));
	r->tick.missed = 0;
}

/* ---- an incident a crash left unfinished ---- */

struct part_info {
	int kind;
	double start, last;       /* the first trigger; the last trigger */
	char ring_id[17];
	unsigned samples;
};


static int on_part(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	(void)err;
	struct part_info *pi = ctx;
	const char *slash = strchr(m->name, '/');
	if (!strcmp(m->name, "memsnap.header")) {
		struct bt_span v;
		if (bt_get(m->data, m->len, BK_INCIDENT_TRIGGER, &v) == BT_FOUND)
			pi->kind = ms_trigger_kind(v.p, v.n);
		if (bt_get_double(m->data, m->len, BK_INCIDENT_TIME, &pi->start) != BT_FOUND)
			pi->start = 0;
		if (bt_get(m->data, m->len, BK_RING_ID, &v) == BT_FOUND && v.n == 16)
			memcpy(pi->ring_id, v.p, 16);
	} else if (slash && !strcmp(slash + 1, MS_KIND_TRIGGER)) {
		size_t pos = 0;
		struct ms_trigger_rec rec;
		while (ms_trigger_next(m->data, m->len, &pos, &rec, NULL))
			pi->last = rec.t > pi->last ? rec.t : pi->last;
	} else if (slash && !strcmp(slash + 1, "meta")) {
		pi->samples++;
	}
	return 0;
}

/* Carry PART's complete samples over into a new NAME.part (through
 * NAME.part.new); then go on with it (RESUME) or seal it. */
static void carry_over(struct recorder *r, const char *part, const struct part_info *pi, int resume)
{
	struct incident *inc = &r->inc;
	struct ms_err err = MS_ERR_INIT;
	char src[4096], tmp[512];
	snprintf(src, sizeof(src), "%s/%s/%s", r->ring.dir, MS_INCIDENT_DIR, part);
	snprintf(tmp, sizeof(tmp), "%s.new", part);
	unlinkat(r->ring.incfd, tmp, 0); /* a carry-over a crash interrupted */
	arm(r, pi->start, pi->kind);
	ms_buf_reset(&inc->name);
	ms_buf_reset(&inc->part);
	if (ms_buf_add(&inc->name, part, strlen(part) - strlen(MS_PART_SUFFIX)) < 0 ||
	    ms_buf_addstr(&inc->part, part) < 0) {
		recorder_log(r, "out of memory finishing %s", part);
		return;
	}
	int fd = private_create(r->ring.incfd, tmp);
	struct copy_state st = { 1, 0, 0, 0, 0 };
	struct copy_window all = { 0, 1e18, 0 };
	int rc = fd < 0 ? ms_err_set(&err, errno, "'%s': %s", tmp, strerror(errno))
			: start_bundle(r, fd, &err);
	inc->open = rc == 0;
	if (rc == 0)
		rc = sample_copy(src, part, &all, inc->w, &st, &err);
	inc->samples = st.next - 1;
	inc->triggers = st.trigger_lines;
	if (rc == 0 && renameat(r->ring.incfd, tmp, r->ring.incfd, part) < 0)
		rc = ms_err_set(&err, errno, "rename: %s", strerror(errno));
	if (rc < 0) {
		recorder_log(r, "cannot finish the unfinished incident %s: %s", part, ms_err_msg(&err));
		if (fd >= 0)
			unlinkat(r->ring.incfd, tmp, 0);
		inc->part.len = 0;
		fail_open(r, &err);
	} else if (resume) {
		double left = pi->last + (double)r->o->post_ms / 1000.0 - ms_wall_now();
		inc->end_mono = inc->start_mono + (uint64_t)(left > 0 ? left * 1e6 : 0);
		recorder_log(r, "resumed the unfinished incident %s (%u samples)", part, inc->samples);
	} else {
		recorder_log(r, "finishing the unfinished incident %s (%u samples)", part, inc->samples);
		incident_seal(r, "recovered");
	}
	ms_err_release(&err);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The NAME.part files of DIR/incidents, sorted (by time); NULL-terminated */
static char **list_parts(struct recorder *r)
{
	int fd = openat(r->ring.incfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	char **v = calloc(1, sizeof(*v));
	size_t n = 0;
	struct dirent *de;
	while (v && (de = readdir(d))) {
		if (!ms_incident_is(de->d_name, 1))
			continue;
		char **nv = realloc(v, (n + 2) * sizeof(*nv));
		if (!nv)
			break;
		v = nv;
		if ((v[n] = strdup(de->d_name)))
			v[++n] = NULL;
	}
	closedir(d);
	if (v)
		qsort(v, n, sizeof(*v), cmp_str);
	return v;
}

void incident_recover(struct recorder *r)
{
	if (r->inc.open)
		return;
	char **parts = list_parts(r);
	for (size_t i = 0; parts && parts[i]; i++) {
		struct part_info pi = { MS_TRIG_MANUAL, 0, 0, "", 0 };
		struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
		struct bundle_read_result rr;
		struct ms_err err = MS_ERR_INIT;
		struct ms_buf path;
		memset(&path, 0, sizeof(path));
		if (ms_buf_init(&path, 256) < 0 ||
		    ms_buf_addf(&path, "%s/%s/%s", r->ring.dir, MS_INCIDENT_DIR, parts[i]) < 0) {
			ms_buf_release(&path);
			recorder_log(r, "out of memory finishing %s", parts[i]);
			break;
		}
		bundle_read(path.data, &lim, on_part, &pi, &rr, &err);
		ms_buf_release(&path);
		bundle_read_result_release(&rr);
		ms_err_release(&err);
		if (pi.kind < 0)
			pi.kind = MS_TRIG_MANUAL;
		if (!pi.samples) {
			unlinkat(r->ring.incfd, parts[i], 0);
			recorder_log(r, "removed the unfinished incident %s: it holds no complete sample",
				     parts[i]);
			continue;
		}
		double last = pi.last > pi.start ? pi.last : pi.start;
		/* this run's --post says whether it is over */
		int resume = !parts[i + 1] && !strcmp(pi.ring_id, r->ring.ring_id) &&
			     ms_wall_now() < last + (double)r->o->post_ms / 1000.0;
		carry_over(r, parts[i], &pi, resume);
	}
	for (size_t i = 0; parts && parts[i]; i++)
		free(parts[i]);
	free(parts);
}
