/*
 * redact_names.c - names to pseudonyms (see redact_names.h).
 */
#include "redact_names.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ms_hash.h"
#include "record.h"

struct name_ent {
	char *real;                /* NULL: free slot */
	size_t n;
	enum redact_class c;
	char *pseudo;
};

static const char *const class_name[RC_NCLASSES] = { "host", "cgroup", "user" };
static const char *const class_prefix[RC_NCLASSES] = { "host-", "cg-", "user-" };

/* cgroup names every host has, kept as they are: systemd's slices and
 * scopes, the runtimes' and Kubernetes' parents (never a container's own
 * name or id) */
static const char *const common_cgroups[] = {
	"-.slice", "system.slice", "user.slice", "machine.slice", "init.scope", "app.slice",
	"background.slice", "session.slice", "kubepods", "kubepods.slice",
	"kubepods-besteffort.slice", "kubepods-burstable.slice", "besteffort", "burstable",
	"docker", "lxc", "lxc.payload", "lxc.monitor", "libpod_parent",
};

/* names made of a number between a prefix and a suffix (a uid, a session) */
static const char *const numbered_cgroups[][2] = {
	{ "user-", ".slice" }, { "user@", ".service" }, { "session-", ".scope" },
};

/* systemd unit suffixes, kept on a pseudonym */
static const char *const unit_suffixes[] = {
	".slice", ".scope", ".service", ".mount", ".socket", ".swap",
};

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int add(struct ms_buf *out, const char *p, size_t n, struct ms_err *err)
{
	return ms_buf_add(out, p, n) < 0 ? ms_err_set(err, ENOMEM, "out of memory") : 0;
}

int name_map_init(struct name_map *m, int fd, struct ms_err *err)
{
	static const char head[] =
		"# memsnap redact: CLASS PSEUDONYM REAL, tab-separated (REAL with bytes <= 0x20,\n"
		"# '%' and 0x7f as %XX). Keep this file private: it undoes the redaction.\n";
	memset(m, 0, sizeof(*m));
	m->fd = fd;
	m->seed = ms_hash_seed();
	if (fd >= 0 && write_all(fd, head, sizeof(head) - 1) < 0)
		return ms_err_set(err, errno, "writing the mapping: %s", strerror(errno));
	return 0;
}

void name_map_release(struct name_map *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->t[i].real);
		free(m->t[i].pseudo);
	}
	free(m->t);
	memset(m, 0, sizeof(*m));
	m->fd = -1;
}

static size_t slot(const struct name_map *m, enum redact_class c, const char *real, size_t n)
{
	size_t j = ms_hash_u64x2(ms_hash_bytes(real, n, m->seed), (uint64_t)c, m->seed) &
		   (m->cap - 1);
	while (m->t[j].real &&
	       !(m->t[j].c == c && m->t[j].n == n && !memcmp(m->t[j].real, real, n)))
		j = (j + 1) & (m->cap - 1);
	return j;
}

static int grow(struct name_map *m)
{
	struct name_map g = *m;
	g.cap = m->cap ? m->cap * 2 : 64;
	if (!(g.t = calloc(g.cap, sizeof(*g.t))))
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->t[i].real)
			g.t[slot(&g, m->t[i].c, m->t[i].real, m->t[i].n)] = m->t[i];
	free(m->t);
	*m = g;
	return 0;
}

/* The mapping file's line for E */
static int write_pair(struct name_map *m, const struct name_ent *e, struct ms_err *err)
{
	if (m->fd < 0)
		return 0;
	struct ms_buf line;
	if (ms_buf_init(&line, e->n + 64) < 0 ||
	    ms_buf_addf(&line, "%s\t%s\t", class_name[e->c], e->pseudo) < 0 ||
	    record_escape(&line, e->real, e->n) < 0 || ms_buf_add(&line, "\n", 1) < 0) {
		ms_buf_release(&line);
		return ms_err_set(err, ENOMEM, "out of memory");
	}
	int rc = write_all(m->fd, line.data, line.len);
	ms_buf_release(&line);
	return rc < 0 ? ms_err_set(err, errno, "writing the mapping: %s", strerror(errno)) : 0;
}

