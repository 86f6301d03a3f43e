/*
 * redact.c - a bundle's members made fit to share (see redact.h).
 */
#include "redact.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_format.h"
#include "bundle_text.h"
#include "parse_stat.h"
#include "record.h"
#include "recording_format.h"
#include "redact_names.h"

struct redactor {
	struct redact_opts o;
	struct name_map names;
	char *mount[2];              /* the cgroup mounts, longer first; NULL: none */
	int has_offset;              /* rewrite meta's offset: the bundle is rewritten */
	uint64_t offset;             /* ... to this: the new file's bytes so far */
	int64_t stat_pid;            /* the process of the last stat record */
	char stat_comm[64];
	uint64_t cmdlines;
	struct ms_buf path, npath, body, status;
};

static const char *const cmdline_word[] = { "keep", "argv0", "none" };

int redactor_new(struct redactor **out, const struct redact_opts *o, int map_fd,
		 struct ms_err *err)
{
	struct redactor *r = calloc(1, sizeof(*r));
	*out = r;
	if (!r)
		return ms_err_set(err, ENOMEM, "out of memory");
	r->o = *o;
	r->stat_pid = -1;
	r->names.fd = -1;
	if (ms_buf_init(&r->path, 256) < 0 || ms_buf_init(&r->npath, 256) < 0 ||
	    ms_buf_init(&r->body, 4096) < 0 || ms_buf_init(&r->status, 32) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	return name_map_init(&r->names, o->names ? map_fd : -1, err);
}

void redactor_free(struct redactor *r)
{
	if (!r)
		return;
	name_map_release(&r->names);
	free(r->mount[0]);
	free(r->mount[1]);
	ms_buf_release(&r->path);
	ms_buf_release(&r->npath);
	ms_buf_release(&r->body);
	ms_buf_release(&r->status);
	free(r);
}

char *redact_map_path(const char *bundle)
{
	size_t n = strlen(bundle) + 5;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s.map", bundle);
	return p;
}

void redactor_set_offset(struct redactor *r, uint64_t bytes)
{
	r->has_offset = 1;
	r->offset = bytes;
}

struct redact_counts redactor_counts(const struct redactor *r)
{
	struct redact_counts c = { r->cmdlines, r->names.n };
	return c;
}

static int nomem(struct ms_err *err)
{
	return ms_err_set(err, ENOMEM, "out of memory");
}

static int is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(s, word, n);
}

/* A host name: mapped, but for the kernel's placeholders */
static int host_name(struct redactor *r, const char *s, size_t n, struct ms_buf *out,
		     struct ms_err *err)
{
	if (!n || is(s, n, "(none)") || is(s, n, "localhost"))
		return ms_buf_add(out, s, n) < 0 ? nomem(err) : 0;
	return name_map_put(&r->names, RC_HOST, s, n, 0, out, err);
}

/* --- the "KEY VALUE" texts: the header and memsnap:uname --- */

/* The value V (N bytes) of key K appended to OUT as it is to be: 0; 1 to
 * leave K's line out; -1 with ERR */
typedef int (*kv_fn)(struct redactor *r, enum bt_key k, const char *v, size_t n,
		     struct ms_buf *out, struct ms_err *err);

/* TEXT's lines into OUT, the value of each key in KEYS through FN */
static int kv_rewrite(struct redactor *r, const char *t, size_t n, const enum bt_key *keys,
		      size_t nkeys, kv_fn fn, struct ms_buf *out, struct ms_err *err)
{
	const char *p = t, *end = t + n;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *e = eol ? eol : end, *sp = memchr(p, ' ', (size_t)(e - p));
		size_t i = nkeys, start = out->len;
		if (sp)
			for (i = 0; i < nkeys && !is(p, (size_t)(sp - p), bt_key_name(keys[i])); i++)
				;
		int rc = 0;
		if (i == nkeys)
			rc = ms_buf_add(out, p, (size_t)(e - p)) < 0 ? nomem(err) : 0;
		else if (ms_buf_add(out, p, (size_t)(sp + 1 - p)) < 0)
			rc = nomem(err);
		else
			rc = fn(r, keys[i], sp + 1, (size_t)(e - sp - 1), out, err);
		if (rc < 0)
			return -1;
		if (rc == 1)
			out->len = start;
		else if (eol && ms_buf_add(out, "\n", 1) < 0)
			return nomem(err);
		p = eol ? eol + 1 : end;
	}
	out->data[out->len] = '\0';
	return 0;
}

