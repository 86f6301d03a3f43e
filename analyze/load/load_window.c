/*
 * load_window.c - the samples of a window, and what is kept of those
 * before it (see load_window.h).
 */
#include "load_window.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_format.h"
#include "cmdline.h"
#include "load_kinds.h"
#include "ms_hash.h"
#include "parse_num.h"
#include "parse_stat.h"
#include "record.h"

/* a process seen before the window, by pid: the latest one of that pid */
struct lw_proc {
	int64_t pid;
	uint64_t starttime;
	int known;                   /* starttime is its stat's */
	unsigned listed;             /* the generation of the last sample that listed it */
	char *cmdline;               /* owned; NULL: the collector could not read it */
	struct ms_buf kept[LW_KEPT]; /* the last text read of each kept file
				      * (w->kept); data NULL: none */
};

static void proc_forget(struct lw_proc *e)
{
	free(e->cmdline);
	e->cmdline = NULL;
	for (size_t k = 0; k < LW_KEPT; k++)
		ms_buf_release(&e->kept[k]);
}

void lw_init(struct load_window_state *w, double from, double to, uint64_t seed)
{
	memset(w, 0, sizeof(*w));
	w->from = from;
	w->to = to;
	w->seed = seed;
	w->gen = 1;
	w->stat_pid = -1;
}

void lw_drop_held(struct load_window_state *w)
{
	for (size_t i = 0; i < w->nheld; i++) {
		free(w->held[i].name);
		free(w->held[i].data);
	}
	w->nheld = 0;
}

void lw_release(struct load_window_state *w)
{
	lw_drop_held(w);
	free(w->held);
	for (size_t i = 0; i < w->ncmd; i++)
		proc_forget(&w->cmd[i]);
	free(w->cmd);
	free(w->slots);
	ms_buf_release(&w->text);
	ms_buf_release(&w->stat);
	memset(w, 0, sizeof(*w));
}

int lw_route(struct load_window_state *w, struct load_state *ls, const struct bundle_member *m,
	     unsigned num, struct ms_err *err)
{
	if (num == w->cur)
		return (int)w->route;
	if (w->nheld) {
		/* a held sample ended without its meta, and another follows */
		char msg[96];
		snprintf(msg, sizeof(msg), "sample %u has no valid meta: not loaded", w->cur);
		lw_drop_held(w);
		if (load_error(ls, m->name, NULL, msg, err) < 0)
			return -1;
	}
	w->cur = num;
	w->cur_mtime = m->mtime;
	w->stat_pid = -1;
	if (w->in)
		w->route = LW_LOAD;
	else if (w->trust && (double)m->mtime + 1 < w->from)
		w->route = LW_SKIP;
	else
		w->route = LW_HOLD;
	return (int)w->route;
}

int lw_hold(struct load_window_state *w, const struct bundle_member *m, struct ms_err *err)
{
	if (w->nheld == w->held_cap) {
		size_t nc = w->held_cap ? w->held_cap * 2 : 8;
		struct lw_member *h = realloc(w->held, nc * sizeof(*h));
		if (!h)
			return ms_err_set(err, ENOMEM, "out of memory");
		w->held = h;
		w->held_cap = nc;
	}
	struct lw_member *h = &w->held[w->nheld];
	h->name = strdup(m->name);
	h->data = malloc(m->len + 1);
	if (!h->name || !h->data) {
		free(h->name);
		free(h->data);
		return ms_err_set(err, ENOMEM, "out of memory");
	}
	memcpy(h->data, m->data, m->len + 1);
	h->len = m->len;
	h->mtime = m->mtime;
	h->offset = m->offset;
	w->nheld++;
	return 0;
}