int name_map_put(struct name_map *m, enum redact_class c, const char *real, size_t n,
		 size_t suffix, struct ms_buf *out, struct ms_err *err)
{
	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	struct name_ent *e = &m->t[slot(m, c, real, n)];
	if (!e->real) {
		struct name_ent ne = { malloc(n + 1), n, c, NULL };
		size_t pl = strlen(class_prefix[c]) + 12 + suffix;
		if (ne.real && (ne.pseudo = malloc(pl))) {
			memcpy(ne.real, real, n);
			ne.real[n] = '\0';
			snprintf(ne.pseudo, pl, "%s%u%.*s", class_prefix[c], ++m->next[c], (int)suffix,
				 real + n - suffix);
		}
		if (!ne.pseudo) {
			free(ne.real);
			return ms_err_set(err, ENOMEM, "out of memory");
		}
		*e = ne;
		m->n++;
		if (write_pair(m, e, err) < 0)
			return -1;
	}
	return add(out, e->pseudo, strlen(e->pseudo), err);
}

static int is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(s, word, n);
}

static int ends_with(const char *s, size_t n, const char *tail)
{
	size_t t = strlen(tail);
	return n >= t && !memcmp(s + n - t, tail, t);
}

/* NAME kept as it is: a name every host has, or a uid's or a session's */
static int common_name(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(common_cgroups) / sizeof(*common_cgroups); i++)
		if (is(s, n, common_cgroups[i]))
			return 1;
	for (size_t i = 0; i < sizeof(numbered_cgroups) / sizeof(*numbered_cgroups); i++) {
		size_t p = strlen(numbered_cgroups[i][0]), q = strlen(numbered_cgroups[i][1]);
		if (n <= p + q || memcmp(s, numbered_cgroups[i][0], p) ||
		    !ends_with(s, n, numbered_cgroups[i][1]))
			continue;
		size_t d = p;
		while (d < n - q && s[d] >= '0' && s[d] <= '9')
			d++;
		if (d == n - q)
			return 1;
	}
	return 0;
}

/* "memory." and lower-case letters, digits, '_' and '.': every cgroup
 * memory interface file (a directory named so keeps its name) */
static int interface_file(const char *s, size_t n)
{
	if (n <= 7 || memcmp(s, "memory.", 7))
		return 0;
	for (size_t i = 7; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		      s[i] == '.'))
			return 0;
	return 1;
}

static int cgroup_name(struct name_map *m, const char *s, size_t n, struct ms_buf *out,
		       struct ms_err *err)
{
	if (!n || common_name(s, n))
		return add(out, s, n, err);
	size_t suffix = 0;
	for (size_t i = 0; i < sizeof(unit_suffixes) / sizeof(*unit_suffixes); i++)
		if (n > strlen(unit_suffixes[i]) && ends_with(s, n, unit_suffixes[i]))
			suffix = strlen(unit_suffixes[i]);
	return name_map_put(m, RC_CGROUP, s, n, suffix, out, err);
}

int redact_cgroup_path(struct name_map *m, const char *rel, size_t n, int file,
		       struct ms_buf *out, struct ms_err *err)
{
	const char *p = rel, *end = rel + n;
	while (p < end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		size_t len = (size_t)((slash ? slash : end) - p);
		int rc = !slash && file && interface_file(p, len) ? add(out, p, len, err)
								   : cgroup_name(m, p, len, out, err);
		if (rc < 0 || (slash && add(out, "/", 1, err) < 0))
			return -1;
		p = slash ? slash + 1 : end;
	}
	return 0;
}

int redact_homes(struct name_map *m, const char *text, size_t n, struct ms_buf *out,
		 struct ms_err *err)
{
	const char *p = text, *end = text + n, *h;
	while ((h = memmem(p, (size_t)(end - p), "/home/", 6))) {
		const char *name = h + 6, *e = name;
		while (e < end && *e != '/' && *e != '\n' && *e != ' ' && *e != '\0')
			e++;
		if (add(out, p, (size_t)(name - p), err) < 0)
			return -1;
		if (e > name && name_map_put(m, RC_USER, name, (size_t)(e - name), 0, out, err) < 0)
			return -1;
		p = e;
	}
	return add(out, p, (size_t)(end - p), err);
}