/* the header's command: the collector's command line, cut as the others */
static size_t command_cut(const struct redactor *r, const char *v, size_t n)
{
	if (r->o.cmdline == REDACT_CMDLINE_NONE)
		return 0;
	const char *sp = memchr(v, ' ', n);
	return r->o.cmdline == REDACT_CMDLINE_ARGV0 && sp ? (size_t)(sp - v) : n;
}

/* hostname and command rewritten; an earlier "redacted" line left out
 * (a new one says what both passes did) */
static int header_value(struct redactor *r, enum bt_key k, const char *v, size_t n,
			struct ms_buf *out, struct ms_err *err)
{
	if (k == BK_REDACTED)
		return 1;
	if (k == BK_HOSTNAME && r->o.names)
		return host_name(r, v, n, out, err);
	if (k == BK_COMMAND)
		n = command_cut(r, v, n);
	return ms_buf_add(out, v, n) < 0 ? nomem(err) : 0;
}

/* meta's offset and the trailer's bytes_before_trailer: the new file's */
static int offset_value(struct redactor *r, enum bt_key k, const char *v, size_t n,
			struct ms_buf *out, struct ms_err *err)
{
	(void)k;
	(void)v;
	(void)n;
	return ms_buf_addf(out, "%llu", (unsigned long long)r->offset) < 0 ? nomem(err) : 0;
}

static int uname_value(struct redactor *r, enum bt_key k, const char *v, size_t n,
		       struct ms_buf *out, struct ms_err *err)
{
	(void)k;
	if (r->o.names)
		return host_name(r, v, n, out, err);
	return ms_buf_add(out, v, n) < 0 ? nomem(err) : 0;
}

/* The header's cgroup mount K, "-" or absent: none */
static int take_mount(const char *t, size_t n, enum bt_key k, char **out)
{
	if (bt_get_str(t, n, k, out) < 0)
		return -1;
	if (*out && (!**out || !strcmp(*out, "-"))) {
		free(*out);
		*out = NULL;
	}
	return 0;
}

/* The "redacted" line: what this pass did, and what an earlier one did
 * (a bundle redacted twice says the stronger of each) */
static int redacted_line(struct redactor *r, const char *t, size_t n, struct ms_buf *out,
			 struct ms_err *err)
{
	struct bt_span old = { "", 0 };
	bt_get(t, n, BK_REDACTED, &old);
	int level = (int)r->o.cmdline, names = r->o.names;
	for (int i = 0; i < 3; i++) {
		char w[32];
		snprintf(w, sizeof(w), "cmdline=%s", cmdline_word[i]);
		if (memmem(old.p, old.n, w, strlen(w)) && i > level)
			level = i;
	}
	names |= memmem(old.p, old.n, "names=pseudonyms", 16) != NULL;
	return bt_put(out, BK_REDACTED, "cmdline=%s names=%s", cmdline_word[level],
		      names ? "pseudonyms" : "kept") < 0 ? nomem(err) : 0;
}

static int header(struct redactor *r, const char *t, size_t n, struct ms_buf *out,
		  struct ms_err *err)
{
	static const enum bt_key keys[] = { BK_HOSTNAME, BK_COMMAND, BK_REDACTED };
	free(r->mount[0]);
	free(r->mount[1]);
	r->mount[0] = r->mount[1] = NULL;
	if (take_mount(t, n, BK_CGROUP_V1_MEMORY, &r->mount[0]) < 0 ||
	    take_mount(t, n, BK_CGROUP_V2, &r->mount[1]) < 0)
		return nomem(err);
	if (r->mount[0] && r->mount[1] && strlen(r->mount[1]) > strlen(r->mount[0])) {
		char *m = r->mount[0];
		r->mount[0] = r->mount[1];
		r->mount[1] = m;
	}
	if (kv_rewrite(r, t, n, keys, 3, header_value, out, err) < 0)
		return -1;
	if (out->len && out->data[out->len - 1] != '\n' && ms_buf_add(out, "\n", 1) < 0)
		return nomem(err);
	return redacted_line(r, t, n, out, err);
}