int lw_meta(struct load_window_state *w, struct load_state *ls, const char *member, double wall,
	    enum lw_verdict *v, struct ms_err *err)
{
	/* the collector's mtime is the sample's start in whole seconds: a
	 * second apart at most, either way */
	if (fabs(wall - (double)w->cur_mtime) > 1) {
		w->distrust = 1;
		w->trust = 0;
	} else if (!w->distrust) {
		w->trust = 1;
	}
	*v = wall > w->to ? LW_AFTER : wall >= w->from ? LW_IN : LW_BEFORE;
	if (*v == LW_IN && w->route == LW_SKIP) {
		char msg[160];
		snprintf(msg, sizeof(msg), "sample %u is in the window, but the time of its members "
			 "(tar mtime) put it before: it was not loaded", w->cur);
		*v = LW_BEFORE;
		if (load_error(ls, member, NULL, msg, err) < 0)
			return -1;
	}
	if (*v == LW_IN) {
		w->in = 1;
		w->route = LW_LOAD;
	} else if (*v == LW_BEFORE) {
		w->before++;
	}
	return 0;
}

/* ---- the command lines of the processes before the window ---- */

static int slots_rebuild(struct load_window_state *w, size_t cap)
{
	int64_t *s = calloc(cap, sizeof(*s));
	if (!s)
		return -1;
	for (size_t i = 0; i < w->ncmd; i++) {
		size_t j = ms_hash_u64((uint64_t)w->cmd[i].pid, w->seed) & (cap - 1);
		while (s[j])
			j = (j + 1) & (cap - 1);
		s[j] = (int64_t)i + 1;
	}
	free(w->slots);
	w->slots = s;
	w->slots_cap = cap;
	return 0;
}

/* PID's entry, or NULL */
static struct lw_proc *find(struct load_window_state *w, int64_t pid)
{
	if (!w->slots_cap)
		return NULL;
	size_t j = ms_hash_u64((uint64_t)pid, w->seed) & (w->slots_cap - 1);
	for (; w->slots[j]; j = (j + 1) & (w->slots_cap - 1))
		if (w->cmd[w->slots[j] - 1].pid == pid)
			return &w->cmd[w->slots[j] - 1];
	return NULL;
}

/* PID's entry, a new one when it has none; NULL on ENOMEM */
static struct lw_proc *find_add(struct load_window_state *w, int64_t pid)
{
	struct lw_proc *e = find(w, pid);
	if (e)
		return e;
	if ((w->ncmd + 1) * 2 > w->slots_cap &&
	    slots_rebuild(w, w->slots_cap ? w->slots_cap * 2 : 1024) < 0)
		return NULL;
	if (w->ncmd == w->cmd_cap) {
		size_t nc = w->cmd_cap ? w->cmd_cap * 2 : 256;
		struct lw_proc *c = realloc(w->cmd, nc * sizeof(*c));
		if (!c)
			return NULL;
		w->cmd = c;
		w->cmd_cap = nc;
	}
	e = &w->cmd[w->ncmd];
	memset(e, 0, sizeof(*e));
	e->pid = pid;
	size_t j = ms_hash_u64((uint64_t)pid, w->seed) & (w->slots_cap - 1);
	while (w->slots[j])
		j = (j + 1) & (w->slots_cap - 1);
	w->slots[j] = (int64_t)++w->ncmd;
	return e;
}

/* R's path is /proc/PID/NAME: 1 with *PID and *NAME (not NUL-terminated) */
static int proc_file(const struct ms_record *r, int64_t *pid, const char **name, size_t *nlen)
{
	const char *p = r->path, *end = r->path + r->path_len;
	uint64_t v;
	if (r->path_len < 9 || memcmp(p, "/proc/", 6))
		return 0;
	p += 6;
	if (ms_scan_u64(&p, end, &v) < 0 || v > INT64_MAX || p == end || *p != '/')
		return 0;
	*pid = (int64_t)v;
	*name = p + 1;
	*nlen = (size_t)(end - p - 1);
	return 1;
}

static int is(const char *name, size_t n, const char *s)
{
	return n == strlen(s) && !memcmp(name, s, n);
}

/* The entry of the process whose stat is the text STAT (LEN bytes) of
 * PID, emptied when it was another process's (a reused PID); *E NULL when
 * the stat is not one the loader would take. */
static int entry_of(struct load_window_state *w, const char *stat, size_t len, int64_t pid,
		    struct lw_proc **e, struct ms_err *err)
{
	struct proc_stat st;
	struct ms_err perr = MS_ERR_INIT;
	int bad = parse_stat(stat, len, &st, NULL, &perr) < 0 || st.pid != pid;
	ms_err_release(&perr);
	*e = NULL;
	if (bad)
		return 0; /* the loader would not have the process either */
	if (!(*e = find_add(w, pid)))
		return ms_err_set(err, ENOMEM, "out of memory");
	if ((*e)->listed != w->gen)
		w->marked++;
	(*e)->listed = w->gen;
	if (!(*e)->known || (*e)->starttime != st.starttime)
		proc_forget(*e);
	(*e)->starttime = st.starttime;
	(*e)->known = 1;
	return 0;
}

