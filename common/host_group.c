/*
 * host_group.c - inputs grouped by host (see host_group.h).
 */
#include "host_group.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle_format.h"
#include "bundle_reader.h"
#include "bundle_text.h"
#include "host_facts.h"
#include "ms_buf.h"
#include "record.h"
#include "text_clean.h"

/* a recorder's DIR holds its segments in DIR/ring; a segment's header
 * names its ring (docs/bundle-format.md, "Recorder additions") */
#define RING_DIR "ring"
#define RING_ID_KEY "ring_id"

/* what a bundle's first members say about its host */
struct ident {
	int header;              /* the header was seen */
	int done;
	char *hostname, *boot_id, *ring_id;
};

static int take(char **dst, const char *p, size_t n)
{
	free(*dst);
	*dst = strndup(p, n);
	return *dst ? 0 : -1;
}

static int on_header(struct ident *id, const struct bundle_member *m)
{
	size_t pos = 0;
	struct bt_span k, v;
	id->header = 1;
	if (bt_get_str(m->data, m->len, BK_HOSTNAME, &id->hostname) < 0)
		return -1;
	while (bt_next_line(m->data, m->len, &pos, &k, &v))
		if (k.n == strlen(RING_ID_KEY) && !memcmp(k.p, RING_ID_KEY, k.n) && v.n &&
		    take(&id->ring_id, v.p, v.n) < 0)
			return -1;
	return 0;
}

/* The host member: its host name (which wins over the header's) and boot id. */
static int on_host(struct ident *id, const struct bundle_member *m)
{
	struct host_facts h;
	struct ms_record r;
	struct ms_err e = MS_ERR_INIT;
	size_t pos = 0;
	int rc = 0;
	host_facts_init(&h);
	while (rc == 0 && record_next(m->data, m->len, &pos, &r, m->name, &e) > 0)
		rc = host_facts_add(&h, &r);
	ms_err_release(&e);
	const struct host_value *name = &h.f[HF_HOSTNAME], *boot = &h.f[HF_BOOT_ID];
	if (rc == 0 && name->got == BT_FOUND && name->text)
		rc = take(&id->hostname, name->text, strlen(name->text));
	if (rc == 0 && boot->got == BT_FOUND && boot->text)
		rc = take(&id->boot_id, boot->text, strlen(boot->text));
	host_facts_release(&h);
	return rc;
}