/* --- records --- */

/* "/proc/PID/FILE": FILE (and *PID), or NULL */
static const char *proc_file(const char *path, int64_t *pid)
{
	if (strncmp(path, "/proc/", 6) || path[6] < '1' || path[6] > '9')
		return NULL;
	char *end;
	long long v = strtoll(path + 6, &end, 10);
	if (*end != '/')
		return NULL;
	*pid = v;
	return end + 1;
}

/* the process whose stat this is: its name, for the KEEP patterns */
static void note_stat(struct redactor *r, const char *t, size_t n)
{
	struct proc_stat st;
	struct ms_err ignored = MS_ERR_INIT;
	r->stat_pid = parse_stat(t, n, &st, NULL, &ignored) == 0 ? st.pid : -1;
	if (r->stat_pid >= 0)
		memcpy(r->stat_comm, st.comm, sizeof(r->stat_comm));
	ms_err_release(&ignored);
}

static int keep_whole(const struct redactor *r, int64_t pid)
{
	if (r->o.cmdline == REDACT_CMDLINE_KEEP)
		return 1;
	for (size_t i = 0; pid == r->stat_pid && i < r->o.nkeep; i++)
		if (fnmatch(r->o.keep[i], r->stat_comm, 0) == 0)
			return 1;
	return 0;
}

size_t redact_argv0_len(const char *t, size_t n)
{
	size_t k = strnlen(t, n);
	const char *sp = memchr(t, ' ', k);
	return sp ? (size_t)(sp - t) : k;
}

/* the command line as asked; argv[0]'s NUL kept, as the kernel writes it */
static int cmdline(struct redactor *r, int64_t pid, const char *t, size_t n, struct ms_buf *out,
		   struct ms_err *err)
{
	size_t keep = n;
	if (!keep_whole(r, pid))
		keep = r->o.cmdline == REDACT_CMDLINE_NONE ? 0 : redact_argv0_len(t, n);
	int nul = keep < n && r->o.cmdline != REDACT_CMDLINE_NONE;
	if (keep + (size_t)nul < n)
		r->cmdlines++;
	int rc = r->o.names ? redact_homes(&r->names, t, keep, out, err)
			    : (ms_buf_add(out, t, keep) < 0 ? nomem(err) : 0);
	return rc < 0 || (nul && ms_buf_add(out, "", 1) < 0) ? (rc < 0 ? -1 : nomem(err)) : 0;
}

/* /proc/PID/cgroup: "ID:CONTROLLERS:PATH" lines, each PATH's names
 * mapped; a line not of that form is left out (it may hold a name) */
static int proc_cgroup(struct redactor *r, const char *t, size_t n, struct ms_buf *out,
		       struct ms_err *err)
{
	const char *p = t, *end = t + n;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *e = eol ? eol : end;
		const char *c1 = memchr(p, ':', (size_t)(e - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(e - c1 - 1)) : NULL;
		if (c2) {
			if (ms_buf_add(out, p, (size_t)(c2 + 1 - p)) < 0)
				return nomem(err);
			if (redact_cgroup_path(&r->names, c2 + 1, (size_t)(e - c2 - 1), 0, out, err) < 0)
				return -1;
			if (eol && ms_buf_add(out, "\n", 1) < 0)
				return nomem(err);
		}
		p = eol ? eol + 1 : end;
	}
	return 0;
}

/* /proc/sys/kernel/hostname: the name and its newline */
static int hostname(struct redactor *r, const char *t, size_t n, struct ms_buf *out,
		    struct ms_err *err)
{
	size_t k = n && t[n - 1] == '\n' ? n - 1 : n;
	if (host_name(r, t, k, out, err) < 0)
		return -1;
	return ms_buf_add(out, t + k, n - k) < 0 ? nomem(err) : 0;
}