/* The command line R (a cmdline record) of the process whose stat is the
 * text STAT (LEN bytes).  (Its comm record is not kept: stat has the same
 * name, which the loader follows.) */
static int keep(struct load_window_state *w, const char *stat, size_t len,
		const struct ms_record *r, int64_t pid, struct ms_err *err)
{
	struct lw_proc *e;
	if (entry_of(w, stat, len, pid, &e, err) < 0)
		return -1;
	if (!e)
		return 0;
	free(e->cmdline);
	e->cmdline = NULL;
	if (!record_status_is(r, "ok") && !record_status_is(r, "trunc"))
		return 0; /* not read: unknown, as in a load of the whole bundle */
	if (cmdline_parse(r->data, r->len, &w->text, err) < 0 ||
	    !(e->cmdline = strdup(w->text.data ? w->text.data : "")))
		return ms_err_set(err, ENOMEM, "out of memory");
	return 0;
}

/* Kept file K's text R (read) of the process whose stat is STAT */
static int keep_text(struct load_window_state *w, const char *stat, size_t len,
		       const struct ms_record *r, int64_t pid, size_t k, struct ms_err *err)
{
	struct lw_proc *e;
	if (entry_of(w, stat, len, pid, &e, err) < 0)
		return -1;
	if (!e)
		return 0;
	struct ms_buf *b = &e->kept[k];
	if (!b->data && ms_buf_init(b, r->len + 1) < 0)
		return ms_err_set(err, ENOMEM, "out of memory");
	ms_buf_reset(b);
	return ms_buf_add(b, r->data, r->len) < 0 ? ms_err_set(err, ENOMEM, "out of memory") : 0;
}

/* The index of kept file NAME (N bytes) in w->kept, or -1 */
static int kept_index(const struct load_window_state *w, const char *name, size_t n)
{
	for (size_t k = 0; k < w->nkept; k++)
		if (strlen(w->kept[k]) == n && !memcmp(w->kept[k], name, n))
			return (int)k;
	return -1;
}

static void add_names(struct load_window_state *w, struct bt_span list)
{
	const char *p = list.p, *end = list.p + list.n;
	while (w->nkept < LW_KEPT) {
		p = ms_skip_blank(p, end);
		const char *q = p;
		while (q < end && *q != ' ' && *q != '\t')
			q++;
		if (q == p)
			break;
		if ((size_t)(q - p) < sizeof(w->kept[0])) {
			memcpy(w->kept[w->nkept], p, (size_t)(q - p));
			w->kept[w->nkept++][q - p] = '\0';
		}
		p = q;
	}
}

void lw_kept_names(struct load_window_state *w, struct bt_span sparse, struct bt_span unchanged)
{
	w->nkept = 0;
	add_names(w, sparse);
	w->nsparse = w->nkept;
	add_names(w, unchanged);
}