static int on_member(void *ctx, const struct bundle_member *m, struct ms_err *err)
{
	struct ident *id = ctx;
	if (!strcmp(m->name, MS_MEMBER_HEADER)) {
		if (on_header(id, m) < 0)
			return ms_err_set(err, ENOMEM, "out of memory");
		return 0;
	}
	if (!id->header)
		return ms_err_set(err, EINVAL, "first member is '%s', not '%s': not a memsnap bundle",
				  m->name, MS_MEMBER_HEADER);
	const char *kind = strchr(m->name, '/');
	if (!kind)
		return 0;
	if (!strcmp(kind + 1, "host") && on_host(id, m) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	/* the host member comes first in its sample: at its end, or the
	 * first sample's meta, nothing more is to be learnt */
	id->done = !strcmp(kind + 1, "host") || !strcmp(kind + 1, "meta");
	return id->done;
}

static void ident_release(struct ident *id)
{
	free(id->hostname);
	free(id->boot_id);
	free(id->ring_id);
	memset(id, 0, sizeof(*id));
}

/* The identity of bundle PATH; -1 with ERR when it cannot be read. */
static int identify(const char *path, struct ident *id, struct ms_err *err)
{
	struct bundle_limits lim = { MS_DEFAULT_MAX_MEMBER, MS_DEFAULT_MAX_TOTAL };
	struct bundle_read_result rr;
	memset(id, 0, sizeof(*id));
	int rc = bundle_read(path, &lim, on_member, id, &rr, err);
	if (rc == 0 && !id->header)
		rc = ms_err_set(err, EINVAL, "no '%s' member: not a memsnap bundle", MS_MEMBER_HEADER);
	bundle_read_result_release(&rr);
	return rc;
}

/* The grouping key of ID ("ring\nRING", "host\nNAME\nBOOT"), or one of
 * its own for a bundle that says neither (keyed by PATH). */
static char *group_key(const struct ident *id, const char *path)
{
	struct ms_buf b;
	if (ms_buf_init(&b, 128) < 0)
		return NULL;
	int rc = id->ring_id ? ms_buf_addf(&b, "ring\n%s", id->ring_id)
		 : id->hostname || id->boot_id
		 ? ms_buf_addf(&b, "host\n%s\n%s", id->hostname ? id->hostname : "",
			       id->boot_id ? id->boot_id : "")
		 : ms_buf_addf(&b, "path\n%s", path);
	if (rc < 0) {
		ms_buf_release(&b);
		return NULL;
	}
	return b.data;
}

static struct host_group *group_new(struct host_groups *hg, char *key)
{
	struct host_group *ng = realloc(hg->g, (hg->n + 1) * sizeof(*ng));
	if (!ng)
		return NULL;
	hg->g = ng;
	struct host_group *g = &hg->g[hg->n++];
	memset(g, 0, sizeof(*g));
	g->key = key;
	return g;
}

static int group_add_path(struct host_group *g, const char *path)
{
	char **np = realloc(g->paths, (g->n + 1) * sizeof(*np));
	if (!np)
		return -1;
	g->paths = np;
	if (!(g->paths[g->n] = strdup(path)))
		return -1;
	g->n++;
	return 0;
}

/* A group of its own for input PATH that gave nothing: "PATH: WHY". */
static int add_failed(struct host_groups *hg, const char *path, const char *why)
{
	struct host_group *g = group_new(hg, NULL);
	if (!g || group_add_path(g, path) < 0)
		return -1;
	size_t n = strlen(path) + strlen(why) + 3;
	if (!(g->error = malloc(n)))
		return -1;
	snprintf(g->error, n, "%s: %s", path, why);
	return 0;
}

/* Bundle PATH into its group (a new one when its host is new). */
static int add_bundle(struct host_groups *hg, const char *path, struct ms_err *err)
{
	struct ident id;
	struct ms_err e = MS_ERR_INIT;
	struct host_group *g = NULL;
	char *key = NULL;
	int rc = -1;
	if (identify(path, &id, &e) < 0) {
		rc = add_failed(hg, path, ms_err_msg(&e));
		goto out;
	}
	if (!(key = group_key(&id, path)))
		goto out;
	for (size_t i = 0; i < hg->n && !g; i++)
		if (hg->g[i].key && !strcmp(hg->g[i].key, key))
			g = &hg->g[i];
	if (!g) {
		if (!(g = group_new(hg, key)))
			goto out;
		key = NULL;
		g->hostname = id.hostname;
		g->boot_id = id.boot_id;
		g->ring_id = id.ring_id;
		id.hostname = id.boot_id = id.ring_id = NULL;
	}
	rc = group_add_path(g, path);
out:
	free(key);
	ms_err_release(&e);
	ident_release(&id);
	return rc < 0 ? ms_err_set(err, ENOMEM, "out of memory") : 0;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of DIR that are bundles (*.tar.zst files) or recorder
 * directories (with a ring/), sorted by name, as "DIR/NAME". */
static int list_dir(const char *dir, char ***out, size_t *n, struct ms_err *err)
{
	DIR *d = opendir(dir);
	*out = NULL;
	*n = 0;
	if (!d)
		return ms_err_set(err, errno, "'%s': %s", dir, strerror(errno));
	struct dirent *de;
	struct ms_buf p;
	int rc = ms_buf_init(&p, 256);
	while (rc == 0 && (de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.')
			continue;
		ms_buf_reset(&p);
		int bundle = l > 8 && !strcmp(de->d_name + l - 8, ".tar.zst");
		if ((rc = ms_buf_addf(&p, "%s/%s/" RING_DIR, dir, de->d_name)) < 0)
			break;
		if (!bundle && !is_dir(p.data))
			continue;
		p.data[p.len - strlen("/" RING_DIR)] = '\0';
		char **nn = realloc(*out, (*n + 1) * sizeof(*nn));
		if (!nn || !(nn[*n] = strdup(p.data))) {
			*out = nn ? nn : *out;
			rc = -1;
			break;
		}
		*out = nn;
		(*n)++;
	}
	closedir(d);
	ms_buf_release(&p);
	if (rc < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	if (*n)
		qsort(*out, *n, sizeof(**out), cmp_str);
	return 0;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int add_input(struct host_groups *hg, const char *input, int depth, struct ms_err *err);

/* A directory: a recorder's DIR (its ring), or one of bundles and
 * recorders' DIRs.  One that holds no bundle is an error at the top
 * (DEPTH 0), a failed group below it. */
static int add_dir(struct host_groups *hg, const char *dir, int depth, struct ms_err *err)
{
	char **names;
	size_t n;
	struct ms_buf ring;
	if (ms_buf_init(&ring, 256) < 0 || ms_buf_addf(&ring, "%s/" RING_DIR, dir) < 0) {
		ms_buf_release(&ring);
		return ms_err_set(err, ENOMEM, "out of memory");
	}
	int rc = list_dir(is_dir(ring.data) ? ring.data : dir, &names, &n, err);
	ms_buf_release(&ring);
	if (rc < 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = add_input(hg, names[i], depth + 1, err);
	free_list(names, n);
	if (rc < 0 || n)
		return rc;
	static const char none[] = "no bundle in it (*.tar.zst, or a recorder's ring/)";
	if (depth == 0)
		return ms_err_set(err, ENOENT, "'%s': %s", dir, none);
	return add_failed(hg, dir, none) < 0 ? ms_err_set(err, ENOMEM, "out of memory") : 0;
}

static int add_input(struct host_groups *hg, const char *input, int depth, struct ms_err *err)
{
	return is_dir(input) ? add_dir(hg, input, depth, err) : add_bundle(hg, input, err);
}

static const char *group_name(const struct host_group *g)
{
	return g->error ? g->paths[0] : g->hostname ? g->hostname : "unknown";
}

/* Unique labels: the host name, "NAME/ID" (8 characters of the boot id
 * or ring id) where names repeat, "#N" appended if that is not enough. */
static int label_groups(struct host_groups *hg)
{
	for (size_t i = 0; i < hg->n; i++) {
		struct host_group *g = &hg->g[i];
		const char *name = group_name(g), *id = g->boot_id ? g->boot_id : g->ring_id;
		int shared = 0;
		for (size_t k = 0; k < hg->n; k++)
			shared |= k != i && !g->error && !hg->g[k].error && !strcmp(group_name(&hg->g[k]), name);
		struct ms_buf b;
		if (ms_buf_init(&b, 64) < 0)
			return -1;
		if ((shared && id ? ms_buf_addf(&b, "%s/%.8s", name, id) : ms_buf_addstr(&b, name)) < 0) {
			ms_buf_release(&b);
			return -1;
		}
		size_t base = b.len, dup = 1;
		for (size_t k = 0; k < i; k++) {
			if (strcmp(hg->g[k].label, b.data))
				continue;
			b.data[b.len = base] = '\0';
			if (ms_buf_addf(&b, "#%zu", ++dup) < 0) {
				ms_buf_release(&b);
				return -1;
			}
			k = (size_t)-1; /* check the new label against every earlier one */
		}
		text_clean(b.data, 0); /* a host name is bundle data on its way to a terminal */
		g->label = b.data;
	}
	return 0;
}

int host_groups_open(struct host_groups *hg, const char *const *inputs, size_t n,
		     struct ms_err *err)
{
	memset(hg, 0, sizeof(*hg));
	for (size_t i = 0; i < n; i++)
		if (add_input(hg, inputs[i], 0, err) < 0)
			return -1;
	return label_groups(hg) < 0 ? ms_err_set(err, ENOMEM, "out of memory") : 0;
}

void host_groups_release(struct host_groups *hg)
{
	for (size_t i = 0; i < hg->n; i++) {
		struct host_group *g = &hg->g[i];
		free(g->hostname);
		free(g->boot_id);
		free(g->ring_id);
		free(g->key);
		free(g->label);
		free(g->error);
		free_list(g->paths, g->n);
	}
	free(hg->g);
	memset(hg, 0, sizeof(*hg));
}