/* The text of the record at PATH (DATA, N bytes) into R->body when it is
 * rewritten: 1; 0 to keep it as it is */
static int content(struct redactor *r, const char *path, const char *t, size_t n,
		   struct ms_err *err)
{
	static const enum bt_key nodename[] = { BK_NODENAME };
	struct ms_buf *b = &r->body;
	int64_t pid;
	const char *f = proc_file(path, &pid);
	ms_buf_reset(b);
	int rc;
	if (f && !strcmp(f, "stat")) {
		note_stat(r, t, n);
		return 0;
	} else if (f && !strcmp(f, "cmdline")) {
		rc = cmdline(r, pid, t, n, b, err);
	} else if (!r->o.names) {
		return 0;
	} else if (f && !strcmp(f, "cgroup")) {
		rc = proc_cgroup(r, t, n, b, err);
	} else if (f && (!strcmp(f, "smaps") || !strcmp(f, "numa_maps"))) {
		rc = redact_homes(&r->names, t, n, b, err);
	} else if (!strcmp(path, "/proc/sys/kernel/hostname")) {
		rc = hostname(r, t, n, b, err);
	} else if (!strcmp(path, MS_REC_UNAME)) {
		rc = kv_rewrite(r, t, n, nodename, 1, uname_value, b, err);
	} else {
		return 0;
	}
	return rc < 0 ? -1 : 1;
}

/* PATH into R->npath, a cgroup's directory names mapped */
static int record_path_redacted(struct redactor *r, const char *path, struct ms_err *err)
{
	ms_buf_reset(&r->npath);
	for (int i = 0; r->o.names && i < 2; i++) {
		size_t ml = r->mount[i] ? strlen(r->mount[i]) : 0;
		if (!ml || strncmp(path, r->mount[i], ml) || (path[ml] && path[ml] != '/'))
			continue;
		if (ms_buf_add(&r->npath, path, ml) < 0)
			return nomem(err);
		return redact_cgroup_path(&r->names, path + ml, strlen(path + ml), 1, &r->npath, err);
	}
	return ms_buf_addstr(&r->npath, path) < 0 ? nomem(err) : 0;
}

static int records(struct redactor *r, const char *member, const char *t, size_t n,
		   struct ms_buf *out, struct ms_err *err)
{
	size_t pos = 0;
	struct ms_record rec;
	int rc;
	while ((rc = record_next(t, n, &pos, &rec, member, err)) > 0) {
		ms_buf_reset(&r->status);
		if (record_path(&rec, &r->path) < 0 ||
		    ms_buf_add(&r->status, rec.status, rec.status_len) < 0)
			return nomem(err);
		if (strlen(r->path.data) != r->path.len) {
			/* no collector writes one: the redacted path would be cut */
			ms_err_set(err, EINVAL, "%s: a record's path holds a NUL byte", member);
			return 1;
		}
		int body = content(r, r->path.data, rec.data, rec.len, err);
		if (body < 0 || record_path_redacted(r, r->path.data, err) < 0)
			return -1;
		if (record_append(out, r->status.data, r->npath.data, body ? r->body.data : rec.data,
				  body ? r->body.len : rec.len, rec.usec) < 0)
			return nomem(err);
	}
	ms_buf_shrink(&r->body, 1 << 20);
	return rc < 0 ? 1 : 0;
}

/* One field of a trigger line (KEY=VALUE, VALUE escaped): a cgroup's
 * path gets its names mapped as a record path's do; the others (words
 * and numbers the recorder writes) are copied */
static int trigger_field(struct redactor *r, const char *f, size_t n, struct ms_buf *out,
			 struct ms_err *err)
{
	static const char key[] = "cgroup=";
	size_t kl = sizeof(key) - 1;
	if (n <= kl || memcmp(f, key, kl))
		return ms_buf_add(out, " ", 1) < 0 || ms_buf_add(out, f, n) < 0 ? nomem(err) : 0;
	ms_buf_reset(&r->path);
	if (record_unescape(f + kl, n - kl, &r->path) < 0)
		return nomem(err);
	if (record_path_redacted(r, r->path.data, err) < 0)
		return -1;
	return ms_trigger_field(out, "cgroup", r->npath.data, r->npath.len) < 0 ? nomem(err) : 0;
}