int lw_scan(struct load_window_state *w, const struct bundle_member *m, struct ms_err *err)
{
	size_t pos = 0;
	struct ms_record r;
	struct ms_err perr = MS_ERR_INIT;
	/* the last stat read: a part of t0 may end between a process's stat
	 * and its cmdline, so the one of the part before is kept (w->stat) */
	const char *stat = w->stat.data;
	size_t stat_len = w->stat.len;
	int64_t stat_pid = w->stat_pid, pid;
	const char *name;
	size_t n;
	int rc;
	while ((rc = record_next(m->data, m->len, &pos, &r, m->name, &perr)) > 0) {
		if (!proc_file(&r, &pid, &name, &n))
			continue;
		int read = record_status_is(&r, "ok") || record_status_is(&r, "trunc");
		if (is(name, n, "stat") && read) {
			stat = r.data;
			stat_len = r.len;
			stat_pid = pid;
			w->listed_any = 1;
			struct lw_proc *e = find(w, pid);
			if (e && e->listed != w->gen) {
				e->listed = w->gen;
				w->marked++;
			}
		} else if (is(name, n, "cmdline") && pid == stat_pid) {
			if (keep(w, stat, stat_len, &r, pid, err) < 0)
				return -1;
		} else if (read && pid == stat_pid) {
			int k = kept_index(w, name, n);
			if (k >= 0 && keep_text(w, stat, stat_len, &r, pid, (size_t)k, err) < 0)
				return -1;
		}
	}
	/* damaged framing: what came before it counts (the loader records
	 * the damage when it loads a sample; this one is not loaded) */
	ms_err_release(&perr);
	if (stat_pid >= 0 && stat != w->stat.data) {
		ms_buf_reset(&w->stat);
		if (ms_buf_add(&w->stat, stat, stat_len) < 0)
			return ms_err_set(err, ENOMEM, "out of memory");
	}
	w->stat_pid = stat_pid;
	return 0;
}

int lw_sample_before(struct load_window_state *w, struct ms_err *err)
{
	if (w->listed_any && w->marked < w->ncmd) {
		size_t k = 0;
		for (size_t i = 0; i < w->ncmd; i++) {
			if (w->cmd[i].listed == w->gen)
				w->cmd[k++] = w->cmd[i];
			else
				proc_forget(&w->cmd[i]);
		}
		w->ncmd = k;
		if (slots_rebuild(w, w->slots_cap) < 0)
			return ms_err_set(err, ENOMEM, "out of memory");
	}
	w->gen++;
	w->marked = 0;
	w->listed_any = 0;
	return 0;
}

/* Kept file NAME of process P, as the samples before the window last
 * read it, into its first row of the window unless that sample read it:
 * a sparse file when it was not read (oom_score_adj into the row and
 * carried on from it, cgroup as the membership from that sample on), an
 * unchanged one when it was recorded skip:unchanged.  Loaded as the record
 * would have been (load_record(), under the sample's t0 member). */
int lw_seed(void *ctx, struct load_state *ls, struct proc_ref *p, struct ms_err *err)
{
	struct load_window_state *w = ctx;
	struct lw_proc *e = find(w, p->pid);
	if (!e || !e->known || e->starttime != p->starttime)
		return 0;
	for (size_t k = 0; k < w->nkept; k++) {
		const struct ms_buf *b = &e->kept[k];
		const char *name = w->kept[k];
		uint64_t bit = load_kind_bit(name); /* 0: a kind this loader does not load */
		int missing = k < w->nsparse || (ls->row.same & bit);
		if (!b->data || !bit || (ls->row.read & bit) || !missing)
			continue;
		char member[32];
		snprintf(member, sizeof(member), MS_SAMPLE_NAME_FMT, ls->sample, "t0");
		ms_buf_reset(&ls->path);
		if (ms_buf_addf(&ls->path, "/proc/%lld/%s", (long long)p->pid, name) < 0)
			return ms_err_set(err, ENOMEM, "out of memory");
		struct ms_record r = { "ok", 2, ls->path.data, ls->path.len, b->data, b->len, -1 };
		if (load_record(ls, member, &r, err) < 0)
			return -1;
	}
	return 0;
}

int lw_finish(struct load_window_state *w, struct load_state *ls, struct ms_err *err)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(ls->db, "UPDATE process SET cmdline = ?3 WHERE pid = ?1 AND "
			       "starttime = ?2 AND cmdline IS NULL", -1, &s, NULL) != SQLITE_OK)
		return ms_err_set(err, EIO, "%s", sqlite3_errmsg(ls->db));
	int rc = SQLITE_DONE;
	for (size_t i = 0; i < w->ncmd && rc == SQLITE_DONE; i++) {
		const struct lw_proc *e = &w->cmd[i];
		if (!e->cmdline || e->starttime > INT64_MAX)
			continue;
		bind_i64(s, 1, e->pid);
		bind_i64(s, 2, (int64_t)e->starttime);
		bind_text_static(s, 3, e->cmdline, strlen(e->cmdline));
		rc = sqlite3_step(s);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : ms_err_set(err, EIO, "%s", sqlite3_errmsg(ls->db));
}
