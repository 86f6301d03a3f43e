/*
 * recording.c - the bundles of a recording, in time order (see recording.h).
 */
#include "recording.h"

#include <dirent.h>
#include <math.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle_format.h"
#include "bundle_reader.h"
#include "bundle_text.h"
#include "recording_format.h"

struct head {
	int seen;
	char *host, *kind;
	double start;
	unsigned long long interval_ms;
};

static int on_head(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	struct head *h = ctx;
	if (strcmp(m->name, MS_MEMBER_HEADER))
		return 1;
	h->seen = 1;
	uint64_t iv = 0;
	if (bt_get_double(m->data, m->len, BK_WALL_START, &h->start) != BT_FOUND)
		h->start = 0;
	bt_get_u64(m->data, m->len, BK_INTERVAL_MS, &iv);
	h->interval_ms = iv;
	if (bt_get_str(m->data, m->len, BK_HOSTNAME, &h->host) < 0 ||
	    bt_get_str(m->data, m->len, BK_BUNDLE_KIND, &h->kind) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	return 1;
}

static int add(struct recording *rec, const char *path, struct ms_err *err)
{
	struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
	struct bundle_read_result rr;
	struct ms_err e = MS_ERR_INIT;
	struct head h = { 0, NULL, NULL, 0, 0 };
	int r = bundle_read(path, &lim, on_head, &h, &rr, &e);
	bundle_read_result_release(&rr);
	if (r < 0 || !h.seen) {
		int rc = ms_buf_addf(&rec->skipped, "%s: %s\n", path,
				     r < 0 ? ms_err_msg(&e) : "not a memsnap bundle (no header)");
		ms_err_release(&e);
		free(h.host);
		free(h.kind);
		return rc < 0 ? ms_err_set(err, ENOMEM, "out of memory") : 0;
	}
	ms_err_release(&e);
	if (rec->host && h.host && strcmp(rec->host, h.host)) {
		ms_err_set(err, EINVAL, "'%s' is of host %s, the others of %s: a recording is one host's",
			   path, h.host, rec->host);
		free(h.host);
		free(h.kind);
		return -1;
	}
	struct recording_part *np = realloc(rec->p, (rec->n + 1) * sizeof(*np));
	if (!np) {
		free(h.host);
		free(h.kind);
		return ms_err_set(err, ENOMEM, "out of memory");
	}
	rec->p = np;
	struct recording_part *p = &rec->p[rec->n++];
	p->path = strdup(path);
	p->start = h.start;
	p->next = 0;
	p->kind = h.kind;
	p->interval_ms = h.interval_ms;
	if (!rec->host)
		rec->host = h.host;
	else
		free(h.host);
	return p->path ? 0 : ms_err_set(err, ENOMEM, "out of memory");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the *.tar.zst of DIR (segments: seg-*.tar.zst), sorted by name */
static int add_dir(struct recording *rec, const char *dir, struct ms_err *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return ms_err_set(err, errno, "'%s': %s", dir, strerror(errno));
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && (de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l <= 8 || strcmp(de->d_name + l - 8, ".tar.zst") || de->d_name[0] == '.')
			continue;
		char **nn = realloc(names, (n + 1) * sizeof(*nn));
		if (!nn || !(nn[n] = strdup(de->d_name))) {
			names = nn ? nn : names;
			rc = ms_err_set(err, ENOMEM, "out of memory");
			break;
		}
		names = nn;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	struct ms_buf path;
	memset(&path, 0, sizeof(path));
	if (rc == 0 && ms_buf_init(&path, 256) < 0)
		rc = ms_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		ms_buf_reset(&path);
		if (rc == 0 && ms_buf_addf(&path, "%s/%s", dir, names[i]) < 0)
			rc = ms_err_set(err, ENOMEM, "out of memory");
		if (rc == 0)
			rc = add(rec, path.data, err);
		free(names[i]);
	}
	ms_buf_release(&path);
	free(names);
	return rc;
}

static int cmp_part(const void *a, const void *b)
{
	const struct recording_part *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* A recorder's DIR (with ring/), or another directory of bundles */
static int add_input_dir(struct recording *rec, const char *dir, struct ms_err *err)
{
	struct ms_buf ring, inc;
	struct stat st;
	rec->from_dir = 1;
	memset(&ring, 0, sizeof(ring));
	memset(&inc, 0, sizeof(inc));
	if (ms_buf_init(&ring, 256) < 0 || ms_buf_init(&inc, 256) < 0 ||
	    ms_buf_addf(&ring, "%s/%s", dir, MS_RING_DIR) < 0 ||
	    ms_buf_addf(&inc, "%s/%s", dir, MS_INCIDENT_DIR) < 0) {
		ms_buf_release(&ring);
		ms_buf_release(&inc);
		return ms_err_set(err, ENOMEM, "out of memory");
	}
	int rc;
	if (stat(ring.data, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (stat(inc.data, &st) == 0 && S_ISDIR(st.st_mode) && !rec->incident_dir) {
			rec->incident_dir = inc.data; /* taken */
			inc.data = NULL;
		}
		rc = add_dir(rec, ring.data, err);
	} else {
		rc = add_dir(rec, dir, err);
	}
	ms_buf_release(&ring);
	ms_buf_release(&inc);
	return rc;
}

int recording_open(struct recording *rec, const char *const *inputs, size_t n, struct ms_err *err)
{
	memset(rec, 0, sizeof(*rec));
	if (ms_buf_init(&rec->skipped, 128) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		int isdir = stat(inputs[i], &st) == 0 && S_ISDIR(st.st_mode);
		if ((isdir ? add_input_dir(rec, inputs[i], err) : add(rec, inputs[i], err)) < 0)
			return -1;
	}
	if (!rec->n && n == 1)
		return ms_err_set(err, ENOENT, "'%s': no bundle in it (*.tar.zst, or a recorder's ring/)%s%.*s",
				  inputs[0], rec->skipped.len ? "; " : "",
				  (int)(rec->skipped.len ? rec->skipped.len - 1 : 0), rec->skipped.data);
	if (!rec->n)
		return ms_err_set(err, ENOENT, "no bundle among the inputs: %.*s",
				  (int)(rec->skipped.len ? rec->skipped.len - 1 : 0), rec->skipped.data);
	/* stable: equal starts keep the order given */
	for (size_t i = 1; i < rec->n; i++)
		for (size_t j = i; j > 0 && cmp_part(&rec->p[j - 1], &rec->p[j]) > 0; j--) {
			struct recording_part t = rec->p[j];
			rec->p[j] = rec->p[j - 1];
			rec->p[j - 1] = t;
		}
	for (size_t i = 0; i + 1 < rec->n; i++)
		rec->p[i].next = rec->p[i + 1].start;
	size_t len = strlen(inputs[0]) + 48;
	if (!(rec->name = malloc(len)))
		return ms_err_set(err, ENOMEM, "out of memory");
	if (n == 1)
		snprintf(rec->name, len, "%s", inputs[0]);
	else
		snprintf(rec->name, len, "%s (and %zu more)", inputs[0], n - 1);
	return 0;
}

void recording_release(struct recording *rec)
{
	for (size_t i = 0; i < rec->n; i++) {
		free(rec->p[i].path);
		free(rec->p[i].kind);
	}
	free(rec->p);
	free(rec->name);
	free(rec->host);
	free(rec->incident_dir);
	ms_buf_release(&rec->skipped);
	memset(rec, 0, sizeof(*rec));
}

size_t recording_select(struct recording *rec, double from, double to)
{
	size_t k = 0;
	for (size_t i = 0; i < rec->n; i++) {
		const struct recording_part *p = &rec->p[i];
		int before = p->next && p->next <= from;  /* ends before the window */
		int after = p->start > to;
		if (before || after) {
			free(p->path);
			free(p->kind);
			continue;
		}
		rec->p[k++] = *p;
	}
	rec->n = k;
	return k;
}