/* NNNNNN/trigger (recording_format.h): each line's kind and time as they
 * are, its fields through trigger_field(); a line that is not a trigger
 * line is left out */
static int triggers(struct redactor *r, const char *t, size_t n, struct ms_buf *out,
		    struct ms_err *err)
{
	size_t pos = 0;
	struct ms_trigger_rec rec;
	while (ms_trigger_next(t, n, &pos, &rec, NULL)) {
		const char *head_end = rec.fields_len ? rec.fields - 1 : rec.fields;
		if (ms_buf_add(out, rec.name, (size_t)(head_end - rec.name)) < 0)
			return nomem(err);
		const char *p = rec.fields, *end = rec.fields + rec.fields_len;
		while (p < end) {
			const char *we = memchr(p, ' ', (size_t)(end - p));
			if (!we)
				we = end;
			if (we > p && trigger_field(r, p, (size_t)(we - p), out, err) < 0)
				return -1;
			p = we + 1;
		}
		if (ms_buf_add(out, "\n", 1) < 0)
			return nomem(err);
	}
	return 0;
}

/* The trailer's values: bytes_before_trailer the new file's, and a ring
 * segment's trigger lines as a trigger member's (one a line; one that is
 * not a trigger line is left out) */
static int trailer_value(struct redactor *r, enum bt_key k, const char *v, size_t n,
			 struct ms_buf *out, struct ms_err *err)
{
	if (k == BK_BYTES_BEFORE_TRAILER)
		return offset_value(r, k, v, n, out, err);
	size_t start = out->len;
	if (triggers(r, v, n, out, err) < 0)
		return -1;
	if (out->len == start)
		return 1;
	out->len--; /* its newline: the line's own follows */
	return 0;
}

enum member_kind { MK_OTHER, MK_RECORDS, MK_COPY, MK_TRIGGER };

/* "NNNNNN/KIND": host and tier members are records, meta is copied */
static enum member_kind sample_member(const char *name)
{
	const char *slash = strchr(name, '/');
	if (!slash || slash == name || strspn(name, "0123456789") != (size_t)(slash - name))
		return MK_OTHER;
	const char *k = slash + 1;
	if (!strcmp(k, "host") || (k[0] == 't' && k[1] >= '0' && k[1] <= '9'))
		return MK_RECORDS;
	if (!strcmp(k, MS_KIND_TRIGGER))
		return MK_TRIGGER;
	return !strcmp(k, "meta") ? MK_COPY : MK_OTHER;
}

int redactor_member(struct redactor *r, const char *name, const char *data, size_t len,
		    struct ms_buf *out, struct ms_err *err)
{
	ms_buf_reset(out);
	if (!strcmp(name, MS_MEMBER_HEADER))
		return header(r, data, len, out, err);
	static const enum bt_key meta_offset[] = { BK_OFFSET };
	int trailer = !strcmp(name, MS_MEMBER_TRAILER);
	enum member_kind k = trailer ? MK_COPY : sample_member(name);
	if (k == MK_RECORDS)
		return records(r, name, data, len, out, err);
	if (k == MK_TRIGGER)
		return r->o.names ? triggers(r, data, len, out, err)
				  : (ms_buf_add(out, data, len) < 0 ? nomem(err) : 0);
	if (k == MK_OTHER)
		return 2;
	if (trailer) {
		enum bt_key keys[2];
		size_t nk = 0;
		if (r->has_offset)
			keys[nk++] = BK_BYTES_BEFORE_TRAILER;
		if (r->o.names)
			keys[nk++] = BK_TRIGGER;
		return kv_rewrite(r, data, len, keys, nk, trailer_value, out, err);
	}
	if (r->has_offset)
		return kv_rewrite(r, data, len, meta_offset, 1, offset_value,
				  out, err);
	return ms_buf_add(out, data, len) < 0 ? nomem(err) : 0;
}
